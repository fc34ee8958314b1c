"""Shared encodings and titles, so every layer agrees on scales, axes and fonts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt

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


def axis_x(kind: XKind, field: str = "x", width: int = 640) -> alt.X:
    """The x encoding: dates as dates (UK day-month labels), numbers as numbers, else ordered."""
    common: dict[str, Any] = {"labelFontSize": 12, "titleFontSize": 12, "labelFont": style.FONT,
              "titleFont": style.FONT, "grid": False, "labelColor": style.TEXT}
    if kind == "temporal":
        axis = alt.Axis(format=DATE_FORMAT, formatType="time", labelAngle=0, tickCount=max(2, width // 85),
                        labelOverlap=True, **common)
        return alt.X(field, type="temporal", title=None, axis=axis)
    if kind == "quantitative":
        return alt.X(field, type="quantitative", title=None, axis=alt.Axis(tickMinStep=1, **common),
                     scale=alt.Scale(zero=False, nice=False))
    return alt.X(field, type="ordinal", title=None, sort=None,
                 axis=alt.Axis(labelAngle=-45, labelOverlap=True, **common))


def axis_y(field: str, *, title: str, fmt: str) -> alt.Y:
    """The y encoding shared by every layer (same title and scale, so Vega-Lite merges them)."""
    return alt.Y(
        field, type="quantitative", title=title or None,
        scale=alt.Scale(zero=False, nice=True),
        axis=alt.Axis(format=fmt, labelFontSize=12, titleFontSize=12, labelFont=style.FONT,
                      titleFont=style.FONT, gridColor="#eef0f1", labelColor=style.TEXT,
                      tickCount=6),
    )


def title_block(
    title: str | None,
    subtitle: str | Sequence[str] | None,
    measure: object,
    width: int,
    notes: Sequence[str] = (),
) -> alt.Title:
    """Title from ``title`` or the measure's name; subtitle from ``subtitle`` or its definition.

    ``notes`` (e.g. "too few points") follow the subtitle, each starting with "Note:".
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
    for note in notes:
        lines += wrap(f"Note: {note}", chars)
    return alt.Title(
        text=str(title) if title else "SPC chart",
        subtitle=lines,
        anchor="start",
        font=style.FONT,
        fontSize=19,
        color=style.TEXT,
        subtitleFont=style.FONT,
        subtitleFontSize=13,
        subtitleColor=style.MUTED_TEXT,
        offset=12,
    )
