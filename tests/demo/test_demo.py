"""The demo workspace is deterministic and matches what the repository ships."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from workbench.catalogue import load_catalogue
from workbench.demo import DEMO_END, build_demo
from workbench.services.cycles import list_cycles
from workbench.services.reviews import finding_index
from workbench.services.wards import list_wards
from workbench.store.workspace import resolve_workspace

REPO = Path(__file__).resolve().parents[2]


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes()
            for sub in ("pdsa", "data/demo") for p in sorted((root / sub).rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


def test_demo_is_byte_for_byte_reproducible(tmp_path: Path) -> None:
    a, b = resolve_workspace(tmp_path / "a"), resolve_workspace(tmp_path / "b")
    build_demo(a, load_store=False)
    build_demo(b, load_store=False)
    build_demo(b, load_store=False)  # rebuilding in place changes nothing either
    snap = snapshot(a.root)
    assert snap == snapshot(b.root)
    assert len(snap) == 23


def test_repository_ships_the_demo_it_builds(tmp_path: Path) -> None:
    ws = resolve_workspace(tmp_path / "ws")
    build_demo(ws, load_store=False)
    shipped = {k: v for k, v in snapshot(REPO).items() if k in snapshot(ws.root)}
    assert shipped == snapshot(ws.root), "run `workbench demo --no-store` and commit the result"


def test_demo_content_hangs_together(files_ws) -> None:
    cat = load_catalogue()
    wards = {w.id: w for w in list_wards(files_ws)}
    assert 10 <= len(wards) <= 14 and len({w.site for w in wards.values()}) == 3
    cycles = list_cycles(files_ws)
    statuses = {c.status.value for c in cycles}
    assert statuses == {"planned", "running", "studying", "decided"}
    assert {c.act.decision.value for c in cycles if c.act} == {"adopt", "adapt", "abandon"}
    assert any(c.parent_cycle for c in cycles)
    findings = finding_index(files_ws)
    for c in cycles:
        assert set(c.measures) <= set(wards[c.ward].measures), c.id
        assert all(f in findings for f in c.review_findings), c.id
        assert c.theme in cat.themes and c.change_idea in cat.change_ideas


def test_the_seed_scenarios_improve_after_the_change(files_ws) -> None:
    frame = pd.read_csv(files_ws.data / "demo" / "observations.csv", parse_dates=["date"])
    assert frame["date"].max() == pd.Timestamp(DEMO_END)
    assert frame["date"].min() == pd.Timestamp(DEMO_END - dt.timedelta(weeks=26, days=-1))

    def rate(ward: str, measure: str, before: bool, change: str) -> float:
        s = frame[(frame.ward == ward) & (frame.measure == measure)]
        s = s[s.date < change] if before else s[s.date >= change]
        return s.value.sum() / (s.denominator.sum() if s.denominator.notna().any() else len(s))

    # Infant repeat attender (CSPR): re-attendance falls after the triage prompt.
    assert rate("nh-ucc", "repeat_attendances", False, "2026-08-17") < \
        0.8 * rate("nh-ucc", "repeat_attendances", True, "2026-08-17")
    # Adult with a learning disability (SAR): readmissions fall after the template.
    assert rate("sh-amu", "readmissions_30d", False, "2026-08-03") < \
        0.7 * rate("sh-amu", "readmissions_30d", True, "2026-08-03")
