"""Plotted value, centre line, 3-sigma limits and 2-sigma lines for every chart family.

All functions work on sorted arrays covering many segments at once (see :mod:`phases`).
Formulas follow ``SPC.md``: qicharts2 0.8.1 conventions, with the Making Data Count XmR
constants (2.66 and 2/3 of it) for the ``i`` chart in the ``mdc`` profile.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workbench.spc._segments import (
    mean_moving_range,
    seg_mean,
    seg_median,
    seg_ratio,
    within_diff,
)

D2 = 1.128  # bias constant for moving ranges of two
MDC_LIMIT = 2.66  # Making Data Count: mean +/- 2.66 * MR-bar
MDC_NEAR = 2 * (MDC_LIMIT / 3)  # NHSRplotthedots 0.2.2 computes it in this order
MR_UCL = 3.267  # upper limit of an mr chart, as a multiple of the mean moving range
MR_UCL_2S = 2.178  # 2-sigma line of an mr chart
T_POWER = 3.6  # t chart: analyse y^(1/3.6), back-transform with ^3.6


@dataclass(frozen=True)
class Lines:
    """Per-point plotted value and lines (sorted order); NaN where a line does not exist."""

    v: np.ndarray
    cl: np.ndarray
    lcl: np.ndarray
    ucl: np.ndarray
    lcl2: np.ndarray
    ucl2: np.ndarray


def _clamp_low(a: np.ndarray) -> np.ndarray:
    return np.where(a < 0, 0.0, a)


def _clamp_high(a: np.ndarray) -> np.ndarray:
    return np.where(a > 1, 1.0, a)


def _no_lines(v: np.ndarray, cl: np.ndarray) -> Lines:
    nan = np.full(v.shape, np.nan)
    return Lines(v, cl, nan, nan, nan.copy(), nan.copy())


def _i_lines(v: np.ndarray, seg: np.ndarray, base: np.ndarray, use: np.ndarray, n_seg: int,
             screen: bool, mdc: bool) -> Lines:
    cl = seg_mean(seg, base, v, n_seg)
    # qicharts2 differences the deviations from the centre; NHSRplotthedots the values
    amr = mean_moving_range(seg, use, v if mdc else v - cl[seg], n_seg, screen)
    if mdc:
        half, near = MDC_LIMIT * amr, MDC_NEAR * amr
    else:
        sigma = amr / D2
        half, near = 3 * sigma, 2 * sigma
    return Lines(v, cl[seg], (cl - half)[seg], (cl + half)[seg], (cl - near)[seg],
                 (cl + near)[seg])


def _attribute(v: np.ndarray, seg: np.ndarray, base: np.ndarray, n_seg: int, y: np.ndarray,
               n: np.ndarray, chart: str, use: np.ndarray, screen: bool) -> Lines:
    """p, u and their Laney versions pp, up."""
    cl_s = seg_ratio(seg, base, y, n, n_seg)
    cl = cl_s[seg]
    if chart in ("p", "pp"):
        sd = np.sqrt(cl * (1 - cl) / n)
    else:
        sd = np.sqrt(cl / n)
    if chart in ("pp", "up"):
        z = (v - cl) / sd
        sigma_z = mean_moving_range(seg, use, z, n_seg, screen) / D2
        sd = sd * sigma_z[seg]
    lcl, lcl2 = _clamp_low(cl - 3 * sd), _clamp_low(cl - 2 * sd)
    ucl, ucl2 = cl + 3 * sd, cl + 2 * sd
    if chart in ("p", "pp"):
        ucl, ucl2 = _clamp_high(ucl), _clamp_high(ucl2)
    return Lines(v, cl, lcl, ucl, lcl2, ucl2)


def _t_lines(y: np.ndarray, seg: np.ndarray, base: np.ndarray, use: np.ndarray, n_seg: int,
             screen: bool) -> Lines:
    w = y ** (1 / T_POWER)
    lw = _i_lines(w, seg, base, use, n_seg, screen, mdc=False)

    def back(a: np.ndarray) -> np.ndarray:
        # a negative or undefined lower line becomes 0 (as qicharts2 and SPC.md)
        return np.where((a < 0) | np.isnan(a), 0.0, np.abs(a) ** T_POWER)

    return Lines(y, lw.cl ** T_POWER, back(lw.lcl), lw.ucl ** T_POWER, back(lw.lcl2),
                 lw.ucl2 ** T_POWER)


def compute_lines(chart: str, profile: str, y: np.ndarray, n: np.ndarray | None, seg: np.ndarray,
                  n_seg: int, include: np.ndarray, baseline: np.ndarray, screen: bool) -> Lines:
    """Plotted value and lines for every point of every segment.

    Parameters
    ----------
    chart, profile : str
        Validated chart type and profile.
    y, n : ndarray
        Sorted values and denominators (``n`` only for p, u, pp, up).
    seg : ndarray
        Segment id per point; ``n_seg`` segments.
    include, baseline : ndarray
        Points not excluded; points that set the centre and limits.
    screen : bool
        Moving-range screening for i, t, pp and up.

    Returns
    -------
    Lines
    """
    use = baseline & include
    if chart == "mr":
        v = np.abs(within_diff(seg, y))
    elif n is not None:
        v = y / n
    else:
        v = y
    base = use & ~np.isnan(v)
    if chart == "run":
        return _no_lines(v, seg_median(seg, base, v, n_seg)[seg])
    if chart == "i":
        return _i_lines(v, seg, base, use, n_seg, screen, mdc=profile == "mdc")
    if chart == "t":
        return _t_lines(v, seg, base, use, n_seg, screen)
    if chart == "mr":
        cl = seg_mean(seg, base, v, n_seg)[seg]
        zero = np.where(np.isnan(cl), np.nan, 0.0)
        return Lines(v, cl, zero, MR_UCL * cl, zero.copy(), MR_UCL_2S * cl)
    if chart in ("p", "u", "pp", "up"):
        if n is None:  # pragma: no cover - validated earlier
            raise ValueError("denominator missing")
        return _attribute(v, seg, base, n_seg, y, n, chart, use, screen)
    m_s = seg_mean(seg, base, v, n_seg)
    if chart == "c":
        cl = m_s[seg]
        sd = np.sqrt(cl)
        return Lines(v, cl, _clamp_low(cl - 3 * sd), cl + 3 * sd, _clamp_low(cl - 2 * sd),
                     cl + 2 * sd)
    # g chart: limits from the mean, centre line reported as the median
    m = m_s[seg]
    sd = np.sqrt(m * (m + 1))
    med = seg_median(seg, base, v, n_seg)[seg]
    return Lines(v, med, _clamp_low(m - 3 * sd), m + 3 * sd, _clamp_low(m - 2 * sd), m + 2 * sd)
