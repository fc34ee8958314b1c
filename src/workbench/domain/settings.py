"""Per ward x measure chart settings kept in ``pdsa/measures.yaml``: grain overrides, targets."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from workbench.domain.records import ID_PATTERN


class _Setting(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Target(_Setting):
    """A target that applies from a date (until the next target of the same ward x measure).

    ``value`` is on the chart's own scale: a proportion (0.95 for 95%) for p charts.
    """

    value: float
    from_: dt.date = Field(alias="from")
    note: str = Field(default="", max_length=300)

    model_config = ConfigDict(extra="forbid", validate_assignment=True, populate_by_name=True,
                              serialize_by_alias=True)


class MeasureSetting(_Setting):
    """One ward's settings for one measure: its grain (None: the rule chooses) and targets."""

    ward: str = Field(pattern=ID_PATTERN)
    measure: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    grain: Literal["daily", "weekly", "monthly"] | None = None
    targets: list[Target] = Field(default_factory=list)

    @model_validator(mode="after")
    def _dates_once(self) -> MeasureSetting:
        days = [t.from_ for t in self.targets]
        if len(set(days)) != len(days):
            raise ValueError("two targets start on the same day; keep one")
        return self


class MeasureSettings(_Setting):
    """The whole ``pdsa/measures.yaml`` file."""

    revision: int = Field(default=0, ge=0)
    settings: list[MeasureSetting] = Field(default_factory=list)

    @model_validator(mode="after")
    def _pairs_once(self) -> MeasureSettings:
        seen: set[tuple[str, str]] = set()
        for s in self.settings:
            key = (s.ward, s.measure)
            if key in seen:
                raise ValueError(f"ward '{s.ward}' and measure '{s.measure}' appear twice; "
                                 "merge them into one entry")
            seen.add(key)
        return self

    def find(self, ward: str, measure: str) -> MeasureSetting | None:
        """The entry for *ward* x *measure*, if there is one."""
        for s in self.settings:
            if s.ward == ward and s.measure == measure:
                return s
        return None
