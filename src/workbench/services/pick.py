"""Pick a theme: the ward's signals and recent review findings, against the "pick few" limit.

Step one of the loop.  For each of the eight review themes the ward sees:

* its **signals** -- the Making Data Count variation of every measure the ward tracks for the
  theme (from the SPC engine, as on the ward board);
* recent **review findings** mapped to the theme;
* whether a change on the theme is already **active** on the ward.

A simple, explainable score ranks the themes, and the recommendation says why -- or, when the ward
already runs as many changes as it should, says to finish one first ("pick few, not many").

The choice can be recorded as a light *pick* note (``pdsa/picks.yaml``): it is not a cycle, so it
does not count against the limit, and the plan form of step three starts from it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from workbench.catalogue import load_catalogue
from workbench.domain.catalogue import ChangeIdea, Theme
from workbench.domain.errors import RecordError, ValidationFailed
from workbench.domain.records import Cycle, CycleStatus, Decision, Ward
from workbench.services.checks import ward_summary
from workbench.services.cycles import active_cycles, list_cycles
from workbench.services.reviews import list_reviews
from workbench.store.workspace import Workspace

RECENT_DAYS = 365
"""Findings from reviews dated within this many days count as recent."""

CONCERN = "special_cause_concern"
IMPROVING = "special_cause_improvement"


@dataclass(frozen=True)
class MeasureSignal:
    """One measure the ward tracks, and what its chart says now."""

    measure: str
    name: str
    variation: str | None
    assurance: str | None


@dataclass(frozen=True)
class LeftOut:
    """A change idea step one does not offer the ward, and why (plain words)."""

    idea: ChangeIdea
    why: str


def taken_ideas(cycles: list[Cycle]) -> dict[str, str]:
    """Change ideas a ward has adopted or is testing, each with why it is not offered again.

    An idea abandoned or adapted stays on offer (adapt means test it again, changed).
    """
    taken: dict[str, str] = {}
    for c in cycles:
        name = c.title or c.id
        if c.status != CycleStatus.DECIDED:
            taken[c.change_idea] = f"already being tested on this ward ({name})"
        elif c.act is not None and c.act.decision == Decision.ADOPT:
            taken.setdefault(c.change_idea, f"already adopted on this ward ({name}, "
                                            f"decided {c.act.decided_on or c.end})")
    return taken


@dataclass(frozen=True)
class ThemeOption:
    """One theme as it stands on the ward.

    Attributes
    ----------
    score : float
        Higher means a stronger case to pick it now (see :func:`pick_summary`).
    reasons : list of str
        Plain sentences behind the score.
    """

    theme: Theme
    signals: list[MeasureSignal]
    findings: list[str]
    active: list[Cycle]
    adopted: list[Cycle]
    ideas: list[ChangeIdea]
    score: float
    reasons: list[str] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)
    """The theme's change ideas not offered: the ward has adopted them or is testing them."""

    @property
    def concerns(self) -> int:
        """Measures whose chart shows an unusual change for the worse."""
        return sum(s.variation == CONCERN for s in self.signals)


@dataclass(frozen=True)
class PickSummary:
    """Everything step one shows for a ward."""

    ward: Ward
    today: dt.date
    options: list[ThemeOption]
    active: list[Cycle]
    limit: int
    recommended: ThemeOption | None
    reasons: list[str]

    @property
    def at_limit(self) -> bool:
        """True when the ward already runs as many changes as its limit allows."""
        return len(self.active) >= self.limit


def _findings(ws: Workspace, theme: str, today: dt.date) -> list[str]:
    out = []
    for review in list_reviews(ws):
        if (today - review.date).days > RECENT_DAYS or review.date > today:
            continue
        out += [f"{review.id}/{f.id}: {f.text}" for f in review.findings if f.theme == theme]
    return out


def _names(cycles: list[Cycle]) -> str:
    """Cycles by their titles, as people call them ("Bruising prompt at triage")."""
    return ", ".join(c.title or c.change_idea.replace("_", " ") for c in cycles)


def _option(theme: Theme, signals: list[MeasureSignal], findings: list[str],
            cycles: list[Cycle]) -> ThemeOption:
    cat = load_catalogue()
    mine = [c for c in cycles if c.theme == theme.id]
    active = [c for c in mine if c.status != CycleStatus.DECIDED]
    adopted = [c for c in mine if c.act is not None and c.act.decision == Decision.ADOPT]
    concerns = [s for s in signals if s.variation == CONCERN]
    better = [s for s in signals if s.variation == IMPROVING]
    score = 3.0 * len(concerns) + 1.5 * len(findings) + min(1.0, 0.25 * len(signals)) \
        - 4.0 * len(active) - 1.0 * len(adopted) - 0.5 * len(better)
    reasons = []
    if concerns:
        reasons.append("getting worse on the chart: " + ", ".join(s.name for s in concerns))
    if findings:
        reasons.append("1 recent review finding points here" if len(findings) == 1 else
                       f"{len(findings)} recent review findings point here")
    if signals and not concerns:
        reasons.append("the ward already counts " + ("1 measure" if len(signals) == 1 else
                                                     f"{len(signals)} measures") + " for it")
    if active:
        reasons.append("a change is already being tested: " + _names(active))
    if adopted:
        reasons.append("a change was adopted here already: " + _names(adopted))
    if better:
        reasons.append("getting better on the chart: " + ", ".join(s.name for s in better))
    taken = taken_ideas(cycles)
    ideas = cat.ideas_for(theme.id)
    return ThemeOption(theme, signals, findings, active, adopted,
                       [i for i in ideas if i.id not in taken], round(score, 2), reasons,
                       [LeftOut(i, taken[i.id]) for i in ideas if i.id in taken])


