"""Shared encodings and titles, as plain Vega-Lite dicts, so every layer agrees on scales,
axes and fonts.

The SPC chart is built as a plain Vega-Lite spec (see :mod:`workbench.charts.control_chart`):
building the same spec through Altair's objects costs about 0.2 s a chart, most of it
validation and conversion, which a report with four charts pays on every ward.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from workbench.charts import style
from workbench.charts._data import XKind
from workbench.charts.badges import wrap

#: Date labels: years, months, then UK-style day and month.
DATE_FORMAT: dict[str, str] = {
    "year": "%Y",
    "quarter": "%b",
    "month": "%b",
    "week": "%-d %b",
    "date": "%-d %b",
    "hours": "%H:%M",
    "minutes": "%H:%M",
    "seconds": "%H:%M:%S",
    "milliseconds": "%H:%M:%S",
}

def axis_x(kind: XKind, name: str = "x", width: int = 640) -> dict[str, Any]:
    """The x encoding: dates as dates (UK day-month labels), numbers as numbers, else ordered."""
    common: dict[str, Any] = {"labelFontSize": 12, "titleFontSize": 12, "labelFont": style.FONT,
                              "titleFont": style.FONT, "grid": False, "labelColor": style.TEXT}
    if kind == "temporal":
        axis = {"format": dict(DATE_FORMAT), "formatType": "time", "labelAngle": 0,
                "tickCount": max(2, width // 85), "labelOverlap": True, **common}
        return {"field": name, "type": "temporal", "title": None, "axis": axis}
    if kind == "quantitative":
        return {"field": name, "type": "quantitative", "title": None,
                "axis": {"tickMinStep": 1, **common}, "scale": {"zero": False, "nice": False}}
    return {"field": name, "type": "ordinal", "title": None, "sort": None,
            "axis": {"labelAngle": -45, "labelOverlap": True, **common}}


def axis_y(name: str, *, title: str, fmt: str) -> dict[str, Any]:
    """The y encoding shared by every layer (same title and scale, so Vega-Lite merges them)."""
    return {
        "field": name, "type": "quantitative", "title": title or None,
        "scale": {"zero": False, "nice": True},
        "axis": {"format": fmt, "labelFontSize": 12, "titleFontSize": 12, "labelFont": style.FONT,
                 "titleFont": style.FONT, "gridColor": style.GRID, "labelColor": style.TEXT,
                 "tickCount": 6},
    }


def title_block(
    title: str | None,
    subtitle: str | Sequence[str] | None,
    measure: object,
    width: int,
    notes: Sequence[str] = (),
    caption: str | None = None,
) -> dict[str, Any]:
    """Title from ``title`` or the measure's name; subtitle from ``subtitle`` or its definition.

    ``notes`` (e.g. "too few points") follow the subtitle, each starting with "Note:".
    ``caption`` (the grain: "weekly totals, Mon\u2013Sun") comes first, with a capital.
    """
    if title is None:
        title = measure if isinstance(measure, str) else getattr(measure, "name", None)
    if subtitle is None:
        subtitle = getattr(measure, "definition", None)
    chars = max(40, int(width / 6.5))
    if isinstance(subtitle, str):
        lines = wrap(subtitle, chars)
    else:
        lines = [str(s) for s in subtitle] if subtitle else []
    if caption:
        lines = [*wrap(f"{caption[:1].upper()}{caption[1:]}", chars), *lines]
    for note in notes:
        lines += wrap(f"Note: {note}", chars)
    return {
        "text": str(title) if title else "SPC chart",
        "subtitle": lines,
        "anchor": "start",
        "font": style.FONT,
        "fontSize": 19,
        "color": style.TEXT,
        "subtitleFont": style.FONT,
        "subtitleFontSize": 13,
        "subtitleColor": style.MUTED_TEXT,
        "offset": 12,
    }
