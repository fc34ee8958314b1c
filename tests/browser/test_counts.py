"""Today's counts typed on the board: stored through the store's checks, or refused whole."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from workbench.services.grain import series_at_grain
from workbench.services.observations import series
from workbench.store.workspace import resolve_workspace

pytestmark = pytest.mark.browser

POINTS = ".wb-board-chart svg g.points_0_marks > path"


def _vega_day(day: dt.date) -> str:
    """A day as Vega writes it in a point's aria label: "Dec 02, 2026" (zero-padded)."""
    return f"{day:%b %d, %Y}"


def test_counts_are_stored_and_the_chart_shows_the_new_point(guarded: Any, server: Any) -> None:
    ws = resolve_workspace(server.workspace, server.db)
    today = dt.date.today()
    before = series(ws, "sh-dl", "bundle_use")
    guarded.goto("/voila/render/board.ipynb?ward=sh-dl", POINTS)
    page = guarded.page
    points = page.locator(POINTS).count()
    page.fill(".wb-counts-value-bundle_use input", "7")
    page.fill(".wb-counts-denominator-bundle_use input", "9")
    page.fill(".wb-counts-value-discharge_delay_hours input", "4.5")
    page.click("button.wb-counts-save")
    page.wait_for_selector(".wb-counts-message.wb-message-ok", timeout=60_000)
    assert "Saved 2 counts" in page.locator(".wb-counts-message").inner_text()
    after = series(ws, "sh-dl", "bundle_use")
    assert len(after) == len(before) + 1
    last = after.iloc[-1]
    assert last["date"].date() == today and last["value"] == 7 and last["denominator"] == 9
    assert series(ws, "sh-dl", "discharge_delay_hours").iloc[-1]["value"] == 4.5
    # the chart is at the measure's grain (a few discharges a day: weekly totals), so the new
    # count shows as the point of today's period, wherever its readable span now starts
    periods, _ = series_at_grain(ws, "sh-dl", "bundle_use", after, end=today)
    shown = _vega_day(periods["date"].iloc[-1].date())
    page.wait_for_function(
        f"() => [...document.querySelectorAll('{POINTS}')].some(p => "
        f"(p.getAttribute('aria-label') || '').includes('{shown}'))", timeout=30_000)
    assert page.locator(POINTS).count() >= min(points, 20)
    card = page.locator(".wb-signal-bundle_use .wb-last").inner_text()
    assert "7 of 9" in card
    assert page.locator(".wb-counts-value-bundle_use input").input_value() == ""


def test_an_invalid_entry_shows_the_store_message_and_saves_nothing(guarded: Any,
                                                                    server: Any) -> None:
    ws = resolve_workspace(server.workspace, server.db)
    before = {m: len(series(ws, "nh-ucc", m)) for m in ("bruising_prompt_use", "triage_minutes")}
    guarded.goto("/voila/render/board.ipynb?ward=nh-ucc", ".wb-board-chart svg")
    page = guarded.page
    page.fill(".wb-counts-value-triage_minutes input", "12")  # valid on its own
    page.fill(".wb-counts-value-bruising_prompt_use input", "9")
    page.fill(".wb-counts-denominator-bruising_prompt_use input", "4")  # 9 of 4: refused
    page.click("button.wb-counts-save")
    page.wait_for_selector(".wb-counts-message.wb-message-error", timeout=60_000)
    text = page.locator(".wb-counts-message").inner_text()
    assert "bruising_prompt_use" in text and "more than its denominator" in text
    assert "Traceback" not in page.content()
    after = {m: len(series(ws, "nh-ucc", m)) for m in before}
    assert after == before  # all or nothing: the valid count was not stored either
    assert page.locator(".wb-counts-value-triage_minutes input").input_value() == "12"
    page.fill(".wb-counts-value-bruising_prompt_use input", "abc")
    page.click("button.wb-counts-save")
    page.wait_for_function("() => document.querySelector('.wb-counts-message').innerText"
                           ".includes('not a number')", timeout=30_000)
    assert {m: len(series(ws, "nh-ucc", m)) for m in before} == before
