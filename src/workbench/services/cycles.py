"""PDSA cycles: plan, log, decide and spread (records in ``pdsa/cycles/``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from workbench.catalogue import load_catalogue
from workbench.domain.catalogue import Family
from workbench.domain.errors import NotFoundError, RecordError, ValidationFailed
from workbench.domain.records import (
    Cycle,
    CycleStatus,
    LogEntry,
    StatusChange,
)
from workbench.services.verdict_words import day_words
from workbench.services.wards import get_ward
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

ACTIVE = (CycleStatus.PLANNED, CycleStatus.RUNNING, CycleStatus.STUDYING)
ORDER = (CycleStatus.PLANNED, CycleStatus.RUNNING, CycleStatus.STUDYING, CycleStatus.DECIDED)
"""A cycle's life, in order: a move to an earlier status is a move back and needs a reason."""


def cycle_path(ws: Workspace, cycle_id: str) -> Path:
    """Where the cycle's YAML file lives."""
    return ws.cycles_dir / f"{cycle_id}.yaml"


def _known_measures(cycle: Cycle, path: Path) -> None:
    """Refuse a cycle naming a measure the catalogue does not have (it cannot be checked).

    Raises
    ------
    RecordError
        Naming the file, the line and the field (``measures`` or ``questions[i].measure``).
    """
    known = load_catalogue().measures
    named = [(f"measures[{i}]", m) for i, m in enumerate(cycle.measures)]
    named += [(f"questions[{i}].measure", q.measure) for i, q in enumerate(cycle.questions)
              if q.measure]
    for where, measure in named:
        if measure not in known:
            lines = path.read_text("utf-8").splitlines()
            line = next((n for n, text in enumerate(lines, 1)
                         if text.strip().lstrip("- ").split(":")[-1].strip() == measure), None)
            raise RecordError(f"unknown measure '{measure}'; write one of the catalogue's "
                              "measure ids (see `workbench measures`) or remove it",
                              path=str(path), line=line, field=where)


def load_cycles(ws: Workspace, *, ward: str | None = None,
                status: CycleStatus | str | None = None) -> Loaded[Cycle]:
    """Cycles that can be read (as :func:`list_cycles`) and a problem for each broken file.

    Returns
    -------
    Loaded
        ``records``: the cycles, oldest start first; ``problems``: one
        :class:`~workbench.store.records.RecordProblem` per file skipped (every ward's).
    """
    loaded = load_all(ws.cycles_dir, Cycle, _known_measures)
    cycles = loaded.records
    if ward is not None:
        cycles = [c for c in cycles if c.ward == ward]
    if status is not None:
        cycles = [c for c in cycles if c.status == CycleStatus(status)]
    return Loaded(sorted(cycles, key=lambda c: (c.start, c.id)), loaded.problems)


def list_cycles(ws: Workspace, *, ward: str | None = None,
                status: CycleStatus | str | None = None) -> list[Cycle]:
    """Cycles in the workspace, oldest start first, optionally for one ward or status.

    A broken cycle file is skipped (:func:`load_cycles` says which and why).
    """
    return load_cycles(ws, ward=ward, status=status).records


def ward_problems(ws: Workspace, ward: str) -> list[RecordError]:
    """Broken cycle files that name *ward*: what stops that ward's check from being made.

    A broken file is skipped by every listing; a report for its own ward must fail instead,
    saying which file, line and field to fix.  The ``ward:`` line is read leniently, so a file
    too broken to tell its ward counts for no ward (the listings still name it).
    """
    import yaml

    found = []
    for problem in load_cycles(ws).problems:
        try:
            data = yaml.load((ws.root / problem.file).read_text("utf-8"), Loader=yaml.BaseLoader)
        except (OSError, ValueError, yaml.YAMLError):
            continue
        named = data.get("ward") if isinstance(data, dict) else None
        if named == ward:
            found.append(RecordError(problem.message, path=problem.file, line=problem.line,
                                     field=problem.field))
    return found


def get_cycle(ws: Workspace, cycle_id: str) -> Cycle:
    """Load one cycle, or :class:`NotFoundError` naming what exists."""
    path = cycle_path(ws, cycle_id)
    if not path.exists():
        known = sorted(p.stem for p in ws.cycles_dir.glob("*.yaml")) if ws.cycles_dir.exists() else []
        raise NotFoundError(f"no cycle '{cycle_id}' in this workspace. "
                            f"Known cycles: {', '.join(known) or 'none'}.")
    return _load_cycle(path)


def _load_cycle(path: Path) -> Cycle:
    """Read a cycle file, refusing one that names a measure the catalogue does not have."""
    cycle = load_record(path, Cycle)
    _known_measures(cycle, path)
    return cycle


def active_cycles(ws: Workspace, ward: str) -> list[Cycle]:
    """Cycles on *ward* that are planned, running or being studied."""
    return [c for c in list_cycles(ws, ward=ward) if c.status in ACTIVE]


