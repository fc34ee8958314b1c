"""Centre lines and limits of every chart type, checked against hand calculation.

Each expected value is computed in the test from first principles with plain Python (the formulas
of SPC.md), on small data, never copied from the engine.
"""

from __future__ import annotations

import math
import statistics

import numpy as np
import pandas as pd
import pytest

from workbench.spc import analyse

REL = 1e-12


def mr_bar(values: list[float], screen: bool = True) -> float:
    """Mean moving range of consecutive values, ranges next to NaN dropped, optional screening."""
    mrs = [abs(b - a) for a, b in zip(values, values[1:], strict=False)
           if not (math.isnan(a) or math.isnan(b))]
    if not mrs:
        return math.nan
    m = sum(mrs) / len(mrs)
    if screen:
        kept = [r for r in mrs if r < 3.267 * m]
        m = sum(kept) / len(kept) if kept else math.nan
    return m


def frame(y: list[float], n: list[float] | None = None) -> pd.DataFrame:
    data: dict[str, list[float] | range] = {"date": range(1, len(y) + 1), "value": y}
    if n is not None:
        data["denominator"] = n
    return pd.DataFrame(data)


def first(result, col: str) -> float:
    return float(result.points[col].iloc[0])


I_DATA = [10.0, 12, 11, 14, 13, 40, 12, 11, 13, 12]


def test_i_chart_mdc_uses_2_66_and_screens_large_moving_ranges() -> None:
    # MRs 2,1,3,1,27,28,1,2,1 -> mean 66/9; 27 and 28 are >= 3.267 * 7.33 and are screened out
    m = sum(I_DATA) / len(I_DATA)
    amr = (2 + 1 + 3 + 1 + 1 + 2 + 1) / 7
    assert mr_bar(I_DATA) == pytest.approx(amr, rel=REL)
    r = analyse(frame(I_DATA), chart="i", profile="mdc")
    assert first(r, "cl") == pytest.approx(m, rel=REL)
    assert first(r, "ucl") == pytest.approx(m + 2.66 * amr, rel=REL)
    assert first(r, "lcl") == pytest.approx(m - 2.66 * amr, rel=REL)
    assert first(r, "ucl_2s") == pytest.approx(m + 2.66 * 2 / 3 * amr, rel=REL)
    assert first(r, "lcl_2s") == pytest.approx(m - 2.66 * 2 / 3 * amr, rel=REL)
    lo, hi = m - 2.66 * amr, m + 2.66 * amr  # 10.62 and 18.98: the 10 and the 40 are outside
    assert r.points["outside_limits"].tolist() == [v < lo or v > hi for v in I_DATA]
    assert r.points["outside_limits"].tolist() == [True] + [False] * 4 + [True] + [False] * 4


def test_i_chart_mdc_without_screening_keeps_every_moving_range() -> None:
    m = sum(I_DATA) / len(I_DATA)
    amr = 66 / 9
    r = analyse(frame(I_DATA), chart="xmr", profile="mdc", screen_outliers=False)
    assert first(r, "ucl") == pytest.approx(m + 2.66 * amr, rel=REL)
    assert first(r, "lcl") == pytest.approx(m - 2.66 * amr, rel=REL)


def test_i_chart_anhoej_is_three_sigma_with_d2() -> None:
    m = sum(I_DATA) / len(I_DATA)
    sigma = mr_bar(I_DATA) / 1.128
    r = analyse(frame(I_DATA), chart="i", profile="anhoej")
    assert first(r, "ucl") == pytest.approx(m + 3 * sigma, rel=REL)
    assert first(r, "lcl") == pytest.approx(m - 3 * sigma, rel=REL)
    assert first(r, "ucl_2s") == pytest.approx(m + 2 * sigma, rel=REL)
    assert first(r, "lcl_2s") == pytest.approx(m - 2 * sigma, rel=REL)
    # mdc limits are not clamped: a negative lower limit stays negative
    low = analyse(frame([0.0, 5, 0, 5, 0]), chart="i")
    assert first(low, "lcl") == pytest.approx(2 - 2.66 * 5, rel=REL)


@pytest.mark.parametrize("profile", ["mdc", "anhoej"])
def test_constant_series_has_no_limits_with_screening_and_flat_limits_without(profile) -> None:
    r = analyse(frame([5.0] * 15), chart="i", profile=profile)
    assert r.points["cl"].eq(5).all()
    assert r.points[["lcl", "ucl", "lcl_2s", "ucl_2s"]].isna().all().all()
    assert any("no limits" in w for w in r.summary["warnings"])
    off = analyse(frame([5.0] * 15), chart="i", profile=profile, screen_outliers=False)
    assert off.points[["cl", "lcl", "ucl", "lcl_2s", "ucl_2s"]].eq(5).all().all()


