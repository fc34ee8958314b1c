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


SVG = ".wb-board-chart svg"
DRAWN = "document.querySelectorAll('.wb-board-chart svg text').length > 20"
BOX = "e => { const r = e.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; }"


def _drawn_as(page: Any, how: str) -> str:
    """Wait for the board's chart to be drawn *how* ("kept": from the kept drawing, "live": by
    Vega); its SVG."""
    page.wait_for_selector(f".wb-board-chart[data-wb-drawn={how}] svg")
    page.wait_for_function(DRAWN)
    return str(page.locator(SVG).first.evaluate("e => e.outerHTML"))


def _point_at_chart(page: Any) -> str:
    """Point at the chart (which makes a kept drawing live), wait for the live chart, and move
    the pointer away again (so the next page's chart does not appear under it); its SVG."""
    page.hover(".wb-board-chart")
    svg = _drawn_as(page, "live")
    page.mouse.move(0, 0)
    return svg


def _alter(page: Any, kind: str, old: str, new: str) -> None:
    """Replace *old* by *new* in every kept entry of *kind* ("chart" or "drawing")."""
    page.evaluate("""([kind, old, now]) => {
        for (const k of JSON.parse(localStorage.getItem(`workbench-${kind}:list`))) {
            const name = `workbench-${kind}:` + k;
            localStorage.setItem(name, localStorage.getItem(name).replaceAll(old, now));
        }
    }""", [kind, old, new])


def test_the_board_keeps_its_compiled_chart_and_draws_the_same_from_it(guarded: Any) -> None:
    """The first load compiles the chart and keeps it by its shape, and keeps the drawing by its
    shape and rows (browser storage).  The next load shows the kept drawing at once, in the
    same place and size; pointing at it draws the live chart from the kept compiled chart,
    without compiling: the same drawing, to the character.  Altering what is kept shows the
    alteration, so the kept ones are what is drawn; a drawing kept by another version of the
    browser is not shown."""
    page = guarded.page
    board = "/voila/render/board.ipynb?ward=sh-dl"
    guarded.goto(board, SVG)
    page.evaluate("() => localStorage.clear()")
    guarded.goto(board, SVG)
    compiled = _drawn_as(page, "live")
    box = page.locator(SVG).first.evaluate(BOX)
    kept = page.evaluate("() => JSON.parse(localStorage.getItem('workbench-chart:list'))")
    drawings = page.evaluate("() => JSON.parse(localStorage.getItem('workbench-drawing:list'))")
    assert len(kept) == 1 and len(drawings) == 1

    guarded.goto(board, SVG)
    assert _drawn_as(page, "kept") == compiled
    assert page.locator(SVG).first.evaluate(BOX) == box
    assert _point_at_chart(page) == compiled

    _alter(page, "chart", "Daily values", "Kept chart")
    guarded.goto(board, SVG)
    assert "Daily values" in _drawn_as(page, "kept")
    live = _point_at_chart(page)
    assert "Kept chart" in live and "Daily values" not in live

    _alter(page, "drawing", "Daily values", "Kept drawing")
    guarded.goto(board, SVG)
    assert "Kept drawing" in _drawn_as(page, "kept")

    _alter(page, "drawing", "Mozilla", "Another browser")
    guarded.goto(board, SVG)
    assert "Kept chart" in _drawn_as(page, "live")  # not the drawing; the kept compiled chart
    page.evaluate("() => localStorage.clear()")
