"""Spread reaches the next ward: step 4's spread form starts a test there, shown on that ward's
board and on the landing page, linked back to the test it came from."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

pytestmark = pytest.mark.browser

SOURCE = "amu-ld-discharge-template"  # demo: adopted on the Acute Medical Unit
TARGET = "nh-ed"  # demo: no test under way
CHILD = f"{SOURCE}-{TARGET}"


def test_a_spread_planned_in_step_4_shows_on_the_next_wards_board_and_the_landing_page(
        guarded: Any, server: Any) -> None:
    cycles = server.workspace / "pdsa" / "cycles"
    guarded.goto(f"/voila/render/04_check_result.ipynb?cycle={SOURCE}", "button.wb-spread-save")
    page = guarded.page
    page.select_option(".wb-spread-ward select", label="Emergency Department")
    page.fill(".wb-spread-owner input", "ED sister")
    page.click("button.wb-spread-save")
    page.wait_for_function("() => document.querySelector('.wb-spread-message').innerText"
                           ".includes('Spread to Emergency Department')", timeout=60_000)
    source = yaml.safe_load((cycles / f"{SOURCE}.yaml").read_text("utf-8"))
    assert source["spread"][-1] == {**source["spread"][-1], "ward": TARGET, "cycle": CHILD}
    child = yaml.safe_load((cycles / f"{CHILD}.yaml").read_text("utf-8"))
    assert (child["ward"], child["parent_cycle"], child["owner"]) == (TARGET, SOURCE,
                                                                     "ED sister")

    guarded.goto(f"/voila/render/board.ipynb?ward={TARGET}", ".wb-board-cycle")
    line = page.locator(".wb-board-cycle")
    assert line.get_attribute("data-cycle") == CHILD
    assert "spread from Acute Medical Unit" in line.inner_text()
    href = page.locator(".wb-board-cycle .wb-parent a").get_attribute("href")
    assert href == f"04_check_result.ipynb?cycle={SOURCE}"

    guarded.goto("/", ".wb-active-cycles")
    row = page.locator(f".wb-active-cycles tr[data-cycle='{CHILD}']")
    assert row.count() == 1
    assert "Emergency Department" in row.inner_text()
    assert row.locator(f".wb-parent[data-parent='{SOURCE}']").count() == 1
