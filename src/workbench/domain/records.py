"""Records kept in ``pdsa/``: wards, reviews and findings, PDSA cycles and safety actions."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Ward(_Record):
    """A ward, unit or service that runs tests of change and records counts."""

    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1, max_length=120)
    site: str = Field(min_length=1, max_length=120)
    specialty: str = Field(min_length=1, max_length=120)
    measures: list[str] = Field(default_factory=list)
    max_active_changes: int = Field(default=2, ge=1, le=10)


class Finding(_Record):
    """One finding of a review, mapped to a theme."""

    id: str = Field(pattern=ID_PATTERN)
    text: str = Field(min_length=1, max_length=2000)
    theme: str
    map_row: str | None = None


class Review(_Record):
    """A source review (CSPR, SAR, PSII, ...) and its findings."""

    id: str = Field(pattern=ID_PATTERN)
    type: str
    title: str = Field(min_length=1, max_length=300)
    date: dt.date
    agencies: list[str] = Field(default_factory=list)
    summary: str = Field(default="", max_length=4000)
    findings: list[Finding] = Field(default_factory=list)
    revision: int = Field(default=0, ge=0)


class CycleStatus(StrEnum):
    """Where a PDSA cycle is in its life."""

    PLANNED = "planned"
    RUNNING = "running"
    STUDYING = "studying"
    DECIDED = "decided"


class Decision(StrEnum):
    """The Act step's verdict."""

    ADOPT = "adopt"
    ADAPT = "adapt"
    ABANDON = "abandon"


class Verdict(StrEnum):
    """Whether the data bore out a prediction."""

    CONFIRMED = "confirmed"
    REFUTED = "refuted"
    UNCLEAR = "unclear"


EXPECTS = ("rise", "fall", "no_rise", "no_fall", "no_change", "at_least", "at_most")
"""What a prediction expects of its measure over the test window."""

LEGACY_EXPECTS = {"increase": "rise", "decrease": "fall"}
"""Older records' words, read as the new ones (``no_change`` keeps its name; see the judgement)."""


class Question(_Record):
    """A question the cycle asks, with the team's prediction and its reasoning.

    ``expect`` ties the prediction to ``measure``: ``rise``, ``fall``, ``no_rise``, ``no_fall``,
    ``no_change`` (no unusual change either way), or ``at_least``/``at_most`` a ``level`` over
    the test window (in the measure's own unit: a proportion 0-1 for percentages).  Older
    records' ``increase``/``decrease`` are read as ``rise``/``fall``.
    """

    question: str = Field(min_length=1, max_length=500)
    prediction: str = Field(min_length=1, max_length=500)
    because: str = Field(default="", max_length=500)
    measure: str | None = None
    expect: str | None = None
    level: float | None = None

    @field_validator("expect", mode="before")
    @classmethod
    def _expect(cls, value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str):
            raise ValueError(f"must be one of {', '.join(EXPECTS)}")
        word = value.strip().lower().replace(" ", "_").replace("-", "_")
        word = LEGACY_EXPECTS.get(word, word)
        if word not in EXPECTS:
            raise ValueError(f"'{value}' is not a prediction the workbench can read; use one of "
                             f"{', '.join(EXPECTS)}")
        return word

    @model_validator(mode="after")
    def _level(self) -> Question:
        if self.expect in ("at_least", "at_most"):
            if self.level is None:
                raise ValueError(f"expect '{self.expect}' needs a level (e.g. level: 0.8 for 80%)")
            if self.level != self.level or self.level < 0:
                raise ValueError("level must be a number of zero or more")
        elif self.level is not None:
            raise ValueError(f"level is only read with expect at_least or at_most, not "
                             f"'{self.expect}'; remove it or change expect")
        if self.expect is not None and not self.measure:
            raise ValueError(f"expect '{self.expect}' needs the measure it is about "
                             "(one of the cycle's measures)")
        return self


class Task(_Record):
    """A task in the plan: what, who, by when."""

    what: str = Field(min_length=1, max_length=300)
    who: str = Field(min_length=1, max_length=120)
    due: dt.date | None = None


class LogEntry(_Record):
    """A dated note from the Do step."""

    date: dt.date
    note: str = Field(min_length=1, max_length=2000)


class StudyAnswer(_Record):
    """The Study step's answer to one question."""

    question: str
    verdict: Verdict
    evidence: str = Field(default="", max_length=2000)


class ChartReading(_Record):
    """The chart's reading of one prediction, stored beside the team's answer when it decided."""

    question: str
    measure: str | None = None
    expect: str | None = None
    result: str = Field(pattern=r"^(held|did_not_hold|too_early|unclear)$")
    evidence: str = Field(default="", max_length=2000)


class Study(_Record):
    """The Study step: one answer per question, and the surprises.

    ``chart`` keeps the workbench's reading of each prediction as of ``chart_as_of`` (written
    when the team decides); the team's ``answers`` stay the record.
    """

    answers: list[StudyAnswer] = Field(default_factory=list)
    surprises: str = Field(default="", max_length=2000)
    studied_on: dt.date | None = None
    chart: list[ChartReading] = Field(default_factory=list)
    chart_as_of: dt.date | None = None


