"""``analyse``'s result: its summary row and its phases table, laid out on first read.

``analyse`` builds the one series' summary row straight from the engine's arrays and lays out
the phases table only when it is read.  The reference here is the table route that
``analyse_many`` takes (``_core``): the same values, of the same Python types.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.spc import analyse
from workbench.spc._inputs import NEEDS_N
from workbench.spc.api import _core, _options, _plain

CHARTS = ["run", "i", "mr", "p", "u", "c", "pp", "up", "g", "t"]


def _table_route(frame: pd.DataFrame, **kw: Any) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Phases and summary row as analyse_many lays them out, for one series."""
    opts = _options({"chart": "i", "profile": "mdc", "improvement": "increase", "freeze": None,
                     "target": None, "screen_outliers": True,
                     "two_of_three_beyond_limits": True, "shift_n": 7, "trend_n": 7, **kw})
    n = "denominator" if opts.chart in NEEDS_N else None
    _, phases, summary = _core(frame, opts, "date", "value", n, kw.get("phase_starts"),
                               kw.get("exclude"), ())
    row = {k: _plain(v) for k, v in summary.iloc[0].items()}
    row["warnings"] = list(summary["warnings"].iloc[0])
    return phases, row


@st.composite
def series(draw: st.DrawFn) -> tuple[pd.DataFrame, dict[str, Any]]:
    length = draw(st.integers(1, 30))
    ys = draw(st.lists(st.one_of(st.integers(0, 6).map(float), st.just(np.nan)),
                       min_size=length, max_size=length))
    extra = draw(st.lists(st.integers(1, 4), min_size=length, max_size=length))
    chart = draw(st.sampled_from(CHARTS))
    y = np.array(ys) + (0.5 if chart == "t" else 0.0)
    n = np.where(np.isnan(y), np.nan, np.nan_to_num(y) + np.array(extra, dtype=float))
    frame = pd.DataFrame({"date": np.arange(1, length + 1), "value": y, "denominator": n})
    days = list(range(1, length + 1))
    kw = {"chart": chart, "profile": draw(st.sampled_from(["mdc", "anhoej"])),
          "improvement": draw(st.sampled_from(["increase", "decrease", "neutral"])),
          "phase_starts": draw(st.lists(st.sampled_from(days), max_size=2, unique=True)),
          "freeze": draw(st.one_of(st.none(), st.integers(1, 10))),
          "target": draw(st.one_of(st.none(), st.floats(-1, 8)))}
    return frame, kw


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(series())
def test_summary_row_and_phases_match_the_table_route(case: tuple[pd.DataFrame, dict]) -> None:
    frame, kw = case
    result = analyse(frame, **kw)
    phases, row = _table_route(frame, **kw)
    assert list(result.summary) == list(row)
    for key, value in row.items():
        got = result.summary[key]
        assert type(got) is type(value), key
        assert got == value or (got is None and value is None), key
    pd.testing.assert_frame_equal(result.phases, phases, check_exact=True)


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"date": pd.date_range("2026-01-01", periods=20, freq="D"),
                         "value": [3.0, 5, 4, 6, 2, 5, 8, 4, 3, 5, 9, 9, 8, 9, 10, 9, 8, 9, 9, 10],
                         "denominator": np.nan})


def test_phases_are_laid_out_once_and_on_first_read() -> None:
    result = analyse(_frame(), chart="i", phase_starts=["2026-01-11"])
    assert callable(result._phases)  # nothing laid out yet
    first = result.phases
    assert isinstance(first, pd.DataFrame) and result.phases is first
    assert first["phase"].tolist() == [1, 2]
    assert first["start"].tolist() == [pd.Timestamp("2026-01-01"), pd.Timestamp("2026-01-11")]


def test_changing_the_input_later_does_not_reach_the_phases() -> None:
    frame = _frame()
    result = analyse(frame, chart="i", phase_starts=["2026-01-11"])
    frame.loc[0, "date"] = pd.Timestamp("1999-01-01")
    assert result.phases["start"].iloc[0] == pd.Timestamp("2026-01-01")


def test_the_result_stays_read_only() -> None:
    result = analyse(_frame(), chart="i")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.chart = "p"  # type: ignore[misc]
    assert "summary=" in repr(result) and "_phases=" not in repr(result)
