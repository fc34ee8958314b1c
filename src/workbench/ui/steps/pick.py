"""Step one: pick a theme from the ward's signals and recent review findings."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from workbench.domain.errors import WorkbenchError
from workbench.ui.parts import Parts
from workbench.ui.steps._common import (
    box,
    bullets,
    esc,
    guarded,
    heading,
    open_workspace,
    parse_date,
    refuse_or_show,
    section,
    show,
    table,
)
from workbench.ui.style import style_tag

PLAN_NOTEBOOK = "03_run_change.ipynb"


def plan_link(ward: str, theme: str, idea: str) -> str:
    """Relative link to step three's plan form, pre-filled with the choice."""
    return f"{PLAN_NOTEBOOK}?" + urlencode({"ward": ward, "review_theme": theme,
                                            "change_idea": idea})


STAGE = {"planned": "Planned", "running": "Testing now", "studying": "Checking the result"}
"""A cycle's status as the ward says it."""


def left_out_html(left_out: list[Any], any_offered: bool) -> str:
    """Which change ideas are not offered for a theme, and why (empty when none is left out)."""
    if not left_out:
        return ""
    items = "".join(f"<li>{esc(x.idea.text.rstrip('.'))}: {esc(x.why)}</li>" for x in left_out)
    lead = ("Not offered here" if any_offered else
            "Every change idea for this theme is already adopted or being tested on this ward")
    return f'<div class="wb-hint">{lead}:<ul>{items}</ul></div>'


def _words(point_type: str | None) -> str:
    from workbench.charts.words import variation_icon

    return variation_icon(point_type, None).plain