def pick_summary(ws: Workspace, ward_id: str, *, today: dt.date | None = None) -> PickSummary:
    """Rank the review themes for a ward and recommend one, or say to finish a change first.

    Score per theme: +3 per measure getting worse, +1.5 per recent finding, +0.25 per measure
    the ward already counts for it (at most +1); -4 per change already active on it, -1 per
    change already adopted, -0.5 per measure getting better.

    Parameters
    ----------
    ws : Workspace
    ward_id : str
    today : date, optional
        The day to judge from (default: today).

    Raises
    ------
    NotFoundError
        Unknown ward.
    """
    cat = load_catalogue()
    day = today or dt.date.today()
    board = ward_summary(ws, ward_id, today=day)
    ward = board.ward
    checks = {mc.measure.id: mc for mc in board.measures}
    now = {m.measure: m for m in board.judgement.measures} if board.judgement is not None else {}
    cycles = list_cycles(ws, ward=ward_id)
    options = []
    for theme in cat.themes.values():
        ids = [m.id for m in cat.measures_for(theme.id) if m.id in checks]
        signals = [MeasureSignal(m, checks[m].measure.name,
                                 now[m].variation if m in now else checks[m].variation,
                                 now[m].assurance if m in now else checks[m].assurance)
                   for m in ids]
        options.append(_option(theme, signals, _findings(ws, theme.id, day), cycles))
    options.sort(key=lambda o: -o.score)
    active = active_cycles(ws, ward_id)
    limit = ward.max_active_changes
    best = options[0] if options and options[0].score > 0 and not options[0].active else None
    if len(active) >= limit:
        reasons = [f"{ward.name} already runs {len(active)} "
                   f"change{'s' if len(active) != 1 else ''} ({_names(active)}); the limit is "
                   f"{limit}. Pick few, not many: check and decide one of them before starting "
                   "another."]
        best = None
    elif best is None:
        reasons = ["No theme stands out: no measure is getting worse and no recent finding "
                   "points to a theme without a change already running. Keep watching."]
    else:
        reasons = [f"{best.theme.name}: " + "; ".join(best.reasons) + ".",
                   f"Practical fix from the reviews: {best.theme.practical_fix.rstrip('.')}."]
    return PickSummary(ward, day, options, active, limit, best, reasons)


def record_pick(ws: Workspace, ward_id: str, theme: str, change_idea: str, *,
                by: str = "", note: str = "", on: dt.date | None = None) -> dict[str, str]:
    """Record a team's choice of theme and change idea in ``pdsa/picks.yaml``.

    A pick is a note, not a cycle: it does not count against the ward's limit on active changes.
    Step three's plan form starts from it.

    Returns
    -------
    dict
        The saved entry.

    Raises
    ------
    NotFoundError, ValidationFailed, PatientDataError
        Unknown ward, theme or idea; an idea that does not fit the theme; patient data in text.
    """
    from workbench.services.wards import get_ward
    from workbench.store.pii import guard_fields
    from workbench.store.records import dump_yaml, parse_yaml, write_atomic

    cat = load_catalogue()
    get_ward(ws, ward_id)
    cat.theme(theme)
    idea = cat.change_idea(change_idea)
    if theme not in idea.themes:
        raise ValidationFailed([f"change_idea: '{change_idea}' is not an idea for theme "
                                f"'{theme}'; pick one of "
                                f"{', '.join(i.id for i in cat.ideas_for(theme))}"])
    entry = {"ward": ward_id, "theme": theme, "change_idea": change_idea,
             "date": (on or dt.date.today()).isoformat(), "by": by.strip(), "note": note.strip()}
    guard_fields(entry, "pick")
    path = ws.pdsa / "picks.yaml"
    data, _ = parse_yaml(path.read_text("utf-8"), path) if path.exists() else (None, None)
    if data is not None and not isinstance(data, list):
        raise RecordError("must hold a list of picks", path=str(path))
    write_atomic(path, dump_yaml([*(data or []), entry]))
    return entry


def picks(ws: Workspace, ward_id: str | None = None) -> list[dict[str, str]]:
    """Recorded picks, oldest first, optionally for one ward."""
    from workbench.store.records import parse_yaml

    path = ws.pdsa / "picks.yaml"
    if not path.exists():
        return []
    data, _ = parse_yaml(path.read_text("utf-8"), path)
    return [p for p in (data or []) if ward_id is None or p.get("ward") == ward_id]
