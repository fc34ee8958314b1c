"""The spread tracker on the demo: the bruising prompt's three wards, verdicts, held, as-of."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.services import spread as svc
from workbench.store.workspace import Workspace, resolve_workspace

TODAY = dt.date(2026, 11, 22)
PROMPT = "ucc-infant-bruising-prompt"


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    from workbench.demo import build_demo

    root = tmp_path_factory.mktemp("spread") / "ws"
    build_demo(resolve_workspace(root, f"sqlite:///{root / 'data' / 'workbench.sqlite'}"))
    return resolve_workspace(root, f"sqlite:///{root / 'data' / 'workbench.sqlite'}")


def test_the_prompt_spreads_in_order_with_a_verdict_on_each_ward(ws: Workspace) -> None:
    s = svc.spread_of(ws, PROMPT, as_of=TODAY)
    assert [(r.step, r.ward_name) for r in s.rows] == [
        (0, "Urgent Care Centre"), (1, "Minor Injuries Unit"), (2, "Emergency Department")]
    assert [r.cycle.id for r in s.rows if r.cycle] == [
        PROMPT, "miu-infant-bruising-prompt", "ed-infant-bruising-prompt"]
    assert [r.status for r in s.rows] == ["adopted", "studying", "running"]
    assert s.key_measure == "bruising_prompt_use"
    # the demo plants a rise in prompt use at each ward's start (demo/wards.py EFFECTS):
    # 30% -> 86% (urgent care), 74% (minor injuries), 80% (ED), so each verdict is "improved"
    assert [r.verdict.verdict for r in s.rows if r.verdict] == ["improved"] * 3
    # urgent care's and minor injuries' tests are over and the level stayed up; ED's test
    # (9-23 Nov) is still running on 22 Nov, so there is nothing to hold yet
    assert [r.verdict.held for r in s.rows if r.verdict] == ["held", "held", None]
    # a balancing measure with no planted change reads "no change"
    assert dict(s.rows[2].verdict.measures)["triage_minutes"] == "no_change"
    assert "Recognising and responding to the vulnerability of babies" in " ".join(s.national)


def test_as_of_cuts_the_data_and_the_steps(ws: Workspace) -> None:
    s = svc.spread_of(ws, PROMPT, as_of=dt.date(2026, 10, 25))
    v = {r.ward: r.verdict for r in s.rows}
    assert v["nh-ucc"] is not None and v["nh-ucc"].verdict == "improved"
    # minor injuries started 19 Oct: 6 days of counts by 25 Oct, fewer than the 7 needed
    assert v["cm-miu"] is not None and v["cm-miu"].verdict == "too_early"
    assert v["nh-ed"] is None  # starts 9 Nov: not started as of 25 Oct
    data = svc.spread_data(s)
    assert data["wards"][2]["verdict"] == "not_started"


def test_a_planned_step_without_a_cycle_shows_as_not_started(ws: Workspace) -> None:
    changes = {c.origin.id: c for c in svc.spread_tracker(ws, as_of=TODAY)}
    assert list(changes) == ["amu-ld-discharge-template", PROMPT, "ucc-repeat-attender-huddle",
                             "ed-sepsis-trigger-chart"]  # adopted changes, oldest first
    amu = changes["amu-ld-discharge-template"]
    assert [(r.ward, r.status, r.cycle, r.verdict) for r in amu.rows[1:]] == [
        ("sh-w12", "planned", None, None)]
    # the spread copies are not adopted changes of their own
    assert "miu-infant-bruising-prompt" not in changes
    assert [c.origin.id for c in svc.spread_tracker(ws, as_of=TODAY, ward="cm-miu")] == [PROMPT]


def test_every_verdict_goes_through_one_function(ws: Workspace,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def fake(_ws: Workspace, cycle, as_of=None, _known=None) -> svc.WardVerdict:
        seen.append(cycle.id)
        return svc.WardVerdict("no_change", [], None, None)

    monkeypatch.setattr(svc, "_ward_verdict", fake)
    s = svc.spread_of(ws, PROMPT, as_of=TODAY)
    assert seen == [PROMPT, "miu-infant-bruising-prompt", "ed-infant-bruising-prompt"]
    assert {r.verdict.verdict for r in s.rows if r.verdict} == {"no_change"}


def test_aligned_series_puts_week_zero_at_each_wards_start(ws: Workspace) -> None:
    s = svc.spread_of(ws, PROMPT, as_of=TODAY)
    frame = svc.aligned_series(ws, s, as_of=TODAY)
    assert set(frame["ward_name"]) == {"Urgent Care Centre", "Minor Injuries Unit",
                                       "Emergency Department"}
    ed = frame[frame["ward"] == "nh-ed"].set_index("week")
    assert ed.index.min() == -8 and ed.index.max() == 1  # 9 Nov + 13 days = 22 Nov: week 1
    # week 0 of ED is 9-15 Nov; its value is that week's total prompts over total infants,
    # read straight from the demo CSV
    import pandas as pd

    raw = pd.read_csv(ws.data / "demo" / "observations.csv")
    week0 = raw[(raw["ward"] == "nh-ed") & (raw["measure"] == "bruising_prompt_use")
                & (raw["date"] >= "2026-11-09") & (raw["date"] <= "2026-11-15")]
    assert ed.loc[0, "value"] == pytest.approx(week0["value"].sum() / week0["denominator"].sum())
    assert ed.loc[0, "value"] > ed.loc[0, "before"]


def test_rollup_json_lists_each_adopted_change_with_per_ward_verdicts(ws: Workspace,
                                                                      tmp_path: Path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(ws.root, root)
    env = {**os.environ, "WORKBENCH_HOME": str(root)}
    env.pop("WORKBENCH_DB", None)
    out = subprocess.run([sys.executable, "-m", "workbench", "rollup", "--today",
                          TODAY.isoformat(), "--format", "json"], capture_output=True, text=True,
                         env=env, timeout=180)
    assert out.returncode == 0, out.stderr
    spread = {c["cycle"]: c for c in json.loads(out.stdout)["spread"]}
    wards = spread[PROMPT]["wards"]
    assert [(w["ward"], w["verdict"], w["held"]) for w in wards] == [
        ("nh-ucc", "improved", "held"), ("cm-miu", "improved", "held"),
        ("nh-ed", "improved", None)]
    assert wards[1]["measures"][0] == {"measure": "bruising_prompt_use", "verdict": "improved"}
    assert spread[PROMPT]["national_themes"]
    text = subprocess.run([sys.executable, "-m", "workbench", "rollup", "--today",
                           TODAY.isoformat()], capture_output=True, text=True, env=env,
                          timeout=180).stdout
    assert "Spread in steps" in text and "3. Emergency Department" in text


def test_the_roll_up_reuses_its_judgements_and_reads_the_same_spread(demo_ws) -> None:
    """The roll-up hands judge_all's judgements to the tracker instead of judging each cycle
    again: what it shows must be exactly what the tracker works out on its own."""
    import datetime as dt

    from workbench.services.rollup import rollup
    from workbench.services.spread import spread_data, spread_tracker

    day = dt.date(2026, 12, 3)
    alone = [spread_data(s) for s in spread_tracker(demo_ws, as_of=day)]
    assert alone and any(len(s["wards"]) > 1 for s in alone)  # the demo's prompt spread
    assert [spread_data(s) for s in rollup(demo_ws, day).spread] == alone
