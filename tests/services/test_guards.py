"""The seed's pitfalls: weak actions, training without follow-up, too big, blame, pick few."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from workbench.domain.records import Action, ActionStatus, CycleStatus, Strength
from workbench.services import guards
from workbench.services.pitfalls import pitfalls
from workbench.store.workspace import Workspace, resolve_workspace


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from workbench.demo import build_demo

    root = tmp_path_factory.mktemp("guards") / "ws"
    build_demo(resolve_workspace(root), load_store=False)
    return root


@pytest.fixture
def ws(template: Path, tmp_path: Path) -> Workspace:
    shutil.copytree(template / "pdsa", tmp_path / "ws" / "pdsa")
    return resolve_workspace(tmp_path / "ws")


def action(text: str, **over: object) -> Action:
    data: dict[str, object] = {"id": "a1", "source": "SAR", "theme": "unsafe_transfers",
                               "text": text, "strength": "intermediate", "owner": "Ward manager",
                               "verifier": "Matron", "due": dt.date(2026, 12, 1)}
    data.update(over)
    return Action.model_validate(data)


@pytest.mark.parametrize(("text", "kind"), [
    ("Training day for all staff", "training"), ("Teach the new check at handover", "training"),
    ("Remind staff to call the GP", "reminder"), ("Send a memo to the ward", "memo"),
    ("Update the discharge policy", "policy"), ("Put up posters in the bays", "poster"),
    ("Email the team about carers", "email"),
])
def test_weak_words_are_found_with_a_stronger_alternative(text: str, kind: str) -> None:
    assert kind in guards.weak_kinds(text)
    assert guards.suggest_strength(text) == Strength.WEAKER
    alt = guards.stronger_alternative(text)
    assert alt and alt == guards.STRONGER_ALTERNATIVES[kind]


def test_a_strong_action_is_not_flagged() -> None:
    text = "Add a hard stop to the discharge form until a named contact is entered."
    assert guards.weak_kinds(text) == [] and guards.stronger_alternative(text) is None
    assert guards.action_flags(action(text, strength="stronger"), dt.date(2026, 11, 1)) == []


def test_training_without_follow_up_and_strength_mismatch() -> None:
    flags = guards.action_flags(action("Training session on discharge", strength="stronger"),
                                dt.date(2026, 11, 1))
    assert {f.kind for f in flags} == {"weak", "strength_mismatch", "training_no_follow_up"}
    ok = action("Training session on discharge", strength="weaker",
                follow_up_check="Audit ten discharges in January")
    assert "training_no_follow_up" not in {f.kind for f in guards.action_flags(ok, dt.date(2026, 11, 1))}


def test_small_actions_and_overdue() -> None:
    assert guards.size_problems("Add a named contact line to the discharge form.") == []
    assert guards.size_problems("word " * 41)
    assert guards.size_problems("Do a; do b; do c")
    late = action("Add a prompt", due=dt.date(2026, 11, 1))
    assert guards.is_overdue(late, dt.date(2026, 11, 2))
    assert not guards.is_overdue(late.model_copy(update={"status": ActionStatus.DONE_AWAITING_CHECK}),
                                 dt.date(2026, 11, 2))


@pytest.mark.parametrize(("text", "phrase", "hint"), [
    ("The nurse failed to escalate the concern", "failed to escalate",
     "Escalation did not happen; what made it hard to escalate"),
    ("Staff should have called the registrar", "should have", "what would have made"),
    ("A careless error", "careless", "workload, design"),
    ("This was negligent", "negligent", "not the person"),
    ("Who is to blame?", "blame", "not who is to blame"),
    ("It was the doctor's fault", "fault", "not whose fault"),
    ("An incompetent handover", "incompetent", "support, supervision or tools"),
])
def test_blaming_words_get_a_system_reframe(text: str, phrase: str, hint: str) -> None:
    found = guards.blame_reframes(text)
    assert found, text
    got_phrase, got_hint = found[0]
    assert phrase in got_phrase.lower() and hint in got_hint


def test_plain_words_are_not_blame() -> None:
    assert guards.blame_reframes("Escalation did not happen; the bleep was busy.") == []


def test_pitfalls_report_reuses_pick_few_and_action_flags(ws: Workspace) -> None:
    from workbench.services.wards import list_wards, save_wards

    found = pitfalls(ws, dt.date(2026, 11, 22))
    kinds = {f.kind for f in found}
    assert {"weak", "overdue", "training_no_follow_up"} <= kinds
    assert "too_many" not in kinds
    wards = [w.model_copy(update={"max_active_changes": 1}) if w.id == "nh-ed" else w
             for w in list_wards(ws)]
    save_wards(ws, wards)
    from workbench.services.cycles import get_cycle, save_cycle

    for cid in ("ed-sepsis-briefing-cards", "ed-sepsis-trigger-chart"):
        c = get_cycle(ws, cid)
        save_cycle(ws, c.model_copy(update={"status": CycleStatus.RUNNING, "act": None,
                                            "study": None}))
    assert "too_many" in {f.kind for f in pitfalls(ws, dt.date(2026, 11, 22))}


def test_pitfalls_list_blaming_words_in_cycles_and_walkrounds(ws: Workspace) -> None:
    from workbench.services.cycles import add_log
    from workbench.services.rollup import add_walkround

    add_log(ws, "dl-high-risk-bundle", dt.date(2026, 11, 20), "Porter failed to escalate the delay.")
    add_walkround(ws, {"date": dt.date(2026, 11, 21), "by": "Chief nurse",
                       "changed": "Nothing yet", "in_the_way": "Careless handovers."})
    blame = [f.message for f in pitfalls(ws, dt.date(2026, 11, 22)) if f.kind == "blame"]
    assert any(m.startswith("Cycle dl-high-risk-bundle: 'failed to escalate'") and
               "Escalation did not happen" in m for m in blame)
    assert any(m.startswith("Walkround 2026-11-21: 'Careless'") for m in blame)
