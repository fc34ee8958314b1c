"""``analyse`` and ``analyse_many``: one vectorised core for one series or many.

``analyse`` is ``analyse_many`` with a single series, so the two agree by construction.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from functools import partial
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from workbench.domain.errors import SPCInputError
from workbench.spc._inputs import NEEDS_N, Options, Prepared, check_options, prepare
from workbench.spc.limits import Lines, compute_lines
from workbench.spc.phases import Layout, build_layout
from workbench.spc.result import SPCManyResult, SPCResult
from workbench.spc.rules import POINT_TYPES, RULES, Flags, mdc_flags
from workbench.spc.runs import Runs, anhoej
from workbench.spc.summary import SeriesSummary, phase_warnings, summarise

_DIRECTIONS = ("low", "", "high")
_RESERVED = frozenset({
    "x", "y", "n", "phase", "baseline", "include", "cl", "lcl", "ucl", "lcl_2s", "ucl_2s",
    "close_to_limits", "outside_limits", "trend", "two_of_three", "shift", "signal", "rule",
    "direction", "point_type", "runs_signal", "start", "end", "n_points", "n_obs", "n_useful",
    "longest_run", "longest_run_max", "crossings", "crossings_min", "warning", "chart",
    "profile", "variation", "assurance", "warnings", "n_phases"})


def _nullable_int(a: np.ndarray) -> Any:
    return pd.array(a, dtype="Int64")


_CATEGORIES: dict[str, pd.CategoricalDtype] = {}


def _categorical(codes: np.ndarray, name: str, categories: Sequence[str]) -> pd.Categorical:
    """Codes as a categorical; the dtype is built once (building it is most of the cost)."""
    dtype = _CATEGORIES.get(name)
    if dtype is None:
        dtype = _CATEGORIES[name] = pd.CategoricalDtype(categories=list(categories))
    return pd.Categorical.from_codes(codes, dtype=dtype)


class _Parts(NamedTuple):
    """What the analysis computed, before it is laid out as tables."""

    prep: Prepared
    layout: Layout
    lines: Lines
    flags: Flags
    runs: Runs
    warnings: list[str]
    summary: SeriesSummary


def _analysis(frame: pd.DataFrame, opts: Options, x: str, y: str, n: str | None,
              phase_starts: Any, exclude: Any, by: Sequence[Hashable]) -> _Parts:
    prep = prepare(frame, opts, x, y, n, phase_starts, exclude, by)
    xs = frame[x].reset_index(drop=True)
    layout = build_layout(prep.series, prep.x_rank, prep.start_ranks, opts.freeze, xs)
    seg, n_seg = layout.seg, layout.n_seg
    ys = layout.sort(prep.y)
    ns = None if prep.n is None else layout.sort(prep.n)
    include = ~layout.sort(prep.excluded)
    with np.errstate(invalid="ignore", divide="ignore"):
        lines = compute_lines(opts.chart, opts.profile, ys, ns, seg, n_seg, include,
                              layout.baseline, opts.screen_outliers)
        flags = mdc_flags(lines.v, lines.cl, lines.lcl, lines.ucl, lines.lcl2, lines.ucl2, seg,
                          include, opts.improvement, opts.shift_n, opts.trend_n,
                          opts.two_of_three_beyond_limits)
        runs = anhoej(lines.v, lines.cl, seg, include, n_seg, never_signal=opts.chart == "mr")
    seg_warn = phase_warnings(layout, lines, runs, opts.chart, opts.profile)
    summ = summarise(layout, lines, runs, flags.point_type, seg_warn, opts.improvement,
                     opts.target)
    return _Parts(prep, layout, lines, flags, runs, seg_warn[0], summ)


def _core(frame: pd.DataFrame, opts: Options, x: str, y: str, n: str | None, phase_starts: Any,
          exclude: Any, by: Sequence[Hashable]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    p = _analysis(frame, opts, x, y, n, phase_starts, exclude, by)
    points = _points_table(frame, x, p.prep, p.layout, p.lines, p.flags, p.runs)
    phases = _phases_table(frame[x], p.prep, p.layout, p.lines, p.runs, p.warnings)
    return points, phases, _summary_table(p.prep, p.summary, opts)


def _points_table(frame: pd.DataFrame, x: str, prep: Prepared, layout: Layout, lines: Lines,
                  flags: Flags, runs: Runs) -> pd.DataFrame:
    """One row per input point, in input order, with the input's index."""
    un, seg = layout.unsort, layout.seg
    cols: dict[str, Any] = {}
    for b in prep.keys:
        cols[b] = frame[b]
    cols["x"] = frame[x]
    cols["y"] = un(lines.v)
    cols["n"] = prep.n if prep.n is not None else np.full(len(frame), np.nan)
    cols["phase"] = un(layout.seg_phase[seg])
    cols["baseline"] = un(layout.baseline)
    cols["include"] = ~prep.excluded
    for name, arr in (("cl", lines.cl), ("lcl", lines.lcl), ("ucl", lines.ucl),
                      ("lcl_2s", lines.lcl2), ("ucl_2s", lines.ucl2)):
        cols[name] = un(arr)
    for name in ("close_to_limits", "outside_limits", "trend", "two_of_three", "shift"):
        cols[name] = un(getattr(flags, name))
    rule = un(flags.rule)
    cols["signal"] = rule > 0
    cols["rule"] = _categorical(rule, "rule", RULES)
    cols["direction"] = _categorical(un(flags.direction) + 1, "direction", _DIRECTIONS)
    cols["point_type"] = _categorical(un(flags.point_type), "point_type", POINT_TYPES)
    cols["runs_signal"] = un(runs.runs_signal[seg])
    for name, col in cols.items():  # views of the caller's frame must not become read-only
        if isinstance(col, np.ndarray) and not col.flags.writeable:
            cols[name] = col.copy()
    return pd.DataFrame(cols, index=frame.index, copy=False)


