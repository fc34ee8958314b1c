"""Plan one change: the typed plan the form and ``workbench cycle new`` share, and its rules.

Both surfaces build a :class:`PlanInput` and call :func:`plan_cycle`, which checks every field
(one sentence per problem, naming the field and the fix), makes the cycle's id and status, and
saves the record all or nothing.  Which measures can show a result in the test window is the
judgement's own count (:mod:`workbench.services.judgement.points`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from workbench.domain.errors import ValidationFailed
from workbench.domain.records import EXPECTS, LEGACY_EXPECTS, Cycle
from workbench.store.workspace import Workspace

EXPECT_CHOICES: tuple[tuple[str, str], ...] = (
    ("(the measure's better direction)", ""), ("rise", "rise"), ("fall", "fall"),
    ("not rise", "no_rise"), ("not fall", "no_fall"),
    ("no unusual change either way", "no_change"), ("be at least (level)", "at_least"),
    ("be at most (level)", "at_most"))
"""The prediction vocabulary as the plan form offers it (words, ``expect``); blank takes the
measure's better direction."""

LEVELLED = ("at_least", "at_most")

EXPECT_HELP = ("rise, fall, no_rise, no_fall, no_change, or at_least / at_most with a level "
               "(e.g. 'at_least 80%')")


@dataclass(frozen=True)
class QuestionInput:
    """One question of a plan, as typed.

    Attributes
    ----------
    question, prediction, because : str
        The question, what the team predicts and why.
    measure : str
        The measure id the prediction is about (blank: none, judged from the team's notes).
    expect : str
        One of :data:`~workbench.domain.records.EXPECTS` (blank: the measure's better
        direction, when it has one).
    level : str or float or None
        For ``at_least`` / ``at_most``: ``80%``, ``0.8`` or ``12`` as typed.
    """

    question: str
    prediction: str
    because: str = ""
    measure: str = ""
    expect: str = ""
    level: str | float | None = None

    @property
    def blank(self) -> bool:
        """Nothing typed or chosen (a form's unused question row)."""
        return not any(str(v or "").strip() for v in (self.question, self.prediction,
                                                       self.because, self.measure,
                                                       self.expect, self.level))


@dataclass(frozen=True)
class PlanInput:
    """A new plan, as typed in the form or given to ``workbench cycle new``.

    Attributes
    ----------
    ward, theme, change_idea : str
        Ids (the catalogue's and the workspace's).
    owner, objective : str
        Who leads the test; what it should achieve.
    measures : tuple of str
        Measure ids: at least one process and one outcome or balancing measure, all counted by
        the ward; at least one must be able to show a result in the test window.
    questions : tuple of QuestionInput
        At least one, each with a prediction.
    start, end : date, optional
        The test window (default: today, and start + 14 days); ``end`` is the day after.
    id, title : str
        Blank id: made from ward, change idea and start.
    active_reason : str
        Why the ward may run more active changes than its limit.
    team, review_findings, scope, psirf_ref, tasks, parent_cycle
        Carried into the record as given.
    """

    ward: str
    theme: str
    change_idea: str
    owner: str
    objective: str
    measures: tuple[str, ...]
    questions: tuple[QuestionInput, ...]
    start: dt.date | None = None
    end: dt.date | None = None
    id: str = ""
    title: str = ""
    active_reason: str = ""
    team: tuple[str, ...] = ()
    review_findings: tuple[str, ...] = ()
    scope: str = ""
    psirf_ref: str = ""
    tasks: tuple[Mapping[str, Any], ...] = field(default=())
    parent_cycle: str | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> PlanInput:
        """A plan from a mapping (``cycle new --from plan.yaml``): plan fields only.

        Raises
        ------
        ValidationFailed
            Naming each field that is not part of a plan, or a field of the wrong shape.
        """
        known = {f.name for f in fields(cls)}
        extra = [k for k in data if k not in known]
        if extra:
            raise ValidationFailed([
                f"{k}: not part of a new plan; remove it (a plan's status comes from its start "
                "date; the log, study and decision are added as the test runs)" for k in extra])
        problems: list[str] = []
        given = dict(data)
        for name in ("measures", "team", "review_findings", "tasks"):
            value = given.get(name, ())
            if isinstance(value, str) or not isinstance(value, Sequence):
                problems.append(f"{name}: write a list (one item a line starting with '- ')")
            elif name == "tasks" and not all(isinstance(t, Mapping) for t in value):
                problems.append("tasks: write each task as what, who and due")
            else:
                given[name] = tuple(value)
        questions = []
        for i, q in enumerate(given.get("questions") or [], start=1):
            if not isinstance(q, Mapping):
                problems.append(f"question {i}: write it as question, prediction, because, "
                                "measure, expect (and level)")
                continue
            unknown = [k for k in q if k not in {f.name for f in fields(QuestionInput)}]
            problems += [f"question {i}: '{k}' is not part of a question; remove it"
                         for k in unknown]
            typed = {k: v if k == "level" else ("" if v is None else str(v))
                     for k, v in q.items() if k not in unknown}
            questions.append(QuestionInput(**{"question": "", "prediction": "", **typed}))
        given["questions"] = tuple(questions)
        for name in ("start", "end"):
            value = given.get(name)
            if isinstance(value, str):
                try:
                    given[name] = dt.date.fromisoformat(value)
                except ValueError:
                    problems.append(f"{name}: '{value}' is not a date; write it as YYYY-MM-DD")
        missing = [f"{k}: this is needed; add it" for k in ("ward", "theme", "change_idea")
                   if not str(given.get(k) or "").strip()]
        if missing or problems:
            raise ValidationFailed(missing + problems)
        text = {k: str(given.get(k) or "") for k in ("owner", "objective", "id", "title",
                                                     "active_reason", "scope", "psirf_ref")}
        return cls(**{**given, **text})


