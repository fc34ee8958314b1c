"""spc_chart: the spec has the Making Data Count layers, colours, shapes, phases and badges."""

from __future__ import annotations

from typing import Any

import altair as alt
import numpy as np
import pandas as pd
import pytest
from chart_helpers import (
    FakeMeasure,
    FakeResult,
    dataset,
    layers,
    mark_type,
    p_chart_points,
    phases_of,
)

from workbench.charts import ChartError, spc_chart, style
from workbench.charts.words import POINT_WORDS


def _spec(result: Any, **kwargs: Any) -> dict[str, Any]:
    chart = spc_chart(result, **kwargs)
    assert isinstance(chart, alt.LayerChart)
    return chart.to_dict()


def test_real_result_has_every_line_layer(real_result: Any) -> None:
    spec = _spec(real_result, title="Falls risk", change_label="Checklist at handover")
    named = layers(spec)
    for name in ("two_sigma_upper", "two_sigma_lower", "upper_limit", "lower_limit", "centre",
                 "data_line", "points", "phase_rule", "phase_label_1", "variation_badge",
                 "assurance_badge"):
        assert name in named, name
    assert named["upper_limit"]["encoding"]["y"]["field"] == "ucl"
    assert named["lower_limit"]["encoding"]["y"]["field"] == "lcl"
    assert named["centre"]["encoding"]["y"]["field"] == "cl"
    assert named["two_sigma_upper"]["encoding"]["y"]["field"] == "ucl_2s"


def test_limits_are_dashed_steps_broken_by_phase(real_result: Any) -> None:
    named = layers(_spec(real_result))
    for name in ("upper_limit", "lower_limit", "centre", "two_sigma_upper"):
        mark = named[name]["mark"]
        assert mark["type"] == "line"
        assert mark["interpolate"] == "step"
        assert named[name]["encoding"]["detail"]["field"] == "phase"
    assert named["upper_limit"]["mark"]["strokeDash"]
    assert not named["centre"]["mark"]["strokeDash"]
    assert named["two_sigma_upper"]["mark"]["color"] == style.TWO_SIGMA_LINE


def test_show_2s_false_drops_the_two_sigma_lines(real_result: Any) -> None:
    named = layers(_spec(real_result, show_2s=False))
    assert "two_sigma_upper" not in named and "two_sigma_lower" not in named
    assert "upper_limit" in named


def test_dates_on_the_x_axis(real_result: Any) -> None:
    named = layers(_spec(real_result))
    x = named["points"]["encoding"]["x"]
    assert x["field"] == "x" and x["type"] == "temporal"
    assert named["phase_rule"]["encoding"]["x"]["type"] == "temporal"


def test_points_have_colour_and_shape_by_type() -> None:
    points = p_chart_points()
    result = FakeResult(points, phases_of(points),
                        {"variation": "special_cause_improvement", "assurance": None,
                         "warnings": []})
    named = layers(_spec(result))
    enc = named["points"]["encoding"]
    colour, shape = enc["color"], enc["shape"]
    assert colour["field"] == shape["field"] == "point_words"
    domain = colour["scale"]["domain"]
    assert domain == [POINT_WORDS["common_cause"], POINT_WORDS["special_cause_improvement"],
                      POINT_WORDS["special_cause_concern"]]
    assert colour["scale"]["range"] == ["#7B7D7D", "#289de0", "#fab428"]
    shapes = shape["scale"]["range"]
    assert len(set(shapes)) == len(shapes) == 3, "shape must tell the types apart, not colour only"
    assert shape["scale"]["domain"] == domain


def test_neutral_points_are_purple_with_their_own_shapes() -> None:
    points = p_chart_points()
    points["point_type"] = "common_cause"
    points.loc[3, "point_type"] = "special_cause_neutral_high"
    points.loc[4, "point_type"] = "special_cause_neutral_low"
    named = layers(_spec(FakeResult(points, phases_of(points), None)))
    scale = named["points"]["encoding"]["color"]["scale"]
    assert scale["range"] == ["#7B7D7D", "#361475", "#361475"]
    assert len(set(named["points"]["encoding"]["shape"]["scale"]["range"])) == 3


