"""The live chart widget: Altair's offline widget anywhere, the light widget under the server."""

from __future__ import annotations

from typing import Any

import altair as alt
import pytest

from workbench.charts import ChartError, offline_widget, spc_chart, update_widget
from workbench.charts.keyed import drawing_key, shape_key
from workbench.charts.widget import BUNDLE_ENV, ROUTE, bundle_route, bundle_script, view_script


def test_served_widget_carries_the_spec_and_the_bundle_address_only(
        monkeypatch: pytest.MonkeyPatch, chart: alt.LayerChart, real_result: Any) -> None:
    monkeypatch.setenv(BUNDLE_ENV, bundle_route())
    widget = offline_widget(chart)
    assert type(widget).__name__ == "VegaView"
    assert widget.bundle == bundle_route()
    assert widget.spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    assert widget.spec["title"]["text"] == "Falls risk assessed within 6 hours"
    # the rows are set apart and the shape keyed, so the browser can keep the compiled chart
    assert len(shape_key(widget.spec)) == 64 and widget.spec["datasets"]
    # and the shape and rows keyed together, so it can keep the drawing
    assert len(drawing_key(widget.spec)) == 64
    # the widget's own script is small (the bundle is about 900,000 characters) and loads the
    # bundle as a classic script (for the browser's code cache); it does not contain it
    script = view_script()
    assert len(script) < 12_000
    assert "vegaEmbed" in script and "loadBundle" in script and "import(" not in script
    new = spc_chart(real_result, title="Updated")
    assert update_widget(widget, new) is widget
    assert widget.spec["title"]["text"] == "Updated"
    assert update_widget(widget, {"mark": "point"}).spec["mark"] == "point"
    assert update_widget(widget, {"mark": "point"}).spec["$schema"] == widget.spec["$schema"]
    empty = offline_widget(None)
    assert empty.spec is None
    # no Vega-Embed menu, on any live chart (its editor link goes to the internet)
    assert widget.embed_options == empty.embed_options == {"actions": False}
    with pytest.raises(ChartError, match="Altair chart"):
        update_widget(widget, 42)


def test_unserved_widget_is_altairs_offline_widget(monkeypatch: pytest.MonkeyPatch,
                                                  chart: alt.LayerChart) -> None:
    monkeypatch.delenv(BUNDLE_ENV, raising=False)
    for widget in (offline_widget(chart), offline_widget({"mark": "point"})):
        assert isinstance(widget, alt.JupyterChart)
        assert widget.embed_options == {"actions": False}


def test_bundle_address_names_its_versions() -> None:
    from importlib.metadata import version

    from workbench.charts.render import vl_version

    route = bundle_route()
    assert route.startswith(ROUTE) and route.endswith(".js")
    assert version("vl-convert-python") in route and f"vl{vl_version()}" in route


def test_the_bundle_is_sent_as_one_function_with_the_compile_hint_first() -> None:
    """A classic script: V8's hint on the first line, the bundle's names kept inside."""
    text = bundle_script("const n = 1; window.vegaEmbed = () => n;")
    assert text.splitlines()[0] == "//# allFunctionsCalledOnLoad"
    assert text.splitlines()[1] == "(function () {" and text.rstrip().endswith("})();")
    assert bundle_route().endswith("-script.js")
