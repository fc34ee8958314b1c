"""How many points a test window will hold: the judgement's own count, for planning too.

A test is judged on a measure's points **as they are stored** (:func:`.core.judge_window`): a
measure counted daily has a point a day even when its board chart sums the days into weeks; a
measure entered weekly or monthly has one stored point a week or a month.  "No unusual change"
needs at least :data:`~.rules.MIN_TEST_POINTS` test points (a shift could have shown), so a
weekly count in a two-week test cannot show a result.

The rate is how often this ward's counts of the measure arrive: the median gap between its
latest stored dates, or the catalogue measure's ``frequency`` while it has none.  The plan form,
``workbench cycle new`` and the judgement's "too early" wording all read :func:`measure_fits`
and :func:`points_short`, so a plan never promises what the verdict will not give.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from workbench.services.judgement.rules import MIN_TEST_POINTS

DEFAULT_DAYS = 14
"""A test with no end runs for two weeks."""

RECENT_GAPS = 20
"""The rate is read from the gaps between the latest stored dates (a ward may change its
routine: the recent gaps say how it counts now)."""

_NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
            "ten", "eleven", "twelve")


@dataclass(frozen=True)
class Rate:
    """How often a ward's counts of one measure arrive.

    Attributes
    ----------
    every : int
        Days between counts (1 daily, 7 weekly); 0 for monthly (one a calendar month).
    anchor : date or None
        A day a count arrived (the latest stored one); None when read from the catalogue, and
        then the count is the fewest the window holds wherever the counts fall.
    events : bool
        Recorded as events happen: *every* is the typical gap, so counts are estimates.
    daily_possible : bool
        The catalogue counts the measure daily (so "count it daily" is a fix on offer).
    """

    every: int
    anchor: dt.date | None
    events: bool = False
    daily_possible: bool = True

    @property
    def words(self) -> str:
        """``daily``, ``weekly``, ``monthly``, ``every 3 days`` or
        ``as events happen, about every 5 days``."""
        if self.events:
            return f"as events happen, about every {self.every} day{_s(self.every)}"
        if self.every == 0:
            return "monthly"
        return {1: "daily", 7: "weekly"}.get(self.every, f"every {self.every} days")

    def length(self, points: int) -> str:
        """A test long enough for *points* counts: ``9 weeks``, ``9 months``, ``27 days``."""
        if self.every == 0:
            return f"{points} months"
        if self.every == 7 and not self.events:
            return f"{points} weeks"
        return f"{points * self.every} days"


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def window_days(start: dt.date, end: dt.date | None) -> int:
    """Days in the test: ``end`` is the day after its last (default ``start`` + 14 days)."""
    return ((end or start + dt.timedelta(days=DEFAULT_DAYS)) - start).days


def window_words(days: int) -> str:
    """``a two-week test``, ``a 10-day test``."""
    weeks, rest = divmod(days, 7)
    if rest == 0 and 0 < weeks < len(_NUMBERS):
        return f"a {_NUMBERS[weeks]}-week test"
    return f"a {days}-day test"


def count_rate(dates: Sequence[Any], frequency: str) -> Rate | None:
    """How often counts arrive: from the stored *dates*, else the catalogue *frequency*.

    Parameters
    ----------
    dates : sequence of date-like
        The ward's stored dates for the measure, in date order.
    frequency : {"daily", "weekly", "monthly", "per_event"}
        The catalogue measure's counting frequency.

    Returns
    -------
    Rate or None
        None for a measure recorded as events happen that has no counts yet (no way to tell).
    """
    days = sorted({_day(d) for d in dates})
    events = frequency == "per_event"
    daily = frequency == "daily"
    if len(days) >= 2:
        recent = days[-(RECENT_GAPS + 1):]
        gaps = sorted((b - a).days for a, b in zip(recent, recent[1:], strict=False))
        mid = len(gaps) // 2
        gap = gaps[mid] if len(gaps) % 2 else round((gaps[mid - 1] + gaps[mid]) / 2)
        if 28 <= gap <= 31 and not events:
            return Rate(0, days[-1], daily_possible=daily)
        return Rate(max(1, gap), days[-1], events=events, daily_possible=daily)
    if events:
        return None
    every = {"daily": 1, "weekly": 7, "monthly": 0}.get(frequency, 1)
    return Rate(every, None, daily_possible=daily)


def _day(value: Any) -> dt.date:
    """A date from a date, a datetime or a pandas Timestamp."""
    return value.date() if isinstance(value, dt.datetime) else value


def window_points(start: dt.date, last: dt.date, rate: Rate) -> int:
    """Counts arriving at *rate* from *start* to *last* (both days in the test).

    With an anchor the counts fall on the anchor's schedule (every *n* days from it, or the
    same day of each month); without one, the fewest the window holds wherever they fall.
    """
    if last < start:
        return 0
    days = (last - start).days + 1
    if rate.every == 0:
        if rate.anchor is None:  # whole calendar months in the window
            months = 0
            while _add_month(start, months + 1) <= last + dt.timedelta(days=1):
                months += 1
            return months
        day, count = rate.anchor.day, 0
        y, m = start.year, start.month
        while (y, m) <= (last.year, last.month):
            hit = dt.date(y, m, min(day, calendar.monthrange(y, m)[1]))
            count += start <= hit <= last
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return count
    if rate.anchor is None or rate.events:
        return days // rate.every
    offset = (start - rate.anchor).days % rate.every
    first = start + dt.timedelta(days=(rate.every - offset) % rate.every)
    return 0 if first > last else (last - first).days // rate.every + 1


def _add_month(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def points_short(points: int) -> str:
    """``the check needs at least 9`` — the judgement's and the plan's one wording."""
    return f"the check needs at least {MIN_TEST_POINTS}" if points < MIN_TEST_POINTS else ""


@dataclass(frozen=True)
class MeasureFit:
    """Whether one measure can show a result in a planned test, and why in plain words.

    Attributes
    ----------
    measure, name : str
        The catalogue id and the name people use.
    rate : Rate or None
        How often the ward's counts arrive (None: recorded as events happen, none yet).
    points : int or None
        Stored points the test window will hold at that rate (None: cannot tell yet).
    needed : int
        :data:`~.rules.MIN_TEST_POINTS`.
    usable : bool
        ``points >= needed`` (or no way to tell yet).
    reason : str
        ``counted weekly: a two-week test gives 2 points; the check needs at least 9 — make
        the test 9 weeks or count it daily``.
    """

    measure: str
    name: str
    rate: Rate | None
    points: int | None
    needed: int
    usable: bool
    reason: str


def fit(measure: Any, dates: Sequence[Any], start: dt.date, end: dt.date | None) -> MeasureFit:
    """:class:`MeasureFit` of a catalogue *measure* whose ward has stored *dates*."""
    rate = count_rate(dates, measure.frequency.value)
    days = window_days(start, end)
    if rate is None:
        return MeasureFit(measure.id, measure.name, None, None, MIN_TEST_POINTS, True,
                          "recorded as events happen: no counts yet to tell how many the test "
                          "will hold")
    last = start + dt.timedelta(days=days - 1)
    points = window_points(start, last, rate)
    about = "about " if rate.events else ""
    reason = (f"counted {rate.words}: {window_words(days)} gives {about}{points} "
              f"point{_s(points)}")
    short = points_short(points)
    if short:
        fixes = [f"make the test {rate.length(MIN_TEST_POINTS)}"]
        if rate.every != 1 and rate.daily_possible:
            fixes.append("count it daily")
        reason += f"; {short} \u2014 {' or '.join(fixes)}"
    return MeasureFit(measure.id, measure.name, rate, points, MIN_TEST_POINTS, not short,
                      reason)


def measure_fits(ws: Any, ward: str, measures: Sequence[str], start: dt.date,
                 end: dt.date | None) -> list[MeasureFit]:
    """For each of *measures* on *ward*, whether it can show a result from *start* to *end*.

    Parameters
    ----------
    ws : Workspace
    ward : str
        The ward id (its stored counts give each measure's rate).
    measures : sequence of str
        Catalogue measure ids, in the order wanted back.
    start, end : date
        The test window (``end`` is the day after its last; None: 14 days).

    Returns
    -------
    list of MeasureFit
        One per measure, in the order given.
    """
    from workbench.catalogue import load_catalogue
    from workbench.services.observations import measure_frames

    if not measures:
        return []
    cat = load_catalogue()
    frames = measure_frames(ws, ward, list(measures))
    return [fit(cat.measure(m), [d.date() for d in frames[m]["date"]], start, end)
            for m in measures]


def unusable_plan(fits: Sequence[MeasureFit]) -> str | None:
    """Why a plan none of whose measures can show a result is refused, or None.

    Only a plan with no usable measure at all is refused: a weekly balancing measure beside a
    daily one is watched, not relied on.
    """
    if not fits or any(f.usable for f in fits):
        return None
    names = "; ".join(f"{f.name} ({f.reason})" for f in fits)
    return f"measures: none of the plan's measures can show a result in this test: {names}"
