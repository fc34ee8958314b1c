"""Time grain: daily, weekly or monthly points, chosen by one documented rule, summed exactly.

The rule and its reasons are in ``docs/charts.md`` ("Time grain").  In short:

1. **Never finer than the counting.**  A measure counted weekly is charted at least weekly, one
   counted monthly monthly.  Event charts (``g``, ``t``) plot each event as recorded: they are
   never grouped.
2. **Denominators big enough for useful limits** (``p``, ``pp``, ``u``, ``up``): the finest grain
   whose typical (median) period has at least :data:`MIN_DENOMINATOR` in the denominator (``p``)
   or at least :data:`MIN_EVENTS` expected events (``u``: the overall rate times the median
   denominator).  Below that a point's three-sigma limits reach 0% and 100% (or zero) on most
   points and the chart cannot show anything unusual.
3. Otherwise daily.  The number of points is *not* a reason to go coarser: the board shows a
   readable span (see :data:`SPAN`) and a two-week test would otherwise shrink to two points.

Aggregation is exact: numerators and denominators are summed per period (never an average of
percentages); counts (``c``) are summed; individual values (``i``, ``run``, ``mr``) are averaged
per period and captioned as means.  Weeks run Monday to Sunday, months are calendar months.  A
period only partly inside the data (the current week, or the week the counts began) is kept and
flagged ``partial`` for proportions, rates and means (they stay exact for the days counted) but
left out for counts, whose total over part of a week is not comparable with a whole week's.

Pure pandas, no I/O.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal, cast

import numpy as np
import pandas as pd

from workbench.domain.errors import SPCInputError

Grain = Literal["daily", "weekly", "monthly"]

GRAINS: tuple[Grain, ...] = ("daily", "weekly", "monthly")
"""Grains from finest to coarsest."""

MIN_DENOMINATOR = 10
"""p charts: the typical period needs at least this many in the denominator (see the docs)."""

MIN_EVENTS = 5.0
"""u charts: the typical period needs at least this many expected events."""

SUMMED = frozenset({"p", "pp", "u", "up", "c"})
"""Charts whose points are totals: numerators (and denominators) are summed per period."""

AVERAGED = frozenset({"i", "xmr", "run", "mr"})
"""Charts of individual values: a period's point is the mean of its values."""

EVENTS = frozenset({"g", "t"})
"""Charts of single events: never grouped."""

SPAN: dict[Grain, pd.DateOffset] = {
    "daily": pd.DateOffset(days=90),
    "weekly": pd.DateOffset(weeks=26),
    "monthly": pd.DateOffset(months=24),
}
"""The readable span a board shows at each grain (the whole history is one click away)."""

_FREQUENCY_FLOOR: dict[str, Grain] = {"daily": "daily", "per_event": "daily",
                                      "weekly": "weekly", "monthly": "monthly"}


@dataclass(frozen=True)
class GrainChoice:
    """The grain the rule chose, and why, in plain words.

    Attributes
    ----------
    grain : {"daily", "weekly", "monthly"}
    reason : str
        One sentence a ward team can read ("1–4 patients a day is too few ...").
    typical : float or None
        The typical (median) period's denominator (``p``) or expected events (``u``) at the
        chosen grain; None for charts without denominators.
    """

    grain: Grain
    reason: str
    typical: float | None = None


def check_grain(value: object) -> Grain:
    """*value* as a grain, or :class:`SPCInputError` naming the allowed words."""
    text = str(value).strip().lower()
    if text not in GRAINS:
        raise SPCInputError(f"grain '{value}' is not one of daily, weekly, monthly")
    return cast(Grain, text)


def period_start(dates: pd.Series, grain: Grain) -> pd.Series:
    """The first day of each date's period: the day, its Monday, or the 1st of its month."""
    days = pd.to_datetime(dates).dt.normalize()
    if grain == "daily":
        return days
    if grain == "weekly":
        return days - pd.to_timedelta(days.dt.day_of_week, unit="D")
    return days - pd.to_timedelta(days.dt.day - 1, unit="D")


def period_end(starts: pd.Series, grain: Grain) -> pd.Series:
    """The last day of each period that starts at *starts*."""
    if grain == "daily":
        return starts
    if grain == "weekly":
        return starts + pd.Timedelta(days=6)
    return starts + pd.offsets.MonthEnd(0)


