"""How many points a test window will hold (services.judgement.points): the judgement's count.

Expected numbers are counted by hand on the calendar.  Thursday 3 December 2026 starts most
tests here; a two-week test then runs to Wednesday 16 December (its ``end`` is 17 December).
The demo stores weekly counts on Mondays (``demo/data.py``), daily counts every day.
"""

from __future__ import annotations

import datetime as dt

import pytest

from workbench.catalogue import load_catalogue
from workbench.services.judgement.points import (
    Rate,
    count_rate,
    fit,
    measure_fits,
    unusable_plan,
    window_days,
    window_points,
    window_words,
)
from workbench.services.judgement.rules import MIN_TEST_POINTS

THU = dt.date(2026, 12, 3)
LAST = dt.date(2026, 12, 16)  # the last day of a two-week test from THU
MONDAYS = [dt.date(2026, 11, 2) + dt.timedelta(days=7 * k) for k in range(6)]  # 2 Nov .. 7 Dec


def test_the_minimum_is_the_judgements() -> None:
    # "no unusual change" needs a shift's worth of test points (rules.SHIFT_N, docs/verdict.md)
    assert MIN_TEST_POINTS == 9


@pytest.mark.parametrize(
    ("dates", "frequency", "every", "anchor"),
    [
        (MONDAYS, "daily", 7, MONDAYS[-1]),  # gaps all 7 days: weekly, whatever the catalogue
        ([THU - dt.timedelta(days=k) for k in (9, 8, 7, 5, 4, 3, 2, 1)], "weekly", 1,
         dt.date(2026, 12, 2)),  # gaps 1,1,2,1,1,1,1: median 1 -> daily
        ([dt.date(2026, m, 1) for m in (7, 8, 9, 10, 11)], "daily", 0, dt.date(2026, 11, 1)),
        ([], "weekly", 7, None),  # no counts yet: the catalogue's frequency
        ([THU], "monthly", 0, None),  # one count has no gap: the catalogue again
        ([], "daily", 1, None),
    ],
)
def test_the_rate_is_read_from_the_stored_dates(dates, frequency, every, anchor) -> None:
    rate = count_rate(dates, frequency)
    assert rate is not None and (rate.every, rate.anchor) == (every, anchor)


def test_events_with_no_counts_cannot_be_told() -> None:
    assert count_rate([], "per_event") is None
    # gaps 2, 4, 3, 5: median (3 + 4) / 2 = 3.5, rounded to 4 (round half to even)
    rate = count_rate([dt.date(2026, 11, d) for d in (1, 3, 7, 10, 15)], "per_event")
    assert rate is not None and rate.events and rate.every == 4


@pytest.mark.parametrize(
    ("start", "last", "rate", "points"),
    [
        (THU, LAST, Rate(1, THU), 14),  # 3..16 Dec: fourteen days
        (THU, LAST, Rate(7, MONDAYS[-1]), 2),  # Mondays 7 and 14 Dec
        (THU, dt.date(2027, 2, 3), Rate(7, MONDAYS[-1]), 9),  # 9 weeks: Mondays 7 Dec .. 1 Feb
        (THU, dt.date(2027, 1, 27), Rate(7, MONDAYS[-1]), 8),  # a week less: 7 Dec .. 25 Jan
        (THU, LAST, Rate(7, None), 2),  # no anchor: fewest wherever they fall, 14 // 7
        (THU, dt.date(2026, 12, 15), Rate(7, None), 1),  # 13 days: 13 // 7
        (THU, LAST, Rate(0, dt.date(2026, 11, 1)), 0),  # no first of the month in 3..16 Dec
        (THU, dt.date(2027, 9, 2), Rate(0, dt.date(2026, 11, 1)), 9),  # 1 Jan .. 1 Sep 2027
        (THU, dt.date(2027, 9, 2), Rate(0, None), 9),  # whole months 3 Dec .. 2 Sep
        (THU, LAST, Rate(3, dt.date(2026, 11, 19), events=True), 4),  # about 14 // 3
        (LAST, THU, Rate(1, THU), 0),  # an empty window
    ],
)
def test_window_points_counts_the_stored_points_to_come(start, last, rate, points) -> None:
    assert window_points(start, last, rate) == points


def test_window_length_in_words() -> None:
    assert window_days(THU, None) == 14 and window_words(14) == "a two-week test"
    assert window_days(THU, dt.date(2026, 12, 13)) == 10 and window_words(10) == "a 10-day test"


def test_the_greyed_reason_in_plain_words() -> None:
    cat = load_catalogue()
    weekly = fit(cat.measure("repeat_attendances"), MONDAYS, THU, None)  # daily in the catalogue
    assert (weekly.points, weekly.usable) == (2, False)
    assert weekly.reason == ("counted weekly: a two-week test gives 2 points; the check needs "
                             "at least 9 \u2014 make the test 9 weeks or count it daily")
    survey = fit(cat.measure("felt_listened_to"), MONDAYS, THU, None)  # weekly in the catalogue
    assert survey.reason.endswith("\u2014 make the test 9 weeks")
    daily = fit(cat.measure("repeat_attendances"), [THU - dt.timedelta(days=k) for k in (1, 2)],
                THU, None)
    assert daily.usable and daily.reason == "counted daily: a two-week test gives 14 points"
    unknown = fit(cat.measure("discharges_between_returns"), [], THU, None)
    assert unknown.usable and unknown.points is None and "no counts yet" in unknown.reason


def test_on_the_demo_a_daily_count_charted_weekly_still_has_a_point_a_day(demo_ws) -> None:
    # bleeps are stored daily (the board sums them into weeks): the test judges 14 stored points
    bleeps, audit = measure_fits(demo_ws, "nh-w7", ["bleeps_urgent_help", "plan_clarity_audit"],
                                 THU, None)
    assert (bleeps.points, bleeps.usable) == (14, True)
    assert audit.usable
    # the Children's Assessment Unit enters "felt listened to" weekly, on Mondays to 16 Nov
    cau = measure_fits(demo_ws, "nh-cau", ["felt_listened_to", "tool_use"], THU, None)
    assert [(f.points, f.usable) for f in cau] == [(2, False), (14, True)]
    assert unusable_plan(cau) is None  # one usable measure is enough
    why = unusable_plan(cau[:1])
    assert why is not None and why.startswith("measures: none of the plan's measures can show")
    assert "make the test 9 weeks" in why
    longer = measure_fits(demo_ws, "nh-cau", ["felt_listened_to"], THU, dt.date(2027, 2, 4))
    assert longer[0].points == 9 and longer[0].usable  # Mondays 7 Dec .. 1 Feb


def test_the_verdict_on_a_short_finished_test_says_what_the_plan_said() -> None:
    import pandas as pd

    from workbench.services.judgement import judge_window

    m = load_catalogue().measure("felt_listened_to")
    days = [dt.date(2026, 6, 1) + dt.timedelta(days=7 * k) for k in range(14)]  # 12 + 2 Mondays
    data = pd.DataFrame({"date": pd.to_datetime(days), "value": [10.0] * 14,
                         "denominator": [20.0] * 14})
    start = days[12]
    got = judge_window(m, data, None, start, start + dt.timedelta(days=13), complete=True)
    assert got.verdict == "too_early" and got.test_points == 2
    assert got.rule == "no unusual change in 2 test points; the check needs at least 9"
    assert "the check needs at least 9" in fit(m, days[:12], start, None).reason