def _phases_table(x: pd.Series, prep: Prepared, layout: Layout, lines: Lines, runs: Runs,
                  warnings: list[str]) -> pd.DataFrame:
    """One row per segment (series x phase), series in key order."""
    first, seg = layout.seg_first, layout.seg
    last = np.append(first[1:], seg.size) - 1
    rows_first = first if layout.order is None else layout.order[first]
    rows_last = last if layout.order is None else layout.order[last]
    ph: dict[str, Any] = {b: values[layout.seg_series] for b, values in prep.keys.items()}
    ph["phase"] = layout.seg_phase
    ph["start"] = x.array.take(rows_first)  # keeps the x dtype (time zones included)
    ph["end"] = x.array.take(rows_last)
    ph["n_points"] = last - first + 1
    ph["n_obs"] = runs.n_obs.astype(np.int64)
    ph["n_useful"] = runs.n_useful.astype(np.int64)
    for name in ("longest_run", "longest_run_max", "crossings", "crossings_min"):
        ph[name] = _nullable_int(getattr(runs, name))
    ph["runs_signal"] = runs.runs_signal
    ph["cl"] = lines.cl[first]
    for name, arr in (("lcl", lines.lcl), ("ucl", lines.ucl)):
        lo, hi = np.fmin.reduceat(arr, first), np.fmax.reduceat(arr, first)
        ph[name] = np.where(lo == hi, lo, np.nan)
    ph["warning"] = np.array(warnings, dtype=object)
    return pd.DataFrame(ph)


def _summary_columns(summ: SeriesSummary, opts: Options) -> dict[str, Any]:
    """The summary's fields in order, one array each (series in key order)."""
    size = len(summ.variation)
    return {"chart": np.full(size, opts.chart, dtype=object),
            "profile": np.full(size, opts.profile, dtype=object),
            "variation": summ.variation, "assurance": summ.assurance,
            "warnings": summ.warnings, "runs_signal": summ.runs_signal,
            "n_phases": summ.n_phases, "cl": summ.cl, "lcl": summ.lcl, "ucl": summ.ucl}


def _summary_table(prep: Prepared, summ: SeriesSummary, opts: Options) -> pd.DataFrame:
    """One row per series, in key order."""
    sm: dict[str, Any] = {**prep.keys, **_summary_columns(summ, opts)}
    sm["warnings"] = pd.Series(summ.warnings, dtype=object).to_numpy()
    return pd.DataFrame(sm)


def _summary_row(summ: SeriesSummary, opts: Options) -> dict[str, Any]:
    """The one series' row of :func:`_summary_table`, as plain Python values (None for NaN)."""
    row = {name: _plain(values[0]) for name, values in _summary_columns(summ, opts).items()}
    row["warnings"] = list(summ.warnings[0])
    return row


def _options(kw: dict[str, Any]) -> Options:
    return check_options(kw["chart"], kw["profile"], kw["improvement"], kw["freeze"],
                         kw["target"], kw["screen_outliers"], kw["two_of_three_beyond_limits"],
                         kw["shift_n"], kw["trend_n"])


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and np.isnan(value):
        return None
    return value


