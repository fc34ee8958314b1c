"""Catalogue models: review themes, change ideas, measures, the finding map and review types."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class ChartType(StrEnum):
    """SPC chart types a measure can be drawn on."""

    RUN = "run"
    I = "i"  # noqa: E741 - the established name of the chart
    MR = "mr"
    P = "p"
    U = "u"
    C = "c"
    PP = "pp"
    UP = "up"
    G = "g"
    T = "t"


class Direction(StrEnum):
    """Which way is better for a measure."""

    INCREASE = "increase"
    DECREASE = "decrease"
    NEUTRAL = "neutral"


class Family(StrEnum):
    """The role a measure plays in a test of change."""

    PROCESS = "process"
    OUTCOME = "outcome"
    BALANCING = "balancing"


class Frequency(StrEnum):
    """How often a measure is counted."""

    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    PER_EVENT = "per_event"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Theme(_Frozen):
    """One of the eight recurring review themes."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    looks_like: str
    practical_fix: str
    method_area: str
    summary: str = ""


class ChangeIdea(_Frozen):
    """A short, actionable change drawn from the review methods."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    text: str
    themes: tuple[str, ...] = Field(min_length=1)
    method_area: str


class Measure(_Frozen):
    """A measure with its operational definition.

    ``denominator`` is empty for counts and times; ``unit`` says what one value is.
    """

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    family: Family
    definition: str
    numerator: str
    denominator: str = ""
    unit: str
    frequency: Frequency
    chart: ChartType
    improvement: Direction
    balancing: str = ""
    themes: tuple[str, ...] = ()
    data_source: str = ""
    seed_name: str = ""

    @property
    def needs_denominator(self) -> bool:
        """True when each value needs a denominator (p, u and Laney charts)."""
        return self.chart in (ChartType.P, ChartType.U, ChartType.PP, ChartType.UP)

    @property
    def is_proportion(self) -> bool:
        """True when the numerator cannot exceed the denominator."""
        return self.chart in (ChartType.P, ChartType.PP)

    @property
    def whole_counts(self) -> bool:
        """True when values must be whole numbers (counts, not times or scores)."""
        return self.chart in (ChartType.P, ChartType.PP, ChartType.U, ChartType.UP, ChartType.C,
                              ChartType.G)


class MapRow(_Frozen):
    """One row of the finding -> change -> measure map."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    finding: str
    theme: str
    changes: tuple[str, ...] = Field(min_length=1)
    change_ideas: tuple[str, ...] = Field(min_length=1)
    how_to_measure: str
    measures: tuple[str, ...] = Field(min_length=1)


class ReviewType(_Frozen):
    """A kind of review or learning response, with its names across the UK nations."""

    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
    name: str
    scope: str
    nations: dict[str, str]
    framework: str
