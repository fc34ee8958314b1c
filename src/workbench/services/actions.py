"""The action log tied to the PSIRF plan: one YAML file per action in ``pdsa/actions/``.

Rules (from the seed's pitfalls): every action is small, with an owner and a due date; its
strength follows the hierarchy of intervention effectiveness and weak ones are flagged with a
stronger alternative; it becomes *effective* only with evidence (an improvement signal on its
linked cycle's measure, or a stated reason) confirmed by its verifier, who is not its owner.
The CSV and XLSX exports for the trust's PSIRF tracker are in :mod:`workbench.services.tracker`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.catalogue import load_catalogue
from workbench.domain.errors import NotFoundError, ValidationFailed, WorkbenchError
from workbench.domain.records import Action, ActionStatus
from workbench.services.guards import Flag, action_flags, suggest_strength
from workbench.store.pii import guard_fields
from workbench.store.records import (
    Loaded,
    load_all,
    load_record,
    record_data,
    save_record,
    validate,
)
from workbench.store.workspace import Workspace


@dataclass(frozen=True)
class ActionView:
    """An action with what the log shows beside it."""

    action: Action
    flags: list[Flag]

    @property
    def overdue(self) -> bool:
        """True when the action is open and past its due date."""
        return any(f.kind == "overdue" for f in self.flags)


def action_path(ws: Workspace, action_id: str) -> Path:
    """Where the action's YAML file lives."""
    return ws.actions_dir / f"{action_id}.yaml"


def list_actions(ws: Workspace, *, status: str | None = None, theme: str | None = None,
                 cycle: str | None = None) -> list[Action]:
    """Actions in the workspace, earliest due first, optionally filtered.

    A broken action file is skipped (:func:`load_actions` says which and why).
    """
    return load_actions(ws, status=status, theme=theme, cycle=cycle).records


def load_actions(ws: Workspace, *, status: str | None = None, theme: str | None = None,
                 cycle: str | None = None) -> Loaded[Action]:
    """Actions that can be read (as :func:`list_actions`) and a problem for each broken file."""
    loaded = load_all(ws.actions_dir, Action)
    found = loaded.records
    if status is not None:
        found = [a for a in found if a.status == ActionStatus(status)]
    if theme is not None:
        found = [a for a in found if a.theme == theme]
    if cycle is not None:
        found = [a for a in found if a.cycle == cycle]
    return Loaded(sorted(found, key=lambda a: (a.due, a.id)), loaded.problems)


def get_action(ws: Workspace, action_id: str) -> Action:
    """One action, or :class:`NotFoundError` naming the known ids."""
    path = action_path(ws, action_id)
    if not path.exists():
        known = [a.id for a in list_actions(ws)]
        raise NotFoundError(f"no action '{action_id}'. Known actions: {', '.join(known) or 'none'}.")
    return load_record(path, Action)


def view(action: Action, today: dt.date) -> ActionView:
    """The action with its flags (weak, overdue, training without follow-up, too big)."""
    return ActionView(action, action_flags(action, today))


def action_log(ws: Workspace, today: dt.date, **filters: Any) -> list[ActionView]:
    """Every action with its flags; overdue ones first."""
    views = [view(a, today) for a in list_actions(ws, **filters)]
    return sorted(views, key=lambda v: (not v.overdue, v.action.due, v.action.id))


def _next_id(ws: Workspace) -> str:
    taken = {a.id for a in list_actions(ws)}
    n = len(taken) + 1
    while f"act-{n:03d}" in taken:
        n += 1
    return f"act-{n:03d}"


def _check(ws: Workspace, action: Action) -> None:
    cat = load_catalogue()
    problems = []
    if action.theme not in cat.themes:
        problems.append(f"theme: unknown theme '{action.theme}'; pick one of {', '.join(cat.themes)}")
    if action.cycle:
        from workbench.services.cycles import get_cycle

        try:
            linked = get_cycle(ws, action.cycle)
        except NotFoundError:
            problems.append(f"cycle: no cycle '{action.cycle}'; link an existing cycle or leave it out")
        else:
            if action.measure and action.measure not in linked.measures:
                problems.append(f"measure: '{action.measure}' is not a measure of cycle {linked.id} "
                                f"({', '.join(linked.measures)})")
    elif action.measure and action.measure not in cat.measures:
        problems.append(f"measure: unknown measure '{action.measure}'")
    if problems:
        raise ValidationFailed(problems)


def new_action(ws: Workspace, data: dict[str, Any]) -> Action:
    """Add an action to the log.

    Parameters
    ----------
    ws : Workspace
    data : dict
        Action fields. ``id`` defaults to the next ``act-NNN``; ``strength`` defaults to what
        the text suggests (weaker for training, reminders, memos, policies, posters, emails).

    Raises
    ------
    ValidationFailed
        No owner, no due date, the verifier is the owner, or an unknown theme/cycle/measure.
    PatientDataError
        A field looks patient-identifiable.
    """
    problems = []
    if not str(data.get("owner") or "").strip():
        problems.append("owner: every action needs an owner (a named role or person) who does it")
    if not data.get("due"):
        problems.append("due: every action needs a due date (YYYY-MM-DD); keep it small enough "
                        "to finish within weeks")
    if not str(data.get("verifier") or "").strip():
        problems.append("verifier: name who will check the action worked (not the owner)")
    elif str(data.get("verifier")).strip().casefold() == str(data.get("owner") or "").strip().casefold():
        problems.append("verifier: the verifier must be someone other than the owner")
    if problems:
        raise ValidationFailed(problems)
    fields = {k: v for k, v in data.items() if v not in (None, "")}
    fields.setdefault("id", _next_id(ws))
    fields.setdefault("strength", suggest_strength(str(fields.get("text", ""))).value)
    fields["status"] = ActionStatus.OPEN.value
    action = validate(Action, {**fields, "revision": 0}, "new action")
    _check(ws, action)
    guard_fields(record_data(action), f"action {action.id}")
    return save_record(action_path(ws, action.id), action, new=True)


