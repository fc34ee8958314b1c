"""Time grain: the rule, exact aggregation, partial periods and the caption words.

Every expected number is worked by hand from the small tables below (the sums are written out
next to each assertion).  Calendar facts: 2 Nov 2026 and 9 Nov 2026 are Mondays.
"""

from __future__ import annotations

import pandas as pd
import pytest

from workbench.domain.errors import SPCInputError
from workbench.spc.grain import (
    aggregate,
    caption,
    check_grain,
    choose_grain,
    partial_words,
    period_start,
    readable_span,
)

# Wed 4 Nov .. Fri 13 Nov 2026: ten days with 1-4 patients a day.
DATES = pd.date_range("2026-11-04", "2026-11-13", freq="D")
NUM = [1, 2, 0, 3, 1, 2, 1, 4, 0, 3]
DEN = [2, 3, 1, 4, 1, 2, 3, 4, 2, 3]


def _frame(num: list[float] = NUM, den: list[float] | None = DEN) -> pd.DataFrame:
    cols: dict[str, object] = {"date": DATES, "value": num}
    if den is not None:
        cols["denominator"] = den
    # shuffled on purpose: aggregation must not depend on row order
    return pd.DataFrame(cols).iloc[[3, 0, 9, 1, 8, 2, 7, 4, 6, 5]].reset_index(drop=True)


def test_weeks_start_on_monday_and_months_on_the_first() -> None:
    days = pd.Series(pd.to_datetime(["2026-11-04", "2026-11-08", "2026-11-09", "2026-12-03"]))
    weeks = period_start(days, "weekly").dt.strftime("%Y-%m-%d").tolist()
    assert weeks == ["2026-11-02", "2026-11-02", "2026-11-09", "2026-11-30"]
    months = period_start(days, "monthly").dt.strftime("%Y-%m-%d").tolist()
    assert months == ["2026-11-01", "2026-11-01", "2026-11-01", "2026-12-01"]


def test_weekly_p_sums_numerators_and_denominators() -> None:
    out = aggregate(_frame(), "weekly", chart="p", end=pd.Timestamp("2026-11-15"))
    assert out["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-11-02", "2026-11-09"]
    # week of 2 Nov (Wed-Sun): 1+2+0+3+1 = 7 of 2+3+1+4+1 = 11
    # week of 9 Nov (Mon-Fri): 2+1+4+0+3 = 10 of 2+3+4+2+3 = 14
    assert out["value"].tolist() == [7, 10]
    assert out["denominator"].tolist() == [11, 14]
    assert out["days"].tolist() == [5, 5]
    # the first week began before the counts did (Mon 2, Tue 3 Nov not in the data)
    assert out["partial"].tolist() == [True, False]
    assert out["period_end"].dt.strftime("%Y-%m-%d").tolist() == ["2026-11-08", "2026-11-15"]


def test_proportion_is_total_over_total_not_the_mean_of_daily_percentages() -> None:
    out = aggregate(_frame(), "weekly", chart="p")
    first = out["value"].iloc[0] / out["denominator"].iloc[0]
    assert first == pytest.approx(7 / 11)
    mean_of_percentages = (1 / 2 + 2 / 3 + 0 / 1 + 3 / 4 + 1 / 1) / 5  # 0.5833, the wrong answer
    assert first != pytest.approx(mean_of_percentages)


def test_last_week_is_partial_when_the_data_stop_before_sunday() -> None:
    out = aggregate(_frame(), "weekly", chart="p")  # end defaults to Fri 13 Nov
    assert out["partial"].tolist() == [True, True]
    assert partial_words(out, "weekly", x="date") == \
        "the last point is part of a week (from Mon 9 Nov)"


def test_monthly_totals() -> None:
    out = aggregate(_frame(), "monthly", chart="u", end=pd.Timestamp("2026-11-30"))
    # November: 7 + 10 = 17 events over 11 + 14 = 25
    assert out["value"].tolist() == [17]
    assert out["denominator"].tolist() == [25]
    assert out["partial"].tolist() == [True]  # counts began on the 4th


def test_counts_drop_part_weeks() -> None:
    out = aggregate(_frame(den=None), "weekly", chart="c", end=pd.Timestamp("2026-11-15"))
    # only the whole week of 9 Nov stays: 2+1+4+0+3 = 10
    assert out["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-11-09"]
    assert out["value"].tolist() == [10]


def test_individual_values_are_averaged() -> None:
    minutes = [30, 40, 50, 20, 10, 60, 30, 30, 20, 15]
    out = aggregate(_frame(num=minutes, den=None), "weekly", chart="i")
    # (30+40+50+20+10)/5 = 30 and (60+30+30+20+15)/5 = 31
    assert out["value"].tolist() == [30, 31]


def test_daily_keeps_rows_sorted() -> None:
    out = aggregate(_frame(), "daily", chart="p")
    assert out["value"].tolist() == NUM
    assert not out["partial"].any()


def test_event_charts_refuse_grouping_and_grains_are_checked() -> None:
    with pytest.raises(SPCInputError, match="each event"):
        aggregate(_frame(den=None), "weekly", chart="g")
    with pytest.raises(SPCInputError, match="daily, weekly, monthly"):
        check_grain("fortnightly")
    assert check_grain(" Weekly ") == "weekly"


def test_rule_goes_weekly_when_days_have_few_patients() -> None:
    choice = choose_grain(_frame(), chart="p")
    # daily denominators 1,1,2,2,2,3,3,3,4,4: median 2.5 < 10; weekly 11 and 14: median 12.5
    assert choice.grain == "weekly"
    assert choice.typical == pytest.approx(12.5)
    assert "2.5 in the denominator" in choice.reason


