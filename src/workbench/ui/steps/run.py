"""Step three: plan one change on one ward for two weeks, then follow it day by day."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from workbench.domain.errors import WorkbenchError
from workbench.ui.steps._common import (
    STYLE,
    box,
    esc,
    heading,
    open_workspace,
    parse_date,
    refuse_or_show,
    show,
    table,
)


def _names(cycle: Any) -> str:
    """``Theme: Weak recognition; change: ...; measures: ...`` by name, as people call them."""
    from workbench.catalogue import load_catalogue

    cat = load_catalogue()
    theme = cat.themes[cycle.theme].name if cycle.theme in cat.themes else cycle.theme
    idea = cat.change_ideas.get(cycle.change_idea)
    measures = [cat.measures[m].name if m in cat.measures else m for m in cycle.measures]
    change = (idea.text if idea else cycle.change_idea).rstrip(". ")
    return f"Theme: {theme}; change: {change}. Measures: {', '.join(measures)}."


class RunPage:
    """Step three for a cycle (running view) or for a ward (plan form)."""

    def __init__(self, ws: Any, ward: Any, cycle: Any, theme: str, idea: str, today: dt.date,
                 interactive: bool) -> None:
        self.ws, self.ward, self.cycle = ws, ward, cycle
        self.theme, self.idea, self.today = theme, idea, today
        self.interactive = interactive
        self.log_view: Any = None

    @property
    def ok(self) -> bool:
        """True when the page has something to show."""
        return self.ward is not None

    def summary(self) -> None:
        """The running test (plan, days left, next check) or what a plan needs."""
        if not self.ok:
            return
        if self.cycle is None:
            self._plan_intro()
            return
        from workbench.catalogue import load_catalogue
        from workbench.services.checks import next_check_date
        from workbench.services.judgement import test_end
        from workbench.services.plans import EXPECT_CHOICES
        from workbench.services.verdict_words import day_words

        c, day = self.cycle, self.today
        end = c.end or c.start + dt.timedelta(days=14)
        last = test_end(c)  # the test's last day, as step 4 and the verdict count it
        left = c.days_left(day)
        nxt = next_check_date(c, day) if c.status.value == "running" else None
        if nxt and c.start <= day < end:
            state = (f"Day {(day - c.start).days + 1} of {(end - c.start).days}: {left} "
                     f"day{'s' if left != 1 else ''} left; next check {day_words(nxt)}.")
        elif c.status.value == "running" and day >= end:
            state = f"The test ended on {day_words(last)}: time to check the result and decide."
        else:
            state = f"Status: {c.status.value}."
        cat = load_catalogue()
        expects = {v: words for words, v in EXPECT_CHOICES if v}

        def measure_name(m: str | None) -> str:
            return "" if not m else cat.measures[m].name if m in cat.measures else m
        check = "04_check_result.ipynb?" + urlencode({"cycle": c.id})
        show(STYLE + heading(f"{c.title or c.id} — {self.ward.name}") + box(
            f"{esc(state)} <a href=\"{esc(check)}\">Check the result (step 4)</a>", "info",
            raw=True) + f"<p><b>Objective.</b> {esc(c.objective)}</p>"
            + f"<p>Owner: {esc(c.owner)}. From {day_words(c.start)} to {day_words(last)}. "
              f"{esc(_names(c))}</p>"
            + heading("Questions and predictions", 3) + table(
                ["Question", "Prediction", "Because", "Measure", "Expect"],
                [(q.question, q.prediction, q.because, measure_name(q.measure),
                  expects.get(q.expect or "", q.expect or "").replace(
                      "(level)", "" if q.level is None else f"{q.level:g}"))
                 for q in c.questions]))

    def _plan_intro(self) -> None:
        from workbench.catalogue import load_catalogue
        from workbench.services.cycles import active_cycles

        cat = load_catalogue()
        active = active_cycles(self.ws, self.ward.id)
        parts = [STYLE, heading(f"Plan one change on {self.ward.name}"),
                 "<p>One change, one ward, two weeks. Name an owner, say what you expect to "
                 "happen and why, and pick a process measure and an outcome or balancing "
                 "measure to watch.</p>"]
        limit = self.ward.max_active_changes
        kind = "warn" if len(active) >= limit else "info"
        titles = ", ".join(c.title or c.change_idea.replace("_", " ") for c in active)
        parts.append(box(f"Changes already under way on this ward: {len(active)} of at most "
                         f"{limit}{': ' + titles if titles else ''}.", kind))
        if self.theme in cat.themes:
            rows = [(m.name, m.family.value, m.definition) for m in
                    cat.measures_for(self.theme)]
            parts.append(heading(f"Measures for {cat.themes[self.theme].name}", 3)
                         + table(["Measure", "Kind", "Definition"], rows))
        show("".join(parts))

    def log(self) -> None:
        """The Do log so far (interactively a widget the log form redraws after each note)."""
        if not (self.ok and self.cycle is not None):
            return
        from workbench.ui.steps._forms import log_html

        if not self.interactive:
            show(log_html(self.cycle))
            return
        import ipywidgets as w
        from IPython.display import display

        self.log_view = w.HTML(log_html(self.cycle))
        self.log_view.add_class("wb-log-table")
        display(self.log_view)

    def form(self) -> Any:
        """Interactive only: the plan form (no cycle) or the daily log form (a cycle)."""
        if not (self.ok and self.interactive):
            return None
        from workbench.ui.steps import _forms

        if self.cycle is None:
            return _forms.plan_form(self)
        return _forms.log_form(self)


def run_page(*, workspace: str = "", db: str = "", ward: str = "", theme: str = "",
             change_idea: str = "", cycle: str = "", as_of: str = "",
             interactive: bool = True) -> RunPage:
    """Load step three: a cycle's running view, or the plan form for *ward*.

    Parameters
    ----------
    theme, change_idea : str
        Pre-fill the plan form (from step one's link).
    as_of : str
        ISO date counted as today (empty: today).

    Raises
    ------
    StepRefused
        In a report run, when a parameter is wrong.
    """
    from workbench.catalogue import load_catalogue
    from workbench.services.cycles import get_cycle
    from workbench.services.wards import get_ward

    try:
        ws = open_workspace(workspace, db)
        day = parse_date(as_of, "as_of") or dt.date.today()
        cat = load_catalogue()
        if cycle:
            found = get_cycle(ws, cycle)
            return RunPage(ws, get_ward(ws, found.ward), found, found.theme, found.change_idea,
                           day, interactive)
        if not ward:
            raise WorkbenchError("ward: give a ward id (e.g. ?ward=nh-ucc) or a cycle id")
        if theme:
            cat.theme(theme)
        if change_idea:
            cat.change_idea(change_idea)
        return RunPage(ws, get_ward(ws, ward), None, theme, change_idea, day, interactive)
    except WorkbenchError as exc:
        refuse_or_show(exc, interactive)
        return RunPage(None, None, None, "", "", dt.date.today(), interactive)
