"""The action log: refusals, the evidence rule, flags and the PSIRF tracker exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path

import pytest

from workbench.domain.errors import PatientDataError, ValidationFailed
from workbench.domain.records import ActionStatus, Strength
from workbench.services import actions, tracker
from workbench.store.workspace import Workspace, resolve_workspace

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def stored_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from workbench.demo import build_demo

    root = tmp_path_factory.mktemp("actions") / "ws"
    build_demo(resolve_workspace(root, f"sqlite:///{root / 'data' / 'workbench.sqlite'}"))
    return root


@pytest.fixture(scope="module")
def files_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from workbench.demo import build_demo

    root = tmp_path_factory.mktemp("actions-files") / "ws"
    build_demo(resolve_workspace(root), load_store=False)
    return root


@pytest.fixture
def files_ws(files_template: Path, tmp_path: Path) -> Workspace:
    """A fresh copy of the demo records (no database) for each test."""
    shutil.copytree(files_template / "pdsa", tmp_path / "ws" / "pdsa")
    return resolve_workspace(tmp_path / "ws", f"sqlite:///{tmp_path / 'ws' / 'none.sqlite'}")


@pytest.fixture
def stored_ws(stored_template: Path, tmp_path: Path) -> Workspace:
    root = tmp_path / "ws"
    shutil.copytree(stored_template, root)
    return resolve_workspace(root, f"sqlite:///{root / 'data' / 'workbench.sqlite'}")


def base(**over: object) -> dict[str, object]:
    data: dict[str, object] = {
        "text": "Add a repeat-attender flag to the booking screen.", "theme": "weak_recognition",
        "source": "CSPR cspr-2026-03", "source_ref": "cspr-2026-03/f1", "owner": "Nurse lead",
        "verifier": "Head of patient safety", "due": dt.date(2026, 12, 4)}
    data.update(over)
    return data


@pytest.mark.parametrize(("field", "value", "words"), [
    ("owner", "", "owner: every action needs an owner"),
    ("owner", "   ", "owner: every action needs an owner"),
    ("due", None, "due: every action needs a due date"),
    ("verifier", "Nurse lead", "verifier must be someone other than the owner"),
    ("verifier", "nurse LEAD", "verifier must be someone other than the owner"),
])
def test_new_action_refuses_missing_owner_due_or_self_verification(
        files_ws: Workspace, field: str, value: object, words: str) -> None:
    with pytest.raises(ValidationFailed) as err:
        actions.new_action(files_ws, base(**{field: value}))
    assert any(words in p for p in err.value.problems)
    assert not (files_ws.actions_dir / "act-007.yaml").exists()


def test_new_action_is_saved_with_the_next_id_and_a_suggested_strength(files_ws: Workspace) -> None:
    a = actions.new_action(files_ws, base(text="Email everyone a reminder about repeat attenders"))
    assert a.id == "act-007" and a.revision == 1 and a.status == ActionStatus.OPEN
    assert a.strength == Strength.WEAKER
    assert actions.get_action(files_ws, "act-007") == a
    flags = {f.kind for f in actions.view(a, TODAY).flags}
    assert "weak" in flags


def test_new_action_refuses_unknown_theme_cycle_measure_and_patient_data(files_ws: Workspace) -> None:
    with pytest.raises(ValidationFailed, match="unknown theme"):
        actions.new_action(files_ws, base(theme="nope"))
    with pytest.raises(ValidationFailed, match="no cycle"):
        actions.new_action(files_ws, base(cycle="nope"))
    with pytest.raises(ValidationFailed, match="not a measure of cycle"):
        actions.new_action(files_ws, base(cycle="ucc-infant-bruising-prompt", measure="bundle_use"))
    with pytest.raises(PatientDataError):
        actions.new_action(files_ws, base(text="Follow up NHS 943 476 5919 at home"))


def test_flags_weak_training_without_follow_up_overdue_and_too_big(files_ws: Workspace) -> None:
    log = {v.action.id: v for v in actions.action_log(files_ws, TODAY)}
    assert log["act-003"].overdue and "overdue" in {f.kind for f in log["act-003"].flags}
    assert not log["act-005"].overdue
    assert list(log)[0] == "act-003"  # overdue first
    training = {f.kind for f in log["act-004"].flags}
    assert {"weak", "training_no_follow_up"} <= training
    assert "Stronger:" in next(f.message for f in log["act-004"].flags if f.kind == "weak")
    big = actions.new_action(files_ws, base(text="1) audit notes 2) retrain staff 3) new policy "
                                           "4) posters in every bay " + "and more " * 20,
                                            follow_up_check="Audit in March"))
    kinds = [f.kind for f in actions.view(big, TODAY).flags]
    assert "too_big" in kinds and "training_no_follow_up" not in kinds
    # an open action is not overdue on its due date, only after it
    a = actions.get_action(files_ws, "act-003")
    assert not actions.view(a, a.due).overdue and actions.view(a, a.due + dt.timedelta(1)).overdue


def test_effective_needs_the_verifier_and_evidence(files_ws: Workspace) -> None:
    a = actions.new_action(files_ws, base())
    with pytest.raises(ValidationFailed, match="owner marks it done"):
        actions.verify(files_ws, a.id, "Head of patient safety", reason="seen")
    actions.mark_done(files_ws, a.id, note="Flag live on every screen.")
    with pytest.raises(ValidationFailed, match="its verifier"):
        actions.verify(files_ws, a.id, "Nurse lead", reason="I did it")
    with pytest.raises(ValidationFailed, match="only the named verifier"):
        actions.verify(files_ws, a.id, "Someone else", reason="fine")
    with pytest.raises(ValidationFailed, match="no improvement signal"):
        actions.verify(files_ws, a.id, "Head of patient safety")  # no cycle, no reason
    done = actions.verify(files_ws, a.id, "head of patient safety",
                          reason="Spot check: 9 of 10 repeat attenders flagged.")
    assert done.status == ActionStatus.EFFECTIVE and done.verified_by == "Head of patient safety"
    assert "Spot check" in done.evidence and "Flag live" in done.evidence
    reopened = actions.reopen(files_ws, a.id, "The flag was switched off in an update.")
    assert reopened.status == ActionStatus.REOPENED and reopened.verified_by == ""


def test_not_effective_needs_a_reason(files_ws: Workspace) -> None:
    actions.mark_done(files_ws, "act-005")
    with pytest.raises(ValidationFailed, match="reason"):
        actions.verify(files_ws, "act-005", "Learning disability liaison nurse", effective=False)
    got = actions.verify(files_ws, "act-005", "Learning disability liaison nurse",
                         effective=False, reason="Templates were not used at weekends.")
    assert got.status == ActionStatus.NOT_EFFECTIVE


def test_linked_signal_from_check_cycle_is_evidence(stored_ws: Workspace) -> None:
    a = actions.new_action(stored_ws, base(cycle="ucc-infant-bruising-prompt",
                                           measure="bruising_prompt_use"))
    signal = actions.linked_signal(stored_ws, a)
    assert signal is not None and ": improved" in signal and "ucc-infant-bruising-prompt" in signal
    actions.mark_done(stored_ws, a.id)
    done = actions.verify(stored_ws, a.id, "Head of patient safety")  # the signal is enough
    assert done.status == ActionStatus.EFFECTIVE and "Linked signal" in done.evidence
    # a measure that did not move the better way gives no signal
    b = actions.new_action(stored_ws, base(cycle="ucc-infant-bruising-prompt",
                                           measure="triage_minutes"))
    assert actions.linked_signal(stored_ws, b) is None


def test_update_keeps_status_changes_to_their_own_steps(files_ws: Workspace) -> None:
    with pytest.raises(ValidationFailed, match="status"):
        actions.update_action(files_ws, "act-004", {"status": "effective"})
    got = actions.update_action(files_ws, "act-004", {"follow_up_check": "Observe 5 triages"})
    assert got.follow_up_check == "Observe 5 triages" and got.revision == 2
    assert "training_no_follow_up" not in {f.kind for f in actions.view(got, TODAY).flags}


def test_exports_are_re_readable_and_neutralised(files_ws: Workspace, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    actions.new_action(files_ws, base(text="=HYPERLINK(\"http://x\") add the flag",
                                      owner="+Nurse lead", verifier="@safety", id="act-x"))
    text = tracker.export_csv(files_ws, tmp_path / "t.csv", TODAY)
    assert (tmp_path / "t.csv").read_text("utf-8") == text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 7 and list(rows[0]) == list(tracker.TRACKER_COLUMNS)
    bad = next(r for r in rows if r["ID"] == "act-x")
    assert bad["Action"].startswith("'=") and bad["Owner"] == "'+Nurse lead"
    assert bad["Verifier"] == "'@safety"
    assert next(r for r in rows if r["ID"] == "act-003")["Overdue"] == "Yes"
    for r in rows:
        assert not any(v.startswith(("=", "+", "-", "@")) for v in r.values())
    path = tracker.export_xlsx(files_ws, tmp_path / "t.xlsx", TODAY)
    sheet = load_workbook(path).active
    assert sheet is not None
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == list(tracker.TRACKER_COLUMNS) and len(values) == 8
    xrow = next(r for r in values if r[0] == "act-x")
    assert str(xrow[5]).startswith("'=") and all(
        not str(v or "").startswith(("=", "+", "-", "@")) for r in values for v in r)
    assert sheet["A2"].data_type == "s"


def test_neutralise() -> None:
    assert tracker.neutralise("=1+1") == "'=1+1"
    assert tracker.neutralise("-3") == "'-3" and tracker.neutralise("@x") == "'@x"
    assert tracker.neutralise("fine") == "fine" and tracker.neutralise(None) == ""
