"""Can a ward sister and a board member read the pages?  Board, landing page, batch index and
roll-up in real Chromium, on screen at 1280x900 and printed on A4.

Each test saves what it saw into ``test-artifacts/`` (``readable-*``): a 1280x900 screenshot,
a full-page screenshot in the print view at A4 width and, for the batch index, the PDF Chromium
prints.  The checks are about reading, not about numbers (those are tested in
``tests/services``): the summary table's rows carry their icons, the test band and its label
are drawn above and beside the points rather than over them, the grain caption is printed, text
is not tiny, and nothing sticks out past the screen or the paper's edge.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import ARTIFACTS, files_only

pytestmark = pytest.mark.browser

SCREEN = {"width": 1280, "height": 900}
A4_PORTRAIT = {"width": 794, "height": 1123}  # 210 x 297 mm at 96 px per inch
A4_LANDSCAPE = {"width": 1123, "height": 794}
MIN_TEXT_PX = 12.0
"""Smallest font a table's words may use (px): 9pt, the smallest an NHS print guide allows."""

_OVERFLOW = """sel => [...document.querySelectorAll(sel)].filter(e => e.offsetParent !== null)
  .map(e => { const b = e.getBoundingClientRect();
              return {sel: e.className.baseVal ?? e.className, left: b.left, right: b.right}; })
  .filter(b => b.left < -1 || b.right > document.documentElement.clientWidth + 1)"""
"""Visible elements matching a selector that stick out past the page's left or right edge."""

_BOXES = """sel => [...document.querySelectorAll(sel)].map(e => e.getBoundingClientRect())
  .filter(b => b.width > 0 && b.height > 0)
  .map(b => ({x: b.x, y: b.y, w: b.width, h: b.height}))"""


def _save(page: Any, name: str, *, print_size: dict[str, int], pdf: bool = False) -> None:
    """Screenshot at 1280x900, then the print view at A4 width (and its PDF when asked)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size(SCREEN)
    page.screenshot(path=str(ARTIFACTS / f"readable-{name}-1280x900.png"))
    page.emulate_media(media="print")
    page.set_viewport_size(print_size)
    page.wait_for_timeout(300)  # let charts that follow their width redraw
    # Voila pages scroll inside a container, so a "full page" shot would stop at the first
    # screen: make the window as tall as the content instead (at most 8000 px)
    tall = page.evaluate("Math.max(...[...document.querySelectorAll('body, body *')]"
                         ".map(e => e.scrollHeight))")
    page.set_viewport_size({"width": print_size["width"], "height": min(8000, max(tall, 600))})
    page.screenshot(path=str(ARTIFACTS / f"readable-{name}-a4-print.png"), full_page=True)
    page.set_viewport_size(print_size)
    if pdf:
        page.pdf(path=str(ARTIFACTS / f"readable-{name}-a4.pdf"), format="A4",
                 print_background=True)


def _fits_print(page: Any, selectors: tuple[str, ...]) -> None:
    """In the print view at A4 width: no element of *selectors* and not the page itself is
    wider than the paper (a cut-off column or chart)."""
    width = page.evaluate("document.documentElement.clientWidth")
    for sel in selectors:
        assert page.locator(sel).count() > 0, f"nothing matches {sel} in the print view"
        out = page.evaluate(_OVERFLOW, sel)
        assert out == [], f"{sel} runs past the {width}px wide page in print: {out[:3]}"
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width + 1, f"the printed page is {scroll}px wide on {width}px of paper"


def _summary_rows_have_icons(rows: Any) -> None:
    """Every row of a summary table has its variation circle, and a target circle or 'No
    target'; its words are at least :data:`MIN_TEXT_PX`."""
    n = rows.count()
    assert n > 0
    cells = rows.evaluate_all("""rs => rs.map(r => ({
        icons: r.querySelectorAll('.wb-ticon').length,
        words: r.innerText,
        size: parseFloat(getComputedStyle(r.querySelector('td')).fontSize)}))""")
    for c in cells:
        assert c["icons"] == 2 or (c["icons"] == 1 and "No target" in c["words"]), c
        assert c["size"] >= MIN_TEXT_PX, c


def _no_overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (a["x"] + a["w"] <= b["x"] or b["x"] + b["w"] <= a["x"]
            or a["y"] + a["h"] <= b["y"] or b["y"] + b["h"] <= a["y"])


def test_board_is_readable_on_screen_and_on_a4(guarded: Any) -> None:
    page = guarded.page
    page.set_viewport_size(SCREEN)
    guarded.goto("/voila/render/board.ipynb?ward=sh-dl", ".wb-board-chart svg")
    page.wait_for_function("document.querySelectorAll('.wb-board-chart svg text').length > 20")
    text = " ".join(page.locator(".wb-board-chart svg text").all_text_contents())
    assert "weekly totals, mon\u2013sun" in text.lower()  # the grain is printed on the chart
    band = page.evaluate(_BOXES, ".wb-board-chart svg [class*='test_band'] path")
    labels = page.evaluate(_BOXES, ".wb-board-chart svg [class*='test_label'] text")
    points = page.evaluate(_BOXES, ".wb-board-chart svg [class*='points_'] path")
    assert band and labels and points, "each chart shades its test and labels it"
    assert all(b["w"] >= 10 for b in band), f"a test band too thin to see: {band}"
    for label in labels:
        assert all(_no_overlap(label, p) for p in points), f"the test label covers a point: {label}"
        # the label sits in the band above the plot: its bottom is at or above the band's top
        assert any(label["y"] + label["h"] <= b["y"] + 1 for b in band), label
    # the labels right of each plot (limits, centre, target) do not touch one another
    for i in range(4):
        side = page.evaluate(_BOXES, f".wb-board-chart svg [class*='cl_label_{i}'] text, "
                                     f".wb-board-chart svg [class*='target_label_{i}'] text")
        clash = [(a, b) for j, a in enumerate(side) for b in side[j + 1:] if not _no_overlap(a, b)]
        assert not clash, f"labels right of chart {i} overlap: {clash}"
    # full colour in the test, faded before it
    opacities = set(page.eval_on_selector_all(
        ".wb-board-chart svg [class*='points_'] path",
        "ps => ps.map(p => p.getAttribute('opacity') || p.style.opacity || '1')"))
    assert "1" in opacities and len(opacities) > 1
    _save(page, "board", print_size=A4_LANDSCAPE)
    _fits_print(page, (".wb-board-chart svg", ".wb-board-cycle", ".wb-signal"))
    assert not page.locator(".wb-counts").is_visible()  # the form stays off the paper
    page.emulate_media(media="screen")