def test_point_words_reach_the_data(real_result: Any) -> None:
    spec = _spec(real_result)
    rows = dataset(spec)
    assert len(rows) == len(real_result.points)
    assert {r["point_words"] for r in rows} <= set(POINT_WORDS.values())
    assert all(isinstance(r["x"], str) for r in rows)  # ISO dates, JSON-safe


def test_phase_rule_sits_between_the_phases_and_carries_the_change() -> None:
    points = p_chart_points()
    named = layers(_spec(FakeResult(points, phases_of(points), None),
                         change_label="Falls checklist at handover"))
    spec_rows = spc_chart(FakeResult(points, phases_of(points), None),
                          change_label="Falls checklist at handover").to_dict()
    rule_rows = dataset(spec_rows, named["phase_rule"])
    assert len(rule_rows) == 1
    assert rule_rows[0]["label"] == "Falls checklist at handover"
    assert pd.Timestamp(rule_rows[0]["at"]) == pd.Timestamp("2026-03-15T12:00")
    assert mark_type(named["phase_rule"]) == "rule"
    label = named["phase_label_1"]["mark"]
    assert mark_type(named["phase_label_1"]) == "text"
    assert label["text"] == "Falls checklist at handover"
    # the label sits in the band above the plot (negative pixel y), never over the data
    assert named["phase_label_1"]["encoding"]["y"]["value"] < 0


def test_one_label_per_change_or_refused(real_result: Any) -> None:
    with pytest.raises(ChartError, match="one label per change"):
        spc_chart(real_result, change_label=["a", "b"])
    named = layers(_spec(real_result, change_label=["Checklist"]))
    assert "phase_label_1" in named


def test_single_phase_has_no_rule(i_result: FakeResult) -> None:
    named = layers(_spec(i_result))
    assert "phase_rule" not in named
    assert named["points"]["encoding"]["x"]["type"] == "quantitative"


def test_title_and_subtitle_from_the_measure(real_result: Any) -> None:
    measure = FakeMeasure()
    spec = _spec(real_result, measure=measure)
    assert spec["title"]["text"] == measure.name
    assert " ".join(spec["title"]["subtitle"]) == measure.definition
    y = layers(spec)["points"]["encoding"]["y"]
    assert y["title"] == "Share of admissions"
    assert y["axis"]["format"] == ".0%"


def test_plain_string_title_and_subtitle(i_result: FakeResult) -> None:
    spec = _spec(i_result, title="Minutes to answer bells", subtitle="Mean per shift")
    assert spec["title"]["text"] == "Minutes to answer bells"
    assert spec["title"]["subtitle"] == ["Mean per shift"]
    assert _spec(i_result, measure="Call bells")["title"]["text"] == "Call bells"


def test_catalogue_measure_is_accepted(real_result: Any) -> None:
    from workbench.domain.catalogue import Measure

    measure = Measure(id="falls_risk", name="Falls risk assessed", family="process",
                      definition="Admissions with a falls risk assessment within 6 hours.",
                      numerator="assessed", denominator="admissions", unit="proportion",
                      frequency="daily", chart="p", improvement="increase")
    spec = _spec(real_result, measure=measure)
    assert spec["title"]["text"] == "Falls risk assessed"


def test_variation_badge_letters_follow_the_direction() -> None:
    points = p_chart_points()
    result = FakeResult(points, phases_of(points),
                        {"variation": "special_cause_improvement",
                         "assurance": "consistent_pass", "warnings": []})
    named = layers(_spec(result))
    assert named["variation_letter"]["mark"]["text"] == "H"
    assert named["variation_badge"]["mark"]["stroke"] == style.IMPROVEMENT
    assert named["assurance_letter"]["mark"]["text"] == "P"
    assert named["assurance_badge"]["mark"]["stroke"] == style.IMPROVEMENT
    lower_better = _spec(result, measure=FakeMeasure(improvement="decrease"))
    points_dir = points.assign(direction="")  # engine column present but silent
    assert layers(lower_better)["variation_letter"]["mark"]["text"] == "L"
    fail = FakeResult(points_dir, None, {"variation": "special_cause_concern",
                                          "assurance": "consistent_fail", "warnings": []})
    named = layers(_spec(fail, measure=FakeMeasure(improvement="increase")))
    assert named["variation_letter"]["mark"]["text"] == "L"
    assert named["variation_badge"]["mark"]["stroke"] == style.CONCERN
    assert named["assurance_letter"]["mark"]["text"] == "F"


