"""Recall that sticks: short quizzes from the catalogue and current cycles, spaced per team.

The seed asks for "a five-minute slot in team meetings to test recall of new checks" and "short
quizzes to keep recall alive".  Questions come from the themes and their practical fixes, the
finding-to-action map, and the team's own cycles.  A Leitner schedule spaces them: a question
answered right moves up a box and comes back later; a miss goes back to box 1.

Results are kept per team (a ward, or a ward and shift such as ``nh-ucc-nights``), never per
person, in ``pdsa/learning/<team>.yaml``.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from workbench.catalogue import load_catalogue
from workbench.domain.errors import ValidationFailed
from workbench.domain.records import ID_PATTERN, Cycle, CycleStatus, Decision
from workbench.store.pii import guard_fields
from workbench.store.records import load_record, record_data, save_record
from workbench.store.workspace import Workspace

INTERVAL_DAYS = {1: 7, 2: 14, 3: 28, 4: 56, 5: 112}
"""Leitner boxes: days until a question comes back after a right answer into that box."""
QUIZ_SIZE = 3


@dataclass(frozen=True)
class Question:
    """One recall question with four choices.

    Attributes
    ----------
    id : str
        Stable id (``theme-...``, ``map-...``, ``cycle-<id>-change`` ...).
    prompt : str
    choices : tuple of str
    answer : int
        Index of the right choice.
    explain : str
        Why it is right, shown after the answer.
    """

    id: str
    prompt: str
    choices: tuple[str, ...]
    answer: int
    explain: str


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Card(_Model):
    """Where one question sits in a team's schedule."""

    question: str
    box: int = Field(default=1, ge=1, le=5)
    due: dt.date
    right: int = Field(default=0, ge=0)
    wrong: int = Field(default=0, ge=0)


class Session(_Model):
    """One quiz in a team meeting: how many asked, how many right."""

    date: dt.date
    asked: int = Field(ge=0)
    right: int = Field(ge=0)


class TeamRecall(_Model):
    """``pdsa/learning/<team>.yaml``: a team's schedule and its sessions."""

    team: str = Field(pattern=ID_PATTERN)
    cards: list[Card] = Field(default_factory=list)
    sessions: list[Session] = Field(default_factory=list)
    revision: int = Field(default=0, ge=0)


def _make(qid: str, prompt: str, right: str, pool: list[str], explain: str) -> Question:
    rng = random.Random(zlib.crc32(qid.encode()))
    others = sorted({p for p in pool if p != right})
    choices = [right, *rng.sample(others, min(3, len(others)))]
    rng.shuffle(choices)
    return Question(qid, prompt, tuple(choices), choices.index(right), explain)


def theme_questions() -> list[Question]:
    """One question per theme: what it looks like in care -> the practical fix."""
    cat = load_catalogue()
    fixes = [t.practical_fix for t in cat.themes.values()]
    return [_make(f"theme-{t.id}", f"A review finds: \u201c{t.looks_like}\u201d. Which fix works "
                  "on the floor?", t.practical_fix, fixes, f"{t.name}: {t.practical_fix}.")
            for t in cat.themes.values()]


def map_questions() -> list[Question]:
    """One question per row of the finding map: the finding -> how to measure progress."""
    cat = load_catalogue()
    pool = [r.how_to_measure for r in cat.finding_map.values()]
    return [_make(f"map-{r.id}", f"After the finding \u201c{r.finding}\u201d, how would you see "
                  "that the change works?", r.how_to_measure, pool,
                  f"{r.finding}: {'; '.join(r.changes)}. Measure: {r.how_to_measure}.")
            for r in cat.finding_map.values()]


def cycle_questions(cycle: Cycle) -> list[Question]:
    """Questions about one cycle: its change, its measure and (once decided) its result."""
    cat = load_catalogue()
    ideas = [c.text for c in cat.change_ideas.values()]
    idea = cat.change_ideas[cycle.change_idea].text if cycle.change_idea in cat.change_ideas \
        else cycle.title
    name = cycle.title or idea
    out = [_make(f"cycle-{cycle.id}-change", f"What is the new check in \u201c{name}\u201d?",
                 idea, ideas, f"{name}: {cycle.objective}")]
    first = cycle.questions[0]
    if first.measure and first.measure in cat.measures:
        m = cat.measures[first.measure]
        pool = [x.name for x in cat.measures.values()]
        out.append(_make(f"cycle-{cycle.id}-measure", f"Which measure shows whether \u201c{name}"
                         "\u201d is being done?", m.name, pool, f"{m.name}: {m.definition}"))
    if cycle.act is not None:
        words = {Decision.ADOPT: "It worked and was adopted",
                 Decision.ADAPT: "It helped in part and is being adapted",
                 Decision.ABANDON: "It did not work and was stopped"}
        out.append(_make(f"cycle-{cycle.id}-result", f"What did the test of \u201c{name}\u201d "
                         "show?", words[cycle.act.decision], [*words.values(),
                                                              "It has not been tested yet"],
                         cycle.act.reason))
    return out


