"""Targets and grain overrides per ward x measure, kept in ``pdsa/measures.yaml``.

Every surface (the command line, the board's form, the charts, the summary table) sets and
reads them here, so a target means the same everywhere.  Values are checked against the
measure's chart before anything is written: proportions between 0% and 100%, rates, counts
and times not negative; a measure with no better direction takes no target (assurance needs
one).  A refused change writes nothing.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from workbench.catalogue import load_catalogue
from workbench.domain.catalogue import Direction, Measure
from workbench.domain.errors import WorkbenchError
from workbench.domain.records import Ward
from workbench.domain.settings import MeasureSetting, MeasureSettings, Target
from workbench.services.wards import get_ward
from workbench.spc.grain import Grain, check_grain
from workbench.store.settings import load_settings, save_settings
from workbench.store.workspace import Workspace


class TargetRefused(WorkbenchError):
    """A target or grain that cannot be kept; the message says why and how to fix it."""


@dataclass(frozen=True)
class TargetRow:
    """One target as listed: ward, measure, value, the day it applies from, until when."""

    ward: str
    ward_name: str
    measure: str
    measure_name: str
    value: float
    words: str
    start: dt.date
    until: dt.date | None
    note: str


def _ward_measure(ws: Workspace, ward: str, measure: str) -> tuple[Ward, Measure]:
    w = get_ward(ws, ward)
    cat = load_catalogue()
    if measure not in cat.measures:
        raise TargetRefused(f"unknown measure '{measure}'; `workbench measures` lists them")
    if measure not in w.measures:
        raise TargetRefused(f"{w.name} does not count '{measure}'; its measures are "
                            f"{', '.join(w.measures) or 'none'}")
    return w, cat.measures[measure]


def value_words(measure: Measure, value: float) -> str:
    """A target as people read it: ``95%`` for proportions, else the number and unit."""
    if measure.is_proportion:
        return f"{value * 100:.4g}%"
    unit = measure.unit if measure.unit and not measure.unit.startswith("proportion") else ""
    return f"{value:,.4g} {unit}".strip()


def parse_target(measure: Measure, text: str | float) -> float:
    """The target *text* on the chart's scale, or :class:`TargetRefused` saying how to write it.

    Proportions take ``95%`` or ``0.95``; other measures a plain number in their unit.
    """
    raw = str(text).strip().replace(",", "")
    percent = raw.endswith("%")
    try:
        value = float(raw.rstrip("%").strip())
    except ValueError:
        raise TargetRefused(f"target '{text}' is not a number; write it like "
                            f"{'95% or 0.95' if measure.is_proportion else '30'}") from None
    if not math.isfinite(value):
        raise TargetRefused(f"target '{text}' is not a finite number")
    if measure.is_proportion:
        if percent:
            value /= 100
        if not 0 <= value <= 1:
            raise TargetRefused(f"target '{text}' for {measure.name} must be a share between 0% "
                                "and 100%; write 95% or 0.95")
    elif percent:
        raise TargetRefused(f"{measure.name} is not a percentage; write the target in "
                            f"{measure.unit or 'its unit'} without %")
    elif value < 0 and measure.chart.value in ("u", "up", "c", "g", "t"):
        raise TargetRefused(f"target '{text}' for {measure.name} cannot be negative")
    if measure.improvement == Direction.NEUTRAL:
        raise TargetRefused(f"{measure.name} has no better direction, so a target cannot be "
                            "judged against it; no target was set")
    return value


def _entry(settings: MeasureSettings, ward: str, measure: str) -> tuple[MeasureSettings, MeasureSetting]:
    found = settings.find(ward, measure)
    if found is not None:
        return settings, found
    entry = MeasureSetting(ward=ward, measure=measure)
    return settings.model_copy(update={"settings": [*settings.settings, entry]}), entry


def _replace(settings: MeasureSettings, entry: MeasureSetting) -> MeasureSettings:
    rows = [entry if (s.ward, s.measure) == (entry.ward, entry.measure) else s
            for s in settings.settings]
    rows = [s for s in rows if s.grain is not None or s.targets]
    return MeasureSettings.model_validate({"revision": settings.revision,
                                           "settings": [s.model_dump(by_alias=True) for s in rows]})


def set_target(ws: Workspace, ward: str, measure: str, value: str | float, start: dt.date, *,
               note: str = "") -> TargetRow:
    """Set *ward*'s target for *measure* from *start* (replacing one from the same day).

    Raises
    ------
    TargetRefused, NotFoundError, StaleRevisionError
        Nothing is written.
    """
    w, m = _ward_measure(ws, ward, measure)
    number = parse_target(m, value)
    settings, entry = _entry(load_settings(ws), ward, measure)
    kept = [t for t in entry.targets if t.from_ != start]
    new = Target.model_validate({"value": number, "from": start, "note": note.strip()})
    targets = sorted([*kept, new], key=lambda t: t.from_)
    save_settings(ws, _replace(settings, entry.model_copy(update={"targets": targets})))
    return next(r for r in list_targets(ws, ward=ward) if r.measure == measure and r.start == start)


def remove_target(ws: Workspace, ward: str, measure: str, start: dt.date) -> None:
    """Remove the target of *ward* x *measure* that applies from *start*."""
    _ward_measure(ws, ward, measure)
    settings = load_settings(ws)
    entry = settings.find(ward, measure)
    if entry is None or all(t.from_ != start for t in entry.targets):
        raise TargetRefused(f"there is no target for '{measure}' on ward '{ward}' from {start}")
    targets = [t for t in entry.targets if t.from_ != start]
    save_settings(ws, _replace(settings, entry.model_copy(update={"targets": targets})))


def set_grain(ws: Workspace, ward: str, measure: str, grain: str | None) -> None:
    """Chart *ward*'s *measure* daily, weekly or monthly (None: let the rule choose)."""
    _ward_measure(ws, ward, measure)
    chosen: Grain | None = None
    if grain not in (None, "", "auto"):
        chosen = check_grain(grain)
        m = load_catalogue().measures[measure]
        if m.chart.value in ("g", "t") and chosen != "daily":
            raise TargetRefused(f"{m.name} is charted event by event; it cannot be grouped "
                                f"{chosen}")
    settings, entry = _entry(load_settings(ws), ward, measure)
    save_settings(ws, _replace(settings, entry.model_copy(update={"grain": chosen})))


