"""The leaders' roll-up page in Voila: every section shows, and a walkround can be logged."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

URL = "/voila/render/rollup.ipynb?today=2026-11-22"


def test_rollup_page_shows_every_section_in_plain_words(guarded: Any) -> None:
    guarded.goto(URL, ".wb-rollup-risk")
    page = guarded.page
    assert "Same-day GP summaries for evening visits" in page.inner_text(".wb-rollup-risk")
    for selector in (".wb-rollup-log", ".wb-rollup-actions", ".wb-rollup-themes",
                     ".wb-rollup-icons svg", ".wb-rollup-predictions", ".wb-rollup-scores",
                     ".wb-rollup-pitfalls"):
        assert page.wait_for_selector(selector), selector
    text = page.inner_text(".wb-rollup")
    assert "What have we changed due to recent reviews" in text
    assert "Overdue by 9 day(s)" in text and "Training with no follow-up check" in text
    assert "Traceback" not in page.content()


def test_a_leader_logs_a_walkround_and_confirms_a_score(guarded: Any, server: Any) -> None:
    guarded.goto(URL, ".wb-rollup-walk-save")
    page = guarded.page
    page.fill(".wb-rollup-walk-who input", "Chief nurse")
    page.fill(".wb-rollup-walk-changed textarea", "Discharge lounge uses the bundle every day.")
    page.fill(".wb-rollup-walk-in-the-way textarea", "Porters arrive late on Fridays.")
    page.click(".wb-rollup-walk-save")
    page.wait_for_selector(".wb-rollup-message.wb-message-ok")
    page.wait_for_function("document.querySelector('.wb-rollup-log').innerText"
                           ".includes('Porters arrive late on Fridays')")
    saved = (server.workspace / "pdsa" / "leaders_log.yaml").read_text("utf-8")
    assert "Chief nurse" in saved and "Porters arrive late" in saved
    page.fill(".wb-rollup-score-by input", "Chief nurse")
    page.click(".wb-rollup-score-save")
    page.wait_for_function("document.querySelector('.wb-rollup-message').innerText"
                           ".includes('confirmed for')")
    assert "confirmed_by: Chief nurse" in (server.workspace / "pdsa" / "leaders_log.yaml"
                                           ).read_text("utf-8")


def test_a_blank_walkround_is_refused_with_a_plain_message(guarded: Any) -> None:
    guarded.goto(URL, ".wb-rollup-walk-save")
    page = guarded.page
    page.click(".wb-rollup-walk-save")
    page.wait_for_selector(".wb-rollup-message.wb-message-error")
    msg = page.inner_text(".wb-rollup-message")
    assert "walkround" in msg and "Traceback" not in msg
