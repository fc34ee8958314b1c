"""Is a measure's data up to date?  "last count 11 days ago" when it is older than its grain allows.

A daily measure is expected every day, a weekly one every week, a monthly one every month;
:data:`MARGIN` days more are allowed for weekends and late entry before the words appear.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

ALLOWED_DAYS = {"daily": 1, "weekly": 7, "monthly": 31}
"""Days between counts that a grain expects."""

MARGIN = {"daily": 3, "weekly": 4, "monthly": 10}
"""Extra days allowed (a weekend, a late entry) before a measure is called out of date."""


@dataclass(frozen=True)
class Freshness:
    """How old a measure's last count is.

    Attributes
    ----------
    last : date or None
        The last day counted (None: never counted).
    age_days : int or None
        Days from *last* to today.
    stale : bool
        True when the last count is older than the grain allows plus the margin.
    words : str
        ``last count 11 days ago`` when stale (or ``no counts yet``), else empty.
    """

    last: dt.date | None
    age_days: int | None
    stale: bool
    words: str


def freshness(last: dt.date | None, grain: str, today: dt.date) -> Freshness:
    """How fresh a measure counted at *grain* is on *today*, given its last counted day.

    >>> import datetime as dt
    >>> freshness(dt.date(2026, 11, 22), "daily", dt.date(2026, 12, 3)).words
    'last count 11 days ago'
    """
    if last is None:
        return Freshness(None, None, True, "no counts yet")
    age = (today - last).days
    stale = age > ALLOWED_DAYS.get(grain, 1) + MARGIN.get(grain, 3)
    words = ""
    if stale:
        words = "last count yesterday" if age == 1 else f"last count {age} days ago"
    return Freshness(last, age, stale, words)
