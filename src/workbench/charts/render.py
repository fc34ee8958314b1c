"""Render charts offline: SVG, PNG, inline HTML, a browser-drawn report figure and the Vega
bundle those figures (and the live widgets of :mod:`workbench.charts.widget`) draw with.

Every function takes a Vega-Lite spec (a dict, as :func:`workbench.charts.spc_spec` builds) or
an Altair chart.  Everything here works without the internet.  The ``mimetype`` renderer is
never used: under Altair 6 its output fails nbformat validation and breaks papermill and Voila.
Altair is imported only by the functions that need it, so a report that draws its charts in the
browser never loads it.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from workbench.charts.errors import ChartError


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
    spec = _spec(chart)  # once: an Altair chart's to_dict costs as much as drawing it
    svg = to_svg(spec)
    svg = re.sub(r"^\s*<\?xml[^>]*>\s*", "", svg)
    svg = re.sub(r"<script\b.*?</script>", "", svg, flags=re.DOTALL | re.IGNORECASE)
    title = _title_text(spec)
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
