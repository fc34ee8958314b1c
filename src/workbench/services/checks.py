"""Check the result: SPC over a cycle's measures, a verdict per prediction, a recommendation.

Two analyses serve two purposes:

* the **chart** splits the phase at the change date, so the team sees before and after;
* the **verdict** holds the limits at the baseline (``freeze``) and asks whether the points
  since the change show special cause in the predicted direction — Making Data Count's advice
  not to recalculate limits until there is evidence of a change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from workbench.catalogue import load_catalogue
from workbench.domain.catalogue import Family
from workbench.domain.records import Cycle, CycleStatus, Decision, Question, Verdict, Ward
from workbench.services.cycles import ACTIVE, get_cycle, list_cycles
from workbench.services.measure_checks import MeasureCheck, measure_check
from workbench.services.wards import get_ward
from workbench.store.workspace import Workspace

MIN_POINTS_AFTER = 7
"""Points needed after the change before a prediction can be judged (one shift's worth)."""


@dataclass(frozen=True)
class QuestionVerdict:
    """The data's answer to one of the cycle's predictions."""

    question: Question
    verdict: Verdict
    evidence: str


@dataclass(frozen=True)
class CycleCheck:
    """The Study step, computed: charts, verdicts and a recommendation."""

    cycle: Cycle
    ward: Ward
    as_of: dt.date
    measures: list[MeasureCheck]
    verdicts: list[QuestionVerdict]
    recommendation: Decision | None
    reasons: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        """True when there are enough points since the change to judge."""
        return self.recommendation is not None


def _frames(ws: Workspace, ward: str, measures: list[str],
            as_of: dt.date | None) -> dict[str, pd.DataFrame]:
    from workbench.services.observations import measure_frames

    return measure_frames(ws, ward, measures, end=as_of)


def _verdict(q: Question, mc: MeasureCheck | None) -> QuestionVerdict:
    if mc is None or q.expect is None:
        return QuestionVerdict(q, Verdict.UNCLEAR, "No measure or expected direction is linked "
                               "to this question; judge it from the team's notes.")
    name = mc.measure.name
    if mc.points_after < MIN_POINTS_AFTER:
        return QuestionVerdict(q, Verdict.UNCLEAR, f"{name}: only {mc.points_after} point(s) "
                               f"since the change; at least {MIN_POINTS_AFTER} are needed to judge.")
    sig = mc.signal_after or "none"  # a cycle's checks are always judged
    words = {"up": "an unusual rise", "down": "an unusual fall", "both": "unusual rises and falls",
             "none": "no unusual change"}[sig]
    evidence = f"{name}: {words} since the change, judged against the limits before it " \
               f"({mc.points_after} points after)."
    better = "down" if mc.measure.improvement.value == "decrease" else "up"
    wanted = {"rise": "up", "fall": "down", "at_least": "up", "at_most": "down"}.get(q.expect)
    unwanted = {"no_rise": "up", "no_fall": "down"}.get(q.expect)
    if q.expect in ("at_least", "at_most"):
        wanted = better
    if wanted is not None:
        verdict = Verdict.CONFIRMED if sig == wanted else Verdict.REFUTED
    elif unwanted is not None:
        verdict = Verdict.REFUTED if sig in (unwanted, "both") else Verdict.CONFIRMED
    else:
        verdict = Verdict.CONFIRMED if sig == "none" else Verdict.REFUTED
    return QuestionVerdict(q, verdict, evidence)


def _recommend(cycle: Cycle, checks: dict[str, MeasureCheck],
               verdicts: list[QuestionVerdict]) -> tuple[Decision | None, list[str]]:
    if not verdicts or all(v.verdict == Verdict.UNCLEAR for v in verdicts):
        return None, ["Not enough data since the change to judge yet: keep the test running "
                      "and check again at the next check date."]
    cat = load_catalogue()
    by_family: dict[Family, list[Verdict]] = {}
    for v in verdicts:
        if v.question.measure:
            fam = cat.measures[v.question.measure].family
            by_family.setdefault(fam, []).append(v.verdict)
    process = by_family.get(Family.PROCESS, [])
    outcome = by_family.get(Family.OUTCOME, [])
    balancing = by_family.get(Family.BALANCING, [])
    reasons = [f"{v.verdict.value.capitalize()}: {v.question.question} {v.evidence}"
               for v in verdicts]
    if process and all(x == Verdict.REFUTED for x in process) and \
            not any(x == Verdict.CONFIRMED for x in outcome):
        return Decision.ABANDON, ["The change did not take hold: no process measure moved as "
                                  "predicted, and no outcome improved.", *reasons]
    if all(x == Verdict.CONFIRMED for x in process + outcome + balancing):
        return Decision.ADOPT, ["Every prediction held: adopt the change and plan its spread.",
                                *reasons]
    if Verdict.REFUTED in balancing:
        lead = "A balancing measure moved: adapt the change so it does not cause harm elsewhere."
    else:
        lead = "Some predictions held and some did not: adapt the change and test again."
    return Decision.ADAPT, [lead, *reasons]


def check_cycle(ws: Workspace, cycle_id: str, *, as_of: dt.date | None = None) -> CycleCheck:
    """The Study step's charts for one cycle: each measure split at the change.

    The verdicts and recommendation here are the older reading, kept for callers that still
    read them; every surface words *did the change work?* from
    :func:`workbench.services.judgement.judge_cycle`.

    Parameters
    ----------
    ws : Workspace
    cycle_id : str
    as_of : date, optional
        Use data up to this day (default: all stored data).
    """
    cycle = get_cycle(ws, cycle_id)
    ward = get_ward(ws, cycle.ward)
    cat = load_catalogue()
    frames = _frames(ws, cycle.ward, cycle.measures, as_of)
    checks = {m: measure_check(cat.measure(m), frames[m], cycle.change_date)
              for m in cycle.measures}
    verdicts = [_verdict(q, checks.get(q.measure) if q.measure else None)
                for q in cycle.questions]
    rec, reasons = _recommend(cycle, checks, verdicts)
    last = max((f["date"].max() for f in frames.values() if not f.empty), default=None)
    day = as_of or (last.date() if last is not None else dt.date.today())
    return CycleCheck(cycle, ward, day, [checks[m] for m in cycle.measures], verdicts, rec, reasons)


@dataclass(frozen=True)
class WardSummary:
    """What the ward board shows: every measure's chart and the current test of change."""

    ward: Ward
    today: dt.date
    measures: list[MeasureCheck]
    current: Cycle | None
    days_left: int | None
    next_check: dt.date | None
    active: list[Cycle]
    judgement: Any = None
    """The :class:`~workbench.services.judgement.WardJudgement` of the same day and data."""


def next_check_date(cycle: Cycle, today: dt.date) -> dt.date:
    """The next weekly check of a running test, ending with the check at its end date."""
    end = cycle.end or cycle.start + dt.timedelta(days=14)
    if today >= end:
        return today
    weeks = max(1, -(-(today - cycle.start).days // 7))
    return min(end, cycle.start + dt.timedelta(days=7 * weeks))


def ward_summary(ws: Workspace, ward_id: str, *, today: dt.date | None = None) -> WardSummary:
    """The ward board: each measure charted with phases at its changes, and the current cycle.

    Reads no data after *today* (default: today).  The current phase starts at the latest
    started cycle on the measure, as in :func:`workbench.services.judgement.judge_ward`, so the
    icons here are the judgement's *where is the process now?*.
    """
    from workbench.services.judgement.core import started_cycles, ward_from_frames, ward_measures

    ward = get_ward(ws, ward_id)
    day = today or dt.date.today()
    cycles = list_cycles(ws, ward=ward_id)
    active = [c for c in cycles if c.status in ACTIVE]
    running = [c for c in active if c.status == CycleStatus.RUNNING]
    current = running[-1] if running else (active[-1] if active else None)
    cat = load_catalogue()
    frames = _frames(ws, ward_id, ward_measures(ward, cycles), day)  # nothing after the day
    checks = []
    for m in ward.measures:
        started = started_cycles(cycles, m, day)
        checks.append(measure_check(cat.measure(m), frames[m],
                                    started[-1].change_date if started else None, judge=False))
    left = current.days_left(day) if current and current.status == CycleStatus.RUNNING else None
    nxt = next_check_date(current, day) if current and current.status == CycleStatus.RUNNING else None
    from workbench.services.judgement.core import _at

    return WardSummary(ward, day, checks, current, left, nxt, active,
                       ward_from_frames(ward, cycles, frames, day, at=_at(ws, ward_id, day)))
