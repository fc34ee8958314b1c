"""A 40-ward trust: one site's block of the batch index fits one 1280x900 screen.

The workspace is the benchmark's (``benchmarks/bench_summary_table.py``: 40 wards on 4 sites,
6 measures, 730 days of counts, targets on a third of the wards), so the test and the
benchmark read the same trust.  The index is written by :func:`workbench.batch.index.
write_index` for a run of every ward (running 40 notebooks would test papermill, not the page).
Each site's block shows the measures that need a look, exceptions first; the measures with
nothing unusual wait behind one click, as in the roll-up.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 3)
SCREEN = {"width": 1280, "height": 900}


def _bench() -> Any:
    spec = importlib.util.spec_from_file_location(
        "bench_summary_table", REPO / "benchmarks" / "bench_summary_table.py")
    if spec is None or spec.loader is None:
        raise RuntimeError("benchmarks/bench_summary_table.py is missing")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def big_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    from workbench.batch.index import write_index
    from workbench.services.targets import set_target

    root = tmp_path_factory.mktemp("bigtrust")
    ws = _bench().build(root / "ws", 40, 730, TODAY)
    for i in range(0, 40, 3):  # as the benchmark: targets on a third of the wards
        set_target(ws, f"w{i:02d}", "sepsis_screen_first_hour", "95%", dt.date(2026, 1, 1))
    wards = [f"w{i:02d}" for i in range(40)]
    manifest = {"notebook": "04_check_result", "run_id": "20261203T070000Z-04_check_result",
                "created": "2026-12-03T07:00:00+00:00",
                "wards": {w: {"folder": w, "status": "ok", "html": "04_check_result.html"}
                          for w in wards}}
    out = root / "run"
    out.mkdir()
    return write_index(out, manifest, ws, TODAY), ws


def test_one_sites_block_fits_one_screen(big_index: tuple[Path, Any], browser: Any) -> None:
    from workbench.services.summary_table import summary_table

    path, ws = big_index
    table = summary_table(ws, today=TODAY)
    context = browser.new_context(viewport=SCREEN)
    page = context.new_page()
    try:
        page.goto(path.as_uri())
        sites = page.locator(".wb-index-site")
        assert sites.count() == 4
        for i in range(4):
            block = sites.nth(i)
            site = block.get_attribute("data-site")
            mine = table[table["site"] == site]
            assert len(mine) == 60  # 10 wards x 6 measures
            shown = block.locator(".wb-summary tbody tr:visible")
            # every measure that needs a look is in view, and only those
            assert shown.count() == int((mine["exception"] < 6).sum())
            block.scroll_into_view_if_needed()
            box = block.bounding_box()
            assert box is not None
            assert box["height"] <= SCREEN["height"], \
                f"{site}'s block is {box['height']:.0f}px tall on a {SCREEN['height']}px screen"
            assert box["x"] + box["width"] <= SCREEN["width"]
            # the rest is one click away, all of it
            block.locator("details.wb-index-quiet > summary").click()
            assert shown.count() == 60
            block.locator("details.wb-index-quiet > summary").click()
        sites.nth(0).scroll_into_view_if_needed()
        ARTIFACTS.mkdir(exist_ok=True)
        page.evaluate("document.querySelector('.wb-index-site').scrollIntoView()")
        page.screenshot(path=str(ARTIFACTS / "readable-index-40-wards-1280x900.png"))
    finally:
        context.close()
