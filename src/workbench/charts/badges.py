"""Variation and assurance badges drawn with Vega-Lite marks (no images, nothing fetched).

A badge is a white circle with a coloured ring and a letter inside it ("H"/"L" for unusual high
or low, "P"/"F"/"?" for assurance); common cause is a grey ring with a flat line through it.
Under each badge a short heading and the plain words say the same thing in English.
"""

from __future__ import annotations

import textwrap
from typing import Any

from workbench.charts import style
from workbench.charts._vl import field, layer, mark
from workbench.charts.words import Icon

BADGE_SIZE = 1100  # marker area in square pixels: a circle about 37 px across
RING_WIDTH = 3.5
LETTER_SIZE = 19
CAPTION_SIZE = 11
BADGE_COLUMN_WIDTH = 160  # room kept right of the plot for the badges
BADGE_GAP = 50  # left part of that room, kept for line labels such as "Target"


def wrap(text: str, width: int = 18) -> list[str]:
    """Split words into short lines for a caption."""
    return textwrap.wrap(text, width=width) or [""]


def _at(cx: float, cy: float) -> dict[str, Any]:
    return {"x": {"value": cx}, "y": {"value": cy}}


def badge_layers(icon: Icon, *, cx: float, cy: float, heading: str) -> list[dict[str, Any]]:
    """The marks of one badge centred at pixel ``(cx, cy)``, with its heading and words below.

    Parameters
    ----------
    icon : Icon
        What to draw (see :mod:`workbench.charts.words`).
    cx, cy : float
        Pixel position of the circle's centre, relative to the plot's top-left corner.
    heading : str
        Short heading under the badge, e.g. ``"Variation"``.

    Returns
    -------
    list of dict
        Vega-Lite layers named ``<kind>_badge``, ``<kind>_letter`` or ``<kind>_line``,
        ``<kind>_heading`` and ``<kind>_caption``.
    """
    def rows() -> list[dict[str, Any]]:
        return [{"kind": icon.kind, "key": icon.key, "words": icon.plain, "label": icon.label}]

    tooltip = [field("label:N", title=heading), field("words:N", title="Means")]
    layers = [layer(f"{icon.kind}_badge", mark(
        "point", shape="circle", filled=True, fill="white", stroke=icon.colour,
        strokeWidth=RING_WIDTH, size=BADGE_SIZE, opacity=1,
    ), {**_at(cx, cy), "tooltip": tooltip}, values=rows())]
    if icon.key == "common_cause":
        half = 9.0
        layers.append(layer(f"{icon.kind}_line", mark(
            "rule", color=icon.colour, strokeWidth=RING_WIDTH, strokeCap="round",
        ), {"x": {"value": cx - half}, "x2": {"value": cx + half}, "y": {"value": cy}},
            values=rows()))
    elif icon.letter:
        layers.append(layer(f"{icon.kind}_letter", mark(
            "text", text=icon.letter, color=icon.colour, fontSize=LETTER_SIZE, fontWeight="bold",
            font=style.FONT, align="center", baseline="middle", dy=1,
        ), _at(cx, cy), values=rows()))
    text: dict[str, Any] = {"fontSize": CAPTION_SIZE, "font": style.FONT, "align": "center",
                            "baseline": "top"}
    layers.append(layer(f"{icon.kind}_heading", mark(
        "text", text=heading, color=style.TEXT, fontWeight="bold", **text),
        _at(cx, cy + 23), values=rows()))
    layers.append(layer(f"{icon.kind}_caption", mark(
        "text", text=wrap(icon.plain), color=style.TEXT, lineHeight=13, **text),
        _at(cx, cy + 37), values=rows()))
    return layers


def summary_badges(
    variation: Icon, assurance: Icon | None, *, plot_width: float
) -> list[dict[str, Any]]:
    """Both badges stacked in a column just right of the plot area.

    Parameters
    ----------
    variation : Icon
        The variation badge.
    assurance : Icon or None
        The assurance badge; None leaves it out (no target set).
    plot_width : float
        Width of the plot area in pixels.
    """
    cx = plot_width + BADGE_GAP + (BADGE_COLUMN_WIDTH - BADGE_GAP) / 2
    layers = badge_layers(variation, cx=cx, cy=22, heading="Variation")
    if assurance is not None:
        layers += badge_layers(assurance, cx=cx, cy=122, heading="Target")
    return layers
