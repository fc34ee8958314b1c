"""Recall quizzes: questions from the catalogue and cycles, Leitner boxes per team."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from workbench.domain.errors import ValidationFailed
from workbench.services import learning
from workbench.store.workspace import Workspace, resolve_workspace

DAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from workbench.demo import build_demo

    root = tmp_path_factory.mktemp("learning") / "ws"
    build_demo(resolve_workspace(root), load_store=False)
    return root


@pytest.fixture
def ws(template: Path, tmp_path: Path) -> Workspace:
    shutil.copytree(template / "pdsa", tmp_path / "ws" / "pdsa")
    return resolve_workspace(tmp_path / "ws")


def test_questions_are_well_formed_and_stable() -> None:
    qs = learning.theme_questions() + learning.map_questions()
    assert len(qs) == 16 and len({q.id for q in qs}) == 16
    for q in qs:
        assert len(q.choices) == 4 and len(set(q.choices)) == 4
        assert 0 <= q.answer < 4 and q.prompt and q.explain
    assert learning.theme_questions() == learning.theme_questions()  # deterministic order


def test_cycle_questions_and_card_questions(ws: Workspace) -> None:
    from workbench.services.cycles import get_cycle

    cycle = get_cycle(ws, "ucc-infant-bruising-prompt")
    own = learning.cycle_questions(cycle)
    assert [q.id.rsplit("-", 1)[1] for q in own] == ["change", "measure", "result"]
    assert own[0].choices[own[0].answer] == "Add a prompt for bruising in non-mobile infants to triage."
    assert own[2].choices[own[2].answer] == "It worked and was adopted"
    three = learning.questions_for_cycle(cycle)
    assert len(three) == 3 and three[2].id == "map-missed_patterns"


@pytest.mark.parametrize("team", ["Jane Smith", "dr-smith", "sister-jones", "nurse", ""])
def test_person_like_or_unknown_teams_are_refused(ws: Workspace, team: str) -> None:
    with pytest.raises(ValidationFailed, match="never per person"):
        learning.team_recall(ws, team)


def test_leitner_schedule_per_team(ws: Workspace) -> None:
    first = learning.due_questions(ws, "nh-ucc", DAY)
    assert len(first) == 3 and all(q.id.startswith("cycle-") for q in first)
    answers = {first[0].id: True, first[1].id: False, first[2].id: True}
    rec = learning.record_session(ws, "nh-ucc", answers, DAY)
    boxes = {c.question: (c.box, c.due) for c in rec.cards}
    assert boxes[first[0].id] == (2, DAY + dt.timedelta(days=14))
    assert boxes[first[1].id] == (1, DAY + dt.timedelta(days=7))
    assert rec.sessions[-1].asked == 3 and rec.sessions[-1].right == 2
    path = ws.pdsa / "learning" / "nh-ucc.yaml"
    text = path.read_text("utf-8")
    assert "team: nh-ucc" in text and "revision: 1" in text
    # next meeting: new questions first until the missed one falls due
    nxt = learning.due_questions(ws, "nh-ucc", DAY + dt.timedelta(days=1))
    assert first[1].id not in [q.id for q in nxt]
    later = learning.due_questions(ws, "nh-ucc", DAY + dt.timedelta(days=7))
    assert later[0].id == first[1].id
    # right again and again climbs to box 5 and stays there
    for i in range(6):
        rec = learning.record_session(ws, "nh-ucc", {first[0].id: True},
                                      DAY + dt.timedelta(days=30 * (i + 1)))
    assert next(c for c in rec.cards if c.question == first[0].id).box == 5


def test_shift_teams_and_results_never_name_people(ws: Workspace) -> None:
    q = learning.due_questions(ws, "nh-ucc-nights", DAY)[0]
    learning.record_session(ws, "nh-ucc-nights", {q.id: True}, DAY)
    with pytest.raises(ValidationFailed, match="answer at least one"):
        learning.record_session(ws, "nh-ucc-nights", {}, DAY)
    rows = learning.team_results(ws)
    assert [r["team"] for r in rows] == ["nh-ucc-nights"]
    assert rows[0]["sessions"] == 1 and rows[0]["right_share"] == 1.0 and rows[0]["box_2"] == 1
    assert set(rows[0]) == {"team", "sessions", "asked", "right_share", "last", "box_1", "box_2",
                            "box_3", "box_4", "box_5"}
