"""PDSA cycles: plan, log, decide and spread (records in ``pdsa/cycles/``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from workbench.catalogue import load_catalogue
from workbench.domain.catalogue import Family
from workbench.domain.errors import NotFoundError, RecordError, ValidationFailed, WorkbenchError
from workbench.domain.records import (
    Act,
    ChartReading,
    Cycle,
    CycleStatus,
    Decision,
    LogEntry,
    SpreadStep,
    Study,
)
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
    """Plan a new cycle from form or CLI data and save it as ``pdsa/cycles/<id>.yaml``.

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


def set_status(ws: Workspace, cycle_id: str, status: CycleStatus | str) -> Cycle:
    """Move a cycle to *status* (planned -> running -> studying)."""
    cycle = get_cycle(ws, cycle_id)
    return save_cycle(ws, cycle.model_copy(update={"status": CycleStatus(status)}))


def add_log(ws: Workspace, cycle_id: str, date: dt.date, note: str) -> Cycle:
    """Add a dated note to the cycle's Do log."""
    cycle = get_cycle(ws, cycle_id)
    entry = LogEntry(date=date, note=note)
    return save_cycle(ws, cycle.model_copy(update={"do_log": [*cycle.do_log, entry]}))


def decide(ws: Workspace, cycle_id: str, decision: Decision | str, reason: str, *,
           decided_by: str = "", on: dt.date | None = None,
           next_cycle: str | None = None, revision: int | None = None) -> Cycle:
    """Record the Act step: adopt, adapt or abandon, with the reason.

    The chart's reading of each prediction as of the decision day is stored in the record's
    study beside the team's own answers (``study.chart``, ``study.chart_as_of``).

    Parameters
    ----------
    revision : int, optional
        The revision the decision-maker was looking at; a newer one on disk refuses the save.
    """
    cycle = get_cycle(ws, cycle_id)
    if revision is not None:
        cycle = cycle.model_copy(update={"revision": revision})
    if not reason.strip():
        raise ValidationFailed(["reason: say why you adopt, adapt or abandon the change"])
    try:
        act = Act(decision=Decision(decision), reason=reason, decided_on=on or dt.date.today(),
                  decided_by=decided_by, next_cycle=next_cycle)
    except ValueError as exc:
        raise ValidationFailed([f"decision: must be adopt, adapt or abandon ({exc})"]) from exc
    study = _chart_readings(ws, cycle, act.decided_on or dt.date.today())
    return save_cycle(ws, cycle.model_copy(update={"act": act, "status": CycleStatus.DECIDED,
                                                   "study": study}))


def _chart_readings(ws: Workspace, cycle: Cycle, day: dt.date) -> Study | None:
    """The cycle's study with the chart's reading of each prediction as of *day* added beside
    the team's answers (which stay as recorded); unchanged when the data cannot be read."""
    from workbench.services.judgement import judge_cycle

    try:
        judged = judge_cycle(ws, cycle.id, as_of=day)
    except WorkbenchError:
        return cycle.study
    chart = [ChartReading(question=p.question, measure=p.measure, expect=p.expect,
                          result=p.result, evidence=f"{p.evidence} {p.note}".strip()[:2000])
             for p in judged.predictions]
    study = cycle.study or Study()
    return study.model_copy(update={"chart": chart, "chart_as_of": judged.as_of})


def spread(ws: Workspace, cycle_id: str, ward: str, date: dt.date, *,
           status: str = "planned", cycle: str | None = None) -> Cycle:
    """Add a step spreading an adopted change to another ward."""
    source = get_cycle(ws, cycle_id)
    get_ward(ws, ward)
    if source.act is None or source.act.decision != Decision.ADOPT:
        raise ValidationFailed([f"spread: cycle {cycle_id} has not been adopted yet; "
                                "spread a change only once its test says adopt"])
    if ward == source.ward or any(s.ward == ward for s in source.spread):
        raise RecordError(f"the change already runs on ward {ward}", field="spread")
    step = SpreadStep(ward=ward, date=date, status=status, cycle=cycle)
    return save_cycle(ws, source.model_copy(update={"spread": [*source.spread, step]}))