def read_level(text: Any, where: str = "level") -> float | None:
    """A typed level: ``80%`` is 0.8, ``0.8`` and ``12`` as written; blank is None.

    Raises
    ------
    ValidationFailed
        Naming *where* when the text is not a number.
    """
    if isinstance(text, int | float) and not isinstance(text, bool):
        return float(text)
    raw = str(text or "").strip()
    if not raw:
        return None
    try:
        return float(raw[:-1]) / 100 if raw.endswith("%") else float(raw)
    except ValueError:
        raise ValidationFailed([f"{where}: '{raw}' is not a number; write e.g. 80% or 0.8"]) \
            from None


def _expect(q: QuestionInput, k: int, measures: Mapping[str, Any],
            problems: list[str]) -> tuple[str | None, float | None]:
    """The question's ``expect`` and ``level`` (problems appended, naming ``question k``)."""
    word = str(q.expect or "").strip().lower().replace(" ", "_").replace("-", "_")
    word = LEGACY_EXPECTS.get(word, word)
    measure = q.measure.strip()
    if word and word not in EXPECTS:
        problems.append(f"expect {k}: '{q.expect}' is not a prediction the workbench can read; "
                        f"use one of {EXPECT_HELP}")
        return None, None
    if word and not measure:
        problems.append(f"measure {k}: '{word}' needs the measure it is about; choose one of "
                        "the plan's measures")
        return None, None
    if not word and measure in measures:
        word = {"increase": "rise", "decrease": "fall"}.get(
            measures[measure].improvement.value, "")
    level = None
    try:
        level = read_level(q.level, f"level {k}")
    except ValidationFailed as exc:
        problems += exc.problems
        return word or None, None
    if word in LEVELLED:
        if level is None:
            problems.append(f"level {k}: '{word}' needs a level; write e.g. 80% or 0.8")
        elif level < 0:
            problems.append(f"level {k}: write a number of zero or more")
        elif measure in measures and measures[measure].is_proportion and level > 1:
            problems.append(f"level {k}: {level:g} is out of range for a percentage; write it "
                            "as 80% or as a proportion from 0 to 1 (0.8)")
    elif level is not None:
        problems.append(f"level {k}: a level is read only with 'at least' or 'at most'; "
                        "clear it or change the expectation")
        level = None
    return word or None, level