def check_plan(ws: Workspace, cycle: Cycle, *, new: bool) -> None:
    """Check a cycle against the catalogue, its ward and the "pick few" limit.

    Raises
    ------
    ValidationFailed
        One sentence per problem, each naming the field and the fix.
    """
    cat = load_catalogue()
    problems: list[str] = []
    ward = get_ward(ws, cycle.ward)
    if cycle.theme not in cat.themes:
        problems.append(f"theme: unknown theme '{cycle.theme}'; pick one of {', '.join(cat.themes)}")
    if cycle.change_idea not in cat.change_ideas:
        problems.append(f"change_idea: unknown change idea '{cycle.change_idea}'; see `workbench themes`")
    unknown = [m for m in cycle.measures if m not in cat.measures]
    off_ward = [m for m in cycle.measures if ward.measures and m in cat.measures
                and m not in ward.measures]
    if unknown:
        problems.append(f"measures: unknown measure(s) {', '.join(unknown)}; see `workbench measures`")
    elif off_ward:
        problems.append(f"measures: {ward.name} does not count {', '.join(off_ward)}; choose from "
                        f"its measures ({', '.join(ward.measures)}) or add them to the ward in "
                        "pdsa/wards.yaml")
    else:
        families = {cat.measures[m].family for m in cycle.measures}
        if Family.PROCESS not in families or families == {Family.PROCESS}:
            problems.append("measures: choose at least one process measure and one outcome or "
                            "balancing measure")
    for i, q in enumerate(cycle.questions):
        if q.measure is not None and q.measure not in cycle.measures:
            problems.append(f"questions.{i}.measure: '{q.measure}' is not one of the cycle's "
                            f"measures ({', '.join(cycle.measures)}); pick one of them or add it")
        elif q.level is not None and q.measure in cat.measures and \
                cat.measures[q.measure].is_proportion and not 0 <= q.level <= 1:
            problems.append(f"questions.{i}.level: {q.level:g} is out of range for a percentage; "
                            f"write it as a proportion from 0 to 1 (e.g. 0.8 for 80%)")
    if new and cycle.status in ACTIVE:
        others = [c for c in active_cycles(ws, ward.id) if c.id != cycle.id]
        if len(others) >= ward.max_active_changes and not cycle.active_reason.strip():
            problems.append(
                f"active_reason: {ward.name} already has {len(others)} active change(s) "
                f"({', '.join(c.id for c in others)}) and the limit is {ward.max_active_changes}. "
                "Pick few, not many: finish one first, or give a reason for running another")
    if problems:
        raise ValidationFailed(problems)


def new_cycle(ws: Workspace, data: dict[str, Any]) -> Cycle:
    """Save a whole new cycle record given as a mapping, as ``pdsa/cycles/<id>.yaml``.

    For records made whole elsewhere (fixtures, restores).  A plan people make — the plan form
    and ``workbench cycle new`` — goes through :func:`workbench.services.plans.plan_cycle`,
    which makes the id and status and adds the plan's own rules before saving.

    Raises
    ------
    RecordError, ValidationFailed, PatientDataError
        When a field is missing or wrong, the plan breaks a rule, or text looks patient-identifiable.
    """
    cycle = validate(Cycle, {**data, "revision": 0}, "new cycle")
    guard_fields(record_data(cycle), f"cycle {cycle.id}")
    check_plan(ws, cycle, new=True)
    return save_record(cycle_path(ws, cycle.id), cycle, new=True)


def save_cycle(ws: Workspace, cycle: Cycle) -> Cycle:
    """Save an edited cycle; refused if someone saved it since it was read."""
    guard_fields(record_data(cycle), f"cycle {cycle.id}")
    check_plan(ws, cycle, new=False)
    return save_record(cycle_path(ws, cycle.id), cycle)


def _status(value: CycleStatus | str) -> CycleStatus:
    try:
        return CycleStatus(value)
    except ValueError:
        raise ValidationFailed([f"status: '{value}' is not a status; use planned, running or "
                                "studying (decide with `workbench cycle decide`)"]) from None


def set_status(ws: Workspace, cycle_id: str, status: CycleStatus | str, *, reason: str = "",
               by: str = "", on: dt.date | None = None) -> Cycle:
    """Move a cycle on (planned -> running -> studying), or back with a reason.

    A move back (an earlier status, or a decided cycle reopened) is kept in the cycle's
    ``history`` with its reason, who and when; a decision it undoes is kept there too.

    Raises
    ------
    ValidationFailed
        A move back without a reason, ``decided`` (use :func:`decide`), or no change at all.
        Nothing is written.
    """
    cycle = get_cycle(ws, cycle_id)
    new = _status(status)
    if new == CycleStatus.DECIDED:
        raise ValidationFailed(["status: record a decision with `workbench cycle decide` (or "
                                "step 4's form), which asks for the decision and its reason"])
    if new == cycle.status:
        raise ValidationFailed([f"status: cycle {cycle_id} is already {new.value}; nothing "
                                "was changed"])
    if ORDER.index(new) > ORDER.index(cycle.status):
        return save_cycle(ws, cycle.model_copy(update={"status": new}))
    if not reason.strip():
        was = cycle.status.value
        if cycle.act is not None:
            was = f"decided ({cycle.act.decision.value} on {cycle.act.decided_on})"
        raise ValidationFailed([
            f"reason: cycle {cycle_id} is {was}; moving it back to {new.value} needs a reason "
            "(--reason \"...\"), which is kept in the cycle's history"])
    change = StatusChange(on=on or dt.date.today(), from_status=cycle.status, to_status=new,
                          reason=reason.strip(), by=by, undone=cycle.act)
    return save_cycle(ws, cycle.model_copy(update={
        "status": new, "act": None, "history": [*cycle.history, change]}))


def early_decision(cycle: Cycle, on: dt.date) -> str | None:
    """Why deciding *cycle* on *on* is early (the test has days left), or ``None``."""
    end = cycle.end or cycle.start + dt.timedelta(days=14)
    if on >= end:
        return None
    left = (end - on).days
    last = end - dt.timedelta(days=1)  # the test's last day, as step 4 and the verdict say it
    return f"the test runs until {day_words(last)} ({left} day{'s' if left != 1 else ''} left)"


def add_log(ws: Workspace, cycle_id: str, date: dt.date, note: str) -> Cycle:
    """Add a dated note to the cycle's Do log."""
    cycle = get_cycle(ws, cycle_id)
    entry = LogEntry(date=date, note=note)
    return save_cycle(ws, cycle.model_copy(update={"do_log": [*cycle.do_log, entry]}))