def test_moving_range_next_to_a_missing_value_is_dropped() -> None:
    # MRs: (1, nan) and (nan, 4) are missing; (4, 6) = 2, (6, 5) = 1 -> 1.5; mean of 1,4,6,5 = 4
    r = analyse(frame([1.0, math.nan, 4, 6, 5]), chart="i", profile="anhoej")
    assert first(r, "cl") == pytest.approx(4.0, rel=REL)
    assert first(r, "ucl") == pytest.approx(4 + 3 * 1.5 / 1.128, rel=REL)


def test_run_chart_centre_is_the_median_and_has_no_limits() -> None:
    odd = analyse(frame([3.0, 1, 7, 5, 100]), chart="run")
    assert first(odd, "cl") == 5
    even = analyse(frame([3.0, 1, 7, 5, 100, math.nan, 2]), chart="run", profile="anhoej")
    assert first(even, "cl") == statistics.median([3, 1, 7, 5, 100, 2]) == 4
    assert even.points[["lcl", "ucl", "lcl_2s", "ucl_2s"]].isna().all().all()


def test_mr_chart() -> None:
    y = [3.0, 5, 4, 8, 8, 2]
    mrs = [2.0, 1, 4, 0, 6]
    cl = sum(mrs) / len(mrs)
    r = analyse(frame(y), chart="mr", profile="anhoej")
    assert math.isnan(r.points["y"].iloc[0])
    assert r.points["y"].iloc[1:].tolist() == mrs
    assert first(r, "cl") == pytest.approx(cl, rel=REL)
    assert first(r, "ucl") == pytest.approx(3.267 * cl, rel=REL)
    assert first(r, "ucl_2s") == pytest.approx(2.178 * cl, rel=REL)
    assert first(r, "lcl") == 0 and first(r, "lcl_2s") == 0
    # the runs analysis is reported but never signals: 2- 1- 4+ 0- 6+ -> 4 runs, 3 crossings
    assert r.phases["crossings"].iloc[0] == 3
    never = analyse(frame([1.0, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 9, 1, 9]), chart="mr")
    assert not never.phases["runs_signal"].any()


def test_p_chart_limits_vary_with_n_and_are_clamped() -> None:
    y, n = [5.0, 8, 0, 10], [50.0, 40, 20, 100]
    pbar = sum(y) / sum(n)
    r = analyse(frame(y, n), chart="p", profile="anhoej")
    for i, ni in enumerate(n):
        s = math.sqrt(pbar * (1 - pbar) / ni)
        assert r.points["cl"].iloc[i] == pytest.approx(pbar, rel=REL)
        assert r.points["ucl"].iloc[i] == pytest.approx(pbar + 3 * s, rel=REL)
        assert r.points["lcl"].iloc[i] == pytest.approx(max(pbar - 3 * s, 0), abs=1e-15)
        assert r.points["lcl_2s"].iloc[i] == pytest.approx(max(pbar - 2 * s, 0), abs=1e-15)
    assert r.points["lcl"].iloc[2] == 0  # n = 20: p - 3 sigma < 0
    assert r.points["y"].tolist() == [yi / ni for yi, ni in zip(y, n, strict=True)]
    high = analyse(frame([5.0, 4, 5, 4], [5.0, 5, 5, 5]), chart="p")
    s = math.sqrt(0.9 * 0.1 / 5)
    assert first(high, "ucl") == 1 and first(high, "ucl_2s") == 1
    assert first(high, "lcl") == pytest.approx(0.9 - 3 * s, rel=REL)
    assert math.isnan(high.phases["ucl"].iloc[0]) is False  # constant n: constant limits


def test_u_chart() -> None:
    y, n = [3.0, 7, 2, 9], [1.5, 2, 1, 3]
    ubar = sum(y) / sum(n)
    r = analyse(frame(y, n), chart="u")
    for i, ni in enumerate(n):
        s = math.sqrt(ubar / ni)
        assert r.points["ucl"].iloc[i] == pytest.approx(ubar + 3 * s, rel=REL)
        assert r.points["lcl"].iloc[i] == pytest.approx(max(ubar - 3 * s, 0), abs=1e-15)
        assert r.points["ucl_2s"].iloc[i] == pytest.approx(ubar + 2 * s, rel=REL)
    assert math.isnan(r.phases["ucl"].iloc[0])  # limits vary, so the phase shows none


