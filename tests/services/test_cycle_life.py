"""A cycle's life: forward freely, back only with a reason kept in its history; early decisions
say why.  Every refusal leaves the cycle's file byte-identical."""

from __future__ import annotations

import datetime as dt

import pytest

from workbench.domain.errors import ValidationFailed
from workbench.services import cycles, decisions
from workbench.services.spreading import spread, spread_from

# dl-high-risk-bundle (demo): running on the Discharge Lounge from 2026-11-12 to 2026-11-26
ID = "dl-high-risk-bundle"
AFTER_END = dt.date(2026, 11, 27)


def _counts(ws, ward: str, measures: list[str]) -> None:
    """The ward starts counting *measures* (a plan may use only what its ward counts)."""
    from workbench.services.wards import list_wards, save_wards

    save_wards(ws, [w.model_copy(update={"measures": [*w.measures, *[m for m in measures
                                                                      if m not in w.measures]]})
                    if w.id == ward else w for w in list_wards(ws)])


def _bytes(ws) -> bytes:
    return cycles.cycle_path(ws, ID).read_bytes()


def test_moving_on_needs_no_reason(files_ws) -> None:
    moved = cycles.set_status(files_ws, ID, "studying")
    assert moved.status.value == "studying" and moved.history == []


def test_a_decided_cycle_moves_back_only_with_a_reason_kept_in_its_history(files_ws) -> None:
    decisions.decide(files_ws, ID, "adopt", "Returns fell", decided_by="Lounge team", on=AFTER_END)
    before = _bytes(files_ws)
    with pytest.raises(ValidationFailed, match=r"decided \(adopt on 2026-11-27\); moving it "
                                               r"back to studying needs a reason"):
        cycles.set_status(files_ws, ID, "studying")
    assert _bytes(files_ws) == before
    back = cycles.set_status(files_ws, ID, "studying", reason="Counts for week 2 were missing",
                             by="Matron", on=dt.date(2026, 11, 30))
    assert back.status.value == "studying" and back.act is None
    (change,) = back.history
    assert (change.from_status.value, change.to_status.value) == ("decided", "studying")
    assert change.reason == "Counts for week 2 were missing" and change.by == "Matron"
    assert change.undone is not None and change.undone.decision.value == "adopt"
    assert change.undone.reason == "Returns fell"  # the decision undone is not lost
    with pytest.raises(ValidationFailed, match="back to planned needs a reason"):
        cycles.set_status(files_ws, ID, "planned")


@pytest.mark.parametrize(("status", "words"), [("running", "already running"),
                                               ("decided", "cycle decide"),
                                               ("finished", "not a status")])
def test_pointless_or_wrong_moves_are_refused(files_ws, status, words) -> None:
    before = _bytes(files_ws)
    with pytest.raises(ValidationFailed, match=words):
        cycles.set_status(files_ws, ID, status)
    assert _bytes(files_ws) == before


def test_deciding_before_the_test_ends_asks_why(files_ws) -> None:
    before = _bytes(files_ws)
    early = dt.date(2026, 11, 19)  # 7 days before the end (2026-11-26)
    with pytest.raises(ValidationFailed, match=r"runs until Wed 25 Nov 2026 \(7 days left\)"):
        decisions.decide(files_ws, ID, "adopt", "Looks good", on=early)
    assert _bytes(files_ws) == before
    decided = decisions.decide(files_ws, ID, "adopt", "Looks good", on=early,
                            early_reason="The board asked for it before winter")
    assert decided.status.value == "decided"
    assert decided.history[-1].reason == "decided early: The board asked for it before winter"
    assert cycles.early_decision(decided, dt.date(2026, 11, 26)) is None  # the last day is fine


def test_a_changed_decision_keeps_the_first(files_ws) -> None:
    decisions.decide(files_ws, ID, "adopt", "Returns fell", on=AFTER_END)
    again = decisions.decide(files_ws, ID, "adapt", "Nights never used it", on=AFTER_END)
    assert again.act.decision.value == "adapt"
    assert again.history[-1].undone.decision.value == "adopt"
    assert again.history[-1].reason == "decision changed from adopt to adapt"


