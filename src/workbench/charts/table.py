"""The summary across series: a ward x measure grid of variation and assurance badges.

:func:`icon_frame` gives the grid as a plain DataFrame (icon keys, letters, colours and words),
ready for an HTML table; :func:`icon_table` draws the same as an Altair chart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import altair as alt
import pandas as pd

from workbench.charts import _data, style
from workbench.charts.badges import wrap
from workbench.charts.errors import ChartError
from workbench.charts.words import assurance_icon, variation_icon

ICON_COLUMNS = (
    "variation", "variation_icon", "variation_letter", "variation_colour", "variation_label",
    "variation_plain", "assurance", "assurance_icon", "assurance_letter", "assurance_colour",
    "assurance_label", "assurance_plain", "warnings",
)


def _summary_frame(result: object, keys: list[str]) -> tuple[pd.DataFrame, list[str]]:
    """The per-series summary table and its key columns."""
    summary = result if isinstance(result, pd.DataFrame | Mapping) else getattr(
        result, "summary", None)
    if isinstance(summary, Mapping):
        summary = pd.DataFrame([dict(summary)])
    if not isinstance(summary, pd.DataFrame) or "variation" not in summary.columns:
        raise ChartError(
            "Expected an SPC summary: the result of workbench.spc.analyse or analyse_many, its "
            "summary, or a DataFrame with a 'variation' column."
        )
    by = [str(c) for c in getattr(result, "by", ()) or ()]
    by = [c for c in by if c in summary.columns] or [c for c in keys if c in summary.columns]
    return summary.reset_index(drop=True), list(dict.fromkeys(by))


def _sides(result: object, summary: pd.DataFrame, by: list[str], improvement: Any) -> list[Any]:
    """H/L side of each series' variation, from the result's points when it has them."""
    points = getattr(result, "points", None)
    column = by[-1] if by else None

    def better(row: pd.Series) -> Any:
        if isinstance(improvement, Mapping):
            return improvement.get(row[column]) if column is not None else None
        return improvement

    if not isinstance(points, pd.DataFrame) or not set(by) <= set(points.columns):
        return [_data.signal_side(pd.DataFrame(columns=["y"]), r["variation"], better(r))
                for _, r in summary.iterrows()]
    if not by:
        return [_data.signal_side(points, summary["variation"].iloc[0], better(summary.iloc[0]))]
    groups = {k if isinstance(k, tuple) else (k,): g
              for k, g in points.groupby(by, sort=False, observed=True)}
    sides = []
    for _, r in summary.iterrows():
        g = groups.get(tuple(r[c] for c in by), pd.DataFrame(columns=["y"]))
        sides.append(_data.signal_side(g, r["variation"], better(r)))
    return sides


def icon_frame(
    result: object,
    *,
    row: str = "ward",
    column: str = "measure",
    improvement: str | Mapping[Any, str] | None = None,
) -> pd.DataFrame:
    """Variation and assurance per series, as icons and words, in a plain DataFrame.

    Parameters
    ----------
    result : object
        An ``analyse_many`` result (``.summary`` DataFrame, ``.points``, ``.by``), its summary
        DataFrame, an ``analyse`` result, or a summary dict.
    row, column : str
        Key columns kept first (with any other ``by`` columns of the result).
    improvement : str or mapping, optional
        Which way is better (``"increase"``/``"decrease"``), or a mapping from the ``column``
        value (e.g. measure id) to it; picks ``H``/``L`` when the result does not say.

    Returns
    -------
    DataFrame
        The key columns then ``variation`` (the point type), ``variation_icon``,
        ``variation_letter``, ``variation_colour``, ``variation_label`` ("Improvement -- high"),
        ``variation_plain`` ("Getting better -- unusual high"), the same six for
        ``assurance`` ("Consistently passes target", "Will hit the target"), and ``warnings``
        (one string, "; "-separated).
    """
    summary, by = _summary_frame(result, [row, column])
    sides = _sides(result, summary, by, improvement)
    rows = []
    for (_, r), side in zip(summary.iterrows(), sides, strict=True):
        v = variation_icon(r["variation"], side)
        a = assurance_icon(r.get("assurance"))
        warns = r.get("warnings")
        if isinstance(warns, list | tuple):
            warns = "; ".join(map(str, warns))
        rows.append({
            **{c: r[c] for c in by},
            "variation": None if pd.isna(r["variation"]) else str(r["variation"]),
            "variation_icon": v.key, "variation_letter": v.letter,
            "variation_colour": v.colour, "variation_label": v.label, "variation_plain": v.plain,
            "assurance": None if a.key == "none" else a.key, "assurance_icon": a.key,
            "assurance_letter": a.letter, "assurance_colour": a.colour,
            "assurance_label": a.label, "assurance_plain": a.plain,
            "warnings": "" if warns is None or (isinstance(warns, float) and pd.isna(warns))
            else str(warns),
        })
    return pd.DataFrame(rows, columns=[*by, *ICON_COLUMNS])


def _long(frame: pd.DataFrame, row: str, column: str, names: Mapping[str, Mapping[Any, str]]
          ) -> list[dict[str, Any]]:
    out = []
    for _, r in frame.iterrows():
        rv, cv = r.get(row, ""), r.get(column, "")
        rlab = str(names["row"].get(rv, rv))
        clab = "\n".join(wrap(str(names["column"].get(cv, cv)), 22))
        for kind in ("variation", "assurance"):
            out.append({
                "row": rlab, "column": clab, "kind": kind, "key": r[f"{kind}_icon"],
                "letter": r[f"{kind}_letter"], "colour": r[f"{kind}_colour"],
                "label": r[f"{kind}_label"], "plain": r[f"{kind}_plain"],
                "words": "\n".join(wrap(r[f"{kind}_plain"], 15)), "warnings": r["warnings"],
            })
    return out


def icon_table(
    result: object,
    *,
    row: str = "ward",
    column: str = "measure",
    improvement: str | Mapping[Any, str] | None = None,
    row_names: Mapping[Any, str] | None = None,
    column_names: Mapping[Any, str] | None = None,
    title: str | None = "How each ward is doing",
    cell_width: int = 190,
    cell_height: int = 110,
) -> alt.LayerChart:
    """A grid of badges: one row per ``row`` value, one column per ``column`` value.

    Each cell shows the variation badge (left) and the assurance badge (right), each with its
    plain words underneath; tooltips give the Making Data Count terms and any warnings.

    Parameters
    ----------
    result : object
        As for :func:`icon_frame`.
    row, column : str
        Key columns for the grid's rows and columns (e.g. ``"ward"`` and ``"measure"``).
    improvement : str or mapping, optional
        As for :func:`icon_frame`.
    row_names, column_names : mapping, optional
        Display names for key values (e.g. measure id -> measure name).
    title : str, optional
        Chart title.
    cell_width, cell_height : int
        Size of one cell in pixels.

    Raises
    ------
    ChartError
        When ``row`` or ``column`` is not a key of a multi-series result.
    """
    frame = icon_frame(result, row=row, column=column, improvement=improvement)
    if len(frame) > 1:
        missing = [c for c in (row, column) if c not in frame.columns]
        if missing:
            raise ChartError(
                f"The summary has no {', '.join(missing)} column(s) to lay out the grid; its key "
                f"columns are: {', '.join(c for c in frame.columns if c not in ICON_COLUMNS)}."
            )
    names = {"row": dict(row_names or {}), "column": dict(column_names or {})}
    data = alt.Data(values=_long(frame, row, column, names))
    x = alt.X("column:N", sort=None, title=None, axis=alt.Axis(
        orient="top", labelAngle=0, labelExpr="split(datum.label, '\\n')", labelFontSize=12,
        labelFont=style.FONT, labelColor=style.TEXT, domain=False, ticks=False, labelPadding=8,
        labelLimit=cell_width))
    y = alt.Y("row:N", sort=None, title=None, axis=alt.Axis(
        labelFontSize=13, labelFontWeight="bold", labelFont=style.FONT, labelColor=style.TEXT,
        domain=False, ticks=False, labelPadding=10))
    at = {"x": x, "y": y}
    tip = [alt.Tooltip("row:N", title=row.capitalize()),
           alt.Tooltip("column:N", title=column.capitalize()),
           alt.Tooltip("label:N", title="Reading"), alt.Tooltip("plain:N", title="Means"),
           alt.Tooltip("warnings:N", title="Warnings")]
    layers: list[alt.Chart] = []
    for kind, dx in (("variation", -cell_width / 4), ("assurance", cell_width / 4)):
        mine = f"datum.kind == '{kind}'"
        layers += [
            alt.Chart(name=f"{kind}_badge")
            .mark_point(shape="circle", filled=True, fill="white", strokeWidth=3, size=800,
                        opacity=1, xOffset=dx, yOffset=-16)
            .encode(**at, stroke=alt.Stroke("colour:N", scale=None), tooltip=tip)
            .transform_filter(f"{mine} && datum.key != 'none'"),
            alt.Chart(name=f"{kind}_letter")
            .mark_text(fontSize=16, fontWeight="bold", font=style.FONT, baseline="middle",
                       xOffset=dx, yOffset=-15)
            .encode(**at, text="letter:N", color=alt.Color("colour:N", scale=None), tooltip=tip)
            .transform_filter(f"{mine} && datum.letter != ''"),
            alt.Chart(name=f"{kind}_line")
            .mark_tick(orient="horizontal", size=16, thickness=3, opacity=1, xOffset=dx,
                       yOffset=-16)
            .encode(**at, color=alt.Color("colour:N", scale=None))
            .transform_filter(f"{mine} && datum.key == 'common_cause'"),
            alt.Chart(name=f"{kind}_words")
            .mark_text(fontSize=11, font=style.FONT, baseline="top", lineBreak="\n",
                       lineHeight=13, xOffset=dx, yOffset=8, color=style.TEXT)
            .encode(**at, text="words:N", tooltip=tip)
            .transform_filter(mine),
        ]
    return alt.LayerChart(
        layer=layers, data=data, title=alt.Title(title or "", anchor="start", font=style.FONT,
                                                 fontSize=18, color=style.TEXT),
        width=alt.Step(cell_width), height=alt.Step(cell_height),
        view=alt.ViewBackground(stroke=None),
    )
