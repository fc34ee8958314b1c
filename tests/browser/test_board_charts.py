"""The board's charts as a ward reads them: grain caption, test band, targets form, span switch.

Screenshots at 1280x900 (and the A4 print view) land in ``test-artifacts/`` for a person to
look at.
"""

from __future__ import annotations

from typing import Any

import pytest

from workbench.store.settings import settings_path
from workbench.store.workspace import resolve_workspace

pytestmark = pytest.mark.browser

ARTIFACT_SIZE = {"width": 1280, "height": 900}


def _svg_text(page: Any) -> str:
    return " ".join(page.locator(".wb-board-chart svg text").all_text_contents())


def test_board_charts_say_their_grain_and_shade_the_test(guarded: Any) -> None:
    from tests.browser.conftest import ARTIFACTS

    page = guarded.page
    page.set_viewport_size(ARTIFACT_SIZE)
    guarded.goto("/voila/render/board.ipynb?ward=sh-dl", ".wb-board-chart svg")
    page.wait_for_function("document.querySelectorAll('.wb-board-chart svg text').length > 20")
    text = _svg_text(page)
    assert "Weekly totals, Mon\u2013Sun" in text  # bundle use: a few discharges a day
    assert "Daily values" in text
    assert "Test: Thu 12 Nov \u2013 Thu 26 Nov" in text
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "board-sh-dl-1280x900.png"))
    page.locator(".wb-board-chart").screenshot(path=str(ARTIFACTS / "board-sh-dl-charts.png"))
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 1123, "height": 794})  # A4 landscape at 96 dpi
    assert not page.locator(".wb-settings").is_visible()
    page.screenshot(path=str(ARTIFACTS / "board-sh-dl-a4-print.png"), full_page=True)
    page.emulate_media(media="screen")


def test_targets_form_sets_a_target_and_refuses_a_bad_one(guarded: Any, server: Any) -> None:
    from tests.browser.conftest import ARTIFACTS

    page = guarded.page
    page.set_viewport_size(ARTIFACT_SIZE)
    guarded.goto("/voila/render/board.ipynb?ward=cm-miu", ".wb-board-chart svg")
    ws = resolve_workspace(server.workspace, server.db)
    path = settings_path(ws)
    before = path.read_bytes() if path.exists() else None
    box = page.locator(".wb-target-value input")
    box.fill("150%")
    page.locator("button.wb-target-save").click()
    message = page.locator(".wb-settings-message.wb-message-error")
    message.wait_for()
    assert "between 0% and 100%" in message.inner_text()
    assert box.input_value() == "150%"  # what was typed is kept
    assert (path.read_bytes() if path.exists() else None) == before  # nothing written
    box.fill("90%")
    page.locator("button.wb-target-save").click()
    page.locator(".wb-settings-message.wb-message-ok").wait_for()
    assert "90%" in page.locator(".wb-settings-message").inner_text()
    page.wait_for_selector(".wb-signal .wb-target")
    assert "Target 90%" in page.locator(".wb-signal .wb-target").first.inner_text()
    assert "value: 0.9" in path.read_text("utf-8")
    page.locator(".wb-span button", has_text="Whole history").click()
    page.wait_for_timeout(500)
    page.locator(".wb-settings").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "board-cm-miu-target-1280x900.png"))


def test_landing_summary_table_puts_exceptions_first_and_filters(guarded: Any) -> None:
    from tests.browser.conftest import ARTIFACTS

    page = guarded.page
    page.set_viewport_size(ARTIFACT_SIZE)
    guarded.goto("/", ".wb-summary-table table")
    rows = page.locator(".wb-summary-table tbody tr")
    total = rows.count()
    assert total > 30
    first = rows.first.get_attribute("class")
    assert first is not None and first.startswith("wb-exc-")
    ranks = [int((rows.nth(i).get_attribute("class") or "wb-exc-6")[7:]) for i in range(total)]
    assert ranks == sorted(ranks)  # exceptions first
    page.select_option(".wb-summary-site select", "North Hospital")
    page.wait_for_function("document.querySelectorAll('.wb-summary-table tbody tr').length < "
                           f"{total}")
    sites = {rows.nth(i).get_attribute("data-site") for i in range(rows.count())}
    assert sites == {"North Hospital"}
    page.locator(".wb-summary-panel").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "landing-summary-north-1280x900.png"))
    assert page.locator("a.wb-summary-csv-link").get_attribute("download", timeout=5000)


def test_the_board_keeps_its_compiled_chart_and_draws_the_same_from_it(guarded: Any) -> None:
    """The first load compiles the chart and keeps it by its shape (browser storage); the next
    load fills the kept chart with the rows instead of compiling: the same drawing, to the
    character.  A kept chart that was altered shows the alteration, so the kept one is drawn."""
    page = guarded.page
    board = "/voila/render/board.ipynb?ward=sh-dl"
    drawn = "document.querySelectorAll('.wb-board-chart svg text').length > 20"
    guarded.goto(board, ".wb-board-chart svg")
    page.evaluate("() => localStorage.clear()")
    guarded.goto(board, ".wb-board-chart svg")
    page.wait_for_function(drawn)
    compiled = page.locator(".wb-board-chart svg").first.evaluate("e => e.outerHTML")
    kept = page.evaluate("() => JSON.parse(localStorage.getItem('workbench-chart:list'))")
    assert len(kept) == 1
    guarded.goto(board, ".wb-board-chart svg")
    page.wait_for_function(drawn)
    assert page.locator(".wb-board-chart svg").first.evaluate("e => e.outerHTML") == compiled
    page.evaluate("""k => {
        const name = 'workbench-chart:' + k;
        localStorage.setItem(name, localStorage.getItem(name).replaceAll('Daily values',
                                                                        'Kept chart'));
    }""", kept[0])
    guarded.goto(board, ".wb-board-chart svg")
    page.wait_for_function(drawn)
    assert "Kept chart" in _svg_text(page) and "Daily values" not in _svg_text(page)
    page.evaluate("() => localStorage.clear()")
