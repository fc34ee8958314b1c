"""Step three's forms: plan a new cycle, and add to a running cycle's daily log."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from workbench.domain.errors import ValidationFailed, WorkbenchError
from workbench.ui.steps._common import esc, guarded, heading, say, styled, table


def _question_row(w: Any, k: int, measures: list[tuple[str, str]]) -> dict[str, Any]:
    from workbench.ui.steps.run import EXPECT

    return {
        "question": styled(w.Text(description=f"Question {k}", layout=w.Layout(width="70%")),
                           f"wb-plan-q{k}-question"),
        "prediction": styled(w.Text(description="Prediction", layout=w.Layout(width="70%")),
                             f"wb-plan-q{k}-prediction"),
        "because": styled(w.Text(description="Because", layout=w.Layout(width="70%")),
                          f"wb-plan-q{k}-because"),
        "measure": styled(w.Dropdown(options=[("(none)", ""), *measures], value="",
                                     description="Measure"), f"wb-plan-q{k}-measure"),
        "expect": styled(w.Dropdown(options=EXPECT, value="", description="Expect it to"),
                         f"wb-plan-q{k}-expect"),
        "level": styled(w.Text(description="Level", placeholder="for at least / at most, "
                               "e.g. 80%"), f"wb-plan-q{k}-level"),
    }


def plan_form(page: Any) -> Any:
    """The plan form: saved with ``cycles.new_cycle``; nothing is saved when it is refused."""
    import ipywidgets as w

    from workbench.catalogue import load_catalogue
    from workbench.services.cycles import new_cycle
    from workbench.ui.steps.run import plan_data

    cat = load_catalogue()
    themes = [(t.name, t.id) for t in cat.themes.values()]
    theme = styled(w.Dropdown(options=themes, value=page.theme or themes[0][1],
                              description="Theme"), "wb-plan-theme")
    idea = styled(w.Dropdown(description="Change", layout=w.Layout(width="70%")), "wb-plan-idea")
    ident = styled(w.Text(description="Cycle id", placeholder="made from ward, change and date"),
                   "wb-plan-id")
    title = styled(w.Text(description="Title", layout=w.Layout(width="70%")), "wb-plan-title")
    owner = styled(w.Text(description="Owner", placeholder="role, e.g. ward manager"),
                   "wb-plan-owner")
    objective = styled(w.Textarea(description="Objective", layout=w.Layout(width="70%")),
                       "wb-plan-objective")
    start = styled(w.DatePicker(description="Start", value=page.today), "wb-plan-start")
    end = styled(w.DatePicker(description="End", value=page.today + dt.timedelta(days=14)),
                 "wb-plan-end")
    measures = styled(w.SelectMultiple(description="Measures", rows=6,
                                       layout=w.Layout(width="70%")), "wb-plan-measures")
    reason = styled(w.Text(description="Why another", layout=w.Layout(width="70%"),
                           placeholder="only if the ward is at its limit of active changes"),
                    "wb-plan-reason")
    save = styled(w.Button(description="Save the plan", button_style="primary"), "wb-plan-save")
    message = styled(w.HTML(), "wb-plan-message")
    rows = [_question_row(w, k, []) for k in (1, 2)]

    def refresh(_change: Any = None) -> None:
        ideas = cat.ideas_for(theme.value)
        idea.options = [(i.text, i.id) for i in ideas]
        ids = [i.id for i in ideas]
        idea.value = page.idea if page.idea in ids else (ids[0] if ids else None)
        offered = cat.measures_for(theme.value)
        measures.options = [(f"{m.name} ({m.family.value})", m.id) for m in offered]
        tracked = [m.id for m in offered if m.id in page.ward.measures]
        measures.value = tuple(tracked or [m.id for m in offered[:2]])
        for row in rows:
            row["measure"].options = [("(none)", ""), *[(m.name, m.id) for m in offered]]
            row["measure"].value = ""

    def act() -> str:
        if not idea.value:
            raise WorkbenchError("change: choose a change idea first")
        fields = {"id": ident.value.strip(), "title": title.value, "owner": owner.value,
                  "objective": objective.value, "start": start.value, "end": end.value,
                  "measures": measures.value, "reason": reason.value}
        questions = [{k: v.value for k, v in row.items()} for row in rows]
        missing = [f"{name}: {why}" for name, value, why in (
            ("owner", owner.value, "name the person or role who leads the test"),
            ("objective", objective.value, "say what the change should achieve"),
            ("question 1", questions[0]["question"], "ask at least one question"),
            ("prediction 1", questions[0]["prediction"], "predict what will happen"),
        ) if not str(value).strip()]
        if missing:
            raise ValidationFailed(missing)
        data = plan_data(page.ward.id, theme.value, idea.value, fields, questions, page.today)
        saved = new_cycle(page.ws, data)
        save.disabled = True
        href = esc("03_run_change.ipynb?" + urlencode({"cycle": saved.id}))
        return (f"Saved cycle <b>{esc(saved.id)}</b> ({esc(saved.status.value)}, "
                f"{saved.start} to {saved.end}). <a href=\"{href}\">Open it</a>.")

    theme.observe(refresh, names="value")
    refresh()
    save.on_click(guarded(message, act))
    parts = [styled(w.HTML(heading("The plan", 3)), "wb-plan-heading"), theme, idea, ident,
             title, owner, objective, start, end, measures]
    for k, row in enumerate(rows, start=1):
        parts += [styled(w.HTML(f"<b>Question {k}</b>"), f"wb-plan-q{k}-label"), *row.values()]
    parts += [reason, save, message]
    return styled(w.VBox(parts), "wb-plan-form")


def log_html(cycle: Any) -> str:
    """The cycle's daily log as a heading and a table (or "No notes yet")."""
    rows = [(e.date, e.note) for e in cycle.do_log]
    return heading("Daily log", 3) + (table(["Date", "Note"], rows) if rows else
                                      "<p>No notes yet.</p>")


def log_form(page: Any) -> Any:
    """Add a dated note to the running cycle's Do log (``cycles.add_log``)."""
    import ipywidgets as w

    from workbench.services.cycles import add_log

    when = styled(w.DatePicker(description="Date", value=page.today), "wb-log-date")
    note = styled(w.Textarea(description="Note", layout=w.Layout(width="70%"),
                             placeholder="what happened today (no patient details)"),
                  "wb-log-note")
    save = styled(w.Button(description="Add to the log", button_style="primary"), "wb-log-save")
    message = styled(w.HTML(), "wb-log-message")

    def act() -> str:
        if when.value is None:
            raise WorkbenchError("date: pick the day the note is about")
        if not note.value.strip():
            raise WorkbenchError("note: write what happened before adding it")
        saved = add_log(page.ws, page.cycle.id, when.value, note.value)
        page.cycle = saved
        note.value = ""
        if page.log_view is not None:
            page.log_view.value = log_html(saved)
        count = len(saved.do_log)
        return f"Added to the log: it now has {count} note{'s' if count != 1 else ''}."

    save.on_click(guarded(message, act))
    say(message, "Notes are saved to the cycle's file straight away.", "info")
    return styled(w.VBox([styled(w.HTML(heading("Add to the daily log", 3)), "wb-log-heading"),
                          when, note, save,
                          message]), "wb-log-form")
