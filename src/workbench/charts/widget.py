"""Live chart widgets: an offline Jupyter widget that shows a chart and can be redrawn.

Two kinds, one interface (:func:`offline_widget`, :func:`update_widget`):

* **Served by the workbench** (``workbench serve``; the server sets :data:`BUNDLE_ENV` for its
  kernels): a :class:`VegaView`, a small ``anywidget`` widget whose
  browser side loads the Vega bundle from the workbench server at :func:`bundle_route`.  The
  browser fetches that file once and keeps it (its address names the versions inside it), so a
  page carries only its charts' specs.
* **Anywhere else** (JupyterLab, a plain ``voila`` command): Altair's own ``JupyterChart`` in
  offline mode, which carries the whole Vega bundle (about 0.9 MB of JavaScript) in every
  widget.  Switching it on costs about 1.4 s once per process (:func:`enable_offline`).

Neither fetches anything from the internet.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from workbench.charts.errors import ChartError

BUNDLE_ENV = "WORKBENCH_VEGA_BUNDLE"
"""Environment variable the workbench server sets for its kernels: the Vega bundle's address,
relative to the server's base URL (see :func:`bundle_route`).  Unset, widgets are Altair's."""

ROUTE = "workbench/vega/"
"""Where the workbench server serves the Vega bundle, relative to its base URL."""

EMBED_OPTIONS: dict[str, Any] = {"actions": False}
"""Vega-Embed options every live chart starts with: no "..." menu.  Its "Open in Vega Editor"
goes to the internet (nothing there on a ward PC), "View Compiled Vega" is jargon, and the
board and the reports show none; a chart to keep goes in a report or the one-page brief."""

_offline_lock = threading.Lock()
_offline_enabled = False

def view_script() -> str:
    """The browser side of :class:`VegaView` (``vega_view.js`` beside this module, an ES module
    as anywidget wants): it loads the bundle once per page as a classic script
    (:func:`bundle_script`), draws the spec with Vega-Embed, again whenever the spec changes,
    keeps each compiled chart by the key of its shape (:mod:`workbench.charts.keyed`), and says
    in words when a chart cannot be drawn."""
    from importlib.resources import files

    return files("workbench.charts").joinpath("vega_view.js").read_text("utf-8")


def bundle_route() -> str:
    """The Vega bundle's address relative to the server's base URL, named by the versions of
    vl-convert and Vega-Lite inside it and its form, a classic script (a new install gets a new
    address, so a browser never keeps an old bundle)."""
    from importlib.metadata import version

    from workbench.charts.render import vl_version

    return f"{ROUTE}vega-{version('vl-convert-python')}-vl{vl_version()}-script.js"


def bundle_script(bundle: str) -> str:
    """The Vega bundle (:func:`workbench.charts.render.vega_bundle`) as the server sends it: a
    classic script whose code runs inside one function, so its thousands of short top-level
    names stay out of the page's global scope; it still sets ``window.vegaEmbed``.

    A classic script and not a module because a browser keeps the compiled code of a classic
    script it has run before (its code cache) and reuses it on the next page; for a module it
    compiled the bundle afresh on every page (Chromium 156; docs/serving.md).  The first line
    is V8's compile hint ``//# allFunctionsCalledOnLoad``: compile every function at once, so
    the code cache holds Vega's drawing code too, not only what runs as the script loads.
    """
    return f"//# allFunctionsCalledOnLoad\n(function () {{\n{bundle}\n}})();\n"


def served_bundle() -> str:
    """The bundle address the server gave this kernel (:data:`BUNDLE_ENV`), or ``""``."""
    return os.environ.get(BUNDLE_ENV, "")


_VegaView: Any = None
"""The :class:`VegaView` class once :func:`_view_class` has defined it."""


def _view_class() -> Any:
    """:class:`VegaView`, defined on first use so importing this module loads no widgets."""
    global _VegaView
    if _VegaView is None:
        import anywidget
        import traitlets

        class VegaView(anywidget.AnyWidget):  # type: ignore[misc]
            """A chart drawn in the browser with the Vega bundle the workbench server serves.

            Attributes
            ----------
            spec : dict or None
                The Vega-Lite spec shown (None: nothing).
            embed_options : dict
                Vega-Embed options (for example ``{"renderer": "svg", "actions": False}``).
            bundle : str
                The bundle's address relative to the server's base URL.
            """

            _esm = view_script()
            spec = traitlets.Dict(allow_none=True, default_value=None).tag(sync=True)
            embed_options = traitlets.Dict().tag(sync=True)
            bundle = traitlets.Unicode("").tag(sync=True)

        _VegaView = VegaView
    return _VegaView


def enable_offline() -> None:
    """Get the chart widgets ready once per process (later calls return at once).

    Served by the workbench, that is importing Altair and the widget library (about 0.4 s);
    elsewhere it also switches on Altair's offline mode (about 1.4 s more: vl-convert builds
    the Vega bundle).
    """
    global _offline_enabled
    if _offline_enabled:
        return
    with _offline_lock:
        if _offline_enabled:
            return
        import altair as alt  # the pages' charts are Altair's or carry its schema

        if served_bundle():
            _view_class()
        else:
            alt.JupyterChart.enable_offline()
        _offline_enabled = True


def offline_widget(chart: Any) -> Any:
    """A live, offline Jupyter widget showing the chart; update it with :func:`update_widget`.

    Parameters
    ----------
    chart : dict, alt.TopLevelMixin or None
        A Vega-Lite spec, an Altair chart, or None for an empty widget to fill later.

    Returns
    -------
    VegaView or alt.JupyterChart
        A :class:`VegaView` when the workbench server serves the bundle, else Altair's widget.
        Both have ``spec`` and ``embed_options`` (starting as :data:`EMBED_OPTIONS`).
    """
    enable_offline()
    options = dict(EMBED_OPTIONS)  # the widget's own copy
    bundle = served_bundle()
    if bundle:
        return _view_class()(spec=_spec_of(chart), bundle=bundle, embed_options=options)
    import altair as alt

    if chart is None or isinstance(chart, dict):
        widget = alt.JupyterChart(None, embed_options=options)  # type: ignore[arg-type]
        widget.spec = _top_level(chart)  # type: ignore[assignment]  # the spec is sent as it is
        return widget
    return alt.JupyterChart(chart, embed_options=options)


def _spec_of(chart: Any) -> dict[str, Any] | None:
    """The spec to send: None, or the chart's spec (:func:`workbench.charts.render._spec`,
    not re-validated) with its ``$schema``, its rows set apart and the key of its shape
    (:func:`workbench.charts.keyed.keyed`, salted with the served bundle's address, which names
    its versions)."""
    from workbench.charts.keyed import keyed
    from workbench.charts.render import _spec

    if chart is None:
        return None
    spec = _top_level(_spec(chart))
    return keyed(spec, served_bundle()) if spec is not None else None


def _top_level(spec: dict[str, Any] | None) -> dict[str, Any] | None:
    """A plain spec as the browser side wants it: ``$schema`` says it is Vega-Lite (Vega-Embed
    guesses from it, and takes a spec without it for plain Vega)."""
    if spec is None or "$schema" in spec:
        return spec
    from altair import SCHEMA_URL

    return {"$schema": SCHEMA_URL, **spec}


def update_widget(widget: Any, chart: Any) -> Any:
    """Show a new chart in an existing widget (no new widget, no flicker).

    *chart* is a Vega-Lite spec (sent as it is) or an Altair chart.  Returns the same widget.

    Raises
    ------
    ChartError
        *widget* did not come from :func:`offline_widget`.
    """
    if _VegaView is not None and isinstance(widget, _VegaView):
        widget.spec = _spec_of(chart)
        return widget
    import altair as alt

    if not isinstance(widget, alt.JupyterChart):
        raise ChartError(f"Expected a widget from offline_widget(), got {type(widget).__name__}.")
    if isinstance(chart, dict):
        if widget.chart is not None:
            widget.chart = None
        widget.spec = _top_level(chart)  # type: ignore[assignment]
    else:
        widget.chart = chart
    return widget
