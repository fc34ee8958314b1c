"""Read and validate the national themes crosswalk (``data/national_themes.yaml``).

The file has three lists: ``sources`` (each national report, with its body and year),
``national_themes`` (each tied to a source) and ``crosswalk`` (each of the eight review themes
and the national themes it answers).  Every reference is checked; every review theme must have
a row and every national theme must be used, so the table cannot drift silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from workbench.catalogue.loader import load_catalogue, load_yaml
from workbench.domain.errors import CatalogueError, NotFoundError
from workbench.domain.national import CrosswalkRow, NationalSource, NationalTheme

FILE = "national_themes.yaml"

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class NationalThemes:
    """The validated crosswalk, indexed by id."""

    sources: dict[str, NationalSource]
    themes: dict[str, NationalTheme]
    crosswalk: dict[str, CrosswalkRow]

    def for_theme(self, theme_id: str) -> list[NationalTheme]:
        """The national themes a review theme answers, in the order the crosswalk lists them."""
        row = self.crosswalk.get(theme_id)
        if row is None:
            raise NotFoundError(f"unknown review theme '{theme_id}' in the national crosswalk; "
                                "see `workbench themes` for the list.")
        return [self.themes[t] for t in row.national]

    def cite(self, theme: NationalTheme) -> str:
        """A national theme with its source in short, e.g. ``"Critical thinking and challenge
        (Child Safeguarding Practice Review Panel, annual report 2020 (published 2021))"``."""
        return f"{theme.name} ({self.sources[theme.source].short})"


def _entries(raw: dict[str, Any], key: str, model: type[M]) -> list[M]:
    items = raw.get(key)
    if not isinstance(items, list) or not items:
        raise CatalogueError(f"catalogue file {FILE}: '{key}' must be a non-empty list")
    out: list[M] = []
    for i, entry in enumerate(items, start=1):
        try:
            out.append(model.model_validate(entry))
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = ".".join(str(p) for p in first["loc"])
            ident = (entry.get("id") or entry.get("theme")) if isinstance(entry, dict) else None
            raise CatalogueError(f"catalogue file {FILE}, {key} entry {i}"
                                 f"{f' ({ident})' if ident else ''}, field '{loc}': "
                                 f"{first['msg']}") from exc
    return out


def parse_national(text: str, theme_ids: list[str]) -> NationalThemes:
    """Validate the crosswalk's YAML *text* against the review themes *theme_ids*.

    Raises
    ------
    CatalogueError
        Bad YAML, a missing or malformed entry (named by list, position and field), a repeated
        id, an unknown source / national theme / review theme, a review theme with no row, or
        a national theme no row uses.
    """
    try:
        raw = load_yaml(text)
    except yaml.YAMLError as exc:
        raise CatalogueError(f"catalogue file {FILE} is not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise CatalogueError(f"catalogue file {FILE} must hold 'sources', 'national_themes' and "
                             "'crosswalk'")
    sources = _entries(raw, "sources", NationalSource)
    themes = _entries(raw, "national_themes", NationalTheme)
    rows = _entries(raw, "crosswalk", CrosswalkRow)
    problems: list[str] = []
    for label, ids in (("sources", [s.id for s in sources]), ("national_themes",
                                                               [t.id for t in themes]),
                       ("crosswalk", [r.theme for r in rows])):
        dupes = sorted({x for x in ids if ids.count(x) > 1})
        if dupes:
            problems.append(f"{label} repeats {', '.join(dupes)}")
    src_ids = {s.id for s in sources}
    nat_ids = {t.id for t in themes}
    problems += [f"national theme {t.id}: unknown source {t.source}" for t in themes
                 if t.source not in src_ids]
    for r in rows:
        if r.theme not in theme_ids:
            problems.append(f"crosswalk row {r.theme}: not one of the review themes")
        problems += [f"crosswalk row {r.theme}: unknown national theme {n}" for n in r.national
                     if n not in nat_ids]
    mapped = {r.theme for r in rows}
    problems += [f"review theme {t} has no crosswalk row" for t in theme_ids if t not in mapped]
    used = {n for r in rows for n in r.national}
    problems += [f"national theme {t} is mapped to no review theme" for t in sorted(nat_ids - used)]
    if problems:
        raise CatalogueError(f"catalogue file {FILE} is inconsistent: " + "; ".join(problems))
    return NationalThemes({s.id: s for s in sources}, {t.id: t for t in themes},
                          {r.theme: r for r in rows})


@lru_cache(maxsize=1)
def load_national() -> NationalThemes:
    """Load and validate the national themes crosswalk shipped with the package (cached)."""
    text = resources.files("workbench.catalogue").joinpath("data", FILE).read_text("utf-8")
    return parse_national(text, list(load_catalogue().themes))