def test_c_chart_lower_limit_clamped_at_zero() -> None:
    r = analyse(frame([1.0, 0, 2, 1]), chart="c")
    assert first(r, "cl") == 1
    assert first(r, "ucl") == pytest.approx(4.0, rel=REL)
    assert first(r, "lcl") == 0 and first(r, "lcl_2s") == 0
    assert first(r, "ucl_2s") == pytest.approx(3.0, rel=REL)


def _laney(y: list[float], n: list[float], kind: str, screen: bool) -> list[tuple[float, float]]:
    bar = sum(y) / sum(n)
    sds = [math.sqrt(bar * (1 - bar) / ni) if kind == "pp" else math.sqrt(bar / ni) for ni in n]
    z = [(yi / ni - bar) / s for yi, ni, s in zip(y, n, sds, strict=True)]
    sigma_z = mr_bar(z, screen) / 1.128
    out = []
    for s in sds:
        lo, hi = bar - 3 * s * sigma_z, bar + 3 * s * sigma_z
        out.append((max(lo, 0.0), min(hi, 1.0) if kind == "pp" else hi))
    return out


@pytest.mark.parametrize("kind", ["pp", "up"])
@pytest.mark.parametrize("screen", [True, False])
def test_laney_charts(kind: str, screen: bool) -> None:
    y = [12.0, 30, 18, 25, 60, 15, 22, 19]
    n = [100.0, 150, 120, 130, 140, 90, 110, 100]
    r = analyse(frame(y, n), chart=kind, screen_outliers=screen)
    for i, (lo, hi) in enumerate(_laney(y, n, kind, screen)):
        assert r.points["lcl"].iloc[i] == pytest.approx(lo, rel=1e-12, abs=1e-15)
        assert r.points["ucl"].iloc[i] == pytest.approx(hi, rel=1e-12)


def test_g_chart_limits_from_mean_centre_is_median() -> None:
    y = [3.0, 10, 0, 7, 25, 4]
    m = sum(y) / len(y)
    s = math.sqrt(m * (m + 1))
    r = analyse(frame(y), chart="g", profile="anhoej")
    assert first(r, "cl") == pytest.approx(5.5, rel=REL)  # median of 0,3,4,7,10,25
    assert first(r, "ucl") == pytest.approx(m + 3 * s, rel=REL)
    assert first(r, "ucl_2s") == pytest.approx(m + 2 * s, rel=REL)
    assert first(r, "lcl") == 0 and first(r, "lcl_2s") == 0
    # runs analysis against the median: 3- 10+ 0- 7+ 25+ 4- -> 4 crossings
    assert r.phases["crossings"].iloc[0] == 4


def test_t_chart_transforms_and_back_transforms() -> None:
    y = [2.5, 10, 4, 7.5, 30, 1.2, 6]
    w = [v ** (1 / 3.6) for v in y]
    cw = sum(w) / len(w)
    sw = mr_bar(w) / 1.128
    r = analyse(frame(y), chart="t")
    assert first(r, "cl") == pytest.approx(cw**3.6, rel=1e-12)
    assert first(r, "ucl") == pytest.approx((cw + 3 * sw) ** 3.6, rel=1e-12)
    assert first(r, "ucl_2s") == pytest.approx((cw + 2 * sw) ** 3.6, rel=1e-12)
    lo = cw - 3 * sw
    assert first(r, "lcl") == pytest.approx(lo**3.6 if lo > 0 else 0.0, rel=1e-12)
    assert r.points["y"].tolist() == y
    wide = analyse(frame([0.1, 50, 0.2, 80, 0.1, 60]), chart="t", screen_outliers=False)
    assert first(wide, "lcl") == 0  # negative on the transformed scale


def test_freeze_sets_limits_from_leading_points_of_each_phase() -> None:
    y = [1.0, 2, 3, 4, 5, 20, 21, 22, 1, 3, 5, 30, 40]
    r = analyse(frame(y), chart="i", freeze=5, phase_starts=[9], profile="anhoej")
    p = r.points
    assert p["baseline"].tolist() == [True] * 5 + [False] * 3 + [True] * 5
    # phase 1 baseline 1..5: mean 3, MR-bar 1; phase 2 baseline 1,3,5,30,40: mean 15.8
    assert p["cl"].iloc[0] == pytest.approx(3.0, rel=REL)
    assert p["ucl"].iloc[0] == pytest.approx(3 + 3 / 1.128, rel=REL)
    assert p["cl"].iloc[8] == pytest.approx(79 / 5, rel=REL)
    assert p["ucl"].iloc[8] == pytest.approx(79 / 5 + 3 * mr_bar([1, 3, 5, 30, 40]) / 1.128,
                                             rel=REL)
    assert p["outside_limits"].iloc[5:8].all()
    # the runs analysis covers the whole phase against the frozen centre
    assert r.phases["n_useful"].iloc[0] == 7  # 3 sits on the centre