def _questions(plan: PlanInput, problems: list[str]) -> list[dict[str, Any]]:
    from workbench.catalogue import load_catalogue

    measures = load_catalogue().measures
    out: list[dict[str, Any]] = []
    asked = [(k, q) for k, q in enumerate(plan.questions, start=1) if not q.blank]
    if not asked:
        problems += ["question 1: ask at least one question",
                     "prediction 1: predict what will happen"]
    for k, q in asked:
        if not q.question.strip():
            problems.append(f"question {k}: write the question the prediction answers")
        if not q.prediction.strip():
            problems.append(f"prediction {k}: predict what will happen")
        measure = q.measure.strip()
        if measure and measure not in plan.measures:
            problems.append(f"measure {k}: '{measure}' is not one of the plan's measures; "
                            "tick it under Measures (--measure) or choose another")
        expect, level = _expect(q, k, measures, problems)
        out.append({"question": q.question.strip(), "prediction": q.prediction.strip(),
                    "because": q.because.strip(), "measure": measure or None, "expect": expect,
                    **({"level": level} if level is not None else {})})
    return out


def plan_record(plan: PlanInput, today: dt.date) -> dict[str, Any]:
    """The cycle record's data for *plan* (id and status made here), or every problem.

    The id, when blank, is ``<ward>-<change-idea>-<start yyyymmdd>``; the status is
    ``running`` from the start day on, ``planned`` before it.

    Raises
    ------
    ValidationFailed
        One sentence per problem, each naming the field and the fix.
    """
    problems: list[str] = []
    for name, why in (("owner", "name the person or role who leads the test"),
                      ("objective", "say what the change should achieve")):
        if not getattr(plan, name).strip():
            problems.append(f"{name}: {why}")
    if not plan.measures:
        problems.append("measures: choose at least one process measure and one outcome or "
                        "balancing measure")
    start = plan.start or today
    if plan.end is not None and plan.end <= start:
        problems.append(f"end: {plan.end} is not after the start ({start}); a test usually "
                        "runs for 14 days")
    questions = _questions(plan, problems)
    if problems:
        raise ValidationFailed(problems)
    ident = plan.id.strip() or \
        f"{plan.ward}-{plan.change_idea.replace('_', '-')}-{start:%Y%m%d}"[:64]
    return {"id": ident, "ward": plan.ward, "theme": plan.theme,
            "change_idea": plan.change_idea, "title": plan.title.strip(),
            "owner": plan.owner.strip(), "objective": plan.objective.strip(),
            "questions": questions, "measures": list(dict.fromkeys(plan.measures)),
            "start": start, "end": plan.end, "active_reason": plan.active_reason.strip(),
            "team": list(plan.team), "review_findings": list(plan.review_findings),
            "scope": plan.scope, "psirf_ref": plan.psirf_ref,
            "tasks": [dict(t) for t in plan.tasks], "parent_cycle": plan.parent_cycle,
            "status": "running" if start <= today else "planned"}


def plan_cycle(ws: Workspace, plan: PlanInput, *, today: dt.date | None = None) -> Cycle:
    """Check *plan*, make its id and status, and save it as ``pdsa/cycles/<id>.yaml``.

    Every rule a plan meets, whichever surface it came from: the fields (:func:`plan_record`),
    the catalogue, the ward and the "pick few" limit (``cycles.check_plan``), the patient-data
    guard, and at least one measure that can show a result in the test window at the rate the
    ward's counts arrive (``judgement.points``).  Nothing is written when any is broken.

    Parameters
    ----------
    ws : Workspace
    plan : PlanInput
    today : date, optional
        The day counted as today (default: the real one): a start on or before it is running.

    Returns
    -------
    Cycle
        The saved record (revision 1).

    Raises
    ------
    ValidationFailed, RecordError, NotFoundError, PatientDataError
        Naming the field and how to fix it; nothing is written.
    """
    from workbench.services.cycles import check_plan, cycle_path
    from workbench.services.judgement.points import measure_fits, unusable_plan
    from workbench.store.pii import guard_fields
    from workbench.store.records import record_data, save_record, validate

    cycle = validate(Cycle, {**plan_record(plan, today or dt.date.today()), "revision": 0},
                     "new plan")
    guard_fields(record_data(cycle), f"cycle {cycle.id}")
    check_plan(ws, cycle, new=True)
    why = unusable_plan(measure_fits(ws, cycle.ward, cycle.measures, cycle.start, cycle.end))
    if why is not None:
        raise ValidationFailed([why])
    return save_record(cycle_path(ws, cycle.id), cycle, new=True)
