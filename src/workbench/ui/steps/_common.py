"""Shared pieces of the four step pages: parameters, messages, HTML bits and charts.

Two modes, one code path:

* **report** (``interactive=False``, papermill and batch runs): plain HTML and inline SVG charts,
  no widgets, nothing recorded.  A bad parameter raises :class:`StepRefused`, whose traceback is
  just its message, so the run fails with that message recorded.
* **interactive** (JupyterLab, Voila): the same sections plus forms; charts are offline Altair
  widgets; a bad parameter shows its message on the page instead of a traceback, and anything
  unexpected shows plain words with the detail in the server log (the idiom of
  :mod:`workbench.ui.safe`, through :func:`~workbench.ui.safe.explain`).
"""

from __future__ import annotations

import datetime as dt
import functools
import html
from collections.abc import Callable, Iterable, Sequence
from typing import Any, ParamSpec, TypeVar

from workbench.domain.errors import WorkbenchError
from workbench.store.workspace import Workspace, resolve_workspace

P = ParamSpec("P")
R = TypeVar("R")


def __getattr__(name: str) -> str:
    """``STYLE``: the pages' one stylesheet (:func:`workbench.ui.style.style_tag`), built on
    first use; a page's first section includes it, once.  Kept for ``run.py`` (rewritten in
    issue #15); new code calls ``style_tag()``."""
    if name == "STYLE":
        from workbench.ui.style import style_tag

        return style_tag()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class StepRefused(WorkbenchError):
    """A step page cannot be shown: a parameter is wrong.  Its traceback is its message only."""

    def _render_traceback_(self) -> list[str]:
        return [f"StepRefused: {self}"]


def esc(value: object) -> str:
    """HTML-escape any value's text."""
    return html.escape("" if value is None else str(value))


def box(text: str, kind: str = "info", *, raw: bool = False) -> str:
    """A coloured message box (``info``, ``ok``, ``warn``, ``error``)."""
    from workbench.ui.style import markup, render

    return render("box.html.j2", kind=kind, body=markup(text) if raw else text)


def heading(text: str, level: int = 2) -> str:
    """An HTML heading."""
    return f"<h{level}>{esc(text)}</h{level}>"


def bullets(items: Iterable[str]) -> str:
    """An HTML list of plain sentences."""
    return "<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>"


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A small HTML table of plain values."""
    from workbench.ui.style import table_html

    return table_html(headers, rows, "wb-table")


def show(markup: str) -> None:
    """Display HTML in the notebook's output.

    The same output as ``display(HTML(markup))``, handed over as it is: IPython's display
    formatters have nothing to work out for a string of HTML, and building them is the larger
    part of a batch kernel's first display.  Its links open in the same tab
    (:func:`workbench.ui.style.same_tab`).
    """
    from IPython.display import display

    from workbench.ui.style import same_tab

    display({"text/html": same_tab(markup), "text/plain": "<IPython.core.display.HTML object>"},
            raw=True)


def parse_date(text: str | dt.date | None, name: str) -> dt.date | None:
    """An ISO date parameter (``""`` means none), or :class:`StepRefused` saying how to fix it."""
    if text is None or isinstance(text, dt.date):
        return text
    text = str(text).strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise StepRefused(f"{name}: '{text}' is not a date; write it as YYYY-MM-DD, "
                          "for example 2026-11-22.") from None


def open_workspace(workspace: str, db: str = "") -> Workspace:
    """The workspace named by the notebook's parameters (empty: the default workspace)."""
    ws = resolve_workspace(workspace or None, db or None)
    if not ws.pdsa.is_dir():
        raise StepRefused(f"workspace: {ws.root} has no pdsa/ folder; give a workspace folder "
                          "(build one with `workbench demo --workspace DIR`).")
    return ws


def refuse_or_show(exc: BaseException, interactive: bool) -> None:
    """Report a page that cannot be built, in the :mod:`workbench.ui.safe` idiom.

    Interactively the page shows plain words (:func:`workbench.ui.safe.explain`: a refusal's
    own message, or an apology with the traceback in the server log).  In a report run a refusal
    raises :class:`StepRefused`, so the run fails with its message only; anything else is
    raised as it is, for the run's technical detail.
    """
    if not interactive:
        if isinstance(exc, WorkbenchError):
            raise StepRefused(str(exc)) from None
        raise exc
    from workbench.ui.safe import explain
    from workbench.ui.style import style_tag

    words = explain("building a step page", exc)
    lead = "This page cannot be shown: " if isinstance(exc, WorkbenchError) else \
        "This page cannot be shown. "
    show(style_tag() + box(lead + words, "error"))


