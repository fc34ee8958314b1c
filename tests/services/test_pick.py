"""Pick a theme: ranking by the ward's signals and findings, the pick-few limit, pick notes."""

from __future__ import annotations

import datetime as dt

import pytest

from workbench.catalogue import load_catalogue
from workbench.domain.errors import NotFoundError, PatientDataError, ValidationFailed
from workbench.services.cycles import get_cycle, new_cycle
from workbench.services.pick import MeasureSignal, _option, pick_summary, picks, record_pick
from workbench.store.records import record_data
from workbench.store.workspace import Workspace, resolve_workspace

DAY = dt.date(2026, 11, 22)


@pytest.fixture
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    from workbench.demo import build_demo

    root = tmp_path_factory.mktemp("pick") / "ws"
    space = resolve_workspace(root, db=f"sqlite:///{root / 'data' / 'workbench.sqlite'}")
    build_demo(space)
    return space


def test_ranks_every_theme_and_explains(ws: Workspace) -> None:
    s = pick_summary(ws, "nh-ucc", today=DAY)
    assert len(s.options) == 8
    scores = [o.score for o in s.options]
    assert scores == sorted(scores, reverse=True)
    assert s.recommended is s.options[0] and not s.at_limit
    assert s.recommended.theme.name in s.reasons[0]
    assert s.recommended.ideas, "a recommended theme offers change ideas"


def test_theme_with_a_running_change_is_not_recommended(ws: Workspace) -> None:
    s = pick_summary(ws, "sh-dl", today=DAY)
    transfers = next(o for o in s.options if o.theme.id == "unsafe_transfers")
    assert [c.id for c in transfers.active] == ["dl-high-risk-bundle"]
    assert s.recommended is not None and s.recommended.theme.id != "unsafe_transfers"
    assert any("already being tested" in r for r in transfers.reasons)


def test_pick_few_limit_stops_the_recommendation(ws: Workspace) -> None:
    base = record_data(get_cycle(ws, "dl-high-risk-bundle"))
    base.update(id="dl-second-change", theme="fragmented_records",
                change_idea="one_page_risk_summary", status="planned", start="2026-12-01",
                end=None, do_log=[], revision=0, title="One-page risk summary")
    base["measures"] = ["summary_sent_24h", "unplanned_returns_7d"]
    base["questions"] = [{"question": "Is the summary sent?", "prediction": "Mostly",
                          "measure": "summary_sent_24h", "expect": "rise"}]
    from workbench.services.wards import list_wards, save_wards

    # a plan may use only measures its ward counts: the lounge starts counting this one
    save_wards(ws, [w.model_copy(update={"measures": [*w.measures, "summary_sent_24h"]})
                    if w.id == "sh-dl" else w for w in list_wards(ws)])
    new_cycle(ws, base)
    s = pick_summary(ws, "sh-dl", today=DAY)
    assert s.at_limit and s.recommended is None
    # the changes by the names people know them by, not their file ids
    assert "Pick few, not many" in s.reasons[0] and "One-page risk summary" in s.reasons[0]
    assert "dl-second-change" not in s.reasons[0]


def test_a_measure_getting_worse_counts_most() -> None:
    theme = load_catalogue().theme("poor_escalation")
    worse = _option(theme, [MeasureSignal("bleeps_urgent_help", "Bleeps",
                                          "special_cause_concern", None)], [], [])
    calm = _option(theme, [MeasureSignal("bleeps_urgent_help", "Bleeps", "common_cause",
                                         None)], ["r/f1: finding"], [])
    assert worse.score > calm.score and worse.concerns == 1
    assert "getting worse on the chart: Bleeps" in worse.reasons


def test_record_pick_is_a_note_not_a_cycle(ws: Workspace) -> None:
    entry = record_pick(ws, "nh-w7", "poor_escalation", "stop_and_call_rule", by="Ward manager",
                        note="Escalation delays at night", on=DAY)
    assert entry["date"] == "2026-11-22"
    assert picks(ws, "nh-w7") == [entry] and picks(ws, "nh-ucc") == []
    assert (ws.pdsa / "picks.yaml").is_file()
    before = len(pick_summary(ws, "nh-w7", today=DAY).active)
    record_pick(ws, "nh-w7", "poor_escalation", "senior_advice_line", on=DAY)
    assert len(pick_summary(ws, "nh-w7", today=DAY).active) == before
    assert len(picks(ws)) == 2


def test_record_pick_refusals(ws: Workspace) -> None:
    with pytest.raises(ValidationFailed, match="not an idea for theme"):
        record_pick(ws, "nh-w7", "weak_supervision", "stop_and_call_rule")
    with pytest.raises(NotFoundError, match="unknown ward"):
        record_pick(ws, "nowhere", "poor_escalation", "stop_and_call_rule")
    with pytest.raises(NotFoundError, match="unknown theme"):
        record_pick(ws, "nh-w7", "poor_escalatoin", "stop_and_call_rule")
    with pytest.raises(PatientDataError):
        record_pick(ws, "nh-w7", "poor_escalation", "stop_and_call_rule",
                    note="Patient 943 476 5919 waited")
    assert picks(ws) == []