def questions_for_cycle(cycle: Cycle) -> list[Question]:
    """Three recall questions for a micro-teach card: the change, the measure, the finding."""
    cat = load_catalogue()
    own = cycle_questions(cycle)[:2]
    by_theme = [q for q in map_questions()
                if cat.finding_map[q.id.removeprefix("map-")].theme == cycle.theme]
    extra = by_theme or [q for q in theme_questions() if q.id == f"theme-{cycle.theme}"]
    return [*own, *extra][:QUIZ_SIZE]


def check_team(ws: Workspace, team: str) -> str:
    """Refuse a team id that is not a ward (or ward and shift): results are never per person."""
    from workbench.services.wards import list_wards

    ids = [w.id for w in list_wards(ws)]
    ok = re.fullmatch(ID_PATTERN, team) is not None and any(
        team == w or team.startswith(f"{w}-") for w in ids)
    if not ok:
        raise ValidationFailed([
            f"team: '{team}' is not a team of this workspace. Use a ward id ({', '.join(ids[:3])}"
            " ...) or a ward id and a shift (e.g. nh-ucc-nights). Recall is kept per team, "
            "never per person"])
    return team


def question_bank(ws: Workspace, team: str) -> list[Question]:
    """Every question a team can be asked: its own cycles first, then the map and the themes."""
    from workbench.services.cycles import list_cycles

    check_team(ws, team)
    ward = next(w for w in _ward_ids(ws) if team == w or team.startswith(f"{w}-"))
    own = [q for c in list_cycles(ws, ward=ward) if c.status != CycleStatus.PLANNED
           for q in cycle_questions(c)]
    return [*own, *map_questions(), *theme_questions()]


def _ward_ids(ws: Workspace) -> list[str]:
    from workbench.services.wards import list_wards

    return sorted((w.id for w in list_wards(ws)), key=len, reverse=True)


def recall_path(ws: Workspace, team: str) -> Path:
    """Where a team's recall record lives."""
    return ws.pdsa / "learning" / f"{team}.yaml"


def team_recall(ws: Workspace, team: str) -> TeamRecall:
    """A team's schedule (empty for a team that has not had a quiz yet)."""
    check_team(ws, team)
    path = recall_path(ws, team)
    return load_record(path, TeamRecall) if path.exists() else TeamRecall(team=team)


def due_questions(ws: Workspace, team: str, today: dt.date, n: int = QUIZ_SIZE) -> list[Question]:
    """The next *n* questions for a team: due cards (lowest box first), then new ones."""
    bank = {q.id: q for q in question_bank(ws, team)}
    cards = {c.question: c for c in team_recall(ws, team).cards}
    due = sorted((c for c in cards.values() if c.due <= today and c.question in bank),
                 key=lambda c: (c.box, c.due, c.question))
    fresh = [q for q in bank.values() if q.id not in cards]
    return ([bank[c.question] for c in due] + fresh)[:n]


def record_session(ws: Workspace, team: str, answers: Mapping[str, bool],
                   on: dt.date) -> TeamRecall:
    """Record a team's quiz: move each question between Leitner boxes and log the session.

    Parameters
    ----------
    answers : mapping
        Question id -> whether the team got it right.
    on : date
        The meeting's date.
    """
    if not answers:
        raise ValidationFailed(["answers: answer at least one question before saving"])
    record = team_recall(ws, team)
    cards = {c.question: c for c in record.cards}
    for qid, right in answers.items():
        card = cards.get(qid) or Card(question=qid, due=on)
        box = min(5, card.box + 1) if right else 1
        cards[qid] = card.model_copy(update={
            "box": box, "due": on + dt.timedelta(days=INTERVAL_DAYS[box]),
            "right": card.right + int(right), "wrong": card.wrong + int(not right)})
    session = Session(date=on, asked=len(answers), right=sum(map(bool, answers.values())))
    updated = record.model_copy(update={"cards": sorted(cards.values(), key=lambda c: c.question),
                                        "sessions": [*record.sessions, session]})
    guard_fields(record_data(updated), f"learning record {team}")
    return save_record(recall_path(ws, team), updated)


def team_results(ws: Workspace) -> list[dict[str, object]]:
    """Per team: sessions held, questions asked, share right, and how many sit in each box."""
    folder = ws.pdsa / "learning"
    rows: list[dict[str, object]] = []
    for path in sorted(folder.glob("*.yaml")) if folder.exists() else []:
        rec = load_record(path, TeamRecall)
        asked = sum(s.asked for s in rec.sessions)
        right = sum(s.right for s in rec.sessions)
        rows.append({"team": rec.team, "sessions": len(rec.sessions), "asked": asked,
                     "right_share": round(right / asked, 2) if asked else None,
                     "last": rec.sessions[-1].date.isoformat() if rec.sessions else "",
                     **{f"box_{b}": sum(c.box == b for c in rec.cards) for b in INTERVAL_DAYS}})
    return rows
