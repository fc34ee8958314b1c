"""The leaders' log (``pdsa/leaders_log.yaml``): walkround entries and confirmed progress scores.

A walkround asks the seed's weekly question: what have we changed due to recent reviews, and
what is getting in the way?
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from workbench.domain.errors import ValidationFailed
from workbench.domain.records import ID_PATTERN
from workbench.store.pii import guard_fields
from workbench.store.records import load_record, record_data, save_record
from workbench.store.workspace import Workspace


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Walkround(_Model):
    """One leader's visit: what changed due to recent reviews, and what is in the way."""

    date: dt.date
    ward: str = Field(default="", max_length=64)
    by: str = Field(min_length=1, max_length=120)
    changed: str = Field(min_length=1, max_length=1000)
    in_the_way: str = Field(default="", max_length=1000)
    key_risk: str = Field(default="", max_length=500)


class ProgressScore(_Model):
    """A progress score suggested from the evidence and confirmed by a person."""

    ward: str = Field(pattern=ID_PATTERN)
    score: float = Field(ge=0.5, le=5.0)
    suggested: float = Field(ge=0.5, le=5.0)
    confirmed_by: str = Field(min_length=1, max_length=120)
    confirmed_on: dt.date
    note: str = Field(default="", max_length=500)

    @field_validator("score", "suggested")
    @classmethod
    def _half_steps(cls, value: float) -> float:
        if round(value * 2) != value * 2:
            raise ValueError("scores go in half steps: 0.5, 1, 1.5 ... 5")
        return value


class LeadersLog(_Model):
    """``pdsa/leaders_log.yaml``: walkround entries and confirmed progress scores."""

    entries: list[Walkround] = Field(default_factory=list)
    scores: list[ProgressScore] = Field(default_factory=list)
    revision: int = Field(default=0, ge=0)


def log_path(ws: Workspace) -> Path:
    """Where the leaders' log lives."""
    return ws.pdsa / "leaders_log.yaml"


def read_log(ws: Workspace) -> LeadersLog:
    """The leaders' log (empty when none has been written)."""
    path = log_path(ws)
    return load_record(path, LeadersLog) if path.exists() else LeadersLog()


def add_walkround(ws: Workspace, data: dict[str, Any]) -> LeadersLog:
    """Add a walkround entry (refused when it holds patient data)."""
    log = read_log(ws)
    try:
        entry = Walkround.model_validate(data)
    except ValueError as exc:
        raise ValidationFailed([f"walkround: {exc}"]) from exc
    guard_fields(record_data(entry), "leaders' log entry")
    return save_record(log_path(ws), log.model_copy(update={"entries": [*log.entries, entry]}))
