"""Driver diagrams from the catalogue and the wards' cycles (demo records, no database)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.domain.errors import NotFoundError
from workbench.services.driver import driver_data, driver_diagram
from workbench.store.workspace import Workspace


def _idea(d, idea_id: str):
    return next(i for i in d.ideas if i.id == idea_id)


def test_the_service_wide_diagram_marks_what_each_ward_did(files_ws: Workspace) -> None:
    d = driver_diagram(files_ws, "weak_recognition")
    assert d.aim == "See the red flags early." and d.ward is None
    # primary drivers are the method areas of the theme's change ideas
    assert [p.text for p in d.primaries] == ["Recognition and escalation"]
    # the map row for weak recognition (missed patterns) is a secondary driver with its ideas
    first = d.primaries[0].secondaries[0]
    assert first.text.startswith("Missed patterns put right")
    assert [i.id for i in first.ideas] == ["repeat_attender_flag", "repeat_attender_huddle"]
    # the demo's cycles: prompt adopted in urgent care (and spreading), cards abandoned in ED
    prompt = _idea(d, "bruising_prompt_triage")
    assert prompt.state == "adopted" and prompt.cycles == [  # in the order they started
        "ucc-infant-bruising-prompt", "miu-infant-bruising-prompt", "ed-infant-bruising-prompt"]
    assert _idea(d, "briefing_cards").state == "abandoned"
    assert _idea(d, "senior_advice_line").state_words == "not tried yet"
    # measures: the map row's for map ideas, the cycle's own for the others
    assert [m.id for m in _idea(d, "repeat_attender_huddle").measures] == [
        "huddle_compliance", "repeat_attendances"]
    assert "bruising_prompt_use" in [m.id for m in prompt.measures]
    assert d.national and "vulnerability of babies" in " ".join(d.national)


def test_a_wards_diagram_shows_its_own_aim_and_tests(files_ws: Workspace) -> None:
    d = driver_diagram(files_ws, "weak_recognition", ward="cm-miu")
    assert d.ward is not None and d.ward.name == "Minor Injuries Unit"
    assert d.aim_detail == "Spread the adopted triage prompt to the minor injuries unit."
    assert _idea(d, "bruising_prompt_triage").state_words == "being tested"
    assert _idea(d, "repeat_attender_huddle").state == "untried"  # urgent care's, not MIU's
    data = driver_data(d)
    assert data["ward_name"] == "Minor Injuries Unit"
    assert json.dumps(data)  # JSON-ready


def test_unknown_theme_or_ward_is_refused_with_a_suggestion(files_ws: Workspace) -> None:
    with pytest.raises(NotFoundError, match="Did you mean 'weak_recognition'"):
        driver_diagram(files_ws, "weak_recognitoin")
    with pytest.raises(NotFoundError):
        driver_diagram(files_ws, "weak_recognition", ward="nowhere")


def test_driver_command_prints_and_writes_one_page_html(files_ws: Workspace,
                                                        tmp_path: Path) -> None:
    env = {**os.environ, "WORKBENCH_HOME": str(files_ws.root)}
    wb = [sys.executable, "-m", "workbench", "driver"]
    out = subprocess.run([*wb, "unsafe_transfers", "--ward", "sh-amu"], capture_output=True,
                         text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "AIM: Build a bridge at every handover of care." in out.stdout
    assert "(adopted) [amu-ld-discharge-template]" in out.stdout
    page = tmp_path / "driver.html"
    out = subprocess.run([*wb, "unsafe_transfers", "--html", str(page)], capture_output=True,
                         text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    text = page.read_text("utf-8")
    assert "@page { size: A4 landscape" in text and 'class="wb-driver-table"' in text
    bad = subprocess.run([*wb, "no_such_theme"], capture_output=True, text=True, env=env,
                         timeout=120)
    assert bad.returncode == 1 and bad.stderr.startswith("Refused: unknown theme")
