"""The recall quiz: a five-minute slot in the team meeting, results kept per team.

The team picks itself (a ward, or ward and shift), answers three questions together, and the
result moves each question between Leitner boxes (:mod:`workbench.services.learning`).  Nobody
is asked their name: results belong to the team.  CSS classes start with ``wb-quiz-``.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from workbench.services.learning import Question
from workbench.store.workspace import Workspace, resolve_workspace

LETTERS = "ABCD"


class Quiz:
    """The quiz widget for one workspace.

    Parameters
    ----------
    ws : Workspace
    today : date
        The meeting's date (decides which questions are due).
    team : str, optional
        Preselected team id.
    """

    def __init__(self, ws: Workspace, today: dt.date, team: str = "") -> None:
        import ipywidgets as widgets

        from workbench.services.wards import list_wards
        from workbench.ui.safe import Notice

        self.ws, self.today = ws, today
        self.questions: list[Question] = []
        self.pickers: list[Any] = []
        options = [(w.name, w.id) for w in list_wards(ws)]
        self.team = widgets.Dropdown(options=[("Choose your team", ""), *options],
                                     value=team if team in dict(options).values() else "",
                                     description="Team")
        self.team.add_class("wb-quiz-team")
        self.start = widgets.Button(description="Start the quiz", button_style="primary")
        self.start.add_class("wb-quiz-start")
        self.check = widgets.Button(description="Check our answers", button_style="success",
                                    disabled=True)
        self.check.add_class("wb-quiz-submit")
        self.area = widgets.VBox([])
        self.area.add_class("wb-quiz-questions")
        self.notice = Notice("wb-quiz-result")
        intro = widgets.HTML("<h1 class='wb-quiz-title'>Five-minute recall quiz</h1>"
                             "<p>Five minutes: answer together as a team. Results are kept for "
                             "the team, never for a person.</p>")
        intro.add_class("wb-quiz-intro")
        self.start.on_click(self._guard("starting the quiz", self._start))
        self.check.on_click(self._guard("saving the quiz", self._check))
        self.widget = widgets.VBox([intro, widgets.HBox([self.team, self.start]), self.area,
                                    self.check, self.notice.widget])
        self.widget.add_class("wb-quiz")

    def _guard(self, what: str, fn: Any) -> Any:
        from workbench.ui.safe import guarded

        return guarded(what, self.notice)(fn)

    def _start(self, _: Any = None) -> None:
        import ipywidgets as widgets

        from workbench.services.learning import due_questions

        if not self.team.value:
            self.notice.error("Choose your team first.")
            return
        self.questions = due_questions(self.ws, self.team.value, self.today)
        self.pickers = []
        rows = []
        for i, q in enumerate(self.questions, start=1):
            label = widgets.HTML(f"<p><strong>{i}. {html.escape(q.prompt)}</strong></p>")
            label.add_class("wb-quiz-prompt")
            pick = widgets.RadioButtons(
                options=[(f"{LETTERS[j]}. {c}", j) for j, c in enumerate(q.choices)], value=None,
                layout=widgets.Layout(width="auto"))
            pick.add_class("wb-quiz-choice")
            pick.add_class(f"wb-quiz-choice-{i}")
            self.pickers.append(pick)
            box = widgets.VBox([label, pick])
            box.add_class("wb-quiz-question")
            rows.append(box)
        self.area.children = tuple(rows)
        self.check.disabled = not rows
        n = len(rows)
        team = self.team.label or self.team.value
        self.notice.info(f"{n} question{'s' if n != 1 else ''} for {team}." if rows
                         else "No questions are due for this team today.")

    def answers(self) -> dict[str, bool]:
        """Question id -> right, for the questions the team answered."""
        return {q.id: p.value == q.answer for q, p in zip(self.questions, self.pickers, strict=True)
                if p.value is not None}

    def _check(self, _: Any = None) -> None:
        from workbench.services.learning import record_session

        got = self.answers()
        if len(got) < len(self.questions):
            self.notice.error("Answer every question before checking.")
            return
        record_session(self.ws, self.team.value, got, self.today)
        right = sum(got.values())
        lines = [f"{right} of {len(got)} right. Saved for team {self.team.value}."]
        for i, q in enumerate(self.questions, start=1):
            mark = "Right" if got[q.id] else f"The answer is {LETTERS[q.answer]}"
            lines.append(f"{i}. {mark}: {q.explain}")
        self.check.disabled = True
        self.notice.ok("\n".join(lines))


def warm_up(workspace: str = "") -> None:
    """Import what the quiz needs before the request and, in a preheated kernel, rehearse its
    reading once (:mod:`workbench.ui.rehearsal`; nothing is kept).

    The quiz's notebook reads its address after this.  Without it, a warm kernel imported
    ipywidgets (about 0.2 s) after the page was asked for, while the person waited.
    """
    import ipywidgets  # noqa: F401

    from workbench.services import learning, wards  # noqa: F401
    from workbench.store.db import preload
    from workbench.ui import rehearsal, safe  # noqa: F401

    preload()  # the store's SQLAlchemy
    rehearsal.rehearse("the recall quiz", _rehearse, workspace=workspace)


def _rehearse(ws: Workspace, ward: Any, today: dt.date) -> None:
    """What the quiz reads when it is opened (the teams), for the warm-up."""
    from workbench.services.wards import list_wards

    list_wards(ws)


def show(*, workspace: str = "", today: str = "", team: str = "", db: str = "") -> Any:
    """The quiz widget, or a plain message box when it cannot be shown."""
    from workbench.ui.safe import show_page

    def build() -> Any:
        from workbench.domain.errors import WorkbenchError

        try:
            day = dt.date.fromisoformat(today) if today else dt.date.today()
        except ValueError:
            raise WorkbenchError(f"today '{today}' is not a date; write it as YYYY-MM-DD") from None
        return Quiz(resolve_workspace(workspace or None, db or None), day, team).widget

    return show_page("the recall quiz", build)
