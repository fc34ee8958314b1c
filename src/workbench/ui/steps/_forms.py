"""Step three's forms: plan a new cycle, and add to a running cycle's daily log."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from workbench.domain.errors import WorkbenchError
from workbench.domain.palette import NHS_MID_GREY
from workbench.ui.parts import Parts
from workbench.ui.steps._common import esc, guarded, heading, say, table


def _question_row(w: Any, part: Parts, k: int) -> dict[str, Any]:
    from workbench.services.plans import EXPECT_CHOICES

    return {
        "question": part(w.Text, f"wb-plan-q{k}-question", description=f"Question {k}",
                         width="70%"),
        "prediction": part(w.Text, f"wb-plan-q{k}-prediction", description="Prediction",
                           width="70%"),
        "because": part(w.Text, f"wb-plan-q{k}-because", description="Because", width="70%"),
        "measure": part(w.Dropdown, f"wb-plan-q{k}-measure", options=[("(none)", "")],
                        value="", description="Measure"),
        "expect": part(w.Dropdown, f"wb-plan-q{k}-expect", options=list(EXPECT_CHOICES),
                       value="", description="Expect it to"),
        "level": part(w.Text, f"wb-plan-q{k}-level", description="Level",
                      placeholder="for at least / at most, e.g. 80%"),
    }


GREY = NHS_MID_GREY
"""NHS mid grey: a measure the plan cannot use this time."""


def measure_choices(ws: Any, ward: Any, theme: str, start: dt.date,
                    end: dt.date | None) -> tuple[list[tuple[str, str]], list[str], str]:
    """The measures a plan on *ward* may watch, the theme's among them, and the greyed note.

    The theme's measures the ward counts come first, then every other measure the ward counts
    (any may be a balancing measure).  One that cannot show a result in the test window (the
    judgement's own count, ``judgement.points.measure_fits``) or that the ward does not count
    is left out of the options and named in the note with the reason.

    Returns
    -------
    tuple
        ``(options, theme_ids, note)``: ``(label, id)`` pairs offered, the offered ids that
        belong to the theme, and the note's HTML (empty when nothing is greyed).
    """
    from workbench.catalogue import load_catalogue
    from workbench.services.judgement.points import measure_fits

    cat = load_catalogue()
    theme_ids = [m.id for m in cat.measures_for(theme)] if theme in cat.themes else []
    counted = [m for m in ward.measures if m in cat.measures]
    not_counted = [m for m in theme_ids if counted and m not in counted]
    ids = [m for m in theme_ids if m not in not_counted]
    ids += [m for m in counted if m not in ids]
    fits = measure_fits(ws, ward.id, ids, start, end)
    options, greyed = [], []
    for f in fits:
        m = cat.measures[f.measure]
        if f.usable:
            own = "" if f.measure in theme_ids else "; also counted on this ward"
            options.append((f"{m.name} ({m.family.value}{own})", f.measure))
        else:
            greyed.append((f.name, f.reason))
    greyed += [(cat.measures[m].name, f"{ward.name} does not count it yet")
               for m in not_counted]
    if not greyed:
        return options, [v for _, v in options if v in theme_ids], ""
    lead = ("None of the ward's measures can show a result in this test" if not options
            else "Not offered for this test")
    note = (f"<p class=\"wb-greyed\"><b>{lead}</b>:</p>"
            "<ul class=\"wb-greyed\">" + "".join(
                f"<li><span style=\"color:{GREY}\">{esc(name)}</span>: {esc(why)}</li>"
                for name, why in greyed) + "</ul>")
    return options, [v for _, v in options if v in theme_ids], note


def default_measures(usable: list[str], theme_ids: list[str]) -> list[str]:
    """What the form ticks first: the theme's usable measures, with the first usable outcome
    or balancing measure of the ward added when they hold none (a plan needs one)."""
    from workbench.catalogue import load_catalogue
    from workbench.domain.catalogue import Family

    cat = load_catalogue()
    chosen = list(theme_ids or usable[:1])
    if all(cat.measures[m].family == Family.PROCESS for m in chosen):
        chosen += [m for m in usable if cat.measures[m].family != Family.PROCESS][:1]
    return chosen


def plan_form(page: Any) -> Any:
    """The plan form: a :class:`~workbench.services.plans.PlanInput` saved with
    ``plans.plan_cycle`` (the rules ``workbench cycle new`` follows); nothing is saved when it
    is refused."""
    import ipywidgets as w

    from workbench.catalogue import load_catalogue
    from workbench.services.plans import PlanInput, QuestionInput, plan_cycle

    cat = load_catalogue()
    part = Parts()
    themes = [(t.name, t.id) for t in cat.themes.values()]
    theme = part(w.Dropdown, "wb-plan-theme", options=themes, value=page.theme or themes[0][1],
                 description="Theme")
    idea = part(w.Dropdown, "wb-plan-idea", description="Change", width="70%")
    ident = part(w.Text, "wb-plan-id", description="Cycle id",
                 placeholder="made from ward, change and date")
    title = part(w.Text, "wb-plan-title", description="Title", width="70%")
    owner = part(w.Text, "wb-plan-owner", description="Owner",
                 placeholder="role, e.g. ward manager")
    objective = part(w.Textarea, "wb-plan-objective", description="Objective", width="70%")
    start = part(w.DatePicker, "wb-plan-start", description="Start", value=page.today)
    end = part(w.DatePicker, "wb-plan-end", description="End",
               value=page.today + dt.timedelta(days=14))
    measures = part(w.SelectMultiple, "wb-plan-measures", description="Measures", rows=6,
                    width="70%")
    greyed = part(w.HTML, "wb-plan-greyed")
    reason = part(w.Text, "wb-plan-reason", description="Why another", width="70%",
                  placeholder="only if the ward is at its limit of active changes")
    save = part(w.Button, "wb-plan-save", description="Save the plan", button_style="primary")
    message = part(w.HTML, "wb-plan-message")
    rows = [_question_row(w, part, k) for k in (1, 2)]

    def offer_measures(_change: Any = None, *, keep: bool = True) -> None:
        options, theme_ids, note = measure_choices(page.ws, page.ward, theme.value,
                                                   start.value or page.today, end.value)
        greyed.value = note
        usable = [v for _, v in options]
        kept = [m for m in measures.value if m in usable] if keep else []
        measures.options = options
        measures.value = tuple(kept or default_measures(usable, theme_ids))
        names = [(cat.measures[v].name, v) for v in usable]
        for row in rows:
            was = row["measure"].value
            row["measure"].options = [("(none)", ""), *names]
            row["measure"].value = was if was in usable else ""

    def refresh(_change: Any = None) -> None:
        ideas = cat.ideas_for(theme.value)
        idea.options = [(i.text, i.id) for i in ideas]
        ids = [i.id for i in ideas]
        idea.value = page.idea if page.idea in ids else (ids[0] if ids else None)
        offer_measures(keep=False)

    def act() -> str:
        if not idea.value:
            raise WorkbenchError("change: choose a change idea first")
        plan = PlanInput(
            ward=page.ward.id, theme=theme.value, change_idea=idea.value, owner=owner.value,
            objective=objective.value, measures=tuple(measures.value),
            questions=tuple(QuestionInput(**{k: v.value or "" for k, v in row.items()})
                            for row in rows),
            start=start.value, end=end.value, id=ident.value.strip(), title=title.value,
            active_reason=reason.value)
        saved = plan_cycle(page.ws, plan, today=page.today)
        save.disabled = True
        href = esc("03_run_change.ipynb?" + urlencode({"cycle": saved.id}))
        return (f"Saved cycle <b>{esc(saved.id)}</b> ({esc(saved.status.value)}, "
                f"{saved.start} to {saved.end}). <a href=\"{href}\">Open it</a>.")

    theme.observe(refresh, names="value")
    start.observe(offer_measures, names="value")
    end.observe(offer_measures, names="value")
    refresh()
    save.on_click(guarded(message, act))
    parts = [part(w.HTML, "wb-plan-heading", value=heading("The plan", 3)), theme, idea, ident,
             title, owner, objective, start, end, measures, greyed]
    for k, row in enumerate(rows, start=1):
        parts += [part(w.HTML, f"wb-plan-q{k}-label", value=f"<b>Question {k}</b>"),
                  *row.values()]
    parts += [reason, save, message]
    return part(w.VBox, "wb-plan-form", children=parts)


def log_html(cycle: Any) -> str:
    """The cycle's daily log as a heading and a table (or "No notes yet")."""
    rows = [(e.date, e.note) for e in cycle.do_log]
    return heading("Daily log", 3) + (table(["Date", "Note"], rows) if rows else
                                      "<p>No notes yet.</p>")


def log_form(page: Any) -> Any:
    """Add a dated note to the running cycle's Do log (``cycles.add_log``)."""
    import ipywidgets as w

    from workbench.services.cycles import add_log

    part = Parts()
    when = part(w.DatePicker, "wb-log-date", description="Date", value=page.today)
    note = part(w.Textarea, "wb-log-note", description="Note", width="70%",
                placeholder="what happened today (no patient details)")
    save = part(w.Button, "wb-log-save", description="Add to the log", button_style="primary")
    message = part(w.HTML, "wb-log-message")

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
    return part(w.VBox, "wb-log-form",
                children=[part(w.HTML, "wb-log-heading", value=heading("Add to the daily log", 3)),
                          when, note, save, message])
