"""What a chart says besides its points: the test window, the label band, line labels, caption.

* **The test in view**: the active test's window is a shaded, labelled band; its points are
  drawn in full colour and larger, the points before it faded (:func:`test_band_layers`,
  :func:`point_emphasis`).
* **Labels never cover data**: change and test labels sit in a band *above* the plot
  (:data:`LABEL_ROW` pixels a row), never inside it (:func:`band_label`).
* **Line labels** (like NHSRplotthedots' ``label_limits``): the last phase's centre and limits
  written at the right end of each line, outside the plot (:func:`limit_label_layers`).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from workbench.charts import style
from workbench.charts._data import XKind
from workbench.charts._encode import axis_x
from workbench.charts._vl import layer, mark

LABEL_ROW = 18
"""Height in pixels of one row of the label band above the plot."""

TEST_FILL = style.TEST_FILL
TEST_OPACITY = 0.10
FADED = 0.45
"""Opacity of the points before the test window when a test is in view."""


def band_label(name: str, text: str, at: Any, kind: XKind, width: int, row: int, *,
               align: str = "left", colour: str = style.PHASE_RULE) -> dict[str, Any]:
    """A label in row *row* (0 nearest the plot) of the band above the plot, at x = *at*."""
    return layer(name, mark(
        "text", text=text, align=align, dx=4 if align == "left" else -4, baseline="bottom",
        color=colour, fontSize=12, fontWeight="bold", font=style.FONT, limit=max(120, width // 2),
    ), {"x": axis_x(kind, "at", width), "y": {"value": -(4 + row * LABEL_ROW)}},
        values=[{"at": at, "label": text}])


def _half_step(frame: pd.DataFrame, kind: XKind) -> Any:
    xs = frame["x"].dropna()
    if kind != "temporal" or len(xs) < 2:
        return pd.Timedelta(hours=12) if kind == "temporal" else 0.5
    return pd.Series(xs.to_numpy()).diff().median() / 2


def test_band_layers(frame: pd.DataFrame, kind: XKind, start: Any, end: Any, label: str,
                     width: int, height: int) -> list[dict[str, Any]]:
    """The shaded band over the test window (half a point's step beyond its first and last
    points) and its label in the band above the plot."""
    half = _half_step(frame, kind)
    lo, hi = pd.Timestamp(start) - half, pd.Timestamp(end) + half
    shown_lo, shown_hi = frame["x"].min(), frame["x"].max() + half
    lo, hi = max(lo, shown_lo - half), min(hi, shown_hi)
    row = {"at": lo.isoformat(), "to": hi.isoformat(), "label": label}
    x = axis_x(kind, "at", width)
    shade = layer("test_band", mark("rect", color=TEST_FILL, opacity=TEST_OPACITY),
                  {"x": x, "x2": {"field": "to"}, "y": {"value": 0}, "y2": {"value": height},
                   "tooltip": [{"field": "label", "type": "nominal", "title": "Test"}]},
                  values=[row])
    span = shown_hi - shown_lo
    late = kind == "temporal" and span > pd.Timedelta(0) and (lo - shown_lo) / span > 0.6
    at, align = (row["to"], "right") if late else (row["at"], "left")
    return [shade, band_label("test_label", label, at, kind, width, 0, align=align)]


def in_window(frame: pd.DataFrame, start: Any, end: Any) -> pd.Series:
    """True for the points inside the test window (by their x)."""
    xs = pd.to_datetime(frame["x"])
    return (xs >= pd.Timestamp(start)) & (xs <= pd.Timestamp(end))


def point_emphasis() -> dict[str, Any]:
    """Encoding entries: full colour inside the window (``in_test``), faded before it."""
    return {"opacity": {"condition": {"test": "datum.in_test", "value": 1}, "value": FADED}}


def limit_label_layers(frame: pd.DataFrame, y: Any, y_format: str,
                       width: int) -> list[dict[str, Any]]:
    """The last phase's centre and limits written just right of the plot, as ``92%``."""
    last = frame.iloc[-1]
    out = []
    for name, col, colour in (("ucl_label", "ucl", style.LIMIT_LINE),
                              ("cl_label", "cl", style.CENTRE_LINE),
                              ("lcl_label", "lcl", style.LIMIT_LINE)):
        value = last.get(col)
        if value is None or pd.isna(value):
            continue
        out.append(layer(name, mark("text", align="left", baseline="middle", dx=4, fontSize=11,
                                    font=style.FONT, color=colour),
                         {"y": y(col), "x": {"value": width},
                          "text": {"field": col, "type": "quantitative", "format": y_format}},
                         values=[{col: float(value)}]))
    return out