def test_rule_for_u_uses_expected_events() -> None:
    choice = choose_grain(_frame(), chart="u")
    # rate 17/25 = 0.68; daily 0.68 x 2.5 = 1.7 < 5; weekly 0.68 x 12.5 = 8.5 >= 5
    assert choice.grain == "weekly"
    assert choice.typical == pytest.approx(8.5)


def test_rule_stays_daily_with_big_denominators() -> None:
    frame = _frame(num=[n * 5 for n in NUM], den=[d * 5 for d in DEN])
    # daily median 2.5 x 5 = 12.5 >= 10
    assert choose_grain(frame, chart="p").grain == "daily"


def test_rule_goes_monthly_when_weeks_are_too_small_too() -> None:
    frame = pd.DataFrame({"date": pd.date_range("2026-01-05", periods=120, freq="D"),
                          "value": 0, "denominator": [1 if i % 7 == 0 else 0 for i in range(120)]})
    frame = frame[frame["denominator"] > 0]
    # one patient a week: weekly median 1 < 10; Jan-Apr months hold 4 or 5: median < 10 too
    choice = choose_grain(frame, chart="p")
    assert choice.grain == "monthly"
    assert "treat the limits with care" in choice.reason


def test_rule_respects_counting_frequency_and_events() -> None:
    assert choose_grain(_frame(den=None), chart="c", frequency="weekly").grain == "weekly"
    assert choose_grain(_frame(den=None), chart="i").grain == "daily"
    assert choose_grain(_frame(den=None), chart="t", frequency="per_event").grain == "daily"


def test_captions() -> None:
    assert caption("weekly", "p") == "weekly totals, Mon\u2013Sun"
    assert caption("monthly", "u") == "monthly totals, calendar months"
    assert caption("daily", "p") == "daily counts"
    assert caption("weekly", "i") == "weekly means of daily values, Mon\u2013Sun"
    assert caption("daily", "g") == "each event as recorded"
    assert caption("weekly", "p", partial="x") == "weekly totals, Mon\u2013Sun; x"


def test_readable_span_keeps_26_weeks_and_the_test() -> None:
    weeks = pd.DataFrame({"x": pd.date_range("2025-01-06", periods=100, freq="7D")})
    span = readable_span(weeks, "weekly")
    assert len(span) == 26  # the last 26 Mondays: more than 26 weeks before the last is cut
    wider = readable_span(weeks, "weekly", keep_from=weeks["x"].iloc[60])
    assert len(wider) == 40  # points 60..99


def test_constant_100_percent_with_a_95_percent_target_is_a_consistent_pass() -> None:
    """Making Data Count assurance (SPC.md, profile mdc): a target below the lower limit when
    higher is better is a consistent pass.  By hand: 20 days of 10 of 10 give p-bar = 200/200
    = 1, sigma = sqrt(1 x 0 / 10) = 0, so both limits are 1 (100%) and the 95% target lies
    below the lower limit."""
    from workbench.spc import analyse

    frame = pd.DataFrame({"date": pd.date_range("2026-01-01", periods=20),
                          "value": [10] * 20, "denominator": [10] * 20})
    result = analyse(frame, chart="p", improvement="increase", target=0.95)
    assert result.summary["lcl"] == pytest.approx(1.0)
    assert result.summary["assurance"] == "consistent_pass"
    # the same at a weekly grain (70 of 70 a week): still 100%, still a pass
    weekly = aggregate(frame, "weekly", chart="p")
    result = analyse(weekly, chart="p", improvement="increase", target=0.95)
    assert result.summary["assurance"] == "consistent_pass"


def test_many_series_match_one_by_one() -> None:
    """aggregate_many and choose_grains give, series by series, what the single-series
    functions give (each checked by hand above)."""
    from workbench.spc.grain import aggregate_many, choose_grains

    one = _frame()
    big = _frame(num=[n * 5 for n in NUM], den=[d * 5 for d in DEN])
    long = pd.concat([one.assign(ward="a"), big.assign(ward="b")], ignore_index=True)
    grains = choose_grains(long, ["ward"], chart="p")
    assert grains["grain"].tolist() == ["weekly", "daily"]
    assert grains["reason"].iloc[0] == choose_grain(one, chart="p").reason
    out = aggregate_many(long, ["ward"], grains, chart="p", end=pd.Timestamp("2026-11-15"))
    for ward, frame, grain in (("a", one, "weekly"), ("b", big, "daily")):
        mine = out[out["ward"] == ward].drop(columns=["ward", "grain"]).reset_index(drop=True)
        theirs = aggregate(frame, grain, chart="p", end=pd.Timestamp("2026-11-15"))
        theirs = theirs[mine.columns]
        pd.testing.assert_frame_equal(mine, theirs, check_dtype=False)


def test_single_series_rule_matches_the_many_series_rule() -> None:
    """choose_grain (numpy, one series) and choose_grains (pandas, many) are the same rule:
    checked on random series of every kind of size, across week and month boundaries."""
    import numpy as np

    from workbench.spc.grain import choose_grains

    rng = np.random.default_rng(11)
    for trial in range(40):
        size = int(rng.integers(5, 200))
        start = pd.Timestamp("2025-12-20") + pd.Timedelta(days=int(rng.integers(0, 30)))
        days = start + pd.to_timedelta(np.sort(rng.choice(400, size, replace=False)), unit="D")
        den = rng.integers(0, int(rng.integers(2, 30)), size).astype(float)
        frame = pd.DataFrame({"date": days, "value": np.floor(den * rng.random(size)),
                              "denominator": den})
        for chart in ("p", "u"):
            one = choose_grain(frame, chart=chart)
            many = choose_grains(frame.assign(k=0), ["k"], chart=chart).iloc[0]
            assert (one.grain, one.reason) == (many["grain"], many["reason"]), (trial, chart)