def analyse(frame: pd.DataFrame, chart: str = "i", profile: str = "mdc", x: str = "date",
            y: str = "value", n: str | None = "denominator", improvement: str = "increase",
            phase_starts: Iterable[Any] | None = None, freeze: int | None = None,
            exclude: Iterable[Any] | None = None, target: float | None = None,
            screen_outliers: bool = True, two_of_three_beyond_limits: bool = True,
            shift_n: int = 7, trend_n: int = 7) -> SPCResult:
    """Analyse one series on an SPC chart.

    Parameters
    ----------
    frame : DataFrame
        One row per point.
    chart : str
        ``run``, ``i`` (alias ``xmr``), ``mr``, ``p``, ``u``, ``c``, ``pp``, ``up``, ``g``, ``t``.
    profile : str
        ``mdc`` (Making Data Count, NHSRplotthedots 0.2.2 behaviour) or ``anhoej``
        (qicharts2 0.8.1 conventions).
    x, y, n : str
        Column names: x (dates, numbers or ordered text), value (numerator) and denominator
        (read only for p, u, pp and up).
    improvement : str
        ``increase``, ``decrease`` or ``neutral``.
    phase_starts : iterable, optional
        x values where a new phase begins.
    freeze : int, optional
        Leading points of each phase that set the centre and limits.
    exclude : iterable, optional
        x values left out of centre, limits and runs but still drawn and tested against limits.
    target : float, optional
        Target for the assurance verdict.
    screen_outliers : bool
        Moving-range screening (drop MR >= 3.267 MR-bar and recompute).
    two_of_three_beyond_limits : bool
        True: a point beyond the limits counts as close (Making Data Count 2023); False:
        NHSRplotthedots 0.2.2.
    shift_n, trend_n : int
        Points needed for a shift and for a trend.

    Returns
    -------
    SPCResult

    Raises
    ------
    SPCInputError
        For unknown options, missing columns or values that cannot be charted.
    """
    opts = _options(locals())
    p = _analysis(frame, opts, x, y, n if opts.chart in NEEDS_N else None, phase_starts,
                  exclude, ())
    points = _points_table(frame, x, p.prep, p.layout, p.lines, p.flags, p.runs)
    # the phases table is laid out when first read (most callers never do); frame[x] is a
    # copy under pandas' copy-on-write, so later changes to *frame* cannot reach it
    phases = partial(_phases_table, frame[x], p.prep, p.layout, p.lines, p.runs, p.warnings)
    return SPCResult(points, phases, _summary_row(p.summary, opts), opts.chart, opts.profile)


def analyse_many(frame: pd.DataFrame, by: Sequence[Hashable] | str, chart: str = "i",
                 profile: str = "mdc", x: str = "date", y: str = "value",
                 n: str | None = "denominator", improvement: str = "increase",
                 phase_starts: Iterable[Any] | None = None, freeze: int | None = None,
                 exclude: Iterable[Any] | None = None, target: float | None = None,
                 screen_outliers: bool = True, two_of_three_beyond_limits: bool = True,
                 shift_n: int = 7, trend_n: int = 7) -> SPCManyResult:
    """Analyse many series of a long frame at once, vectorised over series.

    Parameters
    ----------
    frame : DataFrame
        Long format: one row per point of each series.
    by : str or sequence of str
        Columns that name a series (for example ``["ward", "measure"]``).
    chart, profile, x, y, n, improvement, phase_starts, freeze, exclude, target, \
screen_outliers, two_of_three_beyond_limits, shift_n, trend_n
        As :func:`analyse`, applied to every series.  A phase start or excluded x must occur
        somewhere in the frame; a series that lacks it still splits at that x.

    Returns
    -------
    SPCManyResult
        Identical, series by series, to calling :func:`analyse` on each series.
    """
    keys = [by] if isinstance(by, str) else list(by)
    if not keys:
        raise SPCInputError("by must name at least one column that identifies a series")
    clash = sorted(str(k) for k in set(map(str, keys)) & _RESERVED)
    if clash:
        raise SPCInputError(f"by column(s) {', '.join(clash)} clash with result columns; "
                            "rename them first")
    opts = _options(locals())
    points, phases, summary = _core(frame, opts, x, y, n if opts.chart in NEEDS_N else None,
                                    phase_starts, exclude, keys)
    return SPCManyResult(points, phases, summary, tuple(str(k) for k in keys), opts.chart,
                         opts.profile)
