"""One stylesheet and the HTML templates of the pages, from ``workbench/ui/templates``.

* :func:`style_tag` -- the pages' one stylesheet (``pages.css.j2`` filled with the colours of
  :mod:`workbench.domain.palette`), as a ``<style>`` element each page includes once;
* :func:`render` -- an HTML fragment from a template (``*.html.j2``, autoescaped);
* :func:`same_tab` -- links in a notebook's HTML output open in the same tab.

Templates load on first use (jinja2 is imported then, not when this module is).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).with_name("templates")
"""The templates' folder (shipped as package data)."""


@functools.cache
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",),
                                            default_for_string=False),
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False,
        undefined=jinja2.StrictUndefined)


def render(name: str, **context: Any) -> str:
    """The template *name* filled with *context* (HTML templates escape every value).

    Parameters
    ----------
    name : str
        A file in :data:`TEMPLATES`, e.g. ``"box.html.j2"``.
    **context
        The template's variables; mark ready-made HTML with :func:`markup`.
    """
    return str(_environment().get_template(name).render(**context))


def markup(html: str) -> Any:
    """*html* marked as safe, so a template puts it in as it is (not escaped)."""
    import markupsafe

    return markupsafe.Markup(html)


def table_html(headers: Sequence[object], rows: Iterable[Sequence[object]], css: str) -> str:
    """A plain table from ``table.html.j2``: every header and cell escaped, except cells (or
    headers) passed through :func:`markup` (ready-made HTML such as a link or a badge).

    Parameters
    ----------
    headers : sequence
        Column heads.
    rows : iterable of sequences
        One sequence of cells per row; ``None`` is an empty cell.
    css : str
        The table's class.
    """
    return render("table.html.j2", css=css, headers=list(headers),
                  rows=[["" if c is None else c for c in r] for r in rows])


@functools.cache
def stylesheet() -> str:
    """The pages' CSS, colours filled in from :mod:`workbench.domain.palette`."""
    from workbench.domain import palette

    return render("pages.css.j2", font=palette.FONT, **palette.colours())


def style_tag() -> str:
    """The stylesheet as one ``<style>`` element: include it once per page."""
    return f"<style>\n{stylesheet()}</style>"


_NO_TARGET = re.compile(r"<a\b(?![^>]*\btarget=)", re.IGNORECASE)


def same_tab(html: str) -> str:
    """*html* with every link that names no ``target`` opening in the same tab.

    A notebook's HTML output (unlike a widget's) is drawn by JupyterLab's renderer, which
    opens a link without a ``target`` in a new tab: a ward's link on the landing page left the
    landing page open behind a new tab at every click.
    """
    return _NO_TARGET.sub('<a target="_self"', html)
