"""Check the result: charts split at the change, verdicts from baseline limits, a recommendation.

The demo data are generated with known effects (``workbench/demo/wards.py``: EFFECTS), so the
expected verdicts follow from how the data were made: a change that moved a measure must be
confirmed, one that did not must be refuted.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from workbench.catalogue import load_catalogue
from workbench.domain.records import Decision, Verdict
from workbench.services.checks import (
    MIN_POINTS_AFTER,
    check_cycle,
    measure_check,
    next_check_date,
    ward_summary,
)
from workbench.services.cycles import get_cycle


def test_infant_prompt_is_confirmed_and_adopted(demo_ws) -> None:
    # Generated effect: prompt completion 30% -> 86%, repeat attendances 4.0 -> 3.0 a day from
    # 2026-08-17; triage time 14 -> 15 minutes (within its noise, sd 3).
    check = check_cycle(demo_ws, "ucc-infant-bruising-prompt", as_of=dt.date(2026, 9, 14))
    assert [v.verdict for v in check.verdicts] == [Verdict.CONFIRMED] * 3
    assert check.recommendation == Decision.ADOPT
    prompt = check.measures[0]
    assert prompt.signal_after == "up" and prompt.points_after >= MIN_POINTS_AFTER
    # The chart splits at the change date: two phases, the second starting on 2026-08-17.
    phases = prompt.result.phases
    assert len(phases) == 2 and pd.Timestamp(phases["start"].iloc[1]) == pd.Timestamp("2026-08-17")
    assert check.as_of == dt.date(2026, 9, 14)


def test_briefing_cards_show_no_change_and_are_abandoned(demo_ws) -> None:
    # No generated effect on first-hour sepsis screening before 2026-09-14.
    check = check_cycle(demo_ws, "ed-sepsis-briefing-cards", as_of=dt.date(2026, 8, 31))
    assert check.verdicts[0].verdict == Verdict.REFUTED
    assert "no unusual change" in check.verdicts[0].evidence
    assert check.recommendation == Decision.ABANDON


def test_too_early_to_judge(demo_ws) -> None:
    check = check_cycle(demo_ws, "dl-high-risk-bundle", as_of=dt.date(2026, 11, 15))
    assert {v.verdict for v in check.verdicts} == {Verdict.UNCLEAR}
    assert check.recommendation is None and not check.ready
    assert "keep the test running" in check.reasons[0]


def test_mixed_results_recommend_adapt(demo_ws) -> None:
    # Bundle use rose from 2026-11-12; returns within 7 days were left unchanged.
    check = check_cycle(demo_ws, "dl-high-risk-bundle")
    verdicts = {v.question.measure: v.verdict for v in check.verdicts}
    assert verdicts["bundle_use"] == Verdict.CONFIRMED
    assert verdicts["unplanned_returns_7d"] == Verdict.REFUTED
    assert check.recommendation == Decision.ADAPT


def test_measure_without_data_or_change() -> None:
    measure = load_catalogue().measure("bundle_use")
    empty = pd.DataFrame({"date": pd.to_datetime([]), "value": [], "denominator": []})
    assert measure_check(measure, empty, dt.date(2026, 1, 1)).result is None
    data = pd.DataFrame({"date": pd.date_range("2026-01-01", periods=20), "value": [3.0] * 20,
                         "denominator": [5.0] * 20})
    mc = measure_check(measure, data, None)
    assert mc.result is not None and mc.points_after == 0 and mc.signal_after == "none"
    assert len(mc.result.phases) == 1


def test_a_ward_summary_draws_without_judging() -> None:
    """Judging the points since a change needs a second analysis; charts alone do not."""
    measure = load_catalogue().measure("bundle_use")
    data = pd.DataFrame({"date": pd.date_range("2026-01-01", periods=30),
                         "value": [2.0] * 15 + [5.0] * 15, "denominator": [6.0] * 30})
    judged = measure_check(measure, data, dt.date(2026, 1, 16))
    drawn = measure_check(measure, data, dt.date(2026, 1, 16), judge=False)
    assert judged.signal_after == "up" and drawn.signal_after is None
    assert drawn.points_after == judged.points_after == 15
    assert drawn.result is not None and judged.result is not None
    assert drawn.result.points.equals(judged.result.points), "the same chart either way"


def test_ward_summary_shows_the_running_test(demo_ws) -> None:
    summary = ward_summary(demo_ws, "sh-dl", today=dt.date(2026, 11, 22))
    assert summary.current is not None and summary.current.id == "dl-high-risk-bundle"
    assert summary.days_left == 4
    assert summary.next_check == dt.date(2026, 11, 26)
    assert [m.measure.id for m in summary.measures] == [
        "bundle_use", "unplanned_returns_7d", "discharges_between_returns", "discharge_delay_hours"]
    assert all(m.result is not None for m in summary.measures)


@pytest.mark.parametrize(
    ("today", "expected"),
    [("2026-11-12", "2026-11-19"), ("2026-11-18", "2026-11-19"), ("2026-11-19", "2026-11-19"), ("2026-11-20", "2026-11-26"),
     ("2026-11-25", "2026-11-26"), ("2026-11-30", "2026-11-30")],
)
def test_next_check_is_weekly_then_the_end(demo_ws, today: str, expected: str) -> None:
    cycle = get_cycle(demo_ws, "dl-high-risk-bundle")  # runs 2026-11-12 to 2026-11-26
    assert next_check_date(cycle, dt.date.fromisoformat(today)) == dt.date.fromisoformat(expected)