def section(what: str) -> Callable[[Callable[P, R]], Callable[P, R | None]]:
    """Decorate a step page's section so that, interactively, a fault shows plain words.

    The page object (the first argument) says whether it is ``interactive``; a report run
    raises as it is, so the run fails and keeps the detail.

    Parameters
    ----------
    what : str
        The section, for the log ("showing step 4's charts").
    """
    def wrap(fn: Callable[P, R]) -> Callable[P, R | None]:
        @functools.wraps(fn)
        def inner(*args: P.args, **kwargs: P.kwargs) -> R | None:
            if not getattr(args[0], "interactive", False):
                return fn(*args, **kwargs)
            try:
                return fn(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - a page never shows a traceback
                from workbench.ui.safe import explain

                show(box(f"This part of the page cannot be shown. {explain(what, exc)}",
                         "error"))
                return None
        return inner
    return wrap


CHART_MODES = ("inline", "browser")
"""How a report shows its charts (the notebooks' ``charts`` parameter): ``inline`` SVG drawn in
the kernel, or ``browser``: the spec, drawn when the page opens beside the batch run's
``vega.js``."""

_report_charts: list[str] = ["inline"]


def figures(items: Sequence[str | tuple[Any, str | None]], interactive: bool) -> None:
    """Show a section of charts and HTML, in order.

    *items* are HTML strings or ``(chart, caption)`` pairs, a chart being a Vega-Lite spec or an
    Altair chart.  Interactively each chart is an offline widget; in a report the section is one
    output holding inline SVG, or figures the browser draws when the notebook's ``charts``
    parameter says ``browser`` (given to :func:`warm_up`).
    """
    if interactive:
        from IPython.display import display

        from workbench.charts import offline_widget

        for item in items:
            if isinstance(item, str):
                show(item)
                continue
            display(offline_widget(item[0]))
            if item[1]:
                show(f"<p>{esc(item[1])}</p>")
        return
    if _report_charts[0] == "browser":
        from workbench.charts import report_html as draw
    else:
        from workbench.charts import static_html as draw
    show("".join(item if isinstance(item, str) else draw(item[0], caption=item[1])
                 for item in items))


def chart(figure: Any, interactive: bool, caption: str | None = None) -> None:
    """Show one chart with its caption (see :func:`figures`)."""
    figures([(figure, caption)], interactive)


def say(message: Any, text: str, kind: str = "info", *, raw: bool = False) -> None:
    """Put a message in a form's message area (an ``ipywidgets.HTML``)."""
    message.value = box(text, kind, raw=raw)


def guarded(message: Any, action: Callable[[], str]) -> Callable[[Any], None]:
    """A button handler: run *action* and show its result, or why nothing was saved.

    The :mod:`workbench.ui.safe` idiom (:func:`~workbench.ui.safe.explain`): a refusal shows
    its own message (each problem a bullet); anything unexpected shows plain words
    (:data:`~workbench.ui.safe.SORRY`) and its traceback goes to the server log, never to the
    page.  The message lands in *message* (an ``ipywidgets.HTML``) as a box.
    """

    def handler(_button: Any = None) -> None:
        try:
            result = action()
        except Exception as exc:  # noqa: BLE001 - a form must never show a traceback
            from workbench.ui.safe import explain

            words = explain("saving a step page's form", exc)
            problems = getattr(exc, "problems", None) if isinstance(exc, WorkbenchError) else None
            if problems:
                say(message, "Not saved. Please fix: " + bullets(map(str, problems)), "error",
                    raw=True)
            else:
                say(message, f"Not saved: {words}" if isinstance(exc, WorkbenchError) else words,
                    "error")
            return
        say(message, result, "ok", raw=True)

    return handler


def warm_up(interactive: bool = True, charts: str = "inline", page: str = "") -> None:
    """Do the slow imports now (Voila runs this before the request arrives).

    Parameters
    ----------
    interactive : bool
        Also load ipywidgets and switch Altair to offline widgets (about 1.4 s).
    charts : str
        How a report (``interactive=False``) shows its charts: ``inline`` SVG (loads Altair and
        vl-convert now) or ``browser`` (the batch runner's choice; needs neither).  The
        notebooks' ``charts`` parameter.
    page : str
        The step (``pick``, ``baseline``, ``run``, ``check``): in a preheated Voila kernel its
        reading is rehearsed on the first ward (:mod:`workbench.ui.rehearsal`); elsewhere this
        does nothing.

    Raises
    ------
    StepRefused
        *charts* is neither ``inline`` nor ``browser``.
    """
    if charts not in CHART_MODES:
        raise StepRefused(f"charts: '{charts}' is not a chart mode; write one of "
                          f"{', '.join(CHART_MODES)}")
    _report_charts[0] = charts
    import pandas  # noqa: F401 - every step reads counts (about 0.8 s)

    from workbench.catalogue import load_catalogue
    from workbench.services import checks, judgement  # noqa: F401
    from workbench.store.db import preload

    load_catalogue()
    preload()  # the store's SQLAlchemy; nothing is opened or read
    if interactive:
        import ipywidgets  # noqa: F401

        from workbench.charts import enable_offline

        enable_offline()
    elif charts != "browser":
        import altair  # noqa: F401
        import vl_convert  # noqa: F401
    if page:
        from workbench.ui import rehearsal

        if page not in rehearsal.STEPS:
            raise StepRefused(f"page: '{page}' is not a step; write one of "
                              f"{', '.join(rehearsal.STEPS)}")
        rehearsal.rehearse(f"step page '{page}'", rehearsal.STEPS[page])
