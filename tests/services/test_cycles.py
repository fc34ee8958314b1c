"""Planning, deciding and spreading cycles through the services."""

from __future__ import annotations

import datetime as dt

import pytest

from workbench.domain.errors import NotFoundError, ValidationFailed
from workbench.services import cycles, decisions
from workbench.services.spreading import spread


def plan(**over: object) -> dict:
    data = {"id": "new1", "ward": "nh-w7", "theme": "poor_escalation",
            "change_idea": "senior_advice_line", "owner": "Matron",
            "objective": "Faster senior review",
            "questions": [{"question": "Faster?", "prediction": "Yes"}],
            "measures": ["time_to_senior_review", "bleeps_urgent_help"], "start": "2026-12-01"}
    data.update(over)
    return data


def test_new_cycle_is_written_and_listed(files_ws) -> None:
    made = cycles.new_cycle(files_ws, plan())
    assert made.revision == 1 and made.end == dt.date(2026, 12, 15)
    assert [c.id for c in cycles.list_cycles(files_ws, ward="nh-w7")] == ["w7-stop-and-call", "new1"]


@pytest.mark.parametrize(
    ("over", "words"),
    [
        ({"measures": ["time_to_senior_review"]}, "at least one process measure and one outcome"),
        ({"theme": "vibes"}, "unknown theme"),
        ({"change_idea": "nope"}, "unknown change idea"),
        ({"measures": ["bogus", "bleeps_urgent_help"]}, "unknown measure"),
    ],
)
def test_bad_plans_are_refused_and_nothing_is_written(files_ws, over, words) -> None:
    with pytest.raises(ValidationFailed, match=words):
        cycles.new_cycle(files_ws, plan(**over))
    assert not cycles.cycle_path(files_ws, "new1").exists()


def test_unknown_ward_suggests(files_ws) -> None:
    with pytest.raises(NotFoundError, match="Did you mean 'nh-w7'"):
        cycles.new_cycle(files_ws, plan(ward="nh-w8"))


def test_pick_few_limit_needs_a_reason(files_ws) -> None:
    cycles.new_cycle(files_ws, plan(id="a1"))
    with pytest.raises(ValidationFailed, match="Pick few, not many"):
        cycles.new_cycle(files_ws, plan(id="a2"))
    made = cycles.new_cycle(files_ws, plan(id="a2", active_reason="Board asked for it"))
    assert made.active_reason


def _counts(ws, ward: str, measures: list[str]) -> None:
    """The ward starts counting *measures* (a plan may use only what its ward counts)."""
    from workbench.services.wards import list_wards, save_wards

    save_wards(ws, [w.model_copy(update={"measures": [*w.measures, *[m for m in measures
                                                                      if m not in w.measures]]})
                    if w.id == ward else w for w in list_wards(ws)])


def test_decide_and_spread(files_ws) -> None:
    with pytest.raises(ValidationFailed, match="not been adopted"):
        spread(files_ws, "dl-high-risk-bundle", "sh-w12", dt.date(2026, 12, 1))
    decided = decisions.decide(files_ws, "dl-high-risk-bundle", "adopt", "Returns fell",
                            decided_by="Lounge team", on=dt.date(2026, 11, 27))
    assert decided.status.value == "decided" and decided.act.decision.value == "adopt"
    _counts(files_ws, "sh-w12", ["bundle_use", "unplanned_returns_7d", "discharge_delay_hours"])
    spreading = spread(files_ws, "dl-high-risk-bundle", "sh-w12", dt.date(2026, 12, 1))
    assert [s.ward for s in spreading.spread] == ["sh-w12"]
    with pytest.raises(ValidationFailed, match="say why"):
        decisions.decide(files_ws, "w7-stop-and-call", "abandon", "  ")


def test_log_entries_accumulate(files_ws) -> None:
    cycles.add_log(files_ws, "dl-high-risk-bundle", dt.date(2026, 11, 20), "Half-way check")
    assert cycles.get_cycle(files_ws, "dl-high-risk-bundle").do_log[-1].note == "Half-way check"
