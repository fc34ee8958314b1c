"""Small multiples: one small SPC chart per series of an ``analyse_many`` result."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from workbench.charts._data import points_of
from workbench.charts.control_chart import spc_spec
from workbench.charts.errors import ChartError


@dataclass(frozen=True)
class _Series:
    """One series cut out of a many-series result, shaped like an ``analyse`` result."""

    points: pd.DataFrame
    summary: dict[str, Any]
    chart: str = ""
    target: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


def split_series(result: object, by: list[str] | None = None) -> list[tuple[tuple[Any, ...], Any]]:
    """Cut an ``analyse_many`` result into ``(key, single-series result)`` pairs, in order.

    Parameters
    ----------
    result : object
        An ``analyse_many`` result (``.points`` with the ``by`` columns, ``.summary`` DataFrame).
    by : list of str, optional
        Key columns; defaults to the result's ``.by``.
    """
    points = points_of(result)
    keys = list(by or getattr(result, "by", None) or [])
    missing = [k for k in keys if k not in points.columns]
    if not keys or missing:
        raise ChartError(
            "small_multiples needs the series key columns (by=...) present in the points; "
            f"missing: {', '.join(missing) or 'no key columns given'}."
        )
    summary = getattr(result, "summary", None)
    rows: dict[tuple[Any, ...], dict[str, Any]] = {}
    if isinstance(summary, pd.DataFrame) and set(keys) <= set(summary.columns):
        for rec in summary.to_dict("records"):
            rows[tuple(rec[k] for k in keys)] = rec
    out = []
    for key, group in points.groupby(keys, sort=False, observed=True):
        key_t = key if isinstance(key, tuple) else (key,)
        rec = rows.get(key_t, {"variation": None, "assurance": None, "warnings": []})
        out.append((key_t, _Series(group.drop(columns=keys).reset_index(drop=True), dict(rec),
                                   chart=str(getattr(result, "chart", "")))))
    return out


def small_multiples(
    result: object,
    *,
    by: list[str] | None = None,
    columns: int = 2,
    titles: Mapping[Any, str] | Callable[[tuple[Any, ...]], str] | None = None,
    measures: Mapping[Any, object] | None = None,
    width: int = 320,
    height: int = 170,
    **chart_options: Any,
) -> dict[str, Any]:
    """One small SPC chart per series, laid out in a grid (a Vega-Lite spec, plain dicts).

    Parameters
    ----------
    result : object
        An ``analyse_many`` result.
    by : list of str, optional
        Key columns; defaults to the result's ``.by``.
    columns : int
        Charts per row.
    titles : mapping or callable, optional
        Title per series key (the tuple of key values, or its last value); defaults to the key
        values joined by " -- ".
    measures : mapping, optional
        Measure object per key's last value (e.g. measure id -> ``Measure``), giving units and
        percent formats; its name is not used as the title unless ``titles`` says so.
    width, height : int
        Plot size of each chart.
    **chart_options
        Passed to :func:`workbench.charts.spc_spec` (e.g. ``show_2s=False``).
    """
    charts = []
    for key, series in split_series(result, by):
        if callable(titles):
            title = titles(key)
        elif titles is not None:
            title = titles.get(key, titles.get(key[-1], " \u2014 ".join(map(str, key))))
        else:
            title = " \u2014 ".join(map(str, key))
        measure = (measures or {}).get(key[-1])
        charts.append(spc_spec(series, title=str(title), subtitle=[], measure=measure,
                               width=width, height=height, **chart_options))
    if not charts:
        raise ChartError("There are no series to draw.")
    return grid(charts, columns=columns)


def grid(specs: list[dict[str, Any]], *, columns: int = 2, **top: Any) -> dict[str, Any]:
    """Lay SPC chart specs out in a grid, each keeping its own point colours and shapes.

    Layer names get the chart's position as a suffix (``points_0``, ``points_1``), as
    Vega-Lite wants view names unique within one spec.

    Parameters
    ----------
    specs : list of dict
        Layer specs from :func:`workbench.charts.spc_spec`.
    columns : int
        Charts per row.
    **top
        Further top-level properties (e.g. ``config``).
    """
    if columns < 1:
        raise ChartError(f"columns must be at least 1, got {columns}.")
    cells = []
    for i, spec in enumerate(specs):
        layers = [{**layer, "name": f"{layer['name']}_{i}"} if "name" in layer else layer
                  for layer in spec.get("layer", [])]
        cells.append({**spec, "layer": layers} if "layer" in spec else spec)
    return {"concat": cells, "columns": columns,
            "resolve": {"scale": {"color": "independent", "shape": "independent"}}, **top}