def grain_override(settings: MeasureSettings, ward: str, measure: str) -> Grain | None:
    """The grain set for *ward* x *measure*, or None when the rule chooses."""
    entry = settings.find(ward, measure)
    return None if entry is None else entry.grain


def target_on(settings: MeasureSettings, ward: str, measure: str,
              day: dt.date | None) -> Target | None:
    """The target that applies to *ward* x *measure* on *day* (the latest one from on or
    before it); None when none applies yet.  ``day`` None means the latest target."""
    entry = settings.find(ward, measure)
    if entry is None:
        return None
    applying = [t for t in entry.targets if day is None or t.from_ <= day]
    return max(applying, key=lambda t: t.from_) if applying else None


def list_targets(ws: Workspace, *, ward: str | None = None) -> list[TargetRow]:
    """Every target, ward by ward and measure by measure, with the day each stops applying."""
    from workbench.services.wards import list_wards

    names = {w.id: w.name for w in list_wards(ws)}
    if ward is not None:
        get_ward(ws, ward)
    cat = load_catalogue()
    rows = []
    for entry in load_settings(ws).settings:
        if ward is not None and entry.ward != ward:
            continue
        m = cat.measures.get(entry.measure)
        targets = sorted(entry.targets, key=lambda t: t.from_)
        for i, t in enumerate(targets):
            until = targets[i + 1].from_ - dt.timedelta(days=1) if i + 1 < len(targets) else None
            rows.append(TargetRow(entry.ward, names.get(entry.ward, entry.ward), entry.measure,
                                  m.name if m else entry.measure, t.value,
                                  value_words(m, t.value) if m else f"{t.value:g}",
                                  t.from_, until, t.note))
    return rows
