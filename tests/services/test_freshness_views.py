"""Freshness words, the test window snapped to periods, and the readable span."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from workbench.catalogue import load_catalogue
from workbench.domain.records import Cycle, CycleStatus
from workbench.services.freshness import freshness
from workbench.services.views import active_window, expected_every


@pytest.mark.parametrize(("last", "grain", "stale", "words"), [
    # 22 Nov to 3 Dec is 11 days; daily allows 1 + 3
    (dt.date(2026, 11, 22), "daily", True, "last count 11 days ago"),
    (dt.date(2026, 11, 29), "daily", False, ""),  # 4 days: 1 + 3 allowed
    (dt.date(2026, 11, 28), "daily", True, "last count 5 days ago"),
    (dt.date(2026, 11, 22), "weekly", False, ""),  # 11 days: 7 + 4 allowed
    (dt.date(2026, 11, 21), "weekly", True, "last count 12 days ago"),
    (dt.date(2026, 10, 23), "monthly", False, ""),  # 41 days: 31 + 10 allowed
    (dt.date(2026, 10, 22), "monthly", True, "last count 42 days ago"),
    (None, "daily", True, "no counts yet"),
])
def test_freshness(last, grain, stale, words) -> None:
    f = freshness(last, grain, dt.date(2026, 12, 3))
    assert (f.stale, f.words) == (stale, words)


def test_expected_every_is_the_finer_of_counting_and_grain() -> None:
    cat = load_catalogue()
    daily_p = next(m for m in cat.measures.values() if m.frequency.value == "daily")
    weekly = next(m for m in cat.measures.values() if m.frequency.value == "weekly")
    event = next(m for m in cat.measures.values() if m.frequency.value == "per_event")
    assert expected_every(daily_p, "weekly") == "daily"  # counted daily, charted weekly
    assert expected_every(weekly, "monthly") == "weekly"
    assert expected_every(event, "daily") == "monthly"


def _cycle(status: str) -> Cycle:
    return Cycle.model_validate({
        "id": "t", "ward": "sh-dl", "theme": "unsafe_transfers",
        "change_idea": "discharge_bundle", "objective": "o", "measures": ["bundle_use"],
        "start": "2026-11-12", "end": "2026-11-26", "status": status, "revision": 1,
        "owner": "ward manager", "questions": [{"question": "q", "prediction": "p"}]})


def test_window_snaps_to_whole_periods() -> None:
    cycle = _cycle("running")
    # Thu 12 Nov is in the week of Mon 9 Nov; on Sun 22 Nov the test runs to Thu 26 Nov
    start, end, label = active_window(cycle, "weekly", dt.date(2026, 11, 22))
    assert start == pd.Timestamp("2026-11-09") and end == pd.Timestamp("2026-11-16")
    assert label == "Test: Thu 12 Nov \u2013 Thu 26 Nov (so far)"
    start, end, label = active_window(cycle, "daily", dt.date(2026, 12, 3))
    assert (start, end) == (pd.Timestamp("2026-11-12"), pd.Timestamp("2026-11-26"))
    assert label.endswith("Thu 26 Nov")
    assert active_window(cycle.model_copy(update={"status": CycleStatus.DECIDED}), "daily",
                       dt.date(2026, 12, 3)) is None
