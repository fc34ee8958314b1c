"""One measure as every chart shows it: at its grain, with its target, test window and freshness.

:func:`measure_view` is what a board (or any page) draws from: the counts summed to the
measure's grain (:func:`workbench.services.grain.series_at_grain`), the SPC analysis of those
periods split at the change, the target that applies at the last point (so the assurance icon
is answered), the active test's window and the readable span to show first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from workbench.domain.catalogue import Measure
from workbench.domain.records import Cycle
from workbench.domain.settings import MeasureSettings
from workbench.services.freshness import Freshness, freshness
from workbench.services.grain import SeriesGrain, series_at_grain
from workbench.services.measure_checks import MeasureCheck, measure_check
from workbench.services.targets import target_on, value_words
from workbench.spc.grain import SPAN, Grain, period_start
from workbench.store.workspace import Workspace


@dataclass(frozen=True)
class MeasureView:
    """A measure ready to draw.

    Attributes
    ----------
    check : MeasureCheck
        The analysis at the grain (``check.data`` holds the periods, ``check.result`` the SPC
        result with the target's assurance).
    grain : SeriesGrain
        The grain, who chose it, and the caption every chart prints.
    target : float or None
        The target applying at the last point.
    target_words : str
        ``95% from 1 Oct 2026`` (empty without a target).
    window : (Timestamp, Timestamp, str) or None
        The active test's first and last period and its label, for the shaded band.
    since : Timestamp or None
        Where the readable span starts (None: the whole history is short enough).
    fresh : Freshness
        How old the last count is ("last count 11 days ago").
    daily : DataFrame
        The daily counts as stored (the board's "last count" line reads them).
    """

    check: MeasureCheck
    grain: SeriesGrain
    target: float | None
    target_words: str
    window: tuple[pd.Timestamp, pd.Timestamp, str] | None
    since: pd.Timestamp | None
    fresh: Freshness
    daily: pd.DataFrame

    @property
    def measure(self) -> Measure:
        """The catalogue measure."""
        return self.check.measure


def _day(ts: pd.Timestamp) -> str:
    return f"{ts:%a} {ts.day} {ts:%b}"


def active_window(cycle: Cycle | None, grain: Grain,
                today: dt.date) -> tuple[pd.Timestamp, pd.Timestamp, str] | None:
    """The active test's window snapped to whole periods, and its label; None without one."""
    if cycle is None or cycle.status.value not in ("running", "studying"):
        return None
    end = cycle.end or cycle.start + dt.timedelta(days=14)
    first = period_start(pd.Series([pd.Timestamp(cycle.start)]), grain).iloc[0]
    last = period_start(pd.Series([pd.Timestamp(min(end, today))]), grain).iloc[0]
    so_far = " (so far)" if today < end else ""
    label = f"Test: {_day(pd.Timestamp(cycle.start))} \u2013 {_day(pd.Timestamp(end))}{so_far}"
    return first, last, label


def expected_every(measure: Measure, grain: Grain) -> str:
    """How often counts are expected: the measure's counting frequency when it is finer than
    the grain (a daily count charted weekly is still missed after a few days); events that are
    recorded as they happen are expected at least monthly."""
    if measure.frequency.value == "per_event":
        return "monthly"
    counted = {"weekly": "weekly", "monthly": "monthly"}.get(measure.frequency.value, "daily")
    order = ("daily", "weekly", "monthly")
    return order[min(order.index(counted), order.index(grain))]


def grain_check(ws: Workspace, ward: str, measure: Measure, data: pd.DataFrame,
                change: dt.date | None, today: dt.date, *,
                settings: MeasureSettings) -> tuple[Any, Any, Any, pd.DataFrame]:
    """*Where is the process now?* for one measure: its chart at its grain, split at the period
    holding *change*, with the target in force on *today* (Making Data Count icons).

    The board's cards and charts, the summary table and the judgement's current-phase icons all
    read this one analysis, so they give one answer.

    Returns
    -------
    tuple
        ``(check, grain, target, periods)``: the :class:`MeasureCheck` (not judged), the
        :class:`SeriesGrain`, the target in force (or None) and the series at the grain.
    """
    periods, grain = series_at_grain(ws, ward, measure, data, end=today, settings=settings)
    target = target_on(settings, ward, measure.id, today)  # assurance: the target in force now
    split = None
    if change is not None:
        split = period_start(pd.Series([pd.Timestamp(change)]), grain.grain).iloc[0].date()
    check = measure_check(measure, periods, split, None if target is None else target.value,
                          judge=False)
    return check, grain, target, periods


def measure_view(ws: Workspace, ward: str, measure: Measure, data: pd.DataFrame,
                 change: dt.date | None, today: dt.date, *,
                 settings: MeasureSettings, cycle: Cycle | None = None) -> MeasureView:
    """One measure of a ward at its grain, with target, test window, span and freshness.

    Parameters
    ----------
    ws : Workspace
    ward : str
    measure : Measure
    data : DataFrame
        Its daily counts as stored (``date, value, denominator``).
    change : date, optional
        Where the chart's phase splits (the last change tested on this measure).  At a weekly
        or monthly grain the split is at the start of the period holding the change.
    today : date
    settings : MeasureSettings
        The workspace's measure settings (:func:`workbench.store.settings.load_settings`).
    cycle : Cycle, optional
        The ward's current test, when it tests this measure: its window is shaded.
    """
    check, grain, target, periods = grain_check(ws, ward, measure, data, change, today,
                                                settings=settings)
    last_day = None if data.empty else pd.Timestamp(data["date"].max()).date()
    window = active_window(cycle, grain.grain, today) if cycle is not None and \
        measure.id in cycle.measures else None
    since = None
    if not periods.empty:
        start = pd.Timestamp(periods["date"].max()) - SPAN[grain.grain] + pd.Timedelta(days=1)
        if window is not None:
            start = min(start, window[0] - (window[1] - window[0]))  # some baseline too
        since = start if pd.Timestamp(periods["date"].min()) < start else None
    words = ""
    if target is not None:
        words = f"{value_words(measure, target.value)} from {target.from_.day} " \
                f"{target.from_:%b %Y}"
    fresh = freshness(last_day, expected_every(measure, grain.grain), today)
    return MeasureView(check, grain, None if target is None else target.value, words, window,
                       since, fresh, data)
