"""Driver diagram for one review theme, as a ward's improvement aim.

aim -> primary drivers -> secondary drivers -> change ideas -> measures:

* the **aim** is the theme's one-line summary, with the ward's own objective when it has a
  cycle on the theme;
* **primary drivers** are the review-method areas the theme's change ideas come from
  (recognition and escalation, information sharing, ...);
* **secondary drivers** are the finding -> change rows of the catalogue's map for the theme
  (what the reviews found going wrong, put right), plus "other changes" from the methods;
* **change ideas** carry what the ward (or every ward) did with them: not tried yet, planned,
  being tested, adopted, adapted or abandoned, with the cycles;
* **measures** are the map row's measures and those the ward's cycles used.

Every surface (page, notebook, CLI) reads :func:`driver_diagram`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from workbench.catalogue import load_catalogue
from workbench.domain.records import Cycle, CycleStatus, Decision, Ward
from workbench.store.workspace import Workspace

STATE_WORDS = {"untried": "not tried yet", "planned": "planned", "testing": "being tested",
               "adopted": "adopted", "adapted": "adapted (testing again)",
               "abandoned": "abandoned"}
"""How an idea's state is worded on every surface."""

_RANK = ["adopted", "testing", "adapted", "planned", "abandoned", "untried"]


def idea_state(cycle: Cycle) -> str:
    """A cycle's state as the driver diagram words an idea: planned, testing, adopted, ..."""
    if cycle.status == CycleStatus.DECIDED and cycle.act is not None:
        return {Decision.ADOPT: "adopted", Decision.ADAPT: "adapted",
                Decision.ABANDON: "abandoned"}[cycle.act.decision]
    return "planned" if cycle.status == CycleStatus.PLANNED else "testing"


@dataclass(frozen=True)
class MeasureNode:
    """A measure under a change idea."""

    id: str
    name: str
    family: str


@dataclass(frozen=True)
class IdeaNode:
    """A change idea and what was done with it."""

    id: str
    text: str
    state: str
    cycles: list[str]
    measures: list[MeasureNode]

    @property
    def state_words(self) -> str:
        """The state in plain words."""
        return STATE_WORDS[self.state]


@dataclass(frozen=True)
class SecondaryDriver:
    """What has to go right for a primary driver (one finding -> change row)."""

    text: str
    ideas: list[IdeaNode]


@dataclass(frozen=True)
class PrimaryDriver:
    """A big lever for the aim (a review-method area)."""

    text: str
    secondaries: list[SecondaryDriver]


@dataclass(frozen=True)
class DriverDiagram:
    """A theme's driver diagram for one ward (or the whole service when ``ward`` is None)."""

    theme_id: str
    theme_name: str
    aim: str
    aim_detail: str
    ward: Ward | None
    primaries: list[PrimaryDriver]
    national: list[str] = field(default_factory=list)

    @property
    def ideas(self) -> list[IdeaNode]:
        """Every change idea on the diagram, in drawing order."""
        return [i for p in self.primaries for s in p.secondaries for i in s.ideas]


def _measure_nodes(ids: list[str]) -> list[MeasureNode]:
    cat = load_catalogue()
    return [MeasureNode(m, cat.measures[m].name, cat.measures[m].family.value)
            for m in dict.fromkeys(ids) if m in cat.measures]


def driver_diagram(ws: Workspace, theme_id: str, *, ward: str | None = None) -> DriverDiagram:
    """The driver diagram of review theme *theme_id*, with the ward's cycles marked on it.

    Parameters
    ----------
    ws : Workspace
    theme_id : str
        One of the eight review themes.
    ward : str, optional
        Ward id; without it, every ward's cycles count.

    Raises
    ------
    NotFoundError
        Unknown theme or ward (with a suggestion).
    """
    from workbench.services.cycles import list_cycles
    from workbench.services.national import national_answers
    from workbench.services.wards import get_ward

    cat = load_catalogue()
    theme = cat.theme(theme_id)
    the_ward = get_ward(ws, ward) if ward else None
    cycles = [c for c in list_cycles(ws, ward=ward) if c.theme == theme_id
              or (c.change_idea in cat.change_ideas
                  and theme_id in cat.change_ideas[c.change_idea].themes)]
    by_idea: dict[str, list[Cycle]] = {}
    for c in cycles:
        by_idea.setdefault(c.change_idea, []).append(c)
    ideas = [i.id for i in cat.ideas_for(theme_id)]
    ideas += [i for i in by_idea if i not in ideas and i in cat.change_ideas]
    rows = [r for r in cat.finding_map.values() if r.theme == theme_id]
    placed: dict[str, tuple[str, list[str]]] = {}  # idea -> (secondary text, row measures)
    for r in rows:
        for i in r.change_ideas:
            placed.setdefault(i, (f"{r.finding} put right: {'; '.join(r.changes)}",
                                  list(r.measures)))
    areas: dict[str, dict[str, list[IdeaNode]]] = {}
    for idea_id in ideas:
        idea = cat.change_ideas[idea_id]
        found = by_idea.get(idea_id, [])
        states = [idea_state(c) for c in found]
        state = min(states, key=_RANK.index) if states else "untried"
        secondary, measures = placed.get(idea_id, ("Other changes from the review methods", []))
        node = IdeaNode(idea_id, idea.text, state, [c.id for c in found],
                        _measure_nodes(measures + [m for c in found for m in c.measures]))
        area = cat.method_areas.get(idea.method_area, idea.method_area)
        areas.setdefault(area, {}).setdefault(secondary, []).append(node)
    primaries = [PrimaryDriver(area, [SecondaryDriver(text, nodes) for text, nodes in
                                      sorted(secs.items(), key=lambda kv: kv[0].startswith(
                                          "Other"))])
                 for area, secs in areas.items()]
    own = [c for c in cycles if c.theme == theme_id]
    detail = own[-1].objective if own and the_ward else f"Instead of: {theme.looks_like}"
    return DriverDiagram(theme_id, theme.name, theme.summary, detail, the_ward, primaries,
                         [a.text for a in national_answers(theme_id)])


def driver_data(d: DriverDiagram) -> dict[str, Any]:
    """The diagram as JSON-ready data (for ``workbench driver --format json``)."""
    return {"theme": d.theme_id, "theme_name": d.theme_name, "aim": d.aim,
            "aim_detail": d.aim_detail, "ward": d.ward.id if d.ward else None,
            "ward_name": d.ward.name if d.ward else None, "national_themes": d.national,
            "primary_drivers": [{
                "text": p.text,
                "secondary_drivers": [{
                    "text": s.text,
                    "change_ideas": [{"id": i.id, "text": i.text, "state": i.state,
                                      "state_words": i.state_words, "cycles": i.cycles,
                                      "measures": [m.__dict__ for m in i.measures]}
                                     for i in s.ideas]} for s in p.secondaries]}
                for p in d.primaries]}
