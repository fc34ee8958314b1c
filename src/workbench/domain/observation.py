"""Observations: one day's (or week's) count for a ward and a measure."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class Observation(BaseModel):
    """A single observation as entered or imported."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ward: str
    measure: str
    date: dt.date
    value: float
    denominator: float | None = None
    source: str = Field(default="form")
    entered_by: str = Field(default="")
