"""YAML records: atomic saves, stale revisions refused, errors name file, line and field."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from workbench.domain.errors import RecordError, StaleRevisionError
from workbench.domain.records import Cycle
from workbench.services import cycles
from workbench.store.records import load_record, save_record
from workbench.store.workspace import Workspace

GOOD = """\
id: t1
ward: nh-ucc
theme: weak_recognition
change_idea: briefing_cards
owner: Nurse lead
objective: Spot red flags sooner
questions:
  - question: Will staff use the card?
    prediction: Most will
measures: [huddle_compliance, repeat_attendances]
start: 2026-06-01
"""


def write(ws: Workspace, name: str, text: str) -> Path:
    path = ws.cycles_dir / f"{name}.yaml"
    path.write_text(text, "utf-8")
    return path


def test_a_good_record_loads_and_defaults_to_two_weeks(files_ws: Workspace) -> None:
    cycle = load_record(write(files_ws, "t1", GOOD), Cycle)
    assert (cycle.end - cycle.start).days == 14


@pytest.mark.parametrize(
    ("text", "line", "field", "words"),
    [
        (GOOD.replace("start: 2026-06-01", "start: 2026-02-30"), 11, "start", "not a real date"),
        (GOOD.replace("    prediction: Most will\n", ""), 8, "questions.0.prediction", "required"),
        (GOOD.replace("owner: Nurse lead\n", "owner: Nurse lead\ncolour: blue\n"), 6, "colour",
         "unknown field"),
        (GOOD.replace("measures: [huddle_compliance, repeat_attendances]", "measures: [a, b"), 11,
         None, "not valid YAML"),
        (GOOD.replace("start: 2026-06-01", "start: 2026-06-01\nend: 2026-05-01"), 1, None,
         "end must be after start"),
    ],
)
def test_broken_yaml_names_file_line_and_field(files_ws: Workspace, text: str, line: int,
                                               field: str | None, words: str) -> None:
    path = write(files_ws, "broken", text)
    with pytest.raises(RecordError) as info:
        load_record(path, Cycle)
    err = info.value
    assert err.path == "pdsa/cycles/broken.yaml"  # never the server's folders
    assert err.line == line
    assert err.field == field
    assert words in str(err)
    assert "pdsa/cycles/broken.yaml" in str(err) and f"line {line}" in str(err)
    assert str(files_ws.root) not in str(err)


def test_stale_save_is_refused_and_the_file_is_unchanged(files_ws: Workspace) -> None:
    first = cycles.get_cycle(files_ws, "w7-stop-and-call")
    second = cycles.get_cycle(files_ws, "w7-stop-and-call")
    saved = cycles.save_cycle(files_ws, first.model_copy(update={"owner": "Ward 7 sister"}))
    assert saved.revision == first.revision + 1
    path = cycles.cycle_path(files_ws, "w7-stop-and-call")
    before = path.read_bytes()
    with pytest.raises(StaleRevisionError, match="nothing was written"):
        cycles.save_cycle(files_ws, second.model_copy(update={"owner": "Someone else"}))
    assert path.read_bytes() == before
    assert cycles.get_cycle(files_ws, "w7-stop-and-call").owner == "Ward 7 sister"


def test_save_is_atomic_when_the_write_fails(files_ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    path = cycles.cycle_path(files_ws, "w7-stop-and-call")
    before = path.read_bytes()
    cycle = cycles.get_cycle(files_ws, "w7-stop-and-call")

    def boom(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        save_record(path, cycle.model_copy(update={"owner": "X"}))
    assert path.read_bytes() == before
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_new_record_refuses_an_existing_id(files_ws: Workspace) -> None:
    data = cycles.get_cycle(files_ws, "w7-stop-and-call").model_dump(mode="json")
    with pytest.raises(RecordError, match="already exists"):
        cycles.new_cycle(files_ws, {**data, "active_reason": "testing"})


def test_a_record_read_again_is_parsed_again_only_when_it_changed(files_ws: Workspace) -> None:
    from workbench.store.records import read_parsed

    path = write(files_ws, "t1", GOOD)
    first = read_parsed(path)
    assert read_parsed(path)[1] is first[1], "an unchanged file is not parsed again"
    cycle = load_record(path, Cycle)
    cycles.save_cycle(files_ws, cycle.model_copy(update={"owner": "Ward sister"}))
    assert load_record(path, Cycle).owner == "Ward sister", "a saved file is read afresh"
    path.write_text(GOOD.replace("Nurse lead", "Matron"), "utf-8")  # edited in place, by hand
    assert load_record(path, Cycle).owner == "Matron"
    path.unlink()
    with pytest.raises(RecordError, match="no such record file"):
        load_record(path, Cycle)