class Act(_Record):
    """The Act step: adopt, adapt or abandon, and why."""

    decision: Decision
    reason: str = Field(min_length=1, max_length=2000)
    decided_on: dt.date | None = None
    decided_by: str = Field(default="", max_length=120)
    next_cycle: str | None = None


class SpreadStep(_Record):
    """One step of spreading an adopted change to another ward."""

    ward: str = Field(pattern=ID_PATTERN)
    date: dt.date
    status: str = Field(default="planned", pattern=r"^(planned|running|adopted|stopped)$")
    cycle: str | None = None


class StatusChange(_Record):
    """A step of a cycle's life that needed a reason: a move back, an early or a changed decision.

    ``undone`` keeps the decision a move back (or a new decision) replaced, so nothing decided is
    lost.
    """

    on: dt.date
    from_status: CycleStatus
    to_status: CycleStatus
    reason: str = Field(min_length=1, max_length=1000)
    by: str = Field(default="", max_length=120)
    undone: Act | None = None


class Cycle(_Record):
    """One PDSA cycle: a single change tested on one ward, usually for two weeks."""

    id: str = Field(pattern=ID_PATTERN)
    ward: str = Field(pattern=ID_PATTERN)
    theme: str
    change_idea: str
    title: str = Field(default="", max_length=200)
    review_findings: list[str] = Field(default_factory=list)
    psirf_ref: str = Field(default="", max_length=120)
    owner: str = Field(min_length=1, max_length=120)
    team: list[str] = Field(default_factory=list)
    objective: str = Field(min_length=1, max_length=1000)
    questions: list[Question] = Field(min_length=1)
    measures: list[str] = Field(min_length=1)
    start: dt.date
    end: dt.date | None = None
    scope: str = Field(default="", max_length=500)
    tasks: list[Task] = Field(default_factory=list)
    status: CycleStatus = CycleStatus.PLANNED
    do_log: list[LogEntry] = Field(default_factory=list)
    study: Study | None = None
    act: Act | None = None
    parent_cycle: str | None = None
    spread: list[SpreadStep] = Field(default_factory=list)
    active_reason: str = Field(default="", max_length=500)
    history: list[StatusChange] = Field(default_factory=list)
    revision: int = Field(default=0, ge=0)

    @model_validator(mode="before")
    @classmethod
    def _default_end(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("start") and not data.get("end"):
            start = data["start"]
            if isinstance(start, str):
                try:
                    start = dt.date.fromisoformat(start)
                except ValueError:
                    return data
            if isinstance(start, dt.date):
                data = {**data, "end": start + dt.timedelta(days=14)}
        return data

    @model_validator(mode="after")
    def _check(self) -> Cycle:
        if self.end is not None and self.end <= self.start:
            raise ValueError("end must be after start (a test usually runs for 14 days)")
        if self.status == CycleStatus.DECIDED and self.act is None:
            raise ValueError("a decided cycle needs an 'act' section: decision and reason")
        return self

    @property
    def change_date(self) -> dt.date:
        """The date the change started: where SPC charts split the phase."""
        return self.start

    def days_left(self, today: dt.date) -> int:
        """Days until the end of the test (0 once it has ended)."""
        end = self.end or self.start + dt.timedelta(days=14)
        return max(0, (end - today).days)


class Strength(StrEnum):
    """Strength of a safety action in the hierarchy of intervention effectiveness."""

    STRONGER = "stronger"
    INTERMEDIATE = "intermediate"
    WEAKER = "weaker"


class ActionStatus(StrEnum):
    """Life of a safety action."""

    OPEN = "open"
    DONE_AWAITING_CHECK = "done_awaiting_check"
    EFFECTIVE = "effective"
    NOT_EFFECTIVE = "not_effective"
    REOPENED = "reopened"


class Action(_Record):
    """A safety action tied to the PSIRF plan."""

    id: str = Field(pattern=ID_PATTERN)
    source: str = Field(min_length=1, max_length=200)
    source_ref: str = Field(default="", max_length=120)
    theme: str
    text: str = Field(min_length=1, max_length=1000)
    strength: Strength
    owner: str = Field(min_length=1, max_length=120)
    verifier: str = Field(min_length=1, max_length=120)
    due: dt.date
    status: ActionStatus = ActionStatus.OPEN
    cycle: str | None = None
    measure: str | None = None
    evidence: str = Field(default="", max_length=2000)
    verified_by: str = Field(default="", max_length=120)
    psirf_priority: str = Field(default="", max_length=200)
    follow_up_check: str = Field(default="", max_length=500)
    revision: int = Field(default=0, ge=0)

    @field_validator("owner", "verifier")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must name a person or role")
        return value.strip()

    @model_validator(mode="after")
    def _check(self) -> Action:
        if self.owner.casefold() == self.verifier.casefold():
            raise ValueError("the verifier must be someone other than the owner")
        if self.status == ActionStatus.EFFECTIVE:
            if not self.evidence.strip():
                raise ValueError("an action is effective only with evidence (a linked signal or a stated reason)")
            if self.verified_by.casefold() != self.verifier.casefold():
                raise ValueError("an action is effective only once its verifier has confirmed the evidence")
        return self