def test_exclude_is_left_out_of_centre_and_limits_but_still_tested() -> None:
    y = list(I_DATA)
    kept = y[:5] + y[6:]
    r = analyse(frame(y), chart="i", exclude=[6], profile="anhoej", screen_outliers=False)
    assert r.points["include"].tolist() == [True] * 5 + [False] + [True] * 4
    assert first(r, "cl") == pytest.approx(sum(kept) / len(kept), rel=REL)
    # excluded points are removed before differencing: 13 -> 12 is a moving range of 1
    assert first(r, "ucl") == pytest.approx(sum(kept) / 9 + 3 * mr_bar(kept, False) / 1.128,
                                            rel=REL)
    assert bool(r.points["outside_limits"].iloc[5])
    assert r.phases["n_obs"].iloc[0] == 9


def test_phases_have_their_own_centre_and_no_moving_range_spans_them() -> None:
    y = [1.0, 2, 1, 2, 10, 11, 10, 11]
    r = analyse(frame(y), chart="i", phase_starts=[5], profile="anhoej", screen_outliers=False)
    assert r.points["phase"].tolist() == [1] * 4 + [2] * 4
    assert r.phases["cl"].tolist() == [1.5, 10.5]
    assert r.phases["ucl"].tolist() == pytest.approx([1.5 + 3 / 1.128, 10.5 + 3 / 1.128],
                                                     rel=REL)
    assert r.phases["start"].tolist() == [1, 5] and r.phases["end"].tolist() == [4, 8]


def test_unsorted_input_is_analysed_in_x_order_and_returned_in_input_order() -> None:
    df = frame([1.0, 2, 3, 4, 5, 6, 7, 8]).iloc[[3, 0, 7, 5, 1, 2, 6, 4]]
    r = analyse(df, chart="i", profile="anhoej")
    assert r.points.index.tolist() == df.index.tolist()
    assert r.points["x"].tolist() == df["date"].tolist()
    assert r.points["trend"].all()  # 1..8 rising once sorted by x


def test_dates_as_x() -> None:
    df = pd.DataFrame({"date": pd.date_range("2024-01-01", periods=6),
                       "value": [1.0, 2, 3, 4, 5, 6]})
    r = analyse(df, chart="i", phase_starts=["2024-01-04"], exclude=[np.datetime64("2024-01-02")])
    assert r.points["phase"].tolist() == [1, 1, 1, 2, 2, 2]
    assert r.points["include"].tolist() == [True, False, True, True, True, True]
    assert r.phases["start"].iloc[1] == pd.Timestamp("2024-01-04")


def test_t_chart_constant_series_with_screening_has_lower_line_zero_and_no_upper() -> None:
    # qicharts2 and SPC.md: a negative or undefined lcl of a t chart becomes 0
    r = analyse(frame([3.0] * 6), chart="t")
    assert r.points["lcl"].eq(0).all() and r.points["lcl_2s"].eq(0).all()
    assert r.points["ucl"].isna().all()
    assert first(r, "cl") == pytest.approx(3.0, rel=1e-12)
    assert r.summary["assurance"] is None
    assert analyse(frame([3.0] * 6), chart="t", target=1.0).summary["assurance"] == "inconsistent"


def test_time_zone_aware_dates_in_reverse_order() -> None:
    df = pd.DataFrame({"date": pd.date_range("2024-01-01", periods=20, tz="Europe/London"),
                       "value": np.arange(20.0)}).iloc[::-1]
    r = analyse(df, chart="i", phase_starts=["2024-01-10"])
    assert r.phases["start"].tolist() == [pd.Timestamp("2024-01-01", tz="Europe/London"),
                                          pd.Timestamp("2024-01-10", tz="Europe/London")]
    assert r.phases["end"].iloc[1] == pd.Timestamp("2024-01-20", tz="Europe/London")
    assert r.phases["cl"].tolist() == [4.0, 14.0]  # means of 0..8 and 9..19
    assert r.points["phase"].tolist() == [2] * 11 + [1] * 9
