"""Anhøj runs analysis per segment: longest run and number of crossings against the centre.

Useful observations are the included, non-missing points not exactly on the centre line; the
others are removed first, so they neither break nor extend a run.

``longest_run_max = round(log2(n)) + 3`` (R's ``round``, half to even: ``log2`` of a whole number
is never exactly half-way, so it cannot matter) and ``crossings_min`` is R's
``qbinom(0.05, n - 1, 0.5)``: the smallest k with P(X <= k) >= 0.05, computed exactly with
integers for the phase lengths seen in practice.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

EXACT_LIMIT = 4000  # exact integer arithmetic up to this many trials, log-space floats beyond


@lru_cache(maxsize=4096)
def crossings_min(n_useful: int) -> int:
    """Smallest k with P(X <= k) >= 0.05 for X ~ Binomial(n_useful - 1, 0.5).

    Parameters
    ----------
    n_useful : int
        Number of useful observations (at least 1).

    Returns
    -------
    int
    """
    m = n_useful - 1
    if m <= 0:
        return 0
    if m <= EXACT_LIMIT:
        # 20 * sum_{j<=k} C(m, j) >= 2**m  <=>  P(X <= k) >= 1/20, in exact integers
        total = 1 << m
        term = 1
        cum = 1
        k = 0
        while 20 * cum < total:
            term = term * (m - k) // (k + 1)
            k += 1
            cum += term
        return k
    ks = np.arange(m + 1, dtype=np.float64)
    lgam = np.array([math.lgamma(k + 1.0) for k in range(m + 1)])
    logpmf = lgam[m] - lgam - lgam[::-1] - m * math.log(2.0)
    cdf = np.cumsum(np.exp(logpmf))
    return int(ks[np.searchsorted(cdf, 0.05 * (1 - 64 * np.finfo(float).eps))])


def longest_run_max(n_useful: np.ndarray) -> np.ndarray:
    """``round(log2(n)) + 3`` as float (NaN where n is 0)."""
    with np.errstate(divide="ignore"):
        out = np.round(np.log2(n_useful.astype(np.float64))) + 3
    return np.where(n_useful > 0, out, np.nan)


@dataclass(frozen=True)
class Runs:
    """Per-segment runs statistics; float arrays with NaN where there is no useful observation."""

    n_obs: np.ndarray
    n_useful: np.ndarray
    longest_run: np.ndarray
    longest_run_max: np.ndarray
    crossings: np.ndarray
    crossings_min: np.ndarray
    runs_signal: np.ndarray


def anhoej(v: np.ndarray, cl: np.ndarray, seg: np.ndarray, include: np.ndarray, n_seg: int,
           never_signal: bool = False) -> Runs:
    """Runs analysis of every segment.

    Parameters
    ----------
    v, cl : ndarray
        Plotted value and centre line per point (sorted order).
    seg : ndarray
        Segment id per point; ``n_seg`` segments.
    include : ndarray
        False for excluded points.
    never_signal : bool
        Report the statistics but never signal (the mr chart).

    Returns
    -------
    Runs
    """
    n_obs = np.bincount(seg[include], minlength=n_seg)
    useful = include & ~np.isnan(v) & ~np.isnan(cl) & (v != cl)
    idx = np.flatnonzero(useful)
    side = v[idx] > cl[idx]
    segs = seg[idx]
    n_useful = np.bincount(segs, minlength=n_seg)
    longest = np.full(n_seg, np.nan)
    n_runs = np.zeros(n_seg, dtype=np.int64)
    if idx.size:
        new_run = np.empty(idx.size, dtype=bool)
        new_run[0] = True
        new_run[1:] = (segs[1:] != segs[:-1]) | (side[1:] != side[:-1])
        starts = np.flatnonzero(new_run)
        lengths = np.diff(np.append(starts, idx.size))
        run_seg = segs[starts]
        n_runs = np.bincount(run_seg, minlength=n_seg)
        first = np.flatnonzero(np.r_[True, run_seg[1:] != run_seg[:-1]])
        longest[run_seg[first]] = np.maximum.reduceat(lengths, first)
    has = n_useful > 0
    crossings = np.where(has, n_runs - 1, np.nan)
    lr_max = longest_run_max(n_useful)
    values, inverse = np.unique(n_useful, return_inverse=True)
    table = np.array([crossings_min(int(u)) if u > 0 else np.nan for u in values], dtype=float)
    cr_min = table[inverse].reshape(n_seg)
    signal = has & ((longest > lr_max) | (crossings < cr_min))
    if never_signal:
        signal = np.zeros(n_seg, dtype=bool)
    return Runs(n_obs.astype(np.float64), n_useful.astype(np.float64), longest, lr_max,
                crossings, cr_min, signal)
