"""A batch report opened from disk in Chromium draws its charts with the run's own bundle.

The analyst mails a run folder or opens it on a ward PC: the page is a file, nothing may be
fetched, and every chart must appear.  Without the bundle beside it the page still reads.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from workbench.store.workspace import Workspace, resolve_workspace

pytestmark = [pytest.mark.browser, pytest.mark.papermill]


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real batch run of step 4 for a ward with a cycle and one without."""
    from workbench.batch import run_batch
    from workbench.demo import build_demo

    root = tmp_path_factory.mktemp("reports") / "ws"
    ws: Workspace = resolve_workspace(root, db=f"sqlite:///{root / 'data' / 'workbench.sqlite'}")
    build_demo(ws)
    result = run_batch(ws, wards="nh-ucc,nh-cau", jobs=2, out=root / "reports", progress=False)
    assert result.failed == {}
    return result.folder


@pytest.fixture
def file_page(browser: Any) -> Iterator[tuple[Any, list[str]]]:
    """A page that records every request that is not a local file."""
    context = browser.new_context(viewport={"width": 1200, "height": 1000})
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(("file://", "data:", "blob:",
                                                            "about:")) else outside.append(r.url))
    try:
        yield page, outside
    finally:
        context.close()


@pytest.mark.parametrize("ward", ["nh-ucc", "nh-cau"])
def test_every_chart_is_drawn_from_the_file_alone(run_folder: Path, file_page: Any,
                                                   ward: str) -> None:
    page, outside = file_page
    page.goto((run_folder / ward / "04_check_result.html").as_uri())
    specs = page.locator("script.wb-vega-spec").count()
    assert specs >= 2
    page.wait_for_function(
        f"document.querySelectorAll('.wb-vega-view svg.marks').length === {specs}",
        timeout=30_000)
    assert page.locator(".wb-vega-missing").count() == 0
    assert page.locator(".wb-vega-view[aria-label]").count() == specs
    assert "Usual ups and downs" in page.locator(".wb-vega-view svg").first.inner_html(), \
        "the legend says what the point types mean"
    assert not outside, f"the report tried to fetch {outside}"


def test_without_the_bundle_the_report_still_reads(run_folder: Path, file_page: Any,
                                                   tmp_path: Path) -> None:
    page, outside = file_page
    lone = tmp_path / "mailed" / "report.html"
    lone.parent.mkdir()
    shutil.copy(run_folder / "nh-ucc" / "04_check_result.html", lone)
    page.goto(lone.as_uri())
    page.wait_for_selector("text=Did the predictions hold?")
    missing = page.locator(".wb-vega-missing")
    assert missing.count() >= 2
    assert "drawn when the page opens" in missing.first.inner_text()
    assert page.locator("figcaption").count() >= 2, "the plain words under each chart remain"
    assert not outside, f"the report tried to fetch {outside}"
