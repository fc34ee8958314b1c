"""Spread in steps: for each adopted change, every ward it went to, in order, and how it did.

A change spreads when a cycle on another ward names the adopted cycle as ``parent_cycle`` and
tests the same change idea, or when the adopted cycle lists the ward in ``spread[]`` (a step
may be planned before its ward has a cycle).  Spread of a spread counts too (the chain is
followed).  Each ward's row carries its own cycle, the verdict on it and whether the gain has
held since its test ended.

Every verdict the tracker shows is read through ONE function, :func:`_ward_verdict`, so the
tracker and the other surfaces give one answer to "did it work here?".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from workbench.catalogue import load_catalogue
from workbench.domain.records import Cycle, CycleStatus, Decision, SpreadStep
from workbench.services import verdict_words
from workbench.store.workspace import Workspace

VERDICT_WORDS = {**verdict_words.VERDICT_WORDS, "not_started": "not started yet"}
"""The judgement's words (:mod:`workbench.services.verdict_words`), and one for a planned step."""
HELD_WORDS = {"held": "the gain has held since the test",
              "slipped": "the gain has slipped back since the test",
              "too_early": "too soon after the test to say if it held"}


@dataclass(frozen=True)
class WardVerdict:
    """The verdict on one ward's cycle, as the tracker shows it.

    Attributes
    ----------
    verdict : str
        ``improved``, ``worse``, ``no_change`` or ``too_early`` for the cycle's key measure.
    measures : list of (str, str)
        ``(measure id, verdict)`` for every measure with a direction.
    recommendation : str or None
        ``adopt``, ``adapt``, ``abandon`` or None (not enough data).
    held : str or None
        ``held``, ``slipped`` or ``too_early`` once the test has ended with an improvement;
        None otherwise.
    """

    verdict: str
    measures: list[tuple[str, str]]
    recommendation: str | None
    held: str | None

    @property
    def words(self) -> str:
        """The verdict in plain words."""
        return VERDICT_WORDS[self.verdict]

    @property
    def held_words(self) -> str:
        """Whether the gain held, in plain words (empty when there is nothing to hold)."""
        return HELD_WORDS.get(self.held or "", "")


@dataclass(frozen=True)
class SpreadRow:
    """One ward in a change's spread, in the order it went."""

    step: int
    ward: str
    ward_name: str
    date: dt.date
    status: str
    cycle: Cycle | None
    verdict: WardVerdict | None

    @property
    def origin(self) -> bool:
        """True for the ward where the change was first adopted."""
        return self.step == 0


@dataclass(frozen=True)
class SpreadChange:
    """An adopted change and every ward it has spread to."""

    origin: Cycle
    idea_text: str
    key_measure: str | None
    rows: list[SpreadRow] = field(default_factory=list)
    national: list[str] = field(default_factory=list)


def _key_measure(cycle: Cycle) -> str | None:
    """The measure that says whether the change took hold: the first question's with a
    direction or a level (rise, fall, at least, at most), else the cycle's first measure."""
    for q in cycle.questions:
        if q.measure and q.expect in ("rise", "fall", "at_least", "at_most",
                                      "increase", "decrease"):
            return q.measure
    return cycle.measures[0] if cycle.measures else None


def _held(mv: Any) -> str | None:
    """Has an improvement held since the test ended? (``None`` while the test runs.)"""
    if mv.since is None:
        return None
    return {"improved": "held", "too_early": "too_early"}.get(mv.since.verdict, "slipped")


def _ward_verdict(ws: Workspace, cycle: Cycle, as_of: dt.date | None = None,
                  known: Mapping[str, Any] | None = None) -> WardVerdict:
    """THE verdict read of the tracker: one ward's cycle, as of a date.

    It reads :func:`workbench.services.judgement.judge_cycle`, the one judgement every surface
    shows: the test window against the limits frozen before the change, and, for a finished
    test, the same rules on the points since (the gain held, or slipped back).  *known* holds
    judgements already made for the same day (``judge_all``'s), by cycle id.
    """
    from workbench.services.judgement import judge_cycle

    judged = (known or {}).get(cycle.id) or judge_cycle(ws, cycle.id, as_of=as_of)
    verdicts = [(mv.measure, mv.verdict) for mv in judged.measures
                if mv.improvement != "neutral"]
    key = _key_measure(cycle)
    by_id = dict(verdicts)
    verdict = by_id.get(key or "", verdicts[0][1] if verdicts else "too_early")
    key_mv = judged.measure(key) if key else None
    held = _held(key_mv) if key_mv is not None and verdict == "improved" else None
    rec = None if judged.recommendation == "too_early" else judged.recommendation
    return WardVerdict(verdict, verdicts, rec, held)