def test_landing_page_summary_is_readable_on_screen_and_on_a4(guarded: Any) -> None:
    page = guarded.page
    page.set_viewport_size(SCREEN)
    guarded.goto("/", ".wb-summary-table table")
    rows = page.locator(".wb-summary-table tbody tr")
    _summary_rows_have_icons(rows)
    grains = page.locator(".wb-summary-table .wb-grain").all_inner_texts()
    assert any(g.lower().startswith("weekly totals, mon\u2013sun") for g in grains)
    box = page.locator(".wb-summary-table table").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= SCREEN["width"]
    page.locator(".wb-summary-panel").scroll_into_view_if_needed()
    _save(page, "landing", print_size=A4_PORTRAIT)
    _fits_print(page, (".wb-summary-table table", ".wb-ward-link"))
    page.emulate_media(media="screen")


def test_rollup_is_readable_on_screen_and_on_a4(guarded: Any) -> None:
    page = guarded.page
    page.set_viewport_size(SCREEN)
    guarded.goto("/voila/render/rollup.ipynb?today=2026-11-22", ".wb-rollup-summary .wb-summary")
    _summary_rows_have_icons(page.locator(".wb-rollup-summary > .wb-summary tbody tr"))
    assert "Getting worse" in page.inner_text(".wb-rollup-summary")
    _save(page, "rollup", print_size=A4_PORTRAIT)
    _fits_print(page, (".wb-rollup-summary .wb-summary", ".wb-rollup-icons svg",
                       ".wb-rollup-risk"))
    page.emulate_media(media="screen")


@pytest.fixture(scope="module")
def batch_run(server: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real ``workbench batch`` run of step 4 for a ward on each demo site."""
    out = tmp_path_factory.mktemp("readable-batch")
    env = {**os.environ, "WORKBENCH_HOME": str(server.workspace), "WORKBENCH_DB": server.db}
    done = subprocess.run(
        [sys.executable, "-m", "workbench", "batch", "--wards", "sh-dl,nh-ucc,cm-miu",
         "--as-of", "2026-11-22", "--jobs", "2", "--no-progress", "--out", str(out)],
        env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    found = sorted(out.glob("*/index.html"))
    assert len(found) == 1, found
    return found[0]


@pytest.fixture
def file_page(browser: Any) -> Any:
    """A page for ``file://`` pages that may fetch nothing else."""
    context = browser.new_context(viewport=SCREEN)
    page = context.new_page()
    outside = files_only(page, ("file:", "data:", "about:", "blob:"))
    yield page
    context.close()
    assert outside == [], f"the page tried to fetch {outside}"


def test_batch_index_is_readable_on_screen_and_on_a4(batch_run: Path, file_page: Any) -> None:
    page = file_page
    page.goto(batch_run.as_uri())
    sites = page.locator(".wb-index-site")
    assert sites.count() == 3, "one block per site"
    _summary_rows_have_icons(page.locator(".wb-index-site .wb-summary tbody tr:visible"))
    # ward names, not ward codes, where the name is there
    words = page.inner_text("body")
    for code in ("sh-dl", "nh-ucc", "cm-miu"):
        assert code not in words, f"the ward code {code} is shown where its name belongs"
    assert "Discharge Lounge" in page.inner_text(".wb-runs")
    _save(page, "batch-index", print_size=A4_PORTRAIT, pdf=True)
    _fits_print(page, (".wb-summary", ".wb-runs"))


def test_step_four_report_draws_the_points_the_verdict_reads(batch_run: Path,
                                                             file_page: Any) -> None:
    """The batch's step-4 report for the discharge lounge: its test chart is captioned as the
    counts as stored (the points the verdict counts), with the test window shaded."""
    report = next(batch_run.parent.glob("sh-dl*/*.html"))
    page = file_page
    page.goto(report.as_uri())
    page.wait_for_function("document.querySelectorAll('svg text').length > 20")
    # a caption's lines are one <text> with a <tspan> each: compare without the spaces
    text = "".join(page.locator("svg text").all_text_contents()).lower().replace(" ", "")
    assert "eachcountasstored:thepointsthetestverdictreads" in text
    assert "(theboardshowsweeklytotals,mon\u2013sun)" in text
    assert "thelast90daysshown" in text
    assert page.locator("svg [class*='test_band'] path").count() > 0
    page.locator("svg").first.scroll_into_view_if_needed()
    _save(page, "step4-report", print_size=A4_PORTRAIT)