_DAY = np.timedelta64(1, "D")
_SHIFT = 1 << 21  # more days than 5,000 years: period day numbers fit below it


def _series_ids(keys: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """An integer id per row for its series, and the series (by columns) in id order."""
    names = list(keys.columns)
    grouper = keys.groupby(names, sort=False, observed=True)
    ids = grouper.ngroup().to_numpy(dtype=np.int64)
    first = np.unique(ids, return_index=True)[1]
    series = keys.iloc[first].reset_index(drop=True)
    return ids, series


def _day_numbers(values: np.ndarray) -> np.ndarray:
    return (values.astype("datetime64[D]") - np.datetime64("1970-01-01", "D")) // _DAY


def _typical_many(keys: pd.DataFrame, dates: pd.Series, num: pd.Series, den: pd.Series,
                  grain: Grain, chart: str) -> pd.Series:
    """Per series (rows of *keys*): the median period's denominator (p) or expected events (u).

    Indexed by the series' *keys* (a MultiIndex for several key columns)."""
    ids, series = _series_ids(keys)
    period = _day_numbers(period_start(dates, grain).to_numpy()).astype(np.int64)
    code = ids * _SHIFT + period
    n = pd.to_numeric(den, errors="coerce").to_numpy(dtype=float)
    sums = pd.Series(n).groupby(code, sort=False).sum(min_count=1).dropna()
    median = sums.groupby(sums.index.to_numpy() // _SHIFT, sort=False).median()
    if chart in ("u", "up"):
        y = pd.to_numeric(num, errors="coerce").to_numpy(dtype=float)
        tot_y = pd.Series(y).groupby(ids, sort=False).sum()
        tot_n = pd.Series(n).groupby(ids, sort=False).sum()
        rate = (tot_y / tot_n.where(tot_n > 0)).fillna(0.0)
        median = median * rate.reindex(median.index)
    index = pd.MultiIndex.from_frame(series) if len(series.columns) > 1 else \
        pd.Index(series.iloc[:, 0])
    return pd.Series(median.reindex(np.arange(len(series))).to_numpy(), index=index)


def choose_grains(frame: pd.DataFrame, by: list[str], *, chart: str, frequency: str = "daily",
                  x: str = "date", y: str = "value", n: str = "denominator") -> pd.DataFrame:
    """:func:`choose_grain` for every series of a long frame at once (one chart type).

    Returns
    -------
    DataFrame
        One row per series: the *by* columns, ``grain``, ``reason`` and ``typical``.
    """
    chart = "i" if chart == "xmr" else chart
    floor = _FREQUENCY_FLOOR.get(str(frequency), "daily")
    series = frame[by].drop_duplicates().reset_index(drop=True)
    if chart in EVENTS or chart not in ("p", "pp", "u", "up") or frame.empty:
        grain: Grain = "daily" if chart in EVENTS else floor
        why = ("each event is charted as it was recorded" if chart in EVENTS
               else "counted " + floor if floor != "daily" else "one point per day counted")
        return series.assign(grain=grain, reason=why if not frame.empty else "no counts yet",
                             typical=np.nan)
    candidates = list(GRAINS[GRAINS.index(floor):])
    dates = pd.to_datetime(frame[x])
    typical = {g: _typical_many(frame[by], dates, frame[y], frame[n], g, chart)
               for g in candidates}
    need = MIN_DENOMINATOR if chart in ("p", "pp") else MIN_EVENTS
    rows = []
    for key in series.itertuples(index=False, name=None):
        k = key if len(by) > 1 else key[0]
        values = [float(typical[g].get(k, np.nan)) for g in candidates]
        rows.append(_decide(candidates, values, need, chart))
    out = pd.DataFrame(rows, columns=["grain", "reason", "typical"])
    return pd.concat([series, out], axis=1)


def _decide(candidates: list[Grain], values: list[float], need: float,
            chart: str) -> tuple[Grain, str, float]:
    """The rule for one series, given its typical amount at each candidate grain."""
    if np.isnan(values[0]):
        return candidates[0], "no counts yet", np.nan
    for i, (grain, typical) in enumerate(zip(candidates, values, strict=True)):
        if typical >= need:
            if i == 0:
                return grain, f"{_per(grain).lower()} usually has {_amount(chart, typical)}, " \
                              "enough for useful limits", typical
            return grain, (f"a {_unit(candidates[i - 1])} usually has only "
                           f"{_amount(chart, values[i - 1])}, too few for useful limits; "
                           f"{_per(grain).lower()} usually has {_amount(chart, typical)}"), typical
    return candidates[-1], (f"even {_per(candidates[-1]).lower()} usually has only "
                            f"{_amount(chart, values[-1])}: treat the limits with care"), values[-1]


def _typical_one(days: np.ndarray, num: np.ndarray, den: np.ndarray, grain: Grain,
                 chart: str) -> float:
    """:func:`_typical_many` for a single series, in numpy (a board asks for each measure)."""
    if grain == "daily":
        keys = days
    elif grain == "weekly":  # 1 Jan 1970 was a Thursday: (day + 3) // 7 counts Mon-Sun weeks
        keys = (days + 3) // 7
    else:
        keys = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    ok = ~np.isnan(den)
    if not ok.any():
        return float("nan")
    uniq, inverse = np.unique(keys[ok], return_inverse=True)
    sums = np.bincount(inverse, weights=den[ok], minlength=uniq.size)
    median = float(np.median(sums))
    if chart in ("u", "up"):
        total = float(np.nansum(den))
        rate = float(np.nansum(num)) / total if total > 0 else 0.0
        median *= rate
    return median


def choose_grain(frame: pd.DataFrame, *, chart: str, frequency: str = "daily",
                 x: str = "date", y: str = "value", n: str = "denominator") -> GrainChoice:
    """The grain a measure is charted at, by the rule in the module docstring.

    Parameters
    ----------
    frame : DataFrame
        The measure's counts as stored: one row per day counted (``x``, ``y`` and, for p and u
        charts, ``n``).
    chart : str
        The measure's chart type (``p``, ``u``, ``c``, ``i``, ...).
    frequency : str
        How often the measure is counted (``daily``, ``weekly``, ``monthly``, ``per_event``).

    Returns
    -------
    GrainChoice
        The same choice :func:`choose_grains` makes for this series among many.
    """
    chart = "i" if chart == "xmr" else chart
    floor = _FREQUENCY_FLOOR.get(str(frequency), "daily")
    if chart in EVENTS or chart not in ("p", "pp", "u", "up") or frame.empty:
        many = choose_grains(frame.assign(__series=0), ["__series"], chart=chart,
                             frequency=frequency, x=x, y=y, n=n)
        if many.empty:
            return GrainChoice("daily" if chart in EVENTS else floor, "no counts yet")
        return GrainChoice(cast(Grain, many["grain"].iloc[0]), str(many["reason"].iloc[0]))
    days = pd.to_datetime(frame[x]).to_numpy().astype("datetime64[D]")
    days = (days - np.datetime64("1970-01-01", "D")) // _DAY
    num = pd.to_numeric(frame[y], errors="coerce").to_numpy(dtype=float)
    den = pd.to_numeric(frame[n], errors="coerce").to_numpy(dtype=float)
    candidates = list(GRAINS[GRAINS.index(floor):])
    values = [_typical_one(days.astype(np.int64), num, den, g, chart) for g in candidates]
    need = MIN_DENOMINATOR if chart in ("p", "pp") else MIN_EVENTS
    grain, reason, typical = _decide(candidates, values, need, chart)
    return GrainChoice(grain, reason, None if np.isnan(typical) else float(typical))


def _unit(grain: Grain) -> str:
    return {"daily": "day", "weekly": "week", "monthly": "month"}[grain]


def _per(grain: Grain) -> str:
    return {"daily": "A day", "weekly": "A week", "monthly": "A month"}[grain]


def _amount(chart: str, value: float) -> str:
    shown = f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"
    return f"{shown} in the denominator" if chart in ("p", "pp") else f"{shown} expected events"


def aggregate(frame: pd.DataFrame, grain: Grain, *, chart: str, x: str = "date",
              y: str = "value", n: str = "denominator",
              end: dt.date | pd.Timestamp | None = None) -> pd.DataFrame:
    """A measure's daily counts as one row per period, summed (or averaged) exactly.

    Parameters
    ----------
    frame : DataFrame
        One row per day counted, in any order: ``x`` (dates), ``y`` and optionally ``n``.
    grain : {"daily", "weekly", "monthly"}
    chart : str
        The chart type: ``p``, ``pp``, ``u``, ``up`` and ``c`` sum; ``i``, ``run`` and ``mr``
        average; ``g`` and ``t`` refuse any grain but daily.
    end : date, optional
        The last day the data covers (today, or the as-of date); default the last date in the
        data.  A period running past it (or starting before the first date) is ``partial``.

    Returns
    -------
    DataFrame
        Columns ``x`` (the period's first day), ``y``, ``n`` (named as given), ``period_end``,
        ``days`` (days with a value in the period) and ``partial``; in date order.  At daily
        grain the rows are the input's, sorted, with ``days`` 1 and ``partial`` False.

    Raises
    ------
    SPCInputError
        For an unknown grain, or ``g``/``t`` at a grain other than daily.
    """
    grain = check_grain(grain)
    chart = "i" if chart == "xmr" else chart
    has_n = n in frame.columns
    dates = pd.to_datetime(frame[x])
    if grain == "daily":
        out = frame.assign(**{x: dates}).sort_values(x, kind="stable").reset_index(drop=True)
        out["period_end"] = out[x].dt.normalize()
        out["days"] = 1
        out["partial"] = False
        return out
    if chart in EVENTS:
        raise SPCInputError(f"a {chart} chart plots each event as recorded; it cannot be "
                            f"grouped {grain}: choose daily")
    if chart not in SUMMED and chart not in AVERAGED:
        raise SPCInputError(f"unknown chart '{chart}': cannot group its points {grain}")
    columns = [y, n] if has_n else [y]
    values = frame[columns].apply(pd.to_numeric, errors="coerce")
    keys = period_start(dates, grain)
    grouped = values.groupby(keys.to_numpy())
    if chart in SUMMED:
        out = grouped.sum(min_count=1)
    else:
        out = grouped.mean()
    out["days"] = values[y].notna().groupby(keys.to_numpy()).sum().astype(int)
    out.index.name = x
    out = out.reset_index()
    out["period_end"] = period_end(out[x], grain)
    if len(dates):
        first = dates.min().normalize()
        last = pd.Timestamp(end).normalize() if end is not None else dates.max().normalize()
        out["partial"] = ((out[x] < first) | (out["period_end"] > last)).to_numpy()
    else:
        out["partial"] = np.zeros(0, dtype=bool)
    if chart == "c":  # a count over part of a week is not comparable with a whole week's
        out = out[~out["partial"]].reset_index(drop=True)
    return out[[x, *columns, "period_end", "days", "partial"]]


def caption(grain: Grain, chart: str = "p", *, partial: str | None = None) -> str:
    """The words every chart prints about its grain ("weekly totals, Mon–Sun").

    Parameters
    ----------
    grain : {"daily", "weekly", "monthly"}
    chart : str
        Means (``i``, ``run``) are worded as means, event charts as events.
    partial : str, optional
        Words about a partial last period (from :func:`partial_words`), appended.
    """
    chart = "i" if chart == "xmr" else chart
    if chart in EVENTS:
        text = "each event as recorded"
    elif grain == "daily":
        text = "daily values" if chart in AVERAGED else "daily counts"
    elif chart in AVERAGED:
        text = ("weekly means of daily values, Mon\u2013Sun" if grain == "weekly"
                else "monthly means of daily values, calendar months")
    else:
        text = "weekly totals, Mon\u2013Sun" if grain == "weekly" else \
            "monthly totals, calendar months"
    return f"{text}; {partial}" if partial else text


def partial_words(periods: pd.DataFrame, grain: Grain, x: str = "x") -> str | None:
    """``last week is part of a week (Mon 30 Nov – Thu 3 Dec)``, or None when it is whole.

    *periods* is an :func:`aggregate` result (its ``x`` column named *x*).
    """
    if grain == "daily" or periods.empty or not bool(periods["partial"].iloc[-1]):
        return None
    start = pd.Timestamp(periods[x].iloc[-1])
    unit = _unit(grain)
    return f"the last point is part of a {unit} (from {start:%a} {start.day} {start:%b})"


def readable_span(frame: pd.DataFrame, grain: Grain, x: str = "x",
                  keep_from: pd.Timestamp | None = None) -> pd.DataFrame:
    """The last :data:`SPAN` of *frame* (e.g. 26 weeks), widened to include *keep_from*.

    A board shows this span; the whole history is one click away.
    """
    if frame.empty:
        return frame
    dates = pd.to_datetime(frame[x])
    keep = dates > dates.max() - SPAN[grain]
    if keep_from is not None and pd.notna(keep_from):
        keep |= dates >= pd.Timestamp(keep_from)
    return frame[keep.to_numpy()].reset_index(drop=True)


def aggregate_many(frame: pd.DataFrame, by: list[str], grains: pd.DataFrame, *, chart: str,
                   x: str = "date", y: str = "value", n: str = "denominator",
                   end: dt.date | pd.Timestamp | None = None) -> pd.DataFrame:
    """:func:`aggregate` for every series of a long frame at once, each at its own grain.

    Parameters
    ----------
    frame : DataFrame
        Long format: the *by* columns, ``x``, ``y`` and optionally ``n``; one row per day.
    grains : DataFrame
        The *by* columns and ``grain`` (as :func:`choose_grains` returns).
    end : date, optional
        The last day the data cover (default: each series' last date).

    Returns
    -------
    DataFrame
        The *by* columns, ``x`` (period start), ``y``, ``n``, ``period_end``, ``days``,
        ``partial``, ``grain``; series in the order of *grains*, periods in date order.
        Exactly what :func:`aggregate` gives series by series.
    """
    chart = "i" if chart == "xmr" else chart
    has_n = n in frame.columns
    cols = [y, n] if has_n else [y]
    ids, series = _series_ids(frame[by].reset_index(drop=True))
    chosen = series.merge(grains[[*by, "grain"]], on=by, how="left", sort=False)
    gr = chosen["grain"].fillna("daily").to_numpy(dtype=object)[ids]
    if chart in EVENTS and (gr != "daily").any():
        raise SPCInputError(f"a {chart} chart plots each event as recorded; it cannot be grouped")
    dates = pd.to_datetime(frame[x]).dt.normalize()
    starts = np.select([gr == "weekly", gr == "monthly"],
                       [period_start(dates, "weekly").to_numpy(),
                        period_start(dates, "monthly").to_numpy()], dates.to_numpy())
    code = ids * _SHIFT + _day_numbers(starts).astype(np.int64)
    values = frame[cols].apply(pd.to_numeric, errors="coerce").reset_index(drop=True)
    grouped = values.groupby(code, sort=False)
    if chart in SUMMED:
        out = grouped.sum(min_count=1)
    elif chart in AVERAGED or chart in EVENTS:
        out = grouped.mean()
    else:
        raise SPCInputError(f"unknown chart '{chart}': cannot group its points")
    out["days"] = grouped[y].count().astype(int)
    codes = out.index.to_numpy()
    sid = codes // _SHIFT
    out = out.reset_index(drop=True)
    out[x] = (np.datetime64("1970-01-01", "D") + (codes % _SHIFT) * _DAY).astype("datetime64[ns]")
    for col in by:
        out[col] = series[col].to_numpy()[sid]
    series_grain = pd.Series(gr).groupby(ids, sort=False).first()
    out["grain"] = series_grain.reindex(sid).to_numpy()
    ends = {g: period_end(out[x], cast(Grain, g)) for g in GRAINS}
    out["period_end"] = np.select([out["grain"] == "weekly", out["grain"] == "monthly"],
                                  [ends["weekly"].to_numpy(), ends["monthly"].to_numpy()],
                                  out[x].to_numpy())
    day_values = dates.to_numpy()
    first_day = pd.Series(day_values).groupby(ids, sort=False).min().reindex(sid).to_numpy()
    last_day = pd.Series(day_values).groupby(ids, sort=False).max().reindex(sid).to_numpy()
    last = np.full(len(out), pd.Timestamp(end).normalize().to_datetime64()) if end is not None \
        else last_day
    daily = out["grain"].to_numpy() == "daily"
    out["partial"] = ~daily & ((out[x].to_numpy() < first_day)
                               | (out["period_end"].to_numpy() > last))
    if chart == "c":
        out = out[~out["partial"]]
    order = grains[by].reset_index(drop=True).reset_index().rename(columns={"index": "__o"})
    out = out.merge(order, on=by, how="left").sort_values(["__o", x], kind="stable")
    return out[[*by, x, *cols, "period_end", "days", "partial", "grain"]].reset_index(drop=True)