def _status(c: Cycle) -> str:
    """A ward's step status from its own cycle: planned, running, studying, or the decision."""
    if c.status == CycleStatus.DECIDED and c.act is not None:
        return {Decision.ADOPT: "adopted", Decision.ADAPT: "adapted",
                Decision.ABANDON: "stopped"}[c.act.decision]
    return c.status.value


def _is_adopted(c: Cycle) -> bool:
    return c.status == CycleStatus.DECIDED and c.act is not None and \
        c.act.decision == Decision.ADOPT


def _children(c: Cycle, cycles: dict[str, Cycle]) -> list[tuple[dt.date, str, str, Cycle | None]]:
    """(date, ward, status, cycle) for each ward *c* spread to (not its own ward's next test)."""
    out: dict[str, tuple[dt.date, str, str, Cycle | None]] = {}
    steps: dict[str, SpreadStep] = {s.ward: s for s in c.spread}
    for other in cycles.values():
        if other.parent_cycle == c.id and other.ward != c.ward and \
                other.change_idea == c.change_idea:
            step = steps.get(other.ward)
            status = step.status if step else "running"
            out[other.ward] = (step.date if step else other.start, other.ward, status, other)
    for s in c.spread:
        if s.ward not in out and s.ward != c.ward:
            linked = cycles.get(s.cycle or "")
            out[s.ward] = (s.date, s.ward, s.status, linked)
    return sorted(out.values(), key=lambda t: (t[0], t[1]))


def spread_of(ws: Workspace, cycle_id: str, *, as_of: dt.date | None = None,
              judged: Mapping[str, Any] | None = None) -> SpreadChange:
    """One adopted change and its spread, ward by ward in the order it went.

    *judged*: cycle judgements already made as of *as_of* (by cycle id), read instead of
    judging those cycles again.

    Raises
    ------
    NotFoundError
        Unknown cycle.
    """
    from workbench.services.cycles import get_cycle, list_cycles
    from workbench.services.national import national_answers
    from workbench.services.wards import list_wards

    origin = get_cycle(ws, cycle_id)
    cycles = {c.id: c for c in list_cycles(ws)}
    names = {w.id: w.name for w in list_wards(ws)}
    day = as_of
    rows = [SpreadRow(0, origin.ward, names.get(origin.ward, origin.ward), origin.start,
                      _status(origin), origin,
                      _ward_verdict(ws, origin, day, judged))]
    seen = {origin.ward}
    queue = [origin]
    found: list[tuple[dt.date, str, str, Cycle | None]] = []
    while queue:
        for item in _children(queue.pop(0), cycles):
            if item[1] in seen:
                continue
            seen.add(item[1])
            found.append(item)
            if item[3] is not None:
                queue.append(item[3])
    for i, (date, ward, step_status, cyc) in enumerate(sorted(found, key=lambda t: (t[0], t[1])),
                                                       1):
        status = _status(cyc) if cyc is not None else step_status
        started = cyc is not None and cyc.status != CycleStatus.PLANNED and \
            (day is None or cyc.start <= day)
        verdict = _ward_verdict(ws, cyc, day, judged) if started and cyc is not None else None
        rows.append(SpreadRow(i, ward, names.get(ward, ward), date, status, cyc, verdict))
    cat = load_catalogue()
    idea = cat.change_ideas.get(origin.change_idea)
    return SpreadChange(origin, idea.text if idea else origin.change_idea, _key_measure(origin),
                        rows, [a.text for a in national_answers(origin.theme)])