class PickPage:
    """What step one shows for a ward; build it with :func:`pick_page`."""

    def __init__(self, ws: Any, summary: Any, interactive: bool) -> None:
        self.ws = ws
        self.data = summary
        self.interactive = interactive

    @property
    def ok(self) -> bool:
        """True when the page has something to show."""
        return self.data is not None

    @section("showing step 1's summary")
    def summary(self) -> None:
        """The ward's active changes against its limit, and the recommendation."""
        if not self.ok:
            return
        s = self.data
        parts = [style_tag(), heading(f"Pick a theme for {s.ward.name}"),
                 f"<p>{esc(s.ward.site)} · {esc(s.ward.specialty)} · judged on {s.today}.</p>",
                 heading(f"Changes already under way ({len(s.active)} of at most {s.limit})", 3)]
        if s.active:
            themes = {o.theme.id: o.theme.name for o in s.options}
            parts.append(table(["Change", "Theme", "Stage", "From", "To"],
                               [(c.title or c.change_idea.replace("_", " "),
                                 themes.get(c.theme, c.theme), STAGE.get(c.status.value, ""),
                                 c.start, c.end) for c in s.active]))
        else:
            parts.append("<p>None: the ward is free to start a test of change.</p>")
        if s.recommended is None:
            parts.append(box(" ".join(s.reasons), "warn"))
        else:
            idea = s.recommended.ideas[0] if s.recommended.ideas else None
            link = ""
            if idea is not None:
                href = esc(plan_link(s.ward.id, s.recommended.theme.id, idea.id))
                link = (f'<p>A first change to try: <b>{esc(idea.text)}</b> — '
                        f'<a href="{href}">plan this change</a> (step 3).</p>')
            skipped = left_out_html(s.recommended.left_out, idea is not None)
            parts.append(box(f"<b>Suggested theme: {esc(s.recommended.theme.name)}.</b>"
                             + bullets(s.reasons) + link + skipped, "ok", raw=True))
        show("".join(parts))

    @section("showing step 1's themes")
    def themes(self) -> None:
        """Every theme: what it looks like, the ward's signals, findings and active changes."""
        if not self.ok:
            return
        rows = []
        for o in self.data.options:
            signals = "; ".join(f"{x.name}: {_words(x.variation)}" for x in o.signals) or \
                "not counted on this ward"
            rows.append((o.theme.name, o.theme.looks_like, signals, len(o.findings),
                         ", ".join(c.title or c.change_idea.replace("_", " ")
                                   for c in o.active) or "none", f"{o.score:g}"))
        show(heading("All eight themes", 3) + table(
            ["Theme", "What it looks like in care", "The ward's charts", "Recent findings",
             "Active changes", "Score"], rows)
            + "<p>Score: +3 for each measure getting worse, +1.5 for each recent review "
              "finding, up to +1 for measures already counted; −4 for each change already "
              "being tested on the theme, −1 for each adopted.</p>")

    @section("showing step 1's form")
    def form(self) -> Any:
        """Interactive only: choose a theme and a change idea, record it, go to step three."""
        if not (self.ok and self.interactive):
            return None
        import ipywidgets as w

        from workbench.catalogue import load_catalogue
        from workbench.services.pick import record_pick

        cat = load_catalogue()
        s = self.data
        first = s.recommended.theme.id if s.recommended else s.options[0].theme.id
        part = Parts()
        theme = part(w.Dropdown, "wb-pick-theme",
                     options=[(t.name, t.id) for t in cat.themes.values()], value=first,
                     description="Theme")
        idea = part(w.Dropdown, "wb-pick-idea", description="Change idea", width="70%")
        offered = {o.theme.id: o for o in s.options}
        left_out = part(w.HTML, "wb-pick-left-out")
        by = part(w.Text, "wb-pick-by", description="Chosen by",
                  placeholder="role, e.g. ward manager")
        note = part(w.Text, "wb-pick-note", description="Note", width="70%",
                    placeholder="why this one (no patient details)")
        save = part(w.Button, "wb-pick-save", description="Record this choice",
                    button_style="primary")
        link = part(w.HTML, "wb-pick-link")
        message = part(w.HTML, "wb-pick-message")

        def refresh(_change: Any = None) -> None:
            option = offered.get(theme.value)
            ideas = option.ideas if option is not None else cat.ideas_for(theme.value)
            idea.options = [(i.text, i.id) for i in ideas]
            idea.value = ideas[0].id if ideas else None
            left_out.value = left_out_html(option.left_out if option is not None else [],
                                           bool(ideas))
            relink()

        def relink(_change: Any = None) -> None:
            link.value = ""
            if idea.value:
                href = esc(plan_link(s.ward.id, theme.value, idea.value))
                link.value = f'<a href="{href}" target="_self">Plan this change (step 3) →</a>'

        def act() -> str:
            if not idea.value:
                raise WorkbenchError("change idea: choose one first")
            entry = record_pick(self.ws, s.ward.id, theme.value, idea.value, by=by.value,
                                note=note.value)
            chosen = cat.change_ideas[entry["change_idea"]].text.rstrip(".")
            return (f"Recorded: {esc(cat.themes[entry['theme']].name)}: {esc(chosen)}, on "
                    f"{esc(entry['date'])}. Next: plan it in step 3.")

        theme.observe(refresh, names="value")
        idea.observe(relink, names="value")
        refresh()
        save.on_click(guarded(message, act))
        title = part(w.HTML, "wb-pick-heading", value=heading("Choose a theme and one change", 3))
        actions = part(w.HBox, "wb-pick-actions", children=[save, link])
        return part(w.VBox, "wb-pick-form",
                    children=[title, theme, idea, left_out, by, note, actions, message])


def pick_page(*, workspace: str = "", db: str = "", ward: str = "", as_of: str = "",
              interactive: bool = True) -> PickPage:
    """Load step one for *ward* (``as_of``: ISO date to judge from; empty: today).

    Raises
    ------
    StepRefused
        In a report run, when a parameter is wrong.
    """
    from workbench.services.pick import pick_summary

    try:
        ws = open_workspace(workspace, db)
        day = parse_date(as_of, "as_of")
        if not ward:
            raise WorkbenchError("ward: give a ward id, e.g. ?ward=nh-ucc")
        from workbench.ui import rehearsal

        summary = rehearsal.kept_or_read(  # read by a warm kernel, or now
            "pick", ws, day or dt.date.today(), lambda: pick_summary(ws, ward, today=day),
            key=ward)
        return PickPage(ws, summary, interactive)
    except Exception as exc:  # noqa: BLE001 - refusals and faults, in the safe idiom
        refuse_or_show(exc, interactive)
        return PickPage(None, None, interactive)
