"""The test in view, labels above the plot, line labels, the grain caption and the span."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import pytest
from chart_helpers import FakeResult, dataset, layers, p_chart_points, phases_of

from workbench.charts import spc_spec
from workbench.charts.annotations import FADED, LABEL_ROW


def _result() -> FakeResult:
    points = p_chart_points()  # 2 Mar .. 29 Mar 2026, the change on 16 Mar
    return FakeResult(points, phases_of(points), None)


def _valid(spec: dict[str, Any]) -> dict[str, Any]:
    # validates against the Vega-Lite schema
    out: dict[str, Any] = alt.LayerChart.from_dict(spec).to_dict()
    return out


def test_test_window_is_a_labelled_band_with_its_points_in_full_colour() -> None:
    spec = spc_spec(_result(), change_label="Falls checklist",
                    test_window=(pd.Timestamp("2026-03-16"), pd.Timestamp("2026-03-29"),
                                 "Test: Mon 16 Mar \u2013 Sun 29 Mar"))
    _valid(spec)
    named = layers(spec)
    band = named["test_band"]
    assert band["mark"]["type"] == "rect"
    (row,) = band["data"]["values"]
    # half a day either side of the first and last test days (daily points)
    assert pd.Timestamp(row["at"]) == pd.Timestamp("2026-03-15T12:00")
    assert pd.Timestamp(row["to"]) == pd.Timestamp("2026-03-29T12:00")
    assert named["test_label"]["encoding"]["y"]["value"] < 0  # above the plot
    # the change label moves up a row so the two never overlap
    assert named["phase_label_1"]["encoding"]["y"]["value"] == \
        named["test_label"]["encoding"]["y"]["value"] - LABEL_ROW
    opacity = named["points"]["encoding"]["opacity"]
    assert opacity == {"condition": {"test": "datum.in_test", "value": 1}, "value": FADED}
    rows = dataset(spec)
    inside = [r["in_test"] for r in rows]
    assert sum(inside) == 14 and inside[-14:] == [True] * 14  # 16..29 Mar
    # room for two label rows between the title and the plot
    assert spec["title"]["offset"] == 12 + 2 * LABEL_ROW


def test_no_window_no_band_and_points_keep_full_colour() -> None:
    named = layers(spc_spec(_result()))
    assert "test_band" not in named and "opacity" not in named["points"]["encoding"]


def test_label_limits_writes_the_last_phase_lines() -> None:
    result = _result()
    spec = spc_spec(result, label_limits=True, y_format=".0%")
    _valid(spec)
    named = layers(spec)
    last = result.points.iloc[-1]
    for name, col in (("ucl_label", "ucl"), ("cl_label", "cl"), ("lcl_label", "lcl")):
        row = named[name]["data"]["values"][0]
        assert row[col] == float(last[col])
        assert row["label"] == f"{float(last[col]) * 100:.0f}%"
        assert named[name]["encoding"]["x"] == {"value": 640}  # right of the plot


def test_a_target_next_to_a_limit_is_labelled_apart_from_it() -> None:
    """Discharge lounge's case: target 80%, upper limit 76%.  On a 200 px plot whose values run
    from 10% to 80% the two labels would sit 200 x 0.04 / (0.7 x 1.2) = 9.5 px apart (the 1.2
    allows for the axis rounding its ends), closer than the 13 px a label needs."""
    from workbench.charts.annotations import LABEL_GAP, limit_label_layers

    frame = pd.DataFrame({"y": [0.10, 0.40], "cl": [0.58, 0.58], "lcl": [0.40, 0.40],
                          "ucl": [0.76, 0.76]})
    made = {lay["name"]: lay for lay in limit_label_layers(
        frame, lambda c: {"field": c}, ".0%", 480, height=200, target=0.80)}
    assert [made[n]["data"]["values"][0]["label"] for n in
            ("target_label", "ucl_label", "cl_label", "lcl_label")] == \
        ["Target", "76%", "58%", "40%"]
    at = {n: 200 * (0.80 - made[n]["data"]["values"][0][c]) / (0.70 * 1.2) + made[n]["mark"]["dy"]
          for n, c in (("target_label", "target"), ("ucl_label", "ucl"), ("cl_label", "cl"))}
    assert at["ucl_label"] - at["target_label"] >= LABEL_GAP
    assert made["target_label"]["mark"]["dy"] == 0  # the top label stays on its line
    assert made["cl_label"]["mark"]["dy"] == 0  # far from the others: not moved


def test_caption_comes_first_under_the_title() -> None:
    spec = spc_spec(_result(), caption="weekly totals, Mon\u2013Sun")
    assert spec["title"]["subtitle"][0] == "Weekly totals, Mon\u2013Sun"


def test_since_draws_a_readable_span_with_the_whole_analysis() -> None:
    result = _result()
    spec = spc_spec(result, since=pd.Timestamp("2026-03-20"))
    rows = dataset(spec)
    assert len(rows) == 10  # 20..29 Mar
    assert rows[0]["cl"] == pytest.approx(float(result.points["cl"].iloc[18]), abs=1e-7)
