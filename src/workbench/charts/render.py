"""Render charts offline: SVG, PNG, inline HTML and a live Jupyter widget.

Everything here works without the internet.  The widget uses Altair's offline mode (the Vega
bundle is served from ``vl-convert``), enabled lazily once per process because it costs about
1.4 s.  The ``mimetype`` renderer is never used: under Altair 6 its output fails nbformat
validation and breaks papermill and Voila.
"""

from __future__ import annotations

import html
import re
import threading
from typing import Any

import altair as alt

from workbench.charts.errors import ChartError

_offline_lock = threading.Lock()
_offline_enabled = False


def _spec(chart: Any) -> dict[str, Any]:
    """The chart's Vega-Lite spec, without re-validating it against the schema.

    Validation costs about a quarter of each conversion; the specs come from this package's
    own builders, whose tests validate them (``chart.to_dict()`` validates by default).
    """
    to_dict = getattr(chart, "to_dict", None)
    if to_dict is None:
        raise ChartError(f"Expected an Altair chart, got {type(chart).__name__}.")
    spec: dict[str, Any] = to_dict(validate=False)
    return spec


def _vl_version() -> str:
    """Vega-Lite version of the installed Altair, as vl-convert wants it (``"6.4"``)."""
    major, minor = alt.SCHEMA_VERSION.lstrip("v").split(".")[:2]
    return f"{major}.{minor}"


def to_svg(chart: Any) -> str:
    """The chart as an SVG document (text).

    Parameters
    ----------
    chart : alt.TopLevelMixin
        Any Altair chart.
    """
    import vl_convert as vlc

    svg: str = vlc.vegalite_to_svg(_spec(chart), vl_version=_vl_version())
    return svg


def to_png(chart: Any, scale: float = 2.0, ppi: float | None = None) -> bytes:
    """The chart as PNG bytes.

    Parameters
    ----------
    chart : alt.TopLevelMixin
        Any Altair chart.
    scale : float
        Pixel multiplier (2 gives a sharp image on screens and in print).
    ppi : float, optional
        Pixels per inch written into the file.
    """
    import vl_convert as vlc

    if scale <= 0:
        raise ChartError(f"scale must be positive, got {scale}.")
    png: bytes = vlc.vegalite_to_png(_spec(chart), vl_version=_vl_version(), scale=scale, ppi=ppi)
    return png


def static_html(chart: Any, *, css_class: str = "workbench-chart", caption: str | None = None) -> str:
    """The chart as inline SVG wrapped in a ``<figure>`` for an HTML report.

    No scripts, no links to anything: the page stays readable offline and in e-mail.

    Parameters
    ----------
    chart : alt.TopLevelMixin
        Any Altair chart.
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
            alt.JupyterChart.enable_offline()
            _offline_enabled = True


def offline_widget(chart: Any) -> alt.JupyterChart:
    """A live, offline Jupyter widget showing the chart; update it with :func:`update_widget`.

    Parameters
    ----------
    chart : alt.TopLevelMixin
        Any Altair chart.
    """
    enable_offline()
    return alt.JupyterChart(chart)


def update_widget(widget: alt.JupyterChart, chart: Any) -> alt.JupyterChart:
    """Show a new chart in an existing widget (about 0.05 s; no new widget, no flicker).

    Returns the same widget.
    """
    if not isinstance(widget, alt.JupyterChart):
        raise ChartError(f"Expected a widget from offline_widget(), got {type(widget).__name__}.")
    widget.chart = chart
    return widget
