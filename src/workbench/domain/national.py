"""National themes: what national review bodies publish, and how the eight review themes map."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class NationalSource(_Frozen):
    """A published national report or analysis of reviews."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    body: str = Field(min_length=1)
    title: str = Field(min_length=1)
    year: int = Field(ge=2000, le=2100)
    short: str = Field(min_length=1, max_length=120)
    covers: str = ""
    kind: str = Field(pattern=r"^(children|adults)$")


class NationalTheme(_Frozen):
    """One theme of a national source (short form of the published heading)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    source: str
    name: str = Field(min_length=1)
    meaning: str = Field(min_length=1)


class CrosswalkRow(_Frozen):
    """One review theme and the national themes it answers."""

    theme: str
    national: tuple[str, ...] = Field(min_length=1)
    why: str = Field(min_length=1)
