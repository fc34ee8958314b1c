"""Charts: SPC charts, icon tables and small multiples in the NHS Making Data Count style.

Every chart is a Vega-Lite spec (the SPC chart is built as plain dicts by :func:`spc_spec`, the
tables with Altair); :mod:`workbench.charts.render` turns specs into SVG, PNG, inline HTML or a
browser-drawn report figure, and :mod:`workbench.charts.widget` into a live offline Jupyter widget,
without touching the network.  Names are loaded on first use,
so ``import workbench.charts`` costs nothing until a chart is drawn.

Public names: :func:`spc_spec`, :func:`spc_chart`, :func:`icon_table`, :func:`icon_frame`,
:func:`small_multiples`, :func:`to_svg`, :func:`to_png`, :func:`static_html`, :func:`report_html`,
:func:`offline_widget`, :func:`update_widget`, :class:`ChartError`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_WHERE = {
    "spc_chart": "workbench.charts.control_chart",
    "spc_spec": "workbench.charts.control_chart",
    "icon_table": "workbench.charts.table",
    "icon_frame": "workbench.charts.table",
    "small_multiples": "workbench.charts.multiples",
    "to_svg": "workbench.charts.render",
    "to_png": "workbench.charts.render",
    "static_html": "workbench.charts.render",
    "report_html": "workbench.charts.render",
    "offline_widget": "workbench.charts.widget",
    "update_widget": "workbench.charts.widget",
    "enable_offline": "workbench.charts.widget",
    "ChartError": "workbench.charts.errors",
}

__all__ = [
    "ChartError",
    "enable_offline",
    "icon_frame",
    "icon_table",
    "offline_widget",
    "small_multiples",
    "spc_chart",
    "spc_spec",
    "report_html",
    "static_html",
    "to_png",
    "to_svg",
    "update_widget",
]

if TYPE_CHECKING:
    from workbench.charts.control_chart import spc_chart, spc_spec
    from workbench.charts.errors import ChartError
    from workbench.charts.multiples import small_multiples
    from workbench.charts.render import report_html, static_html, to_png, to_svg
    from workbench.charts.table import icon_frame, icon_table
    from workbench.charts.widget import enable_offline, offline_widget, update_widget


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'workbench.charts' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
