"""Per-phase warnings and per-series verdicts (variation, assurance), vectorised over series."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workbench.spc.assurance import assurance_of
from workbench.spc.limits import Lines
from workbench.spc.phases import Layout
from workbench.spc.rules import POINT_TYPES
from workbench.spc.runs import Runs

MIN_PHASE_POINTS = 13  # Making Data Count: fewer points than this give provisional limits
MIN_USEFUL = 10  # the Anhøj critical values are tabulated from 10 useful observations


@dataclass(frozen=True)
class SeriesSummary:
    """Per-series arrays (series id order)."""

    variation: np.ndarray  # object: point type name or None
    assurance: np.ndarray  # object: verdict or None
    warnings: list[list[str]]
    last_phase: np.ndarray
    n_phases: np.ndarray
    cl: np.ndarray
    lcl: np.ndarray
    ucl: np.ndarray
    runs_signal: np.ndarray


def phase_warnings(layout: Layout, lines: Lines, runs: Runs, chart: str, profile: str,
                   ) -> tuple[list[str], np.ndarray]:
    """One warning text per segment ("" when none), and the segments that have one."""
    n_seg = layout.n_seg
    n_points = np.diff(np.append(layout.seg_first, layout.seg.size))
    has_limits = np.zeros(n_seg, dtype=bool)
    if chart != "run":
        finite = (~np.isnan(lines.ucl)).astype(np.int8)
        has_limits = np.maximum.reduceat(finite, layout.seg_first) > 0
    short = (n_points < MIN_PHASE_POINTS) if profile == "mdc" else np.zeros(n_seg, dtype=bool)
    no_limits = ~has_limits if chart != "run" else np.zeros(n_seg, dtype=bool)
    none_useful = runs.n_useful == 0
    few_useful = (runs.n_useful < MIN_USEFUL) & ~none_useful if profile == "anhoej" \
        else np.zeros(n_seg, dtype=bool)
    out = [""] * n_seg
    flagged = np.flatnonzero(short | no_limits | none_useful | few_useful)
    for s in flagged:
        p = int(layout.seg_phase[s])
        parts = []
        if short[s]:
            parts.append(f"phase {p} has {int(n_points[s])} points (fewer than "
                         f"{MIN_PHASE_POINTS}): treat its limits as provisional")
        if no_limits[s]:
            parts.append(f"phase {p} has no limits: too few usable moving ranges or values "
                         "(a constant series with screening on keeps no moving range)")
        if none_useful[s]:
            parts.append(f"phase {p} has no useful observations for the runs analysis")
        elif few_useful[s]:
            parts.append(f"phase {p} has {int(runs.n_useful[s])} useful observations (fewer "
                         f"than {MIN_USEFUL}): the runs analysis has little power")
        out[s] = "; ".join(parts)
    return out, flagged


def _last_where(mask: np.ndarray, firsts: np.ndarray) -> np.ndarray:
    """Per group starting at ``firsts``: index of the last True, or -1."""
    pos = np.where(mask, np.arange(mask.size), -1)
    return np.maximum.reduceat(pos, firsts)


def summarise(layout: Layout, lines: Lines, runs: Runs, ptype: np.ndarray,
              seg_warn: tuple[list[str], np.ndarray], improvement: str, target: float | None,
              ) -> SeriesSummary:
    """Variation, assurance, warnings and the last phase's lines for every series."""
    n = layout.seg.size
    firsts = layout.series_first
    last_point = np.append(firsts[1:], n) - 1
    last_seg = layout.seg[last_point]
    names = np.array(POINT_TYPES, dtype=object)
    var_idx = _last_where(~np.isnan(lines.v), firsts)
    variation = np.full(firsts.size, None, dtype=object)
    has_value = var_idx >= 0
    variation[has_value] = names[ptype[var_idx[has_value]]]
    ref_seg = _last_where(~np.isnan(lines.ucl), layout.seg_first)
    ref = ref_seg[last_seg]
    safe = np.maximum(ref, 0)
    lcl = np.where(ref >= 0, lines.lcl[safe], np.nan)
    ucl = np.where(ref >= 0, lines.ucl[safe], np.nan)
    cl = np.where(ref >= 0, lines.cl[safe], lines.cl[last_point])
    assurance = assurance_of(np.nan if target is None else target, lcl, ucl, improvement)
    warnings: list[list[str]] = [[] for _ in range(firsts.size)]
    texts, flagged = seg_warn
    for s in flagged:
        warnings[int(layout.seg_series[s])].append(texts[s])
    return SeriesSummary(variation, assurance, warnings, layout.seg_phase[last_seg],
                         layout.seg_phase[last_seg].copy(), cl, lcl, ucl,
                         runs.runs_signal[last_seg])
