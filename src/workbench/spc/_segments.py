"""Per-segment reductions on sorted arrays (segments are contiguous, ids non-decreasing)."""

from __future__ import annotations

import numpy as np

SCREEN = 3.267  # moving ranges at or above SCREEN * mean MR are screened out


def seg_count(seg: np.ndarray, mask: np.ndarray, n_seg: int) -> np.ndarray:
    """Number of masked points per segment."""
    return np.bincount(seg[mask], minlength=n_seg)


def seg_mean(seg: np.ndarray, mask: np.ndarray, values: np.ndarray, n_seg: int) -> np.ndarray:
    """Mean of the masked values per segment (NaN where a segment has none)."""
    cnt = np.bincount(seg[mask], minlength=n_seg)
    tot = np.bincount(seg[mask], weights=values[mask], minlength=n_seg)
    return _ratio(tot, cnt)


def seg_ratio(seg: np.ndarray, mask: np.ndarray, num: np.ndarray, den: np.ndarray,
              n_seg: int) -> np.ndarray:
    """Sum of num over sum of den per segment (NaN where the segment has no masked point)."""
    cnt = np.bincount(seg[mask], minlength=n_seg)
    top = np.bincount(seg[mask], weights=num[mask], minlength=n_seg)
    bottom = np.bincount(seg[mask], weights=den[mask], minlength=n_seg)
    out = np.full(n_seg, np.nan)
    ok = cnt > 0
    out[ok] = top[ok] / bottom[ok]
    return out


def _ratio(tot: np.ndarray, cnt: np.ndarray) -> np.ndarray:
    out = np.full(tot.shape, np.nan)
    ok = cnt > 0
    out[ok] = tot[ok] / cnt[ok]
    return out


def seg_median(seg: np.ndarray, mask: np.ndarray, values: np.ndarray, n_seg: int) -> np.ndarray:
    """Median of the masked values per segment (mean of the two middle values when even)."""
    vals = values[mask]
    segs = seg[mask]
    order = np.lexsort((vals, segs))
    vals = vals[order]
    cnt = np.bincount(segs, minlength=n_seg)
    start = np.cumsum(cnt) - cnt
    out = np.full(n_seg, np.nan)
    ok = cnt > 0
    lo = start[ok] + (cnt[ok] - 1) // 2
    hi = start[ok] + cnt[ok] // 2
    out[ok] = (vals[lo] + vals[hi]) / 2
    return out


def mean_moving_range(seg: np.ndarray, use: np.ndarray, values: np.ndarray, n_seg: int,
                      screen: bool) -> np.ndarray:
    """Mean moving range per segment.

    The points in ``use`` are taken in order within each segment (others are removed before
    differencing); a range next to a missing value is missing and dropped.  With ``screen``,
    ranges not strictly below ``3.267`` times the mean are dropped and the mean recomputed, so a
    constant segment keeps no range and gets NaN.
    """
    idx = np.flatnonzero(use)
    vals = values[idx]
    segs = seg[idx]
    diff = np.abs(vals[1:] - vals[:-1])
    keep = (segs[1:] == segs[:-1]) & ~np.isnan(diff)
    diff = diff[keep]
    dseg = segs[1:][keep]
    cnt = np.bincount(dseg, minlength=n_seg)
    amr = _ratio(np.bincount(dseg, weights=diff, minlength=n_seg), cnt)
    if screen and diff.size:
        ok = diff < SCREEN * amr[dseg]
        diff = diff[ok]
        dseg = dseg[ok]
        cnt = np.bincount(dseg, minlength=n_seg)
        amr = _ratio(np.bincount(dseg, weights=diff, minlength=n_seg), cnt)
    return amr


def within_diff(seg: np.ndarray, values: np.ndarray) -> np.ndarray:
    """values[i] - values[i-1] within a segment; NaN at each segment's first point."""
    out = np.full(values.shape, np.nan)
    if values.size > 1:
        d = values[1:] - values[:-1]
        out[1:] = np.where(seg[1:] == seg[:-1], d, np.nan)
    return out


def run_lengths(breaks: np.ndarray) -> np.ndarray:
    """Length of the run each point belongs to, runs starting where ``breaks`` is True."""
    rid = np.cumsum(breaks) - 1
    return np.bincount(rid)[rid]
