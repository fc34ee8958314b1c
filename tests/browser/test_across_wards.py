"""The funnel, spread and driver pages in Voila, as a leader sees them in Chromium."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_funnel_page_labels_wards_and_switches_the_adjustment(guarded: Any) -> None:
    guarded.goto("/voila/render/funnel.ipynb?as_of=2026-11-22", ".wb-funnel-chart svg")
    page = guarded.page
    chart = page.inner_text(".wb-funnel-chart")
    for ward in ("Urgent Care Centre", "Minor Injuries Unit", "Emergency Department"):
        assert ward in chart, ward
    table = page.inner_text(".wb-funnel-outside")
    assert "Urgent Care Centre" in table and "above the 99.8% limit" in table
    page.locator(".wb-funnel-adjust button", has_text="Add between-ward spread").click()
    page.wait_for_selector(".wb-funnel-none")
    assert "between-ward spread" in page.inner_text(".wb-funnel")
    assert "Traceback" not in page.content()


def test_spread_page_shows_three_wards_aligned_at_their_starts(guarded: Any) -> None:
    guarded.goto("/voila/render/spread.ipynb?as_of=2026-11-22", ".wb-spread-table")
    page = guarded.page
    section = page.locator('.wb-spread-change[data-cycle="ucc-infant-bruising-prompt"]')
    text = section.inner_text()
    for ward in ("Urgent Care Centre", "Minor Injuries Unit", "Emergency Department"):
        assert ward in text, ward
    assert text.count("improved") >= 3 and "the gain has held since the test" in text
    assert section.locator(".wb-spread-chart svg").count() == 1
    assert "Weeks from the ward's start" in section.locator(".wb-spread-chart").inner_text()
    assert "Traceback" not in page.content()


def test_driver_page_prints_the_theme_as_an_aim(guarded: Any) -> None:
    guarded.goto("/voila/render/driver.ipynb?review_theme=weak_recognition&ward=cm-miu",
                 ".wb-driver-table")
    text = guarded.page.inner_text(".wb-driver")
    assert "Driver diagram: Weak recognition (Minor Injuries Unit)" in text
    assert "being tested" in text and "This local change answers these national themes" in text