def test_spread_starts_a_cycle_on_the_receiving_ward(files_ws) -> None:
    decisions.decide(files_ws, ID, "adopt", "Returns fell", on=AFTER_END)
    _counts(files_ws, "sh-w12", ["bundle_use", "unplanned_returns_7d", "discharge_delay_hours"])
    source = spread(files_ws, ID, "sh-w12", dt.date(2026, 12, 7), owner="Ward 12 sister",
                           today=dt.date(2026, 12, 3))
    (step,) = source.spread
    assert step.cycle == "dl-high-risk-bundle-sh-w12"
    child = cycles.get_cycle(files_ws, step.cycle)
    parent = cycles.get_cycle(files_ws, ID)
    assert (child.ward, child.parent_cycle, child.status.value) == ("sh-w12", ID, "planned")
    assert (child.theme, child.change_idea, child.measures) == (
        parent.theme, parent.change_idea, parent.measures)
    assert child.owner == "Ward 12 sister" and child.start == dt.date(2026, 12, 7)
    assert child.end == dt.date(2026, 12, 21)  # two weeks, as every test
    assert [c.id for c in cycles.active_cycles(files_ws, "sh-w12")] == [child.id]
    assert spread_from(files_ws, child).id == ID


def test_a_spread_the_receiving_ward_cannot_take_writes_nothing(files_ws) -> None:
    # nh-ucc's limit is 2 active changes; fill it, then spread to it without a reason
    decisions.decide(files_ws, ID, "adopt", "Returns fell", on=AFTER_END)
    _counts(files_ws, "nh-ucc", ["time_to_senior_review", "bleeps_urgent_help", *["bundle_use", "unplanned_returns_7d", "discharge_delay_hours"]])
    for n in (1, 2):
        cycles.new_cycle(files_ws, {
            "id": f"ucc-busy-{n}", "ward": "nh-ucc", "theme": "poor_escalation",
            "change_idea": "senior_advice_line", "owner": "Matron", "objective": "o",
            "questions": [{"question": "q", "prediction": "p"}], "start": "2026-12-01",
            "measures": ["time_to_senior_review", "bleeps_urgent_help"],
            "active_reason": "test"})
    folder = files_ws.cycles_dir
    before = {p.name: p.read_bytes() for p in folder.glob("*.yaml")}
    with pytest.raises(ValidationFailed, match="Pick few, not many"):
        spread(files_ws, ID, "nh-ucc", dt.date(2026, 12, 7))
    assert {p.name: p.read_bytes() for p in folder.glob("*.yaml")} == before
    made = spread(files_ws, ID, "nh-ucc", dt.date(2026, 12, 7),
                         reason="The UCC lead asked for it")
    assert made.spread[-1].cycle == "dl-high-risk-bundle-nh-ucc"


def test_a_spread_adds_the_measures_the_next_ward_does_not_count_yet(files_ws) -> None:
    from workbench.services.wards import get_ward

    decisions.decide(files_ws, ID, "adopt", "Returns fell", on=AFTER_END)
    ward_measures = list(get_ward(files_ws, "sh-w12").measures)
    parent = cycles.get_cycle(files_ws, ID)
    missing = [m for m in parent.measures if m not in ward_measures]
    assert missing  # Ward 12 counts none of the lounge's bundle measures in the demo
    spread(files_ws, ID, "sh-w12", dt.date(2026, 12, 7), today=dt.date(2026, 12, 3))
    assert get_ward(files_ws, "sh-w12").measures == [*ward_measures, *missing]


def test_a_refused_spread_leaves_the_wards_file_as_it_was(files_ws) -> None:
    # nh-ucc is at its limit of two active changes once these are planned: refused, no reason
    decisions.decide(files_ws, ID, "adopt", "Returns fell", on=AFTER_END)
    _counts(files_ws, "nh-ucc", ["time_to_senior_review", "bleeps_urgent_help"])
    for n in (1, 2):
        cycles.new_cycle(files_ws, {
            "id": f"ucc-busy-{n}", "ward": "nh-ucc", "theme": "poor_escalation",
            "change_idea": "senior_advice_line", "owner": "Matron", "objective": "o",
            "questions": [{"question": "q", "prediction": "p"}], "start": "2026-12-01",
            "measures": ["time_to_senior_review", "bleeps_urgent_help"],
            "active_reason": "test"})
    before = files_ws.wards_file.read_bytes()
    with pytest.raises(ValidationFailed, match="Pick few, not many"):
        spread(files_ws, ID, "nh-ucc", dt.date(2026, 12, 7))
    assert files_ws.wards_file.read_bytes() == before
