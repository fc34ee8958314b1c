"""Making Data Count flags: outside limits, trend, two-of-three and shift, then the point type.

Every rule runs within a segment (one phase of one series): no trend, shift or two-of-three window
spans a phase boundary.  A missing value -- and an excluded point, which is drawn and tested
against the limits but takes no part in the sequence rules -- breaks a trend, a shift and a
two-of-three window.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workbench.spc._segments import run_lengths

RULES = ("", "outside_limits", "trend", "two_of_three", "shift")
POINT_TYPES = (
    "common_cause",
    "special_cause_improvement",
    "special_cause_concern",
    "special_cause_neutral_high",
    "special_cause_neutral_low",
)


@dataclass(frozen=True)
class Flags:
    """Per-point flags (sorted order).

    ``rule`` indexes :data:`RULES` (the first rule that fired, in priority order),
    ``point_type`` indexes :data:`POINT_TYPES`, ``direction`` is +1 (high), -1 (low) or 0.
    """

    close_to_limits: np.ndarray
    outside_limits: np.ndarray
    trend: np.ndarray
    two_of_three: np.ndarray
    shift: np.ndarray
    rule: np.ndarray
    direction: np.ndarray
    point_type: np.ndarray


def _boundaries(seg: np.ndarray) -> np.ndarray:
    b = np.empty(seg.size, dtype=bool)
    if seg.size:
        b[0] = True
        np.not_equal(seg[1:], seg[:-1], out=b[1:])
    return b


def _shift(side: np.ndarray, boundary: np.ndarray, shift_n: int) -> np.ndarray:
    brk = boundary.copy()
    brk[1:] |= side[1:] != side[:-1]
    return (side != 0) & (run_lengths(brk) >= shift_n)


def _trend(v: np.ndarray, ok: np.ndarray, boundary: np.ndarray, trend_n: int,
           ) -> tuple[np.ndarray, np.ndarray]:
    """Points in a run of ``trend_n`` strictly rising or falling points, and its direction."""
    n = v.size
    step = np.zeros(n, dtype=np.int8)  # sign of v[i] - v[i-1] for a valid pair in one segment
    if n > 1:
        pair = ~boundary[1:] & ok[1:] & ok[:-1]
        step[1:] = np.where(pair, np.sign(v[1:] - v[:-1]), 0).astype(np.int8)
    brk = boundary.copy()
    brk[1:] |= step[1:] != step[:-1]
    qual = (step != 0) & (run_lengths(brk) >= trend_n - 1)
    nxt = np.zeros(n, dtype=bool)
    nxt[:-1] = qual[1:]
    step_next = np.zeros(n, dtype=np.int8)
    step_next[:-1] = step[1:]
    # a point ending one trend and starting another takes the direction of the one it ends
    direction = np.where(qual, step, np.where(nxt, step_next, 0)).astype(np.int8)
    return qual | nxt, direction


def _two_of_three(close: np.ndarray, side: np.ndarray, seg: np.ndarray) -> np.ndarray:
    n = close.size
    out = np.zeros(n, dtype=bool)
    if n < 3:
        return out
    same = (seg[:-2] == seg[2:]) & (side[:-2] != 0) & (side[:-2] == side[1:-1]) \
        & (side[1:-1] == side[2:])
    cnt = close[:-2].astype(np.int8) + close[1:-1] + close[2:]
    win = same & (cnt >= 2)
    out[:-2] |= win
    out[1:-1] |= win
    out[2:] |= win
    return out & close


def mdc_flags(v: np.ndarray, cl: np.ndarray, lcl: np.ndarray, ucl: np.ndarray,
              lcl2: np.ndarray, ucl2: np.ndarray, seg: np.ndarray, include: np.ndarray,
              improvement: str, shift_n: int, trend_n: int,
              two_of_three_beyond_limits: bool) -> Flags:
    """Flag every point and classify it.

    Parameters
    ----------
    v, cl, lcl, ucl, lcl2, ucl2 : ndarray
        Plotted value and lines per point (NaN where absent).
    seg : ndarray
        Segment id per point.
    include : ndarray
        False for excluded points.
    improvement : str
        ``increase``, ``decrease`` or ``neutral``.
    shift_n, trend_n : int
        Run lengths for the shift and trend rules.
    two_of_three_beyond_limits : bool
        Whether a point beyond the limits counts as close to them in the two-of-three rule
        (Making Data Count 2023 guidance) or not (NHSRplotthedots 0.2.2).

    Returns
    -------
    Flags
    """
    ok = include & ~np.isnan(v)
    hi = v > ucl
    lo = v < lcl
    outside = hi | lo
    beyond2 = (v > ucl2) | (v < lcl2)
    close = beyond2 & ~outside
    counted = (beyond2 | outside) if two_of_three_beyond_limits else close
    counted = counted & ok
    side = np.where(ok, np.sign(v - cl), 0.0)
    side = np.nan_to_num(side, nan=0.0).astype(np.int8)
    boundary = _boundaries(seg)
    shift = _shift(side, boundary, shift_n)
    trend, trend_dir = _trend(v, ok, boundary, trend_n)
    two = _two_of_three(counted, side, seg)
    rule = np.select([outside, trend, two, shift], [1, 2, 3, 4], 0).astype(np.int8)
    direction = np.select(
        [outside, trend, two | shift],
        [np.where(hi, 1, -1), trend_dir, side], 0).astype(np.int8)
    if improvement == "neutral":
        ptype = np.where(direction > 0, 3, np.where(direction < 0, 4, 0))
    else:
        good = 1 if improvement == "increase" else -1
        ptype = np.where(direction == good, 1, np.where(direction == -good, 2, 0))
    ptype = np.where(rule > 0, ptype, 0).astype(np.int8)
    return Flags(close, outside, trend, two, shift, rule, direction, ptype)
