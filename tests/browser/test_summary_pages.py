"""The batch index and the leaders' roll-up with the summary table, drawn by real Chromium.

Both pages are written as files (the index as ``workbench batch`` writes it; the roll-up's
static HTML as papermill reports show it) and opened by ``file://`` with every request outside
the file refused, so they must render offline.  Screenshots at 1280x900 land in
``test-artifacts/`` for a person to look at.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import ARTIFACTS, files_only

pytestmark = pytest.mark.browser

DAY = dt.date(2026, 11, 22)  # the demo's last day of counts


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from workbench.demo import build_demo
    from workbench.store.workspace import resolve_workspace

    root = tmp_path_factory.mktemp("summarypages") / "ws"
    ws = resolve_workspace(root, db=f"sqlite:///{root / 'data' / 'workbench.sqlite'}")
    build_demo(ws)
    return ws


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    p = context.new_page()
    outside = files_only(p, ("file:", "data:", "about:"))
    yield p
    context.close()
    assert outside == [], f"the page tried to fetch {outside}"


def _shot(p: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    p.screenshot(path=str(ARTIFACTS / f"{name}-1280x900.png"))
    p.screenshot(path=str(ARTIFACTS / f"{name}-full.png"), full_page=True)


def test_batch_index_shows_the_summary_table_per_site(demo: Any, page: Any,
                                                      tmp_path: Path) -> None:
    from workbench.batch.index import write_index
    from workbench.services.wards import list_wards

    wards = [w.id for w in list_wards(demo)]
    info = {w: {"folder": w, "status": "ok", "ipynb": "04_check_result.ipynb",
                "html": "04_check_result.html"} for w in wards}
    info[wards[-1]] = {"folder": wards[-1], "status": "failed",
                       "error": "The report stopped: no counts for this ward"}
    manifest = {"notebook": "04_check_result", "run_id": "20261122T120000Z-04_check_result",
                "created": "2026-11-22T12:00:00+00:00", "wards": info}
    path = write_index(tmp_path, manifest, demo, DAY)
    page.goto(path.as_uri())
    sites = page.locator(".wb-index-site")
    assert sites.count() == 3, "one section per demo site"
    first = sites.nth(0).locator("tbody tr").first
    assert first.is_visible()
    # the first row of the first section is an exception, its words readable on screen
    assert first.get_attribute("class") in ("wb-exc-0", "wb-exc-1", "wb-exc-2")
    assert page.locator(".wb-index-failures").is_visible()
    assert "The report stopped" in page.inner_text(".wb-index-failures")
    box = page.locator(".wb-summary").first.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 1280, "the table fits the width"
    _shot(page, "batch-index")


def test_rollup_shows_the_summary_table_exceptions_first(demo: Any, page: Any,
                                                         tmp_path: Path) -> None:
    from workbench.services.rollup import rollup
    from workbench.ui.rollup import sections_html

    path = tmp_path / "rollup.html"
    path.write_text("<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"
                    + sections_html(demo, rollup(demo, DAY)) + "</body></html>", "utf-8")
    page.goto(path.as_uri())
    table = page.locator(".wb-rollup-summary > .wb-summary")
    assert table.is_visible()
    ranks = [int(c.split("-")[-1]) for c in
             table.locator("tbody tr").evaluate_all("rs => rs.map(r => r.className)")]
    # the exceptions show (most urgent first); the quiet rest waits behind one click
    assert ranks and ranks == sorted(ranks) and max(ranks) < 6
    assert "Getting worse" in table.inner_text()
    rest = page.locator(".wb-rollup-summary details")
    assert not rest.locator(".wb-summary").is_visible()
    rest.locator("summary").click()
    assert rest.locator(".wb-summary tbody tr").first.is_visible()
    rest.locator("summary").click()
    page.evaluate("[...document.querySelectorAll('h2')].find(h => h.innerText.startsWith("
                  "'Every ward')).scrollIntoView()")
    _shot(page, "rollup-summary")
