"""Making Data Count flags, their priority and the point type.

Most cases sit after a frozen baseline of 0, 10, 0, 10, ... (8 points): mean 5, MR-bar 10, so in
the mdc profile the limits are 5 -/+ 26.6 and the 2-sigma lines 5 -/+ 17.73 (hand calculation).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from workbench.spc import analyse

BASE = [0.0, 10] * 4


def run(later: list[float], **kw) -> pd.DataFrame:
    y = BASE + list(later)
    df = pd.DataFrame({"date": range(1, len(y) + 1), "value": y})
    kw.setdefault("freeze", 8)
    kw.setdefault("chart", "i")
    return analyse(df, **kw).points.iloc[8:].reset_index(drop=True)


def test_baseline_lines() -> None:
    p = run([5.0])
    assert p["ucl"].iloc[0] == pytest.approx(5 + 2.66 * 10, rel=1e-12)
    assert p["ucl_2s"].iloc[0] == pytest.approx(5 + 2.66 * 2 / 3 * 10, rel=1e-12)


def test_outside_limits_is_strict() -> None:
    ucl = float(run([5.0])["ucl"].iloc[0])
    on = run([ucl, 5.0])
    assert not on["outside_limits"].iloc[0]
    assert on["close_to_limits"].iloc[0]  # on the limit is inside it, and beyond the 2s line
    above = run([float(np.nextafter(ucl, math.inf)), -30.0])
    assert above["outside_limits"].tolist() == [True, True]
    assert above["rule"].tolist() == ["outside_limits", "outside_limits"]
    assert above["point_type"].tolist() == ["special_cause_improvement", "special_cause_concern"]
    assert above["direction"].tolist() == ["high", "low"]


def test_close_to_limits_is_inside_the_limits_and_beyond_the_2_sigma_lines() -> None:
    p = run([23.0, 22.0, 40.0, -13.0])
    assert p["close_to_limits"].tolist() == [True, False, False, True]


def test_trend_of_seven_rising_points_flags_every_point() -> None:
    p = run([1.0, 2, 3, 4, 5, 6, 7])
    assert p["trend"].all() and (p["rule"] == "trend").all()
    assert (p["point_type"] == "special_cause_improvement").all()
    assert not run([1.0, 2, 3, 4, 5, 6])["trend"].any()  # six points are not enough


def test_falling_trend_is_low_even_above_the_mean() -> None:
    p = run([12.0, 11, 10, 9, 8, 7, 6])
    assert p["trend"].all() and (p["direction"] == "low").all()
    assert (p["point_type"] == "special_cause_concern").all()


def test_ties_break_a_trend() -> None:
    assert not run([1.0, 2, 3, 3, 4, 5, 6])["trend"].any()


def test_missing_value_breaks_a_trend() -> None:
    p = run([1.0, 2, 3, math.nan, 4, 5, 6, 7, 8, 9, 10])
    assert p["trend"].tolist() == [False] * 4 + [True] * 7


def test_trend_of_eight_with_shared_turning_point() -> None:
    p = run([1.0, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1])
    assert p["trend"].all()
    assert p["direction"].tolist() == ["high"] * 7 + ["low"] * 6  # the peak ends the rise


def test_trend_n_option() -> None:
    assert run([1.0, 2, 3, 4, 5], trend_n=5)["trend"].all()


def test_two_of_three_close_points_on_one_side() -> None:
    p = run([23.0, 5.5, 24.0])
    assert p["two_of_three"].tolist() == [True, False, True]
    assert p["rule"].tolist() == ["two_of_three", "", "two_of_three"]
    assert not run([23.0, 4.0, 24.0])["two_of_three"].any()  # not all on one side
    assert not run([23.0, 5.0, 24.0])["two_of_three"].any()  # a point on the mean
    assert not run([23.0, 6.0, 7.0, 24.0])["two_of_three"].any()  # not within three


def test_two_of_three_counting_points_beyond_the_limits_is_an_option() -> None:
    # 40 is beyond the upper limit (31.6).  Making Data Count 2023: it counts as close.
    new = run([23.0, 6.0, 40.0])
    assert new["two_of_three"].tolist() == [True, False, True]
    assert new["rule"].tolist() == ["two_of_three", "", "outside_limits"]
    assert not new["close_to_limits"].iloc[2]
    # NHSRplotthedots 0.2.2: a point beyond the limits is not close, so no two-of-three
    old = run([23.0, 6.0, 40.0], two_of_three_beyond_limits=False)
    assert old["two_of_three"].tolist() == [False, False, False]
    assert old["rule"].tolist() == ["", "", "outside_limits"]


def test_shift_of_seven_on_one_side() -> None:
    # the baseline ends with 10 (above the mean), so a leading 0 starts the count afresh
    p = run([0.0, 6, 6, 7, 6, 8, 6, 7])
    assert p["shift"].tolist() == [False] + [True] * 7
    assert (p["rule"].iloc[1:] == "shift").all()
    assert not run([0.0, 6, 6, 7, 6, 8, 6])["shift"].any()
    assert run([0.0, 6, 6, 7, 6, 8, 6], shift_n=6)["shift"].iloc[1:].all()
    low = run([4.0, 4, 3, 4, 2, 4, 3, 4])
    assert low["shift"].all() and (low["point_type"] == "special_cause_concern").all()


def test_point_on_the_mean_or_missing_breaks_a_shift() -> None:
    assert not run([6.0, 6, 7, 5, 6, 8, 6, 7])["shift"].any()
    assert not run([6.0, 6, 7, math.nan, 6, 8, 6, 7])["shift"].any()


def test_excluded_point_breaks_sequence_rules_but_is_tested_against_limits() -> None:
    later = [6.0, 6, 7, 40, 6, 8, 6, 7]
    p = run(later, exclude=[12])
    assert not p["shift"].any()
    assert p["outside_limits"].tolist() == [False] * 3 + [True] + [False] * 4
    assert not p["include"].iloc[3]


def test_priority_outside_then_trend_then_two_of_three_then_shift() -> None:
    p = run([6.0, 7, 8, 9, 10, 24, 45])
    assert p["shift"].all() and p["trend"].all()
    assert p["rule"].tolist() == ["trend"] * 6 + ["outside_limits"]
    assert p["two_of_three"].iloc[5]  # window 10, 24, 45: 24 and 45 count (2023 guidance)
    q = run([6.0, 6, 7, 6, 8, 23, 24])
    assert q["rule"].tolist() == ["shift"] * 5 + ["two_of_three"] * 2
    assert q["signal"].all()


@pytest.mark.parametrize(
    ("improvement", "high", "low"),
    [("increase", "special_cause_improvement", "special_cause_concern"),
     ("decrease", "special_cause_concern", "special_cause_improvement"),
     ("neutral", "special_cause_neutral_high", "special_cause_neutral_low")])
def test_point_type_follows_the_improvement_direction(improvement, high, low) -> None:
    p = run([50.0, 5.0, -50.0], improvement=improvement)
    assert p["point_type"].tolist() == [high, "common_cause", low]


def test_no_rule_window_spans_a_phase_boundary() -> None:
    y = BASE + [1.0, 2, 3, 4] + BASE + [5.0, 6, 7]
    df = pd.DataFrame({"date": range(1, len(y) + 1), "value": y})
    r = analyse(df, chart="i", phase_starts=[13], freeze=8)
    assert not r.points["trend"].any()
    y = BASE + [6.0, 6, 6, 6] + [6.0, 6, 6] + BASE[1:]
    df = pd.DataFrame({"date": range(1, len(y) + 1), "value": y})
    whole = analyse(df, chart="i", freeze=8).points
    assert whole["shift"].iloc[8:15].all()
    split = analyse(df, chart="i", freeze=8, phase_starts=[13]).points
    assert not split["shift"].iloc[8:15].any()
    y = BASE + [23.0] + BASE + [24.0]
    df = pd.DataFrame({"date": range(1, len(y) + 1), "value": y})
    r = analyse(df, chart="i", freeze=8, phase_starts=[10])
    assert not r.points["two_of_three"].any()


def test_rules_use_the_run_chart_median_without_limits() -> None:
    df = pd.DataFrame({"date": range(1, 16), "value": [1.0] * 7 + [5] + [9] * 7})
    p = analyse(df, chart="run").points
    assert p["shift"].tolist() == [True] * 7 + [False] + [True] * 7
    assert not p["outside_limits"].any() and not p["two_of_three"].any()


def test_rules_on_attribute_chart_use_its_2_sigma_lines() -> None:
    # c chart, c-bar = 16 from a frozen baseline: limits 4 and 28, 2-sigma lines 8 and 24
    y = [12.0, 20, 12, 20, 16, 16, 25, 17, 26]
    df = pd.DataFrame({"date": range(1, 10), "value": y})
    p = analyse(df, chart="c", freeze=6).points
    assert p["ucl"].iloc[0] == 28 and p["ucl_2s"].iloc[0] == 24
    assert p["close_to_limits"].tolist() == [False] * 6 + [True, False, True]
    assert p["two_of_three"].tolist() == [False] * 6 + [True, False, True]
