"""icon_table and small_multiples: specs with the badges, words and one chart per series."""

from __future__ import annotations

import re
from typing import Any

import altair as alt
import pandas as pd
import pytest
from chart_helpers import layers, mark_type

from workbench.charts import ChartError, icon_table, small_multiples


def test_icon_table_grid(real_many: Any) -> None:
    chart = icon_table(real_many, column_names={"falls_risk": "Falls risk assessed"})
    spec = chart.to_dict()
    named = layers(spec)
    for kind in ("variation", "assurance"):
        assert mark_type(named[f"{kind}_badge"]) == "point"
        assert named[f"{kind}_badge"]["mark"]["shape"] == "circle"
        assert mark_type(named[f"{kind}_letter"]) == "text"
        assert mark_type(named[f"{kind}_words"]) == "text"
        assert named[f"{kind}_badge"]["encoding"]["stroke"]["scale"] is None
    assert named["variation_badge"]["encoding"]["y"]["field"] == "row"
    assert named["variation_badge"]["encoding"]["x"]["field"] == "column"
    rows = spec["data"]["values"]
    assert len(rows) == 2 * len(real_many.summary)
    assert {r["row"] for r in rows} == {"Ward A", "Ward B", "Ward C"}
    assert "Falls risk assessed" in {r["column"] for r in rows}
    assert spec["title"]["text"] == "How each ward is doing"


def test_icon_table_needs_its_keys() -> None:
    summary = pd.DataFrame({"unit": ["A", "B"], "variation": ["common_cause"] * 2,
                            "assurance": [None, None], "warnings": [[], []]})
    with pytest.raises(ChartError, match="ward"):
        icon_table(summary)
    chart = icon_table(summary, row="unit", column="unit")
    assert isinstance(chart, alt.LayerChart)


def test_icon_frame_refuses_non_results() -> None:
    with pytest.raises(ChartError, match="variation"):
        icon_table(pd.DataFrame({"a": [1]}))


def _validated(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec after a round trip through Altair with schema validation (raises if invalid)."""
    return alt.ConcatChart.from_dict(spec, validate=True).to_dict()


def test_small_multiples_one_chart_per_series(real_many: Any) -> None:
    spec = small_multiples(real_many, columns=2, show_2s=False)
    assert _validated(spec)["columns"] == 2
    assert spec["columns"] == 2
    assert len(spec["concat"]) == len(real_many.summary)
    titles = [c["title"]["text"] for c in spec["concat"]]
    assert titles[0] == "Ward A \u2014 falls_risk"
    names = [layer["name"] for cell in spec["concat"] for layer in cell["layer"]]
    assert len(names) == len(set(names)), "view names are unique across the grid"
    # each chart's layers carry its position ("upper_limit_0")
    first = {re.sub(r"_\d+$", "", name): layer for name, layer in layers(spec["concat"][0]).items()}
    assert "two_sigma_upper" not in first and "upper_limit" in first
    assert first["points"]["encoding"]["y"]["axis"]["format"] == ".0%"  # p chart


def test_small_multiples_titles_and_errors(real_many: Any) -> None:
    spec = small_multiples(real_many, titles=lambda key: f"{key[0]}: {key[1]}")
    assert spec["concat"][0]["title"]["text"] == "Ward A: falls_risk"
    with pytest.raises(ChartError, match="key columns"):
        small_multiples(real_many, by=["nope"])
    with pytest.raises(ChartError, match="columns"):
        small_multiples(real_many, columns=0)
