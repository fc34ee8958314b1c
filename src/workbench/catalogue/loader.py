"""Read and validate the catalogue YAML files."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from workbench.domain.catalogue import ChangeIdea, MapRow, Measure, ReviewType, Theme
from workbench.domain.errors import CatalogueError, NotFoundError

METHOD_AREAS: dict[str, str] = {
    "recognition_escalation": "Recognition and escalation",
    "information_sharing": "Information sharing that lands",
    "assessment_quality": "Assessment quality",
    "supervision_challenge": "Supervision and challenge",
    "documentation": "Documentation that helps the next clinician",
    "transitions_discharge": "Care transitions and discharge",
    "voice": "Voice of the child or adult",
    "learning_systems": "Learning systems that stick",
}

M = TypeVar("M", bound=BaseModel)


def load_yaml(text: str) -> Any:
    """Parse YAML with libyaml's safe loader when PyYAML has it (about 10x faster), else PyYAML's.

    Both build the same data from a good file; a bad file is parsed again by the pure-Python
    loader so the error message (and its line) is the same whichever is installed.
    """
    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return yaml.safe_load(text)


def _read(name: str, model: type[M]) -> list[M]:
    text = resources.files("workbench.catalogue").joinpath("data", name).read_text("utf-8")
    try:
        raw = load_yaml(text)
    except yaml.YAMLError as exc:
        raise CatalogueError(f"catalogue file {name} is not valid YAML: {exc}") from exc
    if not isinstance(raw, list):
        raise CatalogueError(f"catalogue file {name} must hold a list of entries")
    items: list[M] = []
    for i, entry in enumerate(raw, start=1):
        try:
            items.append(model.model_validate(entry))
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = ".".join(str(p) for p in first["loc"])
            ident = entry.get("id", f"entry {i}") if isinstance(entry, dict) else f"entry {i}"
            raise CatalogueError(f"catalogue file {name}, {ident}, field '{loc}': {first['msg']}") from exc
    ids = [getattr(item, "id") for item in items]  # noqa: B009 - generic model
    dupes = sorted({x for x in ids if ids.count(x) > 1})
    if dupes:
        raise CatalogueError(f"catalogue file {name} repeats ids: {', '.join(dupes)}")
    return items


def suggest(name: str, choices: list[str]) -> str:
    """A "did you mean" hint for an unknown *name* among *choices* (empty if nothing is close)."""
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.5)
    if not close:
        lowered = {c.lower(): c for c in choices}
        close = [lowered[name.lower()]] if name.lower() in lowered else []
    return f" Did you mean '{close[0]}'?" if close else ""


@dataclass(frozen=True)
class Catalogue:
    """The validated catalogue, indexed by id."""

    themes: dict[str, Theme]
    change_ideas: dict[str, ChangeIdea]
    finding_map: dict[str, MapRow]
    measures: dict[str, Measure]
    review_types: dict[str, ReviewType]
    method_areas: dict[str, str] = field(default_factory=lambda: dict(METHOD_AREAS))

    def theme(self, theme_id: str) -> Theme:
        """The theme with this id, or a :class:`NotFoundError` with a suggestion."""
        return self._get(self.themes, theme_id, "theme", "workbench themes")

    def measure(self, measure_id: str) -> Measure:
        """The measure with this id, or a :class:`NotFoundError` with a suggestion."""
        return self._get(self.measures, measure_id, "measure", "workbench measures")

    def change_idea(self, idea_id: str) -> ChangeIdea:
        """The change idea with this id, or a :class:`NotFoundError` with a suggestion."""
        return self._get(self.change_ideas, idea_id, "change idea", "workbench themes --ideas")

    def ideas_for(self, theme_id: str) -> list[ChangeIdea]:
        """Change ideas tagged with *theme_id*, in catalogue order."""
        return [c for c in self.change_ideas.values() if theme_id in c.themes]

    def measures_for(self, theme_id: str) -> list[Measure]:
        """Measures for *theme_id*: those the map names first, then others tagged with it."""
        mapped = [m for row in self.finding_map.values() if row.theme == theme_id
                  for m in row.measures]
        tagged = [m.id for m in self.measures.values() if theme_id in m.themes]
        order = list(dict.fromkeys(mapped + tagged))
        return [self.measures[m] for m in order]

    @staticmethod
    def _get(table: dict[str, Any], key: str, kind: str, hint: str) -> Any:
        if key in table:
            return table[key]
        raise NotFoundError(
            f"unknown {kind} '{key}'.{suggest(key, list(table))} See `{hint}` for the list."
        )


def _check(cat: Catalogue) -> None:
    problems: list[str] = []
    for t in cat.themes.values():
        if t.method_area not in cat.method_areas:
            problems.append(f"theme {t.id}: unknown method area {t.method_area}")
    for c in cat.change_ideas.values():
        problems += [f"change idea {c.id}: unknown theme {t}" for t in c.themes if t not in cat.themes]
        if c.method_area not in cat.method_areas:
            problems.append(f"change idea {c.id}: unknown method area {c.method_area}")
    for r in cat.finding_map.values():
        if r.theme not in cat.themes:
            problems.append(f"map row {r.id}: unknown theme {r.theme}")
        problems += [f"map row {r.id}: unknown measure {m}" for m in r.measures if m not in cat.measures]
        problems += [f"map row {r.id}: unknown change idea {c}" for c in r.change_ideas
                     if c not in cat.change_ideas]
    for m in cat.measures.values():
        if m.balancing and m.balancing not in cat.measures:
            problems.append(f"measure {m.id}: unknown balancing measure {m.balancing}")
        problems += [f"measure {m.id}: unknown theme {t}" for t in m.themes if t not in cat.themes]
        if m.needs_denominator and not m.denominator:
            problems.append(f"measure {m.id}: a {m.chart} chart needs a denominator definition")
    uncovered = set(cat.method_areas) - {c.method_area for c in cat.change_ideas.values()}
    problems += [f"no change idea for method area {a}" for a in sorted(uncovered)]
    if problems:
        raise CatalogueError("catalogue is inconsistent: " + "; ".join(problems))


@lru_cache(maxsize=1)
def load_catalogue() -> Catalogue:
    """Load and validate the catalogue shipped with the package (cached).

    Returns
    -------
    Catalogue

    Raises
    ------
    CatalogueError
        If a file is malformed or an entry refers to an id that does not exist.
    """
    cat = Catalogue(
        themes={t.id: t for t in _read("themes.yaml", Theme)},
        change_ideas={c.id: c for c in _read("change_ideas.yaml", ChangeIdea)},
        finding_map={r.id: r for r in _read("finding_map.yaml", MapRow)},
        measures={m.id: m for m in _read("measures.yaml", Measure)},
        review_types={r.id: r for r in _read("review_types.yaml", ReviewType)},
    )
    _check(cat)
    return cat
