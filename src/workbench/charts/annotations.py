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


LABEL_GAP = 13
"""Pixels kept between the labels right of the plot (12 px text plus a pixel)."""


def _spread(wanted: list[float], top: float, bottom: float) -> list[float]:
    """Pixel rows for labels wanted at *wanted* (sorted top to bottom), moved apart to at least
    :data:`LABEL_GAP` and kept between *top* and *bottom* where they fit."""
    rows = list(wanted)
    for i in range(1, len(rows)):
        rows[i] = max(rows[i], rows[i - 1] + LABEL_GAP)
    overflow = rows[-1] - bottom if rows else 0.0
    if overflow > 0:  # pushed below the plot: move the stack up, never above the top
        rows = [max(top, r - overflow) for r in rows]
        for i in range(1, len(rows)):
            rows[i] = max(rows[i], rows[i - 1] + LABEL_GAP)
    return rows


def limit_label_layers(frame: pd.DataFrame, y: Any, y_format: str, width: int, *,
                       height: int = 300, target: float | None = None) -> list[dict[str, Any]]:
    """The last phase's centre and limits written just right of the plot, as ``92%``, or as
    the summary table writes numbers (``49.8``, not ``49.77``) on other charts; with *target*,
    the target's label too.  Labels that would touch are moved apart (``dy``), estimating each
    line's height on the plot from the values it shows."""
    from workbench.charts.summary import number

    last = frame.iloc[-1]
    wanted: list[tuple[str, str, float, str, str]] = []  # (name, column, value, colour, text)
    for name, col, colour in (("ucl_label", "ucl", style.LIMIT_LINE),
                              ("cl_label", "cl", style.CENTRE_LINE),
                              ("lcl_label", "lcl", style.LIMIT_LINE)):
        value = last.get(col)
        if value is None or pd.isna(value):
            continue
        text = f"{float(value) * 100:.0f}%" if "%" in y_format else number(value, "i")
        wanted.append((name, col, float(value), colour, text))
    if target is not None and pd.notna(target):
        wanted.append(("target_label", "target", float(target), style.TARGET_LINE, "Target"))
    if not wanted:
        return []
    shown = [frame[c].to_numpy(dtype=float) for c in ("y", "cl", "lcl", "ucl", "lcl_2s", "ucl_2s")
             if c in frame.columns]
    values = pd.Series([v for col in shown for v in col] + [w[2] for w in wanted]).dropna()
    lo, hi = float(values.min()), float(values.max())
    span = (hi - lo or 1.0) * 1.2  # the axis rounds its ends outwards ("nice"): err on room
    wanted.sort(key=lambda w: -w[2])  # top of the plot first
    pixels = [height * (hi - w[2]) / span for w in wanted]
    moved = _spread(pixels, 0.0, float(height))
    out = []
    for (name, col, value, colour, text), at, to in zip(wanted, pixels, moved, strict=True):
        bold = {"fontWeight": "bold", "fontSize": 12} if col == "target" else {"fontSize": 11}
        out.append(layer(name, mark("text", align="left", baseline="middle", dx=4,
                                    dy=round(to - at, 1), font=style.FONT, color=colour, **bold),
                         {"y": y(col), "x": {"value": width}, "text": {"field": "label"}},
                         values=[{col: value, "label": text}]))
    return out