def save_action(ws: Workspace, action: Action) -> Action:
    """Save an edited action (refused if someone saved it since it was read)."""
    _check(ws, action)
    guard_fields(record_data(action), f"action {action.id}")
    return save_record(action_path(ws, action.id), action)


def update_action(ws: Workspace, action_id: str, changes: dict[str, Any]) -> Action:
    """Change fields of an action (not its status: use :func:`mark_done`, :func:`verify`)."""
    if "status" in changes or "verified_by" in changes:
        raise ValidationFailed(["status: use done, verify or reopen to move an action on"])
    action = get_action(ws, action_id)
    data = {**record_data(action), **changes}
    return save_action(ws, validate(Action, data, f"action {action_id}"))


def mark_done(ws: Workspace, action_id: str, *, note: str = "") -> Action:
    """The owner says the action is done: it now waits for the verifier's check."""
    action = get_action(ws, action_id)
    if action.status not in (ActionStatus.OPEN, ActionStatus.REOPENED):
        raise ValidationFailed([f"status: action {action_id} is {action.status.value}; only open "
                                "or reopened actions can be marked done"])
    evidence = f"{action.evidence}\n{note}".strip() if note.strip() else action.evidence
    return save_action(ws, action.model_copy(update={
        "status": ActionStatus.DONE_AWAITING_CHECK, "evidence": evidence}))


def linked_signal(ws: Workspace, action: Action, *, as_of: dt.date | None = None) -> str | None:
    """Evidence from the linked cycle: an improvement signal on its measure since the change.

    Returns
    -------
    str or None
        A sentence naming the measure, the direction and the cycle; ``None`` when the action
        has no cycle, there is no data, or no measure moved the better way.
    """
    if not action.cycle:
        return None
    from workbench.services import verdict_words as vw
    from workbench.services.judgement import judge_cycle

    try:
        judged = judge_cycle(ws, action.cycle, as_of=as_of)
    except WorkbenchError:
        return None
    for mv in judged.measures:
        if action.measure and mv.measure != action.measure:
            continue
        if mv.verdict == "improved" and mv.improvement != "neutral":
            return (f"Linked signal: {vw.test_line(mv)} (cycle {judged.cycle.id}, change on "
                    f"{judged.cycle.change_date.isoformat()}, data to "
                    f"{judged.as_of.isoformat()}).")
    return None


def verify(ws: Workspace, action_id: str, verified_by: str, *, effective: bool = True,
           reason: str = "", as_of: dt.date | None = None) -> Action:
    """The verifier checks a done action: effective (with evidence) or not effective.

    Parameters
    ----------
    verified_by : str
        Must be the action's named verifier (never its owner).
    effective : bool
        True to confirm it worked; needs a linked signal or a stated *reason*.
    reason : str
        The stated reason (required when there is no linked signal, or when not effective).

    Raises
    ------
    ValidationFailed
        Wrong person, wrong status, or no evidence.
    """
    action = get_action(ws, action_id)
    who = verified_by.strip()
    problems = []
    if who.casefold() == action.owner.casefold():
        problems.append(f"verified_by: {action.owner} owns this action; its verifier "
                        f"({action.verifier}) must check it")
    elif who.casefold() != action.verifier.casefold():
        problems.append(f"verified_by: only the named verifier ({action.verifier}) can confirm "
                        "this action; change the verifier first if it has moved")
    if action.status != ActionStatus.DONE_AWAITING_CHECK:
        problems.append(f"status: action {action_id} is {action.status.value}; the owner marks it "
                        "done before it is checked")
    if problems:
        raise ValidationFailed(problems)
    lines = [action.evidence.strip()] if action.evidence.strip() else []
    if effective:
        signal = linked_signal(ws, action, as_of=as_of)
        if signal is None and not reason.strip():
            raise ValidationFailed(["evidence: no improvement signal on the linked measure yet; "
                                    "give a stated reason (what you saw that shows it works) or "
                                    "check again when more data is in"])
        lines += [s for s in (signal, f"Verifier's reason: {reason.strip()}" if reason.strip()
                              else None) if s]
        status = ActionStatus.EFFECTIVE
    else:
        if not reason.strip():
            raise ValidationFailed(["reason: say why the action did not work, so the next one can"])
        lines.append(f"Not effective: {reason.strip()}")
        status = ActionStatus.NOT_EFFECTIVE
    return save_action(ws, action.model_copy(update={
        "status": status, "verified_by": action.verifier, "evidence": "\n".join(lines)}))


def reopen(ws: Workspace, action_id: str, reason: str) -> Action:
    """Reopen an action that was not effective (or whose effect faded)."""
    action = get_action(ws, action_id)
    if not reason.strip():
        raise ValidationFailed(["reason: say why the action is reopened"])
    if action.status not in (ActionStatus.NOT_EFFECTIVE, ActionStatus.EFFECTIVE):
        raise ValidationFailed([f"status: action {action_id} is {action.status.value}; only "
                                "checked actions are reopened"])
    evidence = f"{action.evidence}\nReopened: {reason.strip()}".strip()
    return save_action(ws, action.model_copy(update={
        "status": ActionStatus.REOPENED, "verified_by": "", "evidence": evidence}))
