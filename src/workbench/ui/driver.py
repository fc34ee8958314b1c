"""The driver diagram page: aim -> primary -> secondary drivers -> change ideas -> measures.

One table read left to right, printable on one landscape A4 page (``@page`` rules; small type).
The same HTML is written by ``workbench driver THEME --html PATH`` and shown by
``notebooks/driver.ipynb``.
"""

from __future__ import annotations

import html
from typing import Any

from workbench.domain import palette as nhs
from workbench.services.driver import DriverDiagram
from workbench.store.workspace import resolve_workspace
from workbench.ui.style import style_tag

STATE_COLOURS = {"untried": nhs.NHS_MID_GREY, "planned": nhs.NHS_BLUE, "testing": nhs.NHS_PURPLE,
                 "adopted": nhs.NHS_GREEN, "adapted": nhs.NHS_BROWN, "abandoned": nhs.NHS_RED}



def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def driver_html(d: DriverDiagram) -> str:
    """The diagram as one self-contained HTML fragment (style included)."""
    where = d.ward.name if d.ward else "every ward"
    total = max(1, len(d.ideas))
    rows: list[str] = []
    first = True
    for p in d.primaries:
        p_span = sum(len(s.ideas) for s in p.secondaries)
        p_first = True
        for s in p.secondaries:
            s_first = True
            for i in s.ideas:
                cells = []
                if first:
                    cells.append(f'<td class="aim" rowspan="{total}">{_e(d.aim)}<br>'
                                 f'<span class="muted">{_e(d.aim_detail)}</span></td>')
                    first = False
                if p_first:
                    cells.append(f'<td class="primary" rowspan="{p_span}">{_e(p.text)}</td>')
                    p_first = False
                if s_first:
                    cells.append(f'<td rowspan="{len(s.ideas)}">{_e(s.text)}</td>')
                    s_first = False
                cycles = f'<br><span class="muted">{_e(", ".join(i.cycles))}</span>' \
                    if i.cycles else ""
                cells.append(f'<td class="wb-driver-idea wb-driver-{_e(i.state)}">{_e(i.text)} '
                             f'<span class="state" style="background:{STATE_COLOURS[i.state]}">'
                             f"{_e(i.state_words)}</span>{cycles}</td>")
                measures = "".join(f"<li>{_e(m.name)} <span class='muted'>({_e(m.family)})"
                                   "</span></li>" for m in i.measures)
                cells.append(f"<td><ul>{measures}</ul></td>" if measures else
                             '<td class="muted">choose from the theme\'s measures</td>')
                rows.append("<tr>" + "".join(cells) + "</tr>")
    national = "".join(f"<li>{_e(n)}</li>" for n in d.national)
    answers = ""
    if national:
        from workbench.services.national import ANSWERS_LEAD

        answers = f'<p class="wb-driver-national">{_e(ANSWERS_LEAD)}:</p><ul>{national}</ul>'
    head = "".join(f'<th style="width:{w}">{h}</th>' for h, w in (
        ("Aim", "16%"), ("Primary drivers", "14%"), ("Secondary drivers", "22%"),
        ("Change ideas", "28%"), ("Measures", "20%")))
    return "\n".join([
        style_tag(), '<div class="wb-driver">',
        f"<h1>Driver diagram: {_e(d.theme_name)} ({_e(where)})</h1>",
        '<p class="muted">Read left to right: the aim, what drives it, and the changes that '
        "push each driver, with what was done with them and how each is measured.</p>",
        f'<table class="wb-driver-table"><thead><tr>{head}</tr></thead><tbody>'
        + "".join(rows) + "</tbody></table>", answers, "</div>"])


def page_document(d: DriverDiagram) -> str:
    """A whole HTML document for printing (``workbench driver --html``)."""
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>Driver diagram: {_e(d.theme_name)}</title></head><body>"
            f"{driver_html(d)}</body></html>\n")


def show(theme: str = "weak_recognition", *, ward: str = "", workspace: str = "",
         db: str = "") -> None:
    """Display a theme's driver diagram in a notebook (a plain message on failure).

    Parameters
    ----------
    theme : str
        Review theme id.
    ward : str
        Ward id (empty: every ward).
    workspace, db : str
        Workspace folder and database URL (empty: environment or the repository's demo).
    """
    from IPython.display import HTML, display

    from workbench.ui.safe import show_page

    def page() -> Any:
        from workbench.services.driver import driver_diagram

        ws = resolve_workspace(workspace or None, db or None)
        return HTML(driver_html(driver_diagram(ws, theme, ward=ward or None)))

    display(show_page("the driver diagram", page))
