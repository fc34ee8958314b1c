"""Write a chart to a file by its extension: ``.svg``, ``.png`` or a self-contained ``.html``.

Everything is drawn offline by vl-convert; the HTML page holds the chart as inline SVG, so it
opens on a PC with no internet connection and pastes into a board paper.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from workbench.charts.errors import ChartError

FORMATS = (".svg", ".png", ".html")


def chart_bytes(chart: Any, suffix: str, *, title: str = "SPC chart") -> bytes:
    """The chart encoded for a file ending in *suffix* (``.svg``, ``.png`` or ``.html``)."""
    from workbench.charts.render import static_html, to_png, to_svg

    kind = suffix.lower()
    if kind == ".svg":
        return to_svg(chart).encode("utf-8")
    if kind == ".png":
        return to_png(chart)
    if kind in (".html", ".htm"):
        page = (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
                f"<title>{html.escape(title)}</title>"
                "<style>body{font-family:Arial,'Liberation Sans',sans-serif;margin:1rem}"
                "figure{margin:0}svg{max-width:100%;height:auto}</style></head><body>"
                f"{static_html(chart)}</body></html>\n")
        return page.encode("utf-8")
    raise ChartError(f"cannot write a chart as '{suffix or 'no extension'}': end the file "
                     "name in .svg, .png or .html")


def write_chart(chart: Any, path: str | Path, *, title: str = "SPC chart") -> Path:
    """Write *chart* to *path* in the format its extension names; returns the path.

    Raises
    ------
    ChartError
        For another extension, or a folder that does not exist.
    """
    target = Path(path)
    data = chart_bytes(chart, target.suffix, title=title)
    if not target.parent.exists():
        raise ChartError(f"{target.parent}: no such folder; create it or choose another path")
    target.write_bytes(data)
    return target
