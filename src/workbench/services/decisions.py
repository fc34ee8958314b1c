"""The Act step: a team's decision on a cycle, with the chart's reading of each prediction.

Kept apart from :mod:`workbench.services.cycles` (the records) because it reads the judgement
(:mod:`workbench.services.judgement`), which itself reads the records: records <- judgement <-
decisions, one way.
"""

from __future__ import annotations

import datetime as dt

from workbench.domain.errors import ValidationFailed, WorkbenchError
from workbench.domain.records import (
    Act,
    ChartReading,
    Cycle,
    CycleStatus,
    Decision,
    StatusChange,
    Study,
)
from workbench.services.cycles import early_decision, get_cycle, save_cycle
from workbench.store.workspace import Workspace


def decide(ws: Workspace, cycle_id: str, decision: Decision | str, reason: str, *,
           decided_by: str = "", on: dt.date | None = None,
           next_cycle: str | None = None, revision: int | None = None,
           early_reason: str = "") -> Cycle:
    """Record the Act step: adopt, adapt or abandon, with the reason.

    The chart's reading of each prediction as of the decision day is stored in the record's
    study beside the team's own answers (``study.chart``, ``study.chart_as_of``).

    Parameters
    ----------
    revision : int, optional
        The revision the decision-maker was looking at; a newer one on disk refuses the save.
    early_reason : str
        Needed when the test window has not ended on the day of the decision; kept in the
        cycle's ``history``.  A decision replacing an earlier one keeps the earlier one there.
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
    history = _decision_history(cycle, act, early_reason)
    study = _chart_readings(ws, cycle, act.decided_on or dt.date.today())
    return save_cycle(ws, cycle.model_copy(update={"act": act, "status": CycleStatus.DECIDED,
                                                   "study": study, "history": history}))


def _chart_readings(ws: Workspace, cycle: Cycle, day: dt.date) -> Study | None:
    """The cycle's study with the chart's reading of each prediction as of *day* added beside
    the team's answers (which stay as recorded).

    Every prediction gets a result: when the counts cannot be read on the day, each is kept as
    ``unclear`` with the reason, so a decision never leaves the chart's side blank.
    """
    from workbench.services.judgement import judge_cycle

    try:
        judged = judge_cycle(ws, cycle.id, as_of=day)
    except WorkbenchError as exc:
        why = f"The counts could not be read on {day}: {exc}"[:2000]
        chart = [ChartReading(question=q.question, measure=q.measure, expect=q.expect,
                              result="unclear", evidence=why) for q in cycle.questions]
        as_of = day
    else:
        chart = [ChartReading(question=p.question, measure=p.measure, expect=p.expect,
                              result=p.result, evidence=f"{p.evidence} {p.note}".strip()[:2000])
                 for p in judged.predictions]
        as_of = judged.as_of
    study = cycle.study or Study()
    return study.model_copy(update={"chart": chart, "chart_as_of": as_of})


def _decision_history(cycle: Cycle, act: Act, early_reason: str) -> list[StatusChange]:
    """The cycle's history with this decision's early reason or the decision it replaces."""
    on = act.decided_on or dt.date.today()
    history = list(cycle.history)
    early = early_decision(cycle, on)
    if early is not None:
        if not early_reason.strip():
            raise ValidationFailed([
                f"early_reason: {early}; say why the team decides before the test ends "
                "(--early-reason \"...\"), or wait until the end of the test"])
        history.append(StatusChange(on=on, from_status=cycle.status,
                                    to_status=CycleStatus.DECIDED,
                                    reason=f"decided early: {early_reason.strip()}"[:1000],
                                    by=act.decided_by))
    if cycle.act is not None:
        history.append(StatusChange(on=on, from_status=cycle.status,
                                    to_status=CycleStatus.DECIDED,
                                    reason=f"decision changed from "
                                           f"{cycle.act.decision.value} to {act.decision.value}",
                                    by=act.decided_by, undone=cycle.act))
    return history
