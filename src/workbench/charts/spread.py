"""Small multiples for a spread: one panel per ward, aligned at each ward's own start date.

Week 0 is the week each ward started the change, so the panels line up and a reader sees
whether each ward moved the same way after its start.  The dashed line is the ward's level
before it started.  Draws a frame it is given; reads no store.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from workbench.charts import style


def spread_multiples(frame: pd.DataFrame, *, title: str = "", y_title: str = "Value",
                     percent: bool = False, width: int = 560, height: int = 110) -> Any:
    """One small chart per ward, stacked in the order the change spread.

    Parameters
    ----------
    frame : DataFrame
        ``ward_name, step, week, value, before`` (from
        :func:`workbench.services.spread.aligned_series`).
    title, y_title : str
    percent : bool
        Show values as percentages (proportions).
    """
    import altair as alt

    scale = 100.0 if percent else 1.0
    data = frame.assign(shown=frame["value"] * scale,
                        level=frame["before"].astype(float) * scale,
                        panel=[f"{int(s) + 1}. {w}" for s, w in zip(frame["step"],
                                                                   frame["ward_name"],
                                                                   strict=True)])
    order = list(dict.fromkeys(data.sort_values(["step"])["panel"]))
    x = alt.X("week:Q", title="Weeks from the ward's start (0 = the week it started)",
              scale=alt.Scale(nice=False))
    y = alt.Y("shown:Q", title=y_title, axis=alt.Axis(format=".0f" if percent else ".2f"))
    line = alt.Chart().mark_line(color=style.DATA_LINE, point=alt.OverlayMarkDef(
        color=style.DATA_LINE, size=25)).encode(
        x=x, y=y, tooltip=[alt.Tooltip("panel:N", title="Ward"), alt.Tooltip("week:Q"),
                           alt.Tooltip("shown:Q", title=y_title, format=".1f")])
    start = alt.Chart().mark_rule(color=style.PHASE_RULE, strokeWidth=2).encode(
        x=alt.datum(0))
    before = alt.Chart().mark_rule(color=style.CENTRE_LINE, strokeDash=[4, 3]).encode(
        y=alt.Y("mean(level):Q"))
    chart = alt.layer(line, start, before, data=data).properties(
        width=width, height=height).facet(
        row=alt.Row("panel:N", title=None, sort=order,
                    header=alt.Header(labelAngle=0, labelAlign="left", labelAnchor="start",
                                      labelFontWeight="bold", labelOrient="top")))
    chart = chart.resolve_scale(x="shared", y="shared")
    if title:
        chart = chart.properties(title=title)
    return chart
