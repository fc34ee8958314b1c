"""The facilitator forms served next to the boards: plan a change (03), record a decision (04)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from workbench.catalogue import load_catalogue

pytestmark = pytest.mark.browser

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def _needs(name: str) -> None:
    if not (NOTEBOOKS / name).is_file():
        why = f"notebooks/{name} is not there yet"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(why)
        pytest.skip(why)


def test_a_cycle_planned_in_the_form_is_saved_and_shown_on_the_board(guarded: Any,
                                                                      server: Any) -> None:
    _needs("03_run_change.ipynb")
    cycles = server.workspace / "pdsa" / "cycles"
    existing = {p.name for p in cycles.glob("*.yaml")}
    guarded.goto("/voila/render/03_run_change.ipynb?ward=nh-cau", "button.wb-plan-save")
    page = guarded.page
    theme = load_catalogue().themes["muted_lived_experience"].name
    page.select_option(".wb-plan-theme select", label=theme)
    page.fill(".wb-plan-title input", "Ask families what worried them first")
    page.fill(".wb-plan-owner input", "Ward manager")
    page.fill(".wb-plan-objective textarea", "Every family is asked what worried them, first.")
    page.fill(".wb-plan-q1-question input", "Will the form be completed?")
    page.fill(".wb-plan-q1-prediction input", "Most families")
    page.click("button.wb-plan-save")
    page.wait_for_function("() => document.querySelector('.wb-plan-message').innerText"
                           ".includes('Saved cycle')", timeout=60_000)
    new = [p for p in cycles.glob("*.yaml") if p.name not in existing]
    assert len(new) == 1
    record = yaml.safe_load(new[0].read_text("utf-8"))
    assert record["ward"] == "nh-cau" and record["title"] == "Ask families what worried them first"
    guarded.goto("/voila/render/board.ipynb?ward=nh-cau", ".wb-board-cycle")
    assert "Ask families what worried them first" in page.locator(".wb-board-cycle").inner_text()


def test_the_decision_form_records_the_decision(guarded: Any, server: Any) -> None:
    _needs("04_check_result.ipynb")
    path = server.workspace / "pdsa" / "cycles" / "miu-infant-bruising-prompt.yaml"
    assert yaml.safe_load(path.read_text("utf-8"))["status"] == "studying"
    guarded.goto("/voila/render/04_check_result.ipynb?cycle=miu-infant-bruising-prompt",
                 "button.wb-decide-save")
    page = guarded.page
    # its charts carry no Vega-Embed menu ("Open in Vega Editor" would go to the internet)
    page.wait_for_selector(".vega-embed canvas, .vega-embed svg")
    assert page.locator(".vega-embed").count() >= 2
    assert page.locator(".vega-embed details, .vega-embed .vega-actions").count() == 0
    page.locator(".wb-decide-choice button", has_text="Adapt").click()
    page.fill(".wb-decide-reason textarea", "Prompt used on days only; adapt it for nights.")
    page.fill(".wb-decide-by input", "Unit lead")
    page.click("button.wb-decide-save")
    page.wait_for_function("() => document.querySelector('.wb-decide-message').innerText"
                           ".includes('Decision recorded')", timeout=60_000)
    record = yaml.safe_load(path.read_text("utf-8"))
    assert record["status"] == "decided"
    assert record["act"]["decision"] == "adapt"
    assert "nights" in record["act"]["reason"]