def test_common_cause_badge_is_a_circle_with_a_flat_line(i_result: FakeResult) -> None:
    named = layers(_spec(i_result))
    assert mark_type(named["variation_badge"]) == "point"
    assert named["variation_badge"]["mark"]["shape"] == "circle"
    assert mark_type(named["variation_line"]) == "rule"
    assert "variation_letter" not in named
    assert "assurance_badge" not in named  # no target, no assurance badge
    assert named["variation_caption"]["mark"]["text"] == ["No unusual change"]


def test_inconsistent_assurance_shows_a_question_mark(real_result: Any) -> None:
    real = layers(_spec(real_result))
    letter = real["assurance_letter"]["mark"]["text"]
    expected = {"consistent_pass": "P", "consistent_fail": "F", "inconsistent": "?"}
    assert letter == expected[real_result.summary["assurance"]]


def test_badges_can_be_left_out(real_result: Any) -> None:
    named = layers(_spec(real_result, badges=False))
    assert not [n for n in named if "badge" in n]


def test_target_line(real_result: Any) -> None:
    named = layers(_spec(real_result, target=0.7))
    assert mark_type(named["target"]) == "rule"
    assert named["target"]["encoding"]["y"]["field"] == "target"
    assert "target" not in layers(_spec(real_result))


def test_missing_values_and_limits_are_drawn_as_gaps() -> None:
    points = p_chart_points()
    points.loc[4, "y"] = np.nan
    points[["lcl", "ucl", "lcl_2s", "ucl_2s"]] = np.nan
    spec = _spec(FakeResult(points, None, None))
    named = layers(spec)
    assert "upper_limit" not in named and "centre" in named
    rows = dataset(spec)
    assert rows[4]["y"] is None


def test_engine_categoricals_and_string_dates_are_fine(real_result: Any) -> None:
    points = real_result.points.copy()
    points["x"] = points["x"].dt.strftime("%Y-%m-%d")
    named = layers(_spec(points))
    assert named["points"]["encoding"]["x"]["type"] == "temporal"


@pytest.mark.parametrize(
    "bad, message",
    [
        (object(), "expected an SPC result"),
        (pd.DataFrame({"x": [1, 2]}), "no y column"),
        (pd.DataFrame({"x": [], "y": []}), "no points"),
    ],
)
def test_bad_input_is_refused_clearly(bad: object, message: str) -> None:
    with pytest.raises(ChartError, match=message):
        spc_chart(bad)


def test_many_series_are_refused_with_a_pointer(real_many: Any) -> None:
    with pytest.raises(ChartError, match="small_multiples"):
        spc_chart(real_many)


def test_chart_has_no_config_so_it_can_be_combined(real_result: Any) -> None:
    chart = spc_chart(real_result)
    combined = alt.hconcat(chart, spc_chart(real_result, badges=False)).to_dict()
    assert "hconcat" in combined


def test_engine_warnings_become_notes_under_the_subtitle(wards: pd.DataFrame) -> None:
    from workbench.spc import analyse

    one = wards[(wards.ward == "Ward A") & (wards.measure == "falls_risk")].head(34)
    result = analyse(one, chart="p", x="date", y="numerator", n="denominator",
                     phase_starts=[pd.Timestamp("2026-03-02")])
    assert result.summary["warnings"], "the engine warns about a short phase"
    subtitle = " ".join(_spec(result, subtitle="Share")["title"]["subtitle"])
    assert subtitle.startswith("Share Note: ")
    assert "Note:" not in " ".join(_spec(result, subtitle="Share", notes=False)["title"]["subtitle"])
