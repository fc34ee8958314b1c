"""The review register and the trace from a finding to cycles, actions and evidence."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from workbench.domain.errors import NotFoundError
from workbench.services import register
from workbench.store.workspace import Workspace, resolve_workspace


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    from workbench.demo import build_demo

    root = tmp_path_factory.mktemp("register") / "ws"
    build_demo(resolve_workspace(root), load_store=False)
    return resolve_workspace(root)


def test_register_lists_reviews_newest_first_with_what_they_led_to(ws: Workspace) -> None:
    rows = register.register(ws)
    assert [r.review.id for r in rows] == ["cspr-2026-03", "sar-2026-01"]
    cspr = rows[0]
    assert cspr.type_name == "Child Safeguarding Practice Review"
    assert cspr.themes == ["Weak recognition", "Poor escalation", "Fragmented records"]
    assert cspr.review.agencies and cspr.review.date == dt.date(2026, 4, 20)
    # five cycles: three in urgent care, and the prompt spread to minor injuries and the ED
    assert cspr.cycles == 5 and cspr.actions == 4 and cspr.open_actions == 2
    sar = rows[1]
    assert sar.cycles == 1 and sar.actions == 2 and sar.open_actions == 1


def test_trace_links_cycles_actions_and_evidence(ws: Workspace) -> None:
    t = register.trace(ws, "cspr-2026-03/f2")
    assert t.theme_name == "Poor escalation" and t.status == "changed"
    assert [c.id for c in t.cycles] == ["ucc-infant-bruising-prompt"]
    assert [a.id for a in t.actions] == ["act-001"]
    assert any("confirmed" in line for line in t.evidence)
    assert any(line.startswith("act-001: effective") for line in t.evidence)
    assert "senior advice line" in t.map_change


def test_actions_link_through_their_cycle_too(ws: Workspace) -> None:
    # act-005 names sar-2026-01/f1; its cycle names f1, f2 and f3, so it shows on all three
    traces = {t.finding.id: t for t in register.review_trace(ws, "sar-2026-01")}
    assert "act-005" in [a.id for a in traces["f2"].actions]
    assert [a.id for a in traces["f3"].actions] == ["act-006", "act-005"]  # earliest due first


def test_untouched_findings_and_unknown_refs(ws: Workspace) -> None:
    with pytest.raises(NotFoundError, match="cspr-2026-03/f1"):
        register.trace(ws, "cspr-2026-03/f9")
    with pytest.raises(NotFoundError):
        register.trace(ws, "nope/f1")


def test_findings_for_cycle(ws: Workspace) -> None:
    from workbench.services.cycles import get_cycle

    got = register.findings_for_cycle(ws, get_cycle(ws, "ucc-infant-bruising-prompt"))
    assert [(r.id, f.id) for r, f in got] == [("cspr-2026-03", "f1"), ("cspr-2026-03", "f2")]
    assert register.as_of_text(dt.date(2026, 4, 20)) == "20 Apr 2026"


def test_a_finding_nobody_acted_on(ws: Workspace, tmp_path: Path) -> None:
    from workbench.domain.records import Finding
    from workbench.services.reviews import get_review, save_review

    root = tmp_path / "copy"
    shutil.copytree(ws.pdsa, root / "pdsa")
    copy = resolve_workspace(root)
    review = get_review(copy, "sar-2026-01")
    extra = Finding(id="f4", text="No one checked the home had a suction machine.",
                    theme="unsafe_transfers")
    save_review(copy, review.model_copy(update={"findings": [*review.findings, extra]}))
    t = register.trace(copy, "sar-2026-01/f4")
    assert t.status == "not yet acted on" and t.cycles == [] and t.actions == []


def test_a_trace_says_which_national_themes_the_local_change_answers(ws: Workspace) -> None:
    from workbench.services.national import ANSWERS_LEAD, answers_data, answers_sentence

    t = register.trace(ws, "sar-2026-01/f1")  # unsafe transfers -> the adults' analysis
    assert t.cycles and t.national[0] == ("Transitions, including hospital discharge (Second "
                                          "national analysis of Safeguarding Adult Reviews "
                                          "(published 2024))")
    sentence = answers_sentence("unsafe_transfers")
    assert sentence.startswith(f"{ANSWERS_LEAD}: Transitions, including hospital discharge")
    assert [a["year"] for a in answers_data("unsafe_transfers")] == [2024, 2024, 2021]
    assert answers_sentence("not_a_theme") == ""


def test_review_trace_command_prints_the_national_themes(ws: Workspace) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "WORKBENCH_HOME": str(ws.root)}
    out = subprocess.run([sys.executable, "-m", "workbench", "review", "trace",
                          "cspr-2026-03/f1"], capture_output=True, text=True, env=env,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert "This local change answers these national themes:" in out.stdout
    assert "- Recognising and responding to the vulnerability of babies (Child Safeguarding " \
           "Practice Review Panel, annual report 2022 to 2023 (published 2024))" in out.stdout
