"""Rendering works offline: real SVG and PNG, inline HTML without scripts, no CDN anywhere."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import altair as alt
import pytest

from workbench.charts import (
    ChartError,
    icon_table,
    offline_widget,
    report_html,
    spc_chart,
    spc_spec,
    static_html,
    to_png,
    to_svg,
    update_widget,
)
from workbench.charts.render import DRAW_SCRIPT, REPORT_CLASS, vega_bundle

CHARTS_SRC = Path(__file__).resolve().parents[2] / "src" / "workbench" / "charts"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _urls(value: Any, path: str = "") -> list[str]:
    """Every string in a spec that looks like a URL, except the ``$schema`` identifier."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key != "$schema":
                found += _urls(item, f"{path}.{key}")
    elif isinstance(value, list):
        for item in value:
            found += _urls(item, path)
    elif isinstance(value, str) and re.search(r"https?:|cdn|//", value, re.IGNORECASE):
        found.append(f"{path}: {value}")
    return found


def test_svg_is_real_and_carries_the_title(chart: alt.LayerChart) -> None:
    svg = to_svg(chart)
    assert svg.lstrip().startswith("<svg")
    assert "</svg>" in svg
    assert "Falls risk assessed within 6 hours" in svg
    assert "Checklist at handover" in svg
    assert "cdn" not in svg.lower()


def test_png_is_real(chart: alt.LayerChart) -> None:
    png = to_png(chart, scale=1)
    assert png[:8] == PNG_MAGIC
    assert len(png) > 5000
    with pytest.raises(ChartError, match="scale"):
        to_png(chart, scale=0)


def test_static_html_is_inline_svg_without_scripts(chart: alt.LayerChart) -> None:
    html = static_html(chart, caption="Ward A <falls>")
    assert html.startswith('<figure class="workbench-chart"><svg')
    assert "<script" not in html.lower()
    assert "<?xml" not in html
    assert 'aria-label="Falls risk assessed within 6 hours"' in html
    assert "<figcaption>Ward A &lt;falls&gt;</figcaption>" in html
    links = re.findall(r'(?:href|src)="([^"]+)"', html)
    assert not [u for u in links if not u.startswith("#")]
    assert "cdn" not in html.lower()


def test_specs_fetch_nothing(chart: alt.LayerChart, real_many: Any) -> None:
    for spec in (chart.to_dict(), icon_table(real_many).to_dict()):
        assert not _urls(spec), _urls(spec)
        assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
        assert '"url"' not in json.dumps(spec)


def test_chart_code_has_no_cdn_or_mimetype_renderer() -> None:
    for path in CHARTS_SRC.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"https?://", text), path.name
        assert "cdn" not in text.lower(), path.name
        assert 'renderers.enable("mimetype")' not in text, path.name
        assert 'renderers.enable("default")' not in text, path.name


def test_offline_widget_and_update(chart: alt.LayerChart, real_result: Any) -> None:
    widget = offline_widget(chart)
    assert isinstance(widget, alt.JupyterChart)
    assert widget.spec["title"]["text"] == "Falls risk assessed within 6 hours"
    again = offline_widget(chart)  # second call does not re-enable offline mode
    assert isinstance(again, alt.JupyterChart)
    new = spc_chart(real_result, title="Updated")
    assert update_widget(widget, new) is widget
    assert widget.spec["title"]["text"] == "Updated"
    with pytest.raises(ChartError, match="offline_widget"):
        update_widget(object(), new)  # type: ignore[arg-type]


def test_importing_charts_is_light() -> None:
    code = ("import sys, workbench, workbench.charts; "
            "print('altair' in sys.modules, 'pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "False"]


def test_widgets_take_plain_specs(real_result: Any) -> None:
    spec = spc_spec(real_result, title="From a spec")
    widget = offline_widget(spec)
    assert isinstance(widget, alt.JupyterChart)
    assert widget.spec == {"$schema": alt.SCHEMA_URL, **spec}, "marked as Vega-Lite"
    empty = offline_widget(None)
    assert empty.spec is None
    assert update_widget(empty, spc_spec(real_result, title="Later")) is empty
    assert empty.spec["title"]["text"] == "Later"
    update_widget(empty, spc_chart(real_result, title="As Altair"))
    assert empty.spec["title"]["text"] == "As Altair"
    update_widget(empty, spec)  # and back to a plain spec
    assert empty.spec["title"]["text"] == "From a spec"


def test_report_html_carries_the_spec_safely(real_result: Any) -> None:
    hostile = 'Falls </script><script>alert("x")</script> <!-- & "quotes"'
    spec = spc_spec(real_result, title=hostile, subtitle="Share of admissions")
    figure = report_html(spec, caption="Plain words <b>here</b>")
    # one script element, holding JSON that gives back the very spec
    scripts = re.findall(r'<script type="application/json" class="wb-vega-spec">(.*?)</script>',
                         figure, re.DOTALL)
    assert len(scripts) == 1 and figure.count("<script") == 1
    assert json.loads(scripts[0]) == json.loads(json.dumps(spec))
    assert "<" not in scripts[0]
    assert 'aria-label="Falls &lt;/script&gt;' in figure
    assert "<figcaption>Plain words &lt;b&gt;here&lt;/b&gt;</figcaption>" in figure
    assert "wb-vega-missing" in figure, "a page without the bundle still says what is there"
    assert "vegaEmbed" in DRAW_SCRIPT and REPORT_CLASS in DRAW_SCRIPT
    assert not _urls(spec)


def test_the_vega_bundle_is_shipped_not_fetched() -> None:
    bundle = vega_bundle()
    assert len(bundle) > 100_000
    assert "window.vegaEmbed = vegaEmbed" in bundle or "window.vegaEmbed=" in bundle
    assert not re.search(r"""(import\s*\(|from\s*)["']https?://""", bundle), "no remote imports"
