"""The funnel plot: each ward as a labelled point, with 95% and 99.8% limits around the centre.

Built with Altair; draw it offline with :func:`workbench.charts.static_html` (inline SVG) or
the offline widget.  The chart draws numbers it is given (a
:class:`~workbench.spc.funnel.FunnelResult`); it reads no store.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from workbench.charts import style
from workbench.spc.funnel import FunnelResult

OUTSIDE_LABELS = {"": "inside the limits", "above 95%": "outside 95% (high)",
                  "below 95%": "outside 95% (low)", "above 99.8%": "outside 99.8% (high)",
                  "below 99.8%": "outside 99.8% (low)"}


def _colour(outside: str, improvement: str) -> str:
    if not outside:
        return style.COMMON
    if improvement == "neutral":
        return style.NEUTRAL
    high = outside.startswith("above")
    good = high if improvement == "increase" else not high
    return style.IMPROVEMENT if good else style.CONCERN


def limit_frame(result: FunnelResult, *, points: int = 120) -> pd.DataFrame:
    """The limit curves in long form for drawing: ``denominator, limit, line, value``."""
    n = result.groups["denominator"].to_numpy(dtype=float)
    lo, hi = max(float(n.min()) * 0.5, 1e-6), float(n.max()) * 1.15
    grid = np.geomspace(lo, hi, points)
    lim = result.limits(grid)
    rows = []
    for col, line in (("lower95", "95% limits"), ("upper95", "95% limits"),
                      ("lower998", "99.8% limits"), ("upper998", "99.8% limits")):
        rows.append(pd.DataFrame({"denominator": grid, "limit": col, "line": line,
                                  "value": lim[col].to_numpy()}))
    return pd.concat(rows, ignore_index=True)


def funnel_chart(result: FunnelResult, *, title: str = "", x_title: str = "Denominator",
                 y_title: str = "Value", improvement: str = "neutral", percent: bool = False,
                 width: int = 640, height: int = 380) -> Any:
    """An Altair funnel plot.

    Parameters
    ----------
    result : FunnelResult
        From :func:`workbench.spc.funnel.funnel`; ``groups["group"]`` labels each point.
    title, x_title, y_title : str
    improvement : {"increase", "decrease", "neutral"}
        Which way is better: wards outside the limits on the better side are blue, on the
        worse side orange (Making Data Count colours); neutral is purple.
    percent : bool
        Show values as percentages (proportions).
    """
    import altair as alt

    scale = 100.0 if percent else 1.0
    groups = result.groups.copy()
    groups["shown"] = groups["value"] * scale
    groups["where"] = groups["outside"].map(OUTSIDE_LABELS)
    groups["colour"] = [_colour(o, improvement) for o in groups["outside"]]
    curves = limit_frame(result)
    curves["shown"] = curves["value"] * scale
    y_fmt = ".0f" if percent else ".2f"
    x = alt.X("denominator:Q", title=x_title, scale=alt.Scale(zero=False))
    lines = alt.Chart(curves).mark_line(clip=True).encode(
        x=x, y=alt.Y("shown:Q", title=y_title, axis=alt.Axis(format=y_fmt)),
        detail="limit:N",
        strokeDash=alt.StrokeDash("line:N", title="Limits",
                                  scale=alt.Scale(domain=["95% limits", "99.8% limits"],
                                                  range=[[5, 4], [1, 0]])),
        color=alt.value(style.LIMIT_LINE))
    centre = alt.Chart(pd.DataFrame({"shown": [result.target * scale]})).mark_rule(
        color=style.CENTRE_LINE).encode(y="shown:Q")
    tooltip = [alt.Tooltip("group:N", title="Ward"), alt.Tooltip("shown:Q", title=y_title,
                                                                 format=".1f"),
               alt.Tooltip("denominator:Q", title=x_title), alt.Tooltip("where:N", title="Where")]
    dots = alt.Chart(groups).mark_point(filled=True, size=90, opacity=1).encode(
        x="denominator:Q", y="shown:Q", color=alt.Color("colour:N", scale=None),
        shape=alt.Shape("where:N", title="Ward is"), tooltip=tooltip)
    labels = alt.Chart(groups).mark_text(align="left", dx=7, dy=-6, fontSize=11,
                                         color=style.TEXT).encode(
        x="denominator:Q", y="shown:Q", text="group:N")
    chart = alt.layer(lines, centre, dots, labels).properties(width=width, height=height)
    if title:
        chart = chart.properties(title=title)
    return chart
