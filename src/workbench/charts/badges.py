"""Variation and assurance badges drawn with Altair marks (no images, nothing fetched).

A badge is a white circle with a coloured ring and a letter inside it ("H"/"L" for unusual high
or low, "P"/"F"/"?" for assurance); common cause is a grey ring with a flat line through it.
Under each badge a short heading and the plain words say the same thing in English.
"""

from __future__ import annotations

import textwrap
from typing import Any

import altair as alt

from workbench.charts import style
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


def badge_layers(icon: Icon, *, cx: float, cy: float, heading: str) -> list[alt.Chart]:
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
    list of alt.Chart
        Layers named ``<kind>_badge``, ``<kind>_letter`` or ``<kind>_line``, ``<kind>_heading``
        and ``<kind>_caption``.
    """
    datum = alt.Data(values=[{"kind": icon.kind, "key": icon.key, "words": icon.plain,
                              "label": icon.label}])
    tooltip = [alt.Tooltip("label:N", title=heading), alt.Tooltip("words:N", title="Means")]
    at = {"x": alt.value(cx), "y": alt.value(cy)}
    layers: list[alt.Chart] = [
        alt.Chart(datum, name=f"{icon.kind}_badge").mark_point(
            shape="circle", filled=True, fill="white", stroke=icon.colour,
            strokeWidth=RING_WIDTH, size=BADGE_SIZE, opacity=1,
        ).encode(**at, tooltip=tooltip)
    ]
    if icon.key == "common_cause":
        half = 9.0
        layers.append(
            alt.Chart(datum, name=f"{icon.kind}_line").mark_rule(
                color=icon.colour, strokeWidth=RING_WIDTH, strokeCap="round"
            ).encode(x=alt.value(cx - half), x2=alt.value(cx + half), y=alt.value(cy))
        )
    elif icon.letter:
        layers.append(
            alt.Chart(datum, name=f"{icon.kind}_letter").mark_text(
                text=icon.letter, color=icon.colour, fontSize=LETTER_SIZE, fontWeight="bold",
                font=style.FONT, align="center", baseline="middle", dy=1,
            ).encode(**at)
        )
    text: dict[str, Any] = {"fontSize": CAPTION_SIZE, "font": style.FONT, "align": "center", "baseline": "top"}
    layers.append(
        alt.Chart(datum, name=f"{icon.kind}_heading")
        .mark_text(text=heading, color=style.TEXT, fontWeight="bold", **text)
        .encode(x=alt.value(cx), y=alt.value(cy + 23))
    )
    layers.append(
        alt.Chart(datum, name=f"{icon.kind}_caption")
        .mark_text(text=wrap(icon.plain), color=style.TEXT, lineHeight=13, **text)
        .encode(x=alt.value(cx), y=alt.value(cy + 37))
    )
    return layers


def summary_badges(
    variation: Icon, assurance: Icon | None, *, plot_width: float
) -> list[alt.Chart]:
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
