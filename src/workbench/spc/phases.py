"""Order points by series then x and cut them into segments (one series x one phase).

Every later computation works on the sorted arrays with an integer segment id per point, so one
call handles one series or ten thousand without a Python loop over series.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.domain.errors import SPCInputError
from workbench.spc._inputs import where


@dataclass(frozen=True)
class Layout:
    """Sorted order and segment structure.

    Attributes
    ----------
    order : ndarray or None
        Input row of each sorted position; None when the input was already sorted.
    series : ndarray
        Series id per sorted point.
    seg : ndarray
        Segment id per sorted point (segments are contiguous and numbered in order).
    seg_first : ndarray
        Sorted position of each segment's first point.
    seg_series : ndarray
        Series id of each segment.
    seg_phase : ndarray
        Phase number (1-based, within its series) of each segment.
    baseline : ndarray
        True for the points that set the centre and limits (the first ``freeze`` of a phase).
    series_first : ndarray
        Sorted position of each series' first point.
    """

    order: np.ndarray | None
    series: np.ndarray
    seg: np.ndarray
    seg_first: np.ndarray
    seg_series: np.ndarray
    seg_phase: np.ndarray
    baseline: np.ndarray
    series_first: np.ndarray

    @property
    def n_seg(self) -> int:
        """Number of segments."""
        return int(self.seg_first.size)

    def sort(self, values: np.ndarray) -> np.ndarray:
        """Input-order array to sorted order."""
        return values if self.order is None else values[self.order]

    def unsort(self, values: np.ndarray) -> np.ndarray:
        """Sorted-order array back to input order."""
        if self.order is None:
            return values
        out = np.empty_like(values)
        out[self.order] = values
        return out


def build_layout(series: np.ndarray, x_rank: np.ndarray, start_ranks: np.ndarray,
                 freeze: int | None, xs: pd.Series) -> Layout:
    """Sort by (series, x), check x is unique within a series, and number the segments.

    Parameters
    ----------
    series, x_rank : ndarray
        Input-order series id and x rank (int64).
    start_ranks : ndarray
        Sorted x ranks where a new phase begins.
    freeze : int or None
        Leading points of each phase that form the baseline.
    xs : Series
        The x column, for messages.
    """
    n_x = int(x_rank.max()) + 1 if x_rank.size else 1
    key = series * n_x + x_rank
    if key.size < 2 or bool(np.all(key[1:] > key[:-1])):
        order = None
        skey = key
    else:
        order = np.argsort(key, kind="stable")
        skey = key[order]
    dup = np.flatnonzero(skey[1:] == skey[:-1])
    if dup.size:
        a, b = (int(dup[0]), int(dup[0]) + 1)
        if order is not None:
            a, b = int(order[a]), int(order[b])
        raise SPCInputError(
            f"{where(xs, b)}: x repeats the x of row {a + 1} in the same series; give one row "
            "per x (add the counts up first)")
    s = series if order is None else series[order]
    xr = x_rank if order is None else x_rank[order]
    n = s.size
    new_series = np.empty(n, dtype=bool)
    new_series[0] = True
    np.not_equal(s[1:], s[:-1], out=new_series[1:])
    new_seg = new_series.copy()
    if start_ranks.size:
        raw = np.searchsorted(start_ranks, xr, side="right")
        new_seg[1:] |= raw[1:] != raw[:-1]
    seg_first = np.flatnonzero(new_seg)
    seg = np.cumsum(new_seg) - 1
    series_first = np.flatnonzero(new_series)
    seg_series = s[seg_first]
    first_seg_of_series = seg[series_first]
    seg_phase = np.arange(seg_first.size) - first_seg_of_series[seg_series] + 1
    if freeze is None:
        baseline = np.ones(n, dtype=bool)
    else:
        baseline = (np.arange(n) - seg_first[seg]) < freeze
    return Layout(order, s, seg, seg_first, seg_series, seg_phase, baseline, series_first)
