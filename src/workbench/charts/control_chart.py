"""One SPC chart in the NHS "Making Data Count" style, as a layered Vega-Lite spec.

Layers (each has a ``name`` so tests and callers can find it): ``two_sigma_upper``/``_lower``
(faint), ``upper_limit``/``lower_limit`` (dashed), ``centre``, ``target``, ``data_line``,
``points`` (colour *and* shape by point type), ``phase_rule`` and ``phase_label_<i>`` (the change),
then the variation and assurance badges (see :mod:`workbench.charts.badges`).  Lines are drawn
per phase as steps, so p and u limits that vary point by point read correctly.

:func:`spc_spec` builds the spec as plain dicts (a few milliseconds a chart); the workbench's
pages, reports and briefs use it.  :func:`spc_chart` wraps the same spec as an Altair chart for
anyone composing charts with Altair (the conversion costs about half a second).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from workbench.charts import _data, style
from workbench.charts._encode import axis_x, axis_y, title_block
from workbench.charts._vl import field, layer, mark
from workbench.charts.annotations import (
    LABEL_ROW,
    band_label,
    in_window,
    limit_label_layers,
    point_emphasis,
    test_band_layers,
)
from workbench.charts.badges import BADGE_COLUMN_WIDTH, summary_badges
from workbench.charts.errors import ChartError
from workbench.charts.words import POINT_WORDS, assurance_icon, variation_icon

#: (layer name, column, dash, colour, stroke width, opacity)
_LINES: tuple[tuple[str, str, list[float], str, float, float], ...] = (
    ("two_sigma_upper", "ucl_2s", [2, 3], style.TWO_SIGMA_LINE, 1.0, 0.9),
    ("two_sigma_lower", "lcl_2s", [2, 3], style.TWO_SIGMA_LINE, 1.0, 0.9),
    ("upper_limit", "ucl", [7, 4], style.LIMIT_LINE, 1.6, 1.0),
    ("lower_limit", "lcl", [7, 4], style.LIMIT_LINE, 1.6, 1.0),
    ("centre", "cl", [], style.CENTRE_LINE, 1.8, 1.0),
)


def _improvement(result: object, measure: object) -> object:
    """Which way is better: the result's own setting if it has one, else the measure's."""
    for source in (result, getattr(result, "options", None), measure):
        value = getattr(source, "improvement", None)
        if value is not None:
            return value
    return None


def _labels(change_label: str | Sequence[str] | None, count: int) -> list[str]:
    if change_label is None:
        return ["Change"] * count
    if isinstance(change_label, str):
        return [change_label] * count
    labels = [str(s) for s in change_label]
    if len(labels) != count:
        raise ChartError(
            f"change_label has {len(labels)} label(s) but the chart has {count} phase change(s); "
            "give one label per change, or a single string for all."
        )
    return labels


def _phase_layers(
    frame: pd.DataFrame, kind: _data.XKind, change_label: str | Sequence[str] | None, width: int,
    first_row: int = 0,
) -> list[dict[str, Any]]:
    """The change rules and their labels, in the band above the plot (never over the data)."""
    starts = _data.phase_starts(frame, kind)
    if starts.empty:
        return []
    starts["label"] = _labels(change_label, len(starts))
    xmin, xmax = frame["x"].min(), frame["x"].max()
    rule_x = axis_x(kind, "at", width)
    rows = _data.records(starts)
    layers = [layer("phase_rule", mark("rule", color=style.PHASE_RULE, strokeWidth=2),
                    {"x": rule_x, "tooltip": [field("label:N", title="Change")]}, values=rows)]
    # plain tuples: a named tuple class is compiled on every call (0.04 s each chart)
    for i, (at, label) in enumerate(zip(starts["at"], starts["label"], strict=True), start=1):
        late = kind != "ordinal" and xmax != xmin and (at - xmin) / (xmax - xmin) > 0.6
        layers.append(band_label(f"phase_label_{i}", str(label), rows[i - 1]["at"], kind,
                                 width, first_row + (i - 1) % 2,  # stagger neighbours
                                 align="right" if late else "left"))
    return layers


def _target_layers(target: float, y: Any, width: int, *,
                   label: bool = True) -> list[dict[str, Any]]:
    def rows() -> list[dict[str, Any]]:
        return [{"target": float(target), "label": "Target"}]

    line = layer("target", mark("rule", color=style.TARGET_LINE, strokeDash=[4, 3],
                                strokeWidth=1.5),
                 {"y": y("target"), "tooltip": [field("target:Q", title="Target")]},
                 values=rows())
    if not label:  # written with the limit labels, kept apart from them
        return [line]
    return [
        line,
        layer("target_label", mark("text", text="Target", align="left", baseline="middle", dx=4,
                                   color=style.TARGET_LINE, fontSize=12, fontWeight="bold",
                                   font=style.FONT),
              {"y": y("target"), "x": {"value": width}}, values=rows()),
    ]


def _point_layer(
    frame: pd.DataFrame, kind: _data.XKind, y: Any, y_format: str, width: int,
    emphasis: bool = False,
) -> dict[str, Any]:
    found = set(frame["point_type"].to_numpy())
    present = [t for t in style.POINT_TYPES if t == "common_cause" or t in found]
    domain = [POINT_WORDS[t] for t in present]

    def legend() -> dict[str, Any]:
        return {"title": None, "orient": "bottom", "direction": "horizontal", "labelFontSize": 12,
                "symbolSize": 110, "labelFont": style.FONT}

    small = 55 if len(frame) * 9 <= width else 30  # smaller markers when points crowd
    when_format: dict[str, Any] = {"format": "%a %-d %b %Y"} if kind == "temporal" else {}
    tooltip = [
        {"field": "x", "type": kind, "title": "When", **when_format},
        field("y:Q", title="Value", format=y_format),
        field("point_words:N", title="This point"),
        field("cl:Q", title="Centre", format=y_format),
        field("lcl:Q", title="Lower limit", format=y_format),
        field("ucl:Q", title="Upper limit", format=y_format),
    ]
    return layer("points", mark("point", filled=True, opacity=1, stroke="white",
                                strokeWidth=0.8), {
        "x": axis_x(kind, "x", width),
        "y": y("y"),
        "color": field("point_words:N", legend=legend(), scale={
            "domain": domain, "range": [style.POINT_COLOURS[t] for t in present]}),
        "shape": field("point_words:N", legend=legend(), scale={
            "domain": list(domain), "range": [style.POINT_SHAPES[t] for t in present]}),
        "size": {"condition": [{"test": "(datum.point_type === 'common_cause')",
                                "value": small}], "value": 2 * small + 10},
        "tooltip": tooltip,
        **(point_emphasis() if emphasis else {}),
    }, transform=[{"filter": "isValid(datum.y)"}])


def spc_spec(
    result: object,
    *,
    title: str | None = None,
    subtitle: str | Sequence[str] | None = None,
    measure: object = None,
    change_label: str | Sequence[str] | None = None,
    show_2s: bool = True,
    target: float | None = None,
    y_title: str | None = None,
    y_format: str | None = None,
    badges: bool = True,
    notes: bool = True,
    width: int = 640,
    height: int = 300,
    test_window: tuple[Any, Any, str] | None = None,
    label_limits: bool = False,
    caption: str | None = None,
    since: Any = None,
) -> dict[str, Any]:
    """One SPC result as a Making Data Count chart: a Vega-Lite layer spec (plain dicts).

    Parameters
    ----------
    result : object
        A ``workbench.spc.analyse`` result (``.points`` and ``.summary``), or a points DataFrame.
    title, subtitle : str, optional
        Chart title and subtitle; they override ``measure``.
    measure : object, optional
        Anything with ``.name`` and ``.definition`` (e.g. a catalogue ``Measure``) or a string
        used as the title.  ``.unit`` gives the y-axis title; ``.is_proportion`` shows percents.
    change_label : str or sequence of str, optional
        Words at each phase change (e.g. the cycle's change).  One string labels every change.
    show_2s : bool
        Draw the faint two-sigma lines.
    target : float, optional
        Draw a target line (the result's ``.target`` is used when present).
    y_title, y_format : str, optional
        Y-axis title and d3 number format (``".0%"`` for proportions).
    badges : bool
        Draw the variation and assurance badges right of the plot.
    notes : bool
        Add the engine's warnings (e.g. too few points since the change) under the subtitle.
    width, height : int
        Size of the plot area in pixels (badges and legend add to it).
    test_window : (start, end, label), optional
        The active test: a shaded band from *start* to *end* labelled above the plot; its
        points are drawn in full colour, the earlier ones faded.
    label_limits : bool
        Write the last phase's centre and limits at the right end of their lines.
    caption : str, optional
        The grain ("weekly totals, Mon\u2013Sun"), printed first under the title.
    since : date, optional
        Draw only the points from this x on (a readable span); centre, limits and icons still
        come from the whole analysis.

    Returns
    -------
    dict
        A layer spec with its data inline and no top-level ``config`` or ``$schema``, so it can
        be concatenated by the caller; render it with :mod:`workbench.charts.render`.

    Raises
    ------
    ChartError
        When the result has no points table, lacks ``x``/``y``, or holds several series.
    """
    points = _data.points_of(result)
    summary = _data.summary_of(result, points)
    if points.empty:
        raise ChartError("There are no points to chart yet; record some counts first.")
    frame = _data.plot_frame(points, POINT_WORDS)
    kind = _data.x_kind(frame["x"])
    if since is not None and kind == "temporal":
        frame = frame[frame["x"] >= pd.Timestamp(since)].reset_index(drop=True)
        if frame.empty:
            raise ChartError("There are no points to chart in the span asked for.")
    if test_window is not None:
        frame["in_test"] = in_window(frame, test_window[0], test_window[1]).to_numpy()
    if y_format is None:
        proportion = getattr(measure, "is_proportion", False) or str(
            getattr(result, "chart", "")) in ("p", "pp")
        y_format = ".0%" if proportion else ",.4~g"
    if y_title is None:
        unit = str(getattr(measure, "unit", "") or "")
        y_title = unit[:1].upper() + unit[1:]
    if target is None:
        target = getattr(result, "target", None)

    def y(name: str) -> dict[str, Any]:
        return axis_y(name, title=y_title, fmt=y_format)

    layers: list[dict[str, Any]] = []
    for name, col, dash, colour, stroke, opacity in _LINES:
        if name.startswith("two_sigma") and not show_2s:
            continue
        if frame[col].notna().any():
            layers.append(layer(name, mark("line", interpolate="step", strokeDash=list(dash),
                                           color=colour, strokeWidth=stroke, opacity=opacity),
                                {"x": axis_x(kind, "x", width), "y": y(col),
                                 "detail": field("phase:N")}))
    if target is not None and pd.notna(target):
        layers += _target_layers(float(target), y, width, label=not label_limits)
    layers.append(layer("data_line", mark("line", color=style.DATA_LINE, strokeWidth=1.6),
                        {"x": axis_x(kind, "x", width), "y": y("y")}))
    band_rows = 0
    if test_window is not None:
        layers[:0] = test_band_layers(frame, kind, test_window[0], test_window[1],
                                      test_window[2], width, height)
        band_rows = 1
    layers.append(_point_layer(frame, kind, y, y_format, width, emphasis=test_window is not None))
    phase = _phase_layers(frame, kind, change_label, width, first_row=band_rows)
    layers += phase
    if phase:
        band_rows += 1 if len(phase) <= 2 else 2
    if label_limits:
        layers += limit_label_layers(frame, y, y_format, width, height=height,
                                     target=None if target is None or pd.isna(target)
                                     else float(target))
    if badges:
        side = _data.signal_side(points, summary.get("variation"), _improvement(result, measure))
        variation = variation_icon(summary.get("variation"), side)
        assurance = assurance_icon(summary.get("assurance"))
        layers += summary_badges(
            variation, None if assurance.key == "none" else assurance, plot_width=width
        )
    warnings = summary.get("warnings") if notes else None
    heading = title_block(title, subtitle, measure, width + (BADGE_COLUMN_WIDTH if badges else 0),
                          notes=_data.warning_lines(warnings), caption=caption)
    heading["offset"] = int(heading["offset"]) + band_rows * LABEL_ROW
    return {"layer": layers, "data": {"values": _data.records(frame)}, "title": heading,
            "width": width, "height": height, "view": {"stroke": None}}


def spc_chart(result: object, **options: Any) -> Any:
    """The chart of :func:`spc_spec` as an Altair ``LayerChart`` (same arguments).

    For composing with Altair (``alt.hconcat``, ``.properties``) or displaying in a notebook.
    The conversion costs about half a second; the workbench's own pages use :func:`spc_spec`.
    """
    import altair as alt

    return alt.LayerChart.from_dict(spc_spec(result, **options), validate=False)
