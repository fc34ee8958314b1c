"""The recall quiz widget: a team answers together; results are saved for the team."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from workbench.store.workspace import Workspace, resolve_workspace

DAY = dt.date(2026, 11, 23)


@pytest.fixture
def ws(briefs_template: Path, tmp_path: Path) -> Workspace:
    shutil.copytree(briefs_template / "pdsa", tmp_path / "ws" / "pdsa")
    return resolve_workspace(tmp_path / "ws")


def test_quiz_asks_three_questions_and_saves_per_team(ws: Workspace) -> None:
    from workbench.ui.quiz import Quiz

    quiz = Quiz(ws, DAY)
    assert "wb-quiz" in quiz.widget._dom_classes and "wb-quiz-team" in quiz.team._dom_classes
    quiz._start()
    assert quiz.notice.kind == "error" and "Choose your team" in quiz.notice.text
    quiz.team.value = "sh-amu"
    quiz._start()
    assert len(quiz.questions) == 3 and not quiz.check.disabled
    quiz._check()
    assert "Answer every question" in quiz.notice.text
    for pick, q in zip(quiz.pickers, quiz.questions, strict=True):
        pick.value = q.answer
    quiz.pickers[0].value = (quiz.questions[0].answer + 1) % 4
    quiz._check()
    assert quiz.notice.kind == "ok" and quiz.notice.text.startswith("2 of 3 right")
    assert "The answer is" in quiz.notice.text and quiz.check.disabled
    saved = (ws.pdsa / "learning" / "sh-amu.yaml").read_text("utf-8")
    assert "team: sh-amu" in saved and "right: 2" in saved


def test_show_never_raises(ws: Workspace) -> None:
    from workbench.ui.quiz import show

    box = show(workspace=str(ws.root), today="not-a-date")
    assert "not a date" in box.value
