"""Render charts offline: SVG, PNG, inline HTML, a browser-drawn report figure and a live
Jupyter widget.

Every function takes a Vega-Lite spec (a dict, as :func:`workbench.charts.spc_spec` builds) or
an Altair chart.  Everything here works without the internet.  The widget uses Altair's offline
mode (the Vega bundle is served from ``vl-convert``), enabled lazily once per process because it
costs about 1.4 s.  The ``mimetype`` renderer is never used: under Altair 6 its output fails
nbformat validation and breaks papermill and Voila.  Altair is imported only by the functions
that need it, so a report that draws its charts in the browser never loads it.
"""

from __future__ import annotations

import html
import json
import re
import threading
from typing import Any

from workbench.charts.errors import ChartError

_offline_lock = threading.Lock()
_offline_enabled = False


def _spec(chart: Any) -> dict[str, Any]:
    """The Vega-Lite spec of a chart (a dict is taken as it is), without re-validating it.

    Validation costs about a quarter of each conversion; the specs come from this package's
    own builders, whose tests validate them (``chart.to_dict()`` validates by default).
    """
    if isinstance(chart, dict):
        return chart
    to_dict = getattr(chart, "to_dict", None)
    if to_dict is None:
        raise ChartError(f"Expected a Vega-Lite spec or an Altair chart, got "
                         f"{type(chart).__name__}.")
    spec: dict[str, Any] = to_dict(validate=False)
    return spec


def vl_version() -> str:
    """Vega-Lite version of the installed Altair, as vl-convert wants it (``"6.4"``)."""
    from altair import SCHEMA_VERSION

    major, minor = SCHEMA_VERSION.lstrip("v").split(".")[:2]
    return f"{major}.{minor}"


def to_svg(chart: Any) -> str:
    """The chart as an SVG document (text).

    Parameters
    ----------
    chart : dict or alt.TopLevelMixin
        A Vega-Lite spec or an Altair chart.
    """
    import vl_convert as vlc

    svg: str = vlc.vegalite_to_svg(_spec(chart), vl_version=vl_version())
    return svg


def to_png(chart: Any, scale: float = 2.0, ppi: float | None = None) -> bytes:
    """The chart as PNG bytes.

    Parameters
    ----------
    chart : dict or alt.TopLevelMixin
        A Vega-Lite spec or an Altair chart.
    scale : float
        Pixel multiplier (2 gives a sharp image on screens and in print).
    ppi : float, optional
        Pixels per inch written into the file.
    """
    import vl_convert as vlc

    if scale <= 0:
        raise ChartError(f"scale must be positive, got {scale}.")
    png: bytes = vlc.vegalite_to_png(_spec(chart), vl_version=vl_version(), scale=scale, ppi=ppi)
    return png


def static_html(chart: Any, *, css_class: str = "workbench-chart", caption: str | None = None) -> str:
    """The chart as inline SVG wrapped in a ``<figure>`` for an HTML report.

    No scripts, no links to anything: the page stays readable offline and in e-mail.

    Parameters
    ----------
    chart : dict or alt.TopLevelMixin
        A Vega-Lite spec or an Altair chart.
    css_class : str
        Class of the ``<figure>``.
    caption : str, optional
        Text for a ``<figcaption>`` (escaped).
    """
    svg = to_svg(chart)
    svg = re.sub(r"^\s*<\?xml[^>]*>\s*", "", svg)
    svg = re.sub(r"<script\b.*?</script>", "", svg, flags=re.DOTALL | re.IGNORECASE)
    title = _title_text(chart)
    if title:
        svg = svg.replace("<svg ", f'<svg role="img" aria-label="{html.escape(title)}" ', 1)
    figcaption = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return f'<figure class="{html.escape(css_class)}">{svg}{figcaption}</figure>'


REPORT_CLASS = "wb-vega-spec"
"""Class of the ``<script type="application/json">`` holding a report figure's spec."""


def vega_bundle() -> str:
    """The Vega, Vega-Lite and Vega-Embed JavaScript (about 0.9 MB) for the installed Altair's
    Vega-Lite version, from ``vl-convert`` (nothing is fetched); it defines ``vegaEmbed``.

    Building it costs about 1.4 s: callers keep it in a file.
    """
    import vl_convert as vlc

    snippet = "window.vegaEmbed = vegaEmbed; window.vega = vega; window.vegaLite = vegaLite;"
    bundle: str = vlc.javascript_bundle(snippet, vl_version=vl_version())
    return bundle


def report_html(chart: Any, *, css_class: str = "workbench-chart",
                caption: str | None = None) -> str:
    """The chart as a figure the browser draws: its spec as JSON, no SVG made here.

    Drawing the SVG in the kernel costs about 0.2 s a chart; this costs the JSON encoding.
    The page that shows it must load the Vega bundle and :data:`DRAW_SCRIPT` (the batch
    reports do); without them the figure shows its title and caption and says so.

    Parameters
    ----------
    chart : dict or alt.TopLevelMixin
        A Vega-Lite spec or an Altair chart.
    css_class : str
        Class of the ``<figure>``.
    caption : str, optional
        Text for a ``<figcaption>`` (escaped).
    """
    spec = _spec(chart)
    title = _title_text(spec)
    data = json.dumps(spec, separators=(",", ":"), allow_nan=False)
    # no "<" at all inside the <script> element: nothing in the data can end or confuse it
    data = data.replace("<", "\\u003c")
    label = f' role="img" aria-label="{html.escape(title)}"' if title else ""
    figcaption = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return (f'<figure class="{html.escape(css_class)} wb-vega">'
            f'<div class="wb-vega-view"{label}><p class="wb-vega-missing">Chart: '
            f'{html.escape(title or "SPC chart")} (it is drawn when the page opens in a web '
            f'browser with the report\'s vega.js beside it).</p></div>'
            f'<script type="application/json" class="{REPORT_CLASS}">{data}</script>'
            f"{figcaption}</figure>")


DRAW_SCRIPT = """
(function () {
  var specs = document.querySelectorAll("script.REPORT_CLASS");
  if (!window.vegaEmbed) { return; }
  specs.forEach(function (node) {
    var view = node.parentNode.querySelector(".wb-vega-view");
    window.vegaEmbed(view, JSON.parse(node.textContent),
                     {mode: "vega-lite", renderer: "svg", actions: false})
      .catch(function (err) { view.textContent = "This chart could not be drawn: " + err; });
  });
})();
""".replace("REPORT_CLASS", REPORT_CLASS)
"""Draws every :func:`report_html` figure of a page once ``vegaEmbed`` is loaded."""


def _title_text(chart: Any) -> str:
    title = _spec(chart).get("title")
    if isinstance(title, dict):
        title = title.get("text")
    if isinstance(title, list):
        title = " ".join(map(str, title))
    return str(title) if title else ""


def enable_offline() -> None:
    """Turn on Altair's offline widget mode once per process (later calls return at once)."""
    global _offline_enabled
    if _offline_enabled:
        return
    with _offline_lock:
        if not _offline_enabled:
            import altair as alt

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
    alt.JupyterChart
    """
    import altair as alt

    enable_offline()
    if chart is None or isinstance(chart, dict):
        widget = alt.JupyterChart(None)  # type: ignore[arg-type]  # the spec is sent as it is
        widget.spec = _top_level(chart)  # type: ignore[assignment]
        return widget
    return alt.JupyterChart(chart)


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
    """
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