def spread_tracker(ws: Workspace, *, as_of: dt.date | None = None,
                   ward: str | None = None,
                   judged: Mapping[str, Any] | None = None) -> list[SpreadChange]:
    """Every adopted change (where it was first adopted) with its spread, oldest first.

    Parameters
    ----------
    ward : str, optional
        Only changes that started on or spread to this ward.
    judged : mapping, optional
        Cycle id -> the cycle's judgement as of *as_of* (``judge_all``'s, which the roll-up
        has already made): read instead of judging those cycles again.
    """
    from workbench.services.cycles import list_cycles

    cycles = list_cycles(ws)
    by_id = {c.id: c for c in cycles}
    roots = []
    for c in cycles:
        parent = by_id.get(c.parent_cycle or "")
        spread_child = parent is not None and parent.ward != c.ward and \
            parent.change_idea == c.change_idea
        if _is_adopted(c) and not spread_child:
            roots.append(c)
    out = [spread_of(ws, c.id, as_of=as_of, judged=judged) for c in sorted(roots, key=lambda c: c.start)]
    if ward:
        out = [s for s in out if any(r.ward == ward for r in s.rows)]
    return out


def spread_data(s: SpreadChange) -> dict[str, Any]:
    """One change's spread as JSON-ready data (the roll-up's ``spread`` entries)."""
    return {
        "cycle": s.origin.id, "change_idea": s.origin.change_idea, "change": s.idea_text,
        "theme": s.origin.theme, "key_measure": s.key_measure,
        "national_themes": s.national,
        "wards": [{"step": r.step, "ward": r.ward, "ward_name": r.ward_name,
                   "date": r.date.isoformat(), "status": r.status,
                   "cycle": r.cycle.id if r.cycle else None,
                   "verdict": r.verdict.verdict if r.verdict else "not_started",
                   "verdict_words": r.verdict.words if r.verdict else
                   VERDICT_WORDS["not_started"],
                   "measures": [{"measure": m, "verdict": v} for m, v in r.verdict.measures]
                   if r.verdict else [],
                   "recommendation": r.verdict.recommendation if r.verdict else None,
                   "held": r.verdict.held if r.verdict else None,
                   "held_words": r.verdict.held_words if r.verdict else ""}
                  for r in s.rows]}


def aligned_series(ws: Workspace, s: SpreadChange, *, as_of: dt.date | None = None,
                   weeks_before: int = 8) -> pd.DataFrame:
    """Weekly values of the change's key measure on every ward, aligned at each ward's start.

    Returns
    -------
    DataFrame
        ``ward, ward_name, step, week, value, before`` where ``week`` counts weeks from the
        ward's own start (negative before it), ``value`` is the week's total numerator over
        total denominator (a proportion or rate) or the week's mean, and ``before`` is the
        ward's mean weekly value before its start (the level to beat).
    """
    from workbench.services.observations import long_frame

    cols = ["ward", "ward_name", "step", "week", "value", "before"]
    if s.key_measure is None:
        return pd.DataFrame(columns=cols)
    measure = load_catalogue().measure(s.key_measure)
    parts = []
    for r in s.rows:
        start = r.cycle.start if r.cycle else r.date
        if as_of is not None and start > as_of:
            continue
        frame = long_frame(ws, wards=[r.ward], measures=[s.key_measure],
                           start=start - dt.timedelta(weeks=weeks_before), end=as_of)
        if frame.empty:
            continue
        days = (frame["date"] - pd.Timestamp(start)).dt.days
        frame = frame.assign(week=(days // 7).astype(int))
        if measure.needs_denominator:
            g = frame.groupby("week")[["value", "denominator"]].sum()
            weekly = g["value"] / g["denominator"]
        else:
            weekly = frame.groupby("week")["value"].mean()
        before = float(weekly[weekly.index < 0].mean()) if (weekly.index < 0).any() else None
        parts.append(pd.DataFrame({"ward": r.ward, "ward_name": r.ward_name, "step": r.step,
                                   "week": weekly.index.astype(int), "value": weekly.to_numpy(),
                                   "before": before}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)
