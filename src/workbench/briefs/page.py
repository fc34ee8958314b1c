"""A printable page as data: a header, sections of short lines, an optional chart, a footer.

The one-page brief and the micro-teach card are both built as a :class:`Page`; the same page
is written as HTML (:func:`page_html`) and as exactly one A4 PDF page
(:func:`workbench.briefs.pdf.page_pdf`).
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass, field
from pathlib import Path

from workbench.domain import palette as nhs

Run = tuple[str, bool]
"""A piece of text and whether it is bold."""


@dataclass(frozen=True)
class Section:
    """A headed block of lines; each line is a list of runs.

    Attributes
    ----------
    heading : str
    lines : list of list of Run
    chart : bool
        Draw the page's chart after this section's text.
    keep : bool
        Never shorten this section (short, fixed text such as dates).
    """

    heading: str
    lines: list[list[Run]]
    chart: bool = False
    keep: bool = False


@dataclass(frozen=True)
class Page:
    """What one printed page holds."""

    kicker: str
    title: str
    sections: list[Section]
    footer: str
    chart_png: bytes | None = None
    chart_alt: str = ""
    chart_note: str = ""
    meta: list[Run] = field(default_factory=list)


def line(*parts: str | Run) -> list[Run]:
    """A line from plain strings (normal) and ``(text, bold)`` runs."""
    return [(p, False) if isinstance(p, str) else p for p in parts]


def bold(text: str) -> Run:
    """A bold run."""
    return (text, True)


def plain_text(page: Page) -> str:
    """All the page's words as plain text (for tests and search)."""
    out = [page.kicker, page.title, "".join(t for t, _ in page.meta)]
    for s in page.sections:
        out.append(s.heading)
        out += ["".join(t for t, _ in ln) for ln in s.lines]
    return "\n".join([*out, page.footer])


def _runs_html(runs: list[Run]) -> str:
    return "".join(f"<strong>{html.escape(t)}</strong>" if b else html.escape(t) for t, b in runs)


CSS = f"""
@page {{ size: A4; margin: 14mm; }}
body {{ font-family: {nhs.FONT}; color: {nhs.NHS_BLACK}; max-width: 190mm; margin: 0 auto;
       line-height: 1.35; font-size: 11pt; }}
.wb-brief-head {{ background: {nhs.NHS_BLUE}; color: {nhs.WHITE}; padding: 10px 14px; border-radius: 4px; }}
.wb-brief-head .kicker {{ font-size: 10pt; opacity: .9; margin: 0; }}
.wb-brief-head h1 {{ font-size: 17pt; margin: 2px 0 0; }}
.wb-brief-meta {{ margin: 8px 0; font-size: 10pt; }}
.wb-brief section {{ break-inside: avoid; margin: 8px 0; }}
.wb-brief h2 {{ font-size: 12pt; color: {nhs.NHS_BLUE}; border-bottom: 1px solid {nhs.NHS_PALE_GREY};
               margin: 10px 0 4px; padding-bottom: 2px; }}
.wb-brief p {{ margin: 2px 0; }}
.wb-brief img {{ width: 100%; max-height: 80mm; object-fit: contain; }}
.wb-brief .note {{ color: {nhs.NHS_DARK_GREY}; font-size: 9.5pt; }}
.wb-brief footer {{ margin-top: 12px; color: {nhs.NHS_DARK_GREY}; font-size: 9pt; border-top: 1px solid {nhs.NHS_PALE_GREY};
                   padding-top: 4px; }}
@media print {{ .wb-brief-head {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }} }}
"""


def save_html(page: Page, path: Path | None, *, css_class: str = "wb-brief") -> str:
    """The page as a printable HTML document, also written to *path* when one is given."""
    text = page_html(page, css_class=css_class)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return text


def page_html(page: Page, *, standalone: bool = True, css_class: str = "wb-brief") -> str:
    """The page as HTML (a full document, or a fragment for a notebook when not standalone)."""
    parts = [f'<div class="{html.escape(css_class)} wb-brief">',
             '<div class="wb-brief-head">',
             f'<p class="kicker">{html.escape(page.kicker)}</p>',
             f"<h1>{html.escape(page.title)}</h1></div>"]
    if page.meta:
        parts.append(f'<p class="wb-brief-meta">{_runs_html(page.meta)}</p>')
    for s in page.sections:
        parts.append(f"<section><h2>{html.escape(s.heading)}</h2>")
        parts += [f"<p>{_runs_html(ln)}</p>" for ln in s.lines]
        if s.chart:
            if page.chart_png:
                data = base64.b64encode(page.chart_png).decode("ascii")
                parts.append(f'<img src="data:image/png;base64,{data}" '
                             f'alt="{html.escape(page.chart_alt)}">')
            if page.chart_note:
                parts.append(f'<p class="note">{html.escape(page.chart_note)}</p>')
        parts.append("</section>")
    parts.append(f"<footer>{html.escape(page.footer)}</footer></div>")
    body = "\n".join(parts)
    if not standalone:
        return f"<style>{CSS}</style>\n{body}"
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(page.title)}</title><style>{CSS}</style></head>"
            f"<body>\n{body}\n</body></html>\n")
