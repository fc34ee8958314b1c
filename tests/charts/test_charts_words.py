"""Plain words and icons: one mapping, no jargon on the ward team's side, words in icon_frame."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from workbench.charts import icon_frame, style
from workbench.charts.words import (
    POINT_WORDS,
    assurance_icon,
    point_words,
    variation_icon,
    variation_key,
)

POINT_TYPES = ("common_cause", "special_cause_improvement", "special_cause_concern",
               "special_cause_neutral_high", "special_cause_neutral_low")


def test_every_point_type_has_words() -> None:
    assert set(POINT_WORDS) == set(POINT_TYPES)
    assert point_words("common_cause") == "Usual ups and downs"
    assert point_words(None) == "Usual ups and downs"


@pytest.mark.parametrize(
    "point_type, side, key, letter, colour, label, plain",
    [
        ("common_cause", None, "common_cause", "", style.COMMON, "Common cause",
         "No unusual change"),
        ("special_cause_improvement", "high", "improvement_high", "H", style.IMPROVEMENT,
         "Improvement \u2014 high", "Getting better \u2014 unusual high"),
        ("special_cause_improvement", "low", "improvement_low", "L", style.IMPROVEMENT,
         "Improvement \u2014 low", "Getting better \u2014 unusual low"),
        ("special_cause_concern", "high", "concern_high", "H", style.CONCERN,
         "Concern \u2014 high", "Getting worse \u2014 unusual high"),
        ("special_cause_concern", "low", "concern_low", "L", style.CONCERN,
         "Concern \u2014 low", "Getting worse \u2014 unusual low"),
        ("special_cause_neutral_high", None, "neutral_high", "H", style.NEUTRAL,
         "Neither \u2014 high", "Unusual high (neither better nor worse)"),
        ("special_cause_neutral_low", None, "neutral_low", "L", style.NEUTRAL,
         "Neither \u2014 low", "Unusual low (neither better nor worse)"),
        (None, None, "unknown", "?", style.COMMON, "Not enough data", "Not enough data yet"),
    ],
)
def test_variation_icons(point_type: Any, side: Any, key: str, letter: str, colour: str,
                         label: str, plain: str) -> None:
    icon = variation_icon(point_type, side)
    assert (icon.key, icon.letter, icon.colour, icon.label, icon.plain) == (
        key, letter, colour, label, plain)


def test_improvement_without_a_side_still_reads() -> None:
    assert variation_key("special_cause_improvement") == "improvement"
    assert variation_icon("special_cause_concern").plain == "Getting worse \u2014 unusual"
    assert variation_key(float("nan")) == "unknown"


@pytest.mark.parametrize(
    "assurance, letter, label, plain",
    [
        ("consistent_pass", "P", "Consistently passes target", "Will hit the target"),
        ("consistent_fail", "F", "Consistently fails target", "Will miss the target"),
        ("inconsistent", "?", "Inconsistent \u2014 may pass or fail",
         "Might or might not hit the target"),
        (None, "", "No target", "No target set"),
    ],
)
def test_assurance_icons(assurance: Any, letter: str, label: str, plain: str) -> None:
    icon = assurance_icon(assurance)
    assert (icon.letter, icon.label, icon.plain) == (letter, label, plain)


def test_plain_words_avoid_jargon() -> None:
    jargon = ("special cause", "sigma", "spc", "variation", "assurance", "limit")
    for kind in POINT_TYPES:
        for side in ("high", "low", None):
            words = variation_icon(kind, side).plain.lower()
            assert not any(j in words for j in jargon), words
        assert not any(j in point_words(kind).lower() for j in jargon)
    for a in ("consistent_pass", "consistent_fail", "inconsistent", None):
        assert not any(j in assurance_icon(a).plain.lower() for j in jargon)


def test_icon_frame_words_from_a_summary_frame() -> None:
    summary = pd.DataFrame({
        "ward": ["A", "A", "B"],
        "measure": ["falls", "obs", "falls"],
        "variation": ["special_cause_improvement", "common_cause", "special_cause_concern"],
        "assurance": ["consistent_pass", None, "inconsistent"],
        "warnings": [[], ["Phase 2 has fewer than 13 points"], []],
    })
    frame = icon_frame(summary, improvement={"falls": "increase", "obs": "decrease"})
    assert list(frame[["ward", "measure"]].itertuples(index=False, name=None)) == [
        ("A", "falls"), ("A", "obs"), ("B", "falls")]
    assert list(frame["variation_label"]) == [
        "Improvement \u2014 high", "Common cause", "Concern \u2014 low"]
    assert list(frame["variation_plain"]) == [
        "Getting better \u2014 unusual high", "No unusual change", "Getting worse \u2014 unusual low"]
    assert list(frame["assurance_label"]) == [
        "Consistently passes target", "No target", "Inconsistent \u2014 may pass or fail"]
    assert list(frame["assurance_plain"]) == [
        "Will hit the target", "No target set", "Might or might not hit the target"]
    assert frame.loc[1, "warnings"] == "Phase 2 has fewer than 13 points"
    assert frame.loc[0, "variation_colour"] == "#289de0"
    assert frame.loc[2, "variation_colour"] == "#fab428"


def test_icon_frame_from_real_many_result(real_many: Any) -> None:
    frame = icon_frame(real_many)
    assert len(frame) == len(real_many.summary)
    assert list(frame.columns[:2]) == ["ward", "measure"]
    assert frame["variation_plain"].notna().all()
    assert set(frame["assurance"]) <= {"consistent_pass", "consistent_fail", "inconsistent"}
    for _, row in frame.iterrows():
        if row["variation"] in ("special_cause_improvement", "special_cause_concern"):
            assert row["variation_letter"] in ("H", "L")  # from the engine's direction column


def test_icon_frame_from_single_result(real_result: Any) -> None:
    frame = icon_frame(real_result)
    assert len(frame) == 1
    assert frame.loc[0, "variation"] == real_result.summary["variation"]


@pytest.mark.parametrize(("engine", "plain"), [
    ("phase 2 has 9 points (fewer than 13): treat its limits as provisional",
     "Only 9 counts since the change: the limits there are a first estimate until there are 13."),
    ("phase 1 has 1 points (fewer than 13): treat its limits as provisional",
     "Only 1 count at the start of the chart: the limits there are a first estimate until "
     "there are 13."),
    ("phase 3 has 4 points (fewer than 13): treat its limits as provisional",
     "Only 4 counts since change 2: the limits there are a first estimate until there are 13."),
    ("something else", "Something else"),
])
def test_engine_warnings_are_said_in_ward_words(engine: str, plain: str) -> None:
    from workbench.charts._data import warning_lines

    assert warning_lines([engine]) == [plain]
