"""Check and coerce the caller's frame and options before any arithmetic.

Every refusal is an :class:`~workbench.domain.errors.SPCInputError` whose message names the point
(1-based data row and its x value) and says how to fix it.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from workbench.domain.errors import SPCInputError

CHARTS = ("run", "i", "mr", "p", "u", "c", "pp", "up", "g", "t")
ALIASES = {"xmr": "i"}
NEEDS_N = frozenset({"p", "u", "pp", "up"})
COUNTS = frozenset({"p", "u", "c", "pp", "up", "g"})
PROFILES = ("mdc", "anhoej")
RADIX_LIMIT = 2**62  # largest product of by-column cardinalities coded in one int64
IMPROVEMENTS = ("increase", "decrease", "neutral")


@dataclass(frozen=True)
class Options:
    """Validated options shared by every series of one call."""

    chart: str
    profile: str
    improvement: str
    freeze: int | None
    target: float | None
    screen_outliers: bool
    two_of_three_beyond_limits: bool
    shift_n: int
    trend_n: int


@dataclass(frozen=True)
class Prepared:
    """Input-order arrays ready for the core.

    Attributes
    ----------
    y, n : ndarray
        Values and denominators as float64 (``n`` is None when the chart needs none).
    x_rank : ndarray
        Rank of each x among the distinct x values (int64), used for sorting and phases.
    start_ranks : ndarray
        Sorted ranks of the phase starts.
    excluded : ndarray
        True for points whose x is listed in ``exclude``.
    series : ndarray
        Series id per row (0 for a single series); ids follow the sorted series keys.
    n_series : int
        Number of series.
    keys : dict
        ``by`` column name to the key value of each series, in series id order.
    """

    y: np.ndarray
    n: np.ndarray | None
    x_rank: np.ndarray
    start_ranks: np.ndarray
    excluded: np.ndarray
    series: np.ndarray
    n_series: int
    keys: dict[str, np.ndarray]


def fmt_x(value: Any) -> str:
    """Format an x value for a message (dates without a midnight time)."""
    if isinstance(value, pd.Timestamp) and value == value.normalize():
        return value.date().isoformat()
    return str(value)


def where(xs: pd.Series, pos: int) -> str:
    """Name a point: its 1-based data row and its x value."""
    return f"row {pos + 1} (x = {fmt_x(xs.iloc[pos])})"


def check_options(
    chart: str, profile: str, improvement: str, freeze: int | None, target: float | None,
    screen_outliers: bool, two_of_three_beyond_limits: bool, shift_n: int, trend_n: int,
) -> Options:
    """Validate the scalar options; return them normalised."""
    key = str(chart).lower()
    key = ALIASES.get(key, key)
    if key not in CHARTS:
        raise SPCInputError(
            f"unknown chart {chart!r}; use one of {', '.join(CHARTS)} (or 'xmr' for 'i')")
    if profile not in PROFILES:
        raise SPCInputError(f"unknown profile {profile!r}; use 'mdc' or 'anhoej'")
    if improvement not in IMPROVEMENTS:
        raise SPCInputError(
            f"unknown improvement direction {improvement!r}; use 'increase', 'decrease' or "
            "'neutral'")
    if freeze is not None and (isinstance(freeze, bool) or not isinstance(freeze, int | np.integer)
                               or freeze < 1):
        raise SPCInputError(
            f"freeze must be a whole number of points of at least 1 (got {freeze!r}); "
            "leave it out to use every point of each phase")
    for name, value, low in (("shift_n", shift_n, 2), ("trend_n", trend_n, 3)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < low:
            raise SPCInputError(f"{name} must be a whole number of at least {low} (got {value!r})")
    tgt: float | None = None
    if target is not None:
        try:
            tgt = float(target)
        except (TypeError, ValueError):
            raise SPCInputError(f"target {target!r} is not a number; give a number or None") \
                from None
        if not np.isfinite(tgt):
            raise SPCInputError(f"target {target!r} is not a finite number")
    return Options(key, profile, improvement, None if freeze is None else int(freeze), tgt,
                   bool(screen_outliers), bool(two_of_three_beyond_limits), int(shift_n),
                   int(trend_n))


def _numeric(col: pd.Series, name: str, xs: pd.Series) -> np.ndarray:
    """Column as float64 with NaN for missing; refuse text and infinities."""
    if pd.api.types.is_bool_dtype(col.dtype):
        raise SPCInputError(f"column '{name}' holds true/false values; give numbers")
    if pd.api.types.is_datetime64_any_dtype(col.dtype) or \
            pd.api.types.is_timedelta64_dtype(col.dtype):
        raise SPCInputError(f"column '{name}' holds dates or times, not numbers; name the "
                            "column of values (y=) and denominators (n=)")
    if pd.api.types.is_numeric_dtype(col.dtype):
        arr = col.to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        blank = col.map(lambda v: isinstance(v, str) and v.strip() == "").to_numpy(dtype=bool)
        clean = col.mask(blank) if blank.any() else col
        conv = pd.to_numeric(clean, errors="coerce")
        bad = conv.isna().to_numpy() & clean.notna().to_numpy()
        if bad.any():
            pos = int(np.flatnonzero(bad)[0])
            raise SPCInputError(
                f"{where(xs, pos)}: {name} value {col.iloc[pos]!r} is not a number. "
                "Correct it, or leave the cell empty for a missing value.")
        arr = conv.to_numpy(dtype=np.float64, na_value=np.nan)
    inf = np.isinf(arr)
    if inf.any():
        pos = int(np.flatnonzero(inf)[0])
        raise SPCInputError(f"{where(xs, pos)}: {name} value is infinite; give a finite number")
    return arr


def _first(mask: np.ndarray) -> int | None:
    hits = np.flatnonzero(mask)
    return int(hits[0]) if hits.size else None


def _check_values(opts: Options, y: np.ndarray, n: np.ndarray | None, xs: pd.Series,
                  ycol: str, ncol: str) -> None:
    has_y = ~np.isnan(y)
    if n is not None:
        pos = _first(has_y & np.isnan(n))
        if pos is not None:
            raise SPCInputError(
                f"{where(xs, pos)}: the denominator ('{ncol}') is missing but the value is not. "
                "Give the denominator, or leave both empty for a missing point.")
        pos = _first(has_y & (n <= 0))
        if pos is not None:
            raise SPCInputError(
                f"{where(xs, pos)}: the denominator ('{ncol}') is {n[pos]:g}; it must be positive. "
                "Correct it, or leave the point's value empty.")
        if opts.chart in ("p", "pp"):
            pos = _first(has_y & (y > n))
            if pos is not None:
                raise SPCInputError(
                    f"{where(xs, pos)}: numerator {y[pos]:g} is larger than denominator "
                    f"{n[pos]:g}; a proportion cannot exceed 1. Check the two columns.")
    if opts.chart in COUNTS:
        pos = _first(has_y & (y < 0))
        if pos is not None:
            raise SPCInputError(
                f"{where(xs, pos)}: '{ycol}' is {y[pos]:g}; counts cannot be negative.")
    if opts.chart == "t":
        pos = _first(has_y & (y <= 0))
        if pos is not None:
            raise SPCInputError(
                f"{where(xs, pos)}: time between events is {y[pos]:g}; a t chart needs times "
                "greater than 0. Add a small amount for same-day events or use a g chart.")


def _as_list(values: Iterable[Any] | Any | None) -> list[Any]:
    if values is None:
        return []
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        return [values]
    return list(values)


def match_x(values: Iterable[Any] | Any | None, uniq: pd.Index, what: str) -> np.ndarray:
    """Ranks (positions in the sorted distinct x values) of user-given x values."""
    vals = _as_list(values)
    if not vals:
        return np.zeros(0, dtype=np.int64)
    try:
        if isinstance(uniq, pd.DatetimeIndex):
            conv = pd.Index(pd.to_datetime(vals))
            if uniq.tz is not None and conv.tz is None:  # type: ignore[attr-defined]
                conv = conv.tz_localize(uniq.tz)  # type: ignore[attr-defined]
        elif pd.api.types.is_numeric_dtype(uniq.dtype):
            conv = pd.Index(pd.to_numeric(pd.Series(vals, dtype=object)))
        else:
            conv = pd.Index(vals)
    except (ValueError, TypeError) as exc:
        raise SPCInputError(f"{what} {vals!r} cannot be read as x values: {exc}") from None
    idx = uniq.get_indexer(conv)
    bad = [vals[k] for k in np.flatnonzero(idx < 0)]
    if bad:
        raise SPCInputError(
            f"{what} {', '.join(fmt_x(b) for b in bad)} not found among the x values; "
            "give x values that occur in the data")
    return np.unique(idx.astype(np.int64))


def _series_ids(frame: pd.DataFrame, by: Sequence[Hashable], xs: pd.Series,
                ) -> tuple[np.ndarray, int, dict[str, np.ndarray]]:
    n_rows = len(frame)
    if not by:
        return np.zeros(n_rows, dtype=np.int64), 1, {}
    codes, uniqs = [], []
    for col in by:
        c, u = pd.factorize(frame[col], sort=True)
        pos = _first(c < 0)
        if pos is not None:
            raise SPCInputError(f"{where(xs, pos)}: the series column '{col}' is empty; "
                                "every row needs a value in each 'by' column")
        codes.append(c.astype(np.int64))
        uniqs.append(u)
    sizes = [max(len(u), 1) for u in uniqs]
    if math.prod(sizes) >= RADIX_LIMIT:  # the mixed-radix code would overflow: exact route
        sid, mi = pd.factorize(pd.MultiIndex.from_arrays([frame[c] for c in by]), sort=True)
        keys_mi = {str(c): np.asarray(mi.get_level_values(i)) for i, c in enumerate(by)}
        return sid.astype(np.int64), len(mi), keys_mi
    combined = codes[0]
    for c, size in zip(codes[1:], sizes[1:], strict=True):
        combined = combined * size + c
    sid, suniq = pd.factorize(combined, sort=True)
    suniq = np.asarray(suniq, dtype=np.int64)
    keys: dict[str, np.ndarray] = {}
    rest = suniq
    for col, u, size in reversed(list(zip(by, uniqs, sizes, strict=True))):
        keys[str(col)] = np.asarray(u.take(rest % size))
        rest = rest // size
    keys = {str(col): keys[str(col)] for col in by}
    return sid.astype(np.int64), len(suniq), keys


def prepare(frame: pd.DataFrame, opts: Options, x: str, y: str, n: str | None,
            phase_starts: Any, exclude: Any, by: Sequence[Hashable] = ()) -> Prepared:
    """Validate the frame's columns and values; return input-order arrays."""
    if not isinstance(frame, pd.DataFrame):
        raise SPCInputError(f"expected a pandas DataFrame, got {type(frame).__name__}")
    need = [*by, x, y] + ([n] if opts.chart in NEEDS_N and n is not None else [])
    if opts.chart in NEEDS_N and n is None:
        raise SPCInputError(f"a {opts.chart} chart needs a denominator column; pass n=<column>")
    missing = [str(c) for c in need if c not in frame.columns]
    if missing:
        raise SPCInputError(
            f"column(s) {', '.join(repr(c) for c in missing)} not in the data (columns: "
            f"{', '.join(map(str, frame.columns))}); name the right columns with x=, y=, n=, by=")
    if len(frame) == 0:
        raise SPCInputError("the data has no rows; give at least one point")
    xs = frame[x].reset_index(drop=True)
    pos = _first(xs.isna().to_numpy())
    if pos is not None:
        raise SPCInputError(f"row {pos + 1}: x ('{x}') is empty; every point needs an x value")
    kind = pd.api.types.infer_dtype(xs, skipna=True)
    try:
        if kind.startswith("mixed") and kind != "mixed-integer-float":
            raise TypeError(kind)
        # Dates, numbers and categoricals have an order of their own; plain text ("Week 1",
        # "Week 2", ..., "Week 10") keeps the order in which it first appears in the input.
        text = kind in ("string", "unicode", "bytes") and \
            not isinstance(xs.dtype, pd.CategoricalDtype)
        x_rank, uniq = pd.factorize(xs, sort=not text)
    except TypeError:
        raise SPCInputError(f"the x values in '{x}' mix types and cannot be ordered; "
                            "use all dates, all numbers or all text") from None
    yv = _numeric(frame[y], y, xs)
    nv = _numeric(frame[n], n, xs) if opts.chart in NEEDS_N and n is not None else None
    _check_values(opts, yv, nv, xs, y, str(n))
    uniq_index = pd.Index(uniq)
    starts = match_x(phase_starts, uniq_index, "phase start(s)")
    excl_ranks = match_x(exclude, uniq_index, "exclude value(s)")
    x_rank = x_rank.astype(np.int64)
    excluded = np.isin(x_rank, excl_ranks) if excl_ranks.size else np.zeros(len(xs), bool)
    series, n_series, keys = _series_ids(frame, by, xs)
    return Prepared(yv, nv, x_rank, starts, excluded, series, n_series, keys)
