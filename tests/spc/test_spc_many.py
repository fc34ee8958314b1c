"""analyse_many equals analyse applied series by series, whatever the order of the series."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.spc import analyse, analyse_many

CHARTS = ["run", "i", "mr", "p", "u", "c", "pp", "up", "g", "t"]


@st.composite
def long_frames(draw: st.DrawFn) -> tuple[pd.DataFrame, dict]:
    n_series = draw(st.integers(1, 6))
    min_len = draw(st.integers(1, 8))
    chart = draw(st.sampled_from(CHARTS))
    frames = []
    for k in range(n_series):
        length = draw(st.integers(min_len, 30))
        ys = draw(st.lists(st.one_of(st.integers(0, 6).map(float), st.just(np.nan)),
                           min_size=length, max_size=length))
        extra = draw(st.lists(st.integers(1, 4), min_size=length, max_size=length))
        y = np.array(ys)
        if chart == "t":
            y = y + 0.5
        n = np.where(np.isnan(y), np.nan, np.nan_to_num(y) + np.array(extra, dtype=float))
        frames.append(pd.DataFrame({"ward": f"w{k % 3}", "measure": k // 3,
                                    "date": np.arange(1, length + 1), "value": y,
                                    "denominator": n}))
    frame = pd.concat(frames, ignore_index=True)
    shared = list(range(1, min_len + 1))
    kw = {
        "chart": chart,
        "profile": draw(st.sampled_from(["mdc", "anhoej"])),
        "improvement": draw(st.sampled_from(["increase", "decrease", "neutral"])),
        "phase_starts": draw(st.lists(st.sampled_from(shared), max_size=2, unique=True)),
        "exclude": draw(st.lists(st.sampled_from(shared), max_size=2, unique=True)),
        "freeze": draw(st.one_of(st.none(), st.integers(1, 10))),
        "target": draw(st.one_of(st.none(), st.floats(-1, 8))),
        "screen_outliers": draw(st.booleans()),
        "two_of_three_beyond_limits": draw(st.booleans()),
        "shift_n": draw(st.integers(2, 8)),
        "trend_n": draw(st.integers(3, 8)),
    }
    return frame, kw


def _check_same(frame: pd.DataFrame, kw: dict, many) -> None:
    by = ["ward", "measure"]
    keys = many.summary[by].itertuples(index=False)
    for i, (ward, measure) in enumerate(keys):
        mask = (frame["ward"] == ward) & (frame["measure"] == measure)
        one = analyse(frame[mask], **kw)
        pts = many.points[mask.to_numpy()].drop(columns=by)
        pd.testing.assert_frame_equal(pts, one.points, check_exact=True)
        sel = (many.phases["ward"] == ward) & (many.phases["measure"] == measure)
        phs = many.phases[sel].drop(columns=by).reset_index(drop=True)
        pd.testing.assert_frame_equal(phs, one.phases, check_exact=True)
        row = many.summary.iloc[i].drop(by).to_dict()
        for key, value in one.summary.items():
            got = row[key]
            if value is None:
                assert got is None or (isinstance(got, float) and np.isnan(got)), key
            elif isinstance(value, list):
                assert list(got) == value
            else:
                assert got == value, key


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(long_frames())
def test_analyse_many_equals_analyse_per_series(case) -> None:
    frame, kw = case
    many = analyse_many(frame, by=["ward", "measure"], **kw)
    assert len(many.points) == len(frame)
    assert many.points.index.equals(frame.index)
    _check_same(frame, kw, many)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(long_frames(), st.randoms(use_true_random=False))
def test_order_of_rows_and_series_does_not_matter(case, rnd) -> None:
    frame, kw = case
    many = analyse_many(frame, by=["ward", "measure"], **kw)
    perm = list(range(len(frame)))
    rnd.shuffle(perm)
    shuffled = analyse_many(frame.iloc[perm], by=["ward", "measure"], **kw)
    pd.testing.assert_frame_equal(shuffled.points.sort_index(), many.points, check_exact=True)
    pd.testing.assert_frame_equal(shuffled.phases, many.phases, check_exact=True)
    pd.testing.assert_frame_equal(shuffled.summary, many.summary, check_exact=True)


def test_series_without_a_phase_start_still_split_at_that_x() -> None:
    frame = pd.DataFrame({"ward": ["a"] * 6 + ["b"] * 4,
                          "date": [1, 2, 3, 4, 5, 6, 1, 2, 4, 5],
                          "value": [1.0, 2, 1, 9, 8, 9, 1, 2, 9, 8]})
    many = analyse_many(frame, by="ward", chart="i", phase_starts=[4])
    assert many.points["phase"].tolist() == [1, 1, 1, 2, 2, 2, 1, 1, 2, 2]
    assert many.phases["ward"].tolist() == ["a", "a", "b", "b"]
    assert many.summary["ward"].tolist() == ["a", "b"]
    with pytest.raises(Exception, match="phase start"):
        analyse(frame[frame["ward"] == "b"], chart="i", phase_starts=[3])


def test_same_x_in_different_series_is_fine_but_not_within_one() -> None:
    frame = pd.DataFrame({"ward": ["a", "a", "b"], "date": [1, 1, 1], "value": [1.0, 2, 3]})
    with pytest.raises(Exception, match="row 2 \\(x = 1\\): x repeats the x of row 1"):
        analyse_many(frame, by="ward")
    ok = analyse_many(frame.iloc[1:], by="ward")
    assert ok.summary["ward"].tolist() == ["a", "b"]


@pytest.mark.parametrize("chart", CHARTS)
def test_results_are_writable_and_independent_of_the_input(chart: str) -> None:
    frame = pd.DataFrame({"ward": ["a", "a", "b"], "date": [1, 2, 1], "value": [1.0, 2, 3],
                          "denominator": [4.0, 4, 4]}, index=[5, 5, 7])
    before = frame.copy()
    for points in (analyse_many(frame, by="ward", chart=chart).points,
                   analyse(frame.iloc[:2], chart=chart).points):
        for col in points.columns:
            points.iloc[0, points.columns.get_loc(col)] = points.iloc[1][col]
    pd.testing.assert_frame_equal(frame, before)


def test_many_key_columns_take_the_overflow_safe_route(monkeypatch) -> None:
    import workbench.spc._inputs as inputs

    frame = pd.DataFrame({"a": np.repeat(["x", "y", "z"], 4), "b": np.repeat([3, 1, 2], 4),
                          "date": np.tile([1, 2, 3, 4], 3), "value": np.arange(12.0) % 5})
    fast = analyse_many(frame, by=["a", "b"], chart="i")
    monkeypatch.setattr(inputs, "RADIX_LIMIT", 1)
    safe = analyse_many(frame, by=["a", "b"], chart="i")
    pd.testing.assert_frame_equal(fast.points, safe.points, check_exact=True)
    pd.testing.assert_frame_equal(fast.phases, safe.phases, check_exact=True)
    pd.testing.assert_frame_equal(fast.summary, safe.summary, check_exact=True)
    assert safe.summary["a"].tolist() == ["x", "y", "z"]
