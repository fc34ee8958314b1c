"""The spread tracker page, and the roll-up's spread section.

For each adopted change: every ward it went to in order, each ward's cycle, the verdict and
whether the gain has held, then small multiples aligned at each ward's start.  Reads
:func:`workbench.services.spread.spread_tracker` only.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from workbench.domain import palette as nhs
from workbench.services.spread import SpreadChange, WardVerdict
from workbench.store.workspace import Workspace, resolve_workspace
from workbench.ui.style import markup, style_tag, table_html

VERDICT_COLOURS = {"improved": nhs.NHS_GREEN, "worse": nhs.NHS_RED, "no_change": nhs.NHS_MID_GREY,
                   "too_early": nhs.NHS_BLUE, "not_started": nhs.NHS_GREY_3}



def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _since(v: WardVerdict | None) -> str:
    if v is None or v.verdict == "too_early":
        return ""
    if v.held_words:
        return v.held_words
    return "test not over yet" if v.verdict == "improved" else "no gain to hold"


def spread_table(s: SpreadChange, css: str = "wb-spread-table") -> str:
    """One change's wards as a table: step, ward, start, status, verdict, held."""
    rows = []
    for r in s.rows:
        v = r.verdict.verdict if r.verdict else "not_started"
        words = r.verdict.words if r.verdict else "not started yet"
        badge = (f'<span class="wb-verdict wb-verdict-{_e(v)}" style="background:'
                 f'{VERDICT_COLOURS[v]}">{_e(words)}</span>')
        held = _since(r.verdict)
        where = "first adopted here" if r.origin else f"spread step {r.step}"
        rows.append([r.step + 1, markup(f"<strong>{_e(r.ward_name)}</strong>"
                                        f'<br><span class="muted">{_e(where)}</span>'),
                     f"{r.date.day} {r.date:%b %Y}", r.status,
                     r.cycle.id if r.cycle else "no cycle yet", markup(badge), held])
    return table_html(("", "Ward", "From", "Step status", "Cycle", "Verdict", "Since the test"),
                      rows, css)


def _chart(ws: Workspace, s: SpreadChange, as_of: dt.date | None) -> str:
    from workbench.catalogue import load_catalogue
    from workbench.charts import static_html
    from workbench.charts.spread import spread_multiples
    from workbench.services.spread import aligned_series

    frame = aligned_series(ws, s, as_of=as_of)
    if frame.empty or s.key_measure is None:
        return '<p class="muted">No counts yet for this change\'s measure.</p>'
    m = load_catalogue().measure(s.key_measure)
    percent = m.is_proportion
    chart = spread_multiples(frame, title=f"{m.name}, each ward from its own start",
                             y_title="Per cent" if percent else "Value", percent=percent)
    return static_html(chart, css_class="wb-spread-chart")


def page_html(ws: Workspace, changes: list[SpreadChange], *, as_of: dt.date | None,
              charts: bool = True) -> str:
    """The tracker: one section per adopted change, with its table and small multiples."""
    from workbench.services.national import ANSWERS_LEAD

    parts = [style_tag(), '<div class="wb-spread">']
    if as_of:
        parts.append(f'<p class="muted">As of {as_of:%A %d %B %Y}.</p>')
    if not changes:
        parts.append('<p class="muted">No change has been adopted yet, so nothing has spread.'
                     "</p>")
    for s in changes:
        spread_to = len(s.rows) - 1
        lead = f"spread to {spread_to} more ward(s)" if spread_to else "not spread yet"
        national = "".join(f"<li>{_e(n)}</li>" for n in s.national)
        parts += [f'<section class="wb-spread-change" data-cycle="{_e(s.origin.id)}">',
                  f"<h2>{_e(s.idea_text)}</h2>",
                  f'<p class="muted">First adopted on {_e(s.rows[0].ward_name)}; {lead}.</p>',
                  spread_table(s)]
        if charts and spread_to:
            parts.append(_chart(ws, s, as_of))
        if national:
            parts.append(f'<p class="muted">{_e(ANSWERS_LEAD)}:</p><ul class="muted">{national}'
                         "</ul>")
        parts.append("</section>")
    parts.append("</div>")
    return "\n".join(parts)


def rollup_section(changes: list[SpreadChange]) -> str:
    """The roll-up's "spread in steps" section: each adopted change's wards and verdicts."""
    if not changes:
        return '<p class="muted">No change has been adopted yet, so nothing has spread.</p>'
    parts = []
    for s in changes:
        parts += [f"<p><strong>{_e(s.idea_text)}</strong> "
                  f'<span class="muted">(first adopted on {_e(s.rows[0].ward_name)})</span></p>',
                  spread_table(s, "wb-rollup-spread")]
    return "\n".join(parts)


def show(*, workspace: str = "", db: str = "", as_of: str = "", ward: str = "",
         change: str = "") -> None:
    """Display the spread tracker in a notebook (a plain message instead of a traceback).

    Parameters
    ----------
    workspace, db : str
        Workspace folder and database URL (empty: environment or the repository's demo).
    as_of : str
        ISO date to read the verdicts for (empty: all stored data).
    ward : str
        Only changes that started on or spread to this ward (a batch run sets it).
    change : str
        Only this adopted cycle's spread.
    """
    from IPython.display import HTML, display

    from workbench.ui.safe import show_page

    def page() -> Any:
        from workbench.services.spread import spread_of, spread_tracker
        from workbench.ui.steps._common import parse_date

        ws = resolve_workspace(workspace or None, db or None)
        day = parse_date(as_of, "as_of")
        changes = [spread_of(ws, change, as_of=day)] if change else \
            spread_tracker(ws, as_of=day, ward=ward or None)
        return HTML(page_html(ws, changes, as_of=day))

    display(show_page("the spread tracker", page))
