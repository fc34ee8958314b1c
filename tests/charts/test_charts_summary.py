"""The summary table drawn: HTML rows with icons and numbers, and a valid Vega-Lite figure."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import pytest

from workbench.charts.summary import number, summary_table_html, summary_table_spec


def _table() -> pd.DataFrame:
    base = {"site": "North Hospital", "ward_name": "Urgent Care Centre", "caption":
            "weekly totals, Mon\u2013Sun", "latest_period": dt.date(2026, 11, 16),
            "data_up_to": dt.date(2026, 11, 22)}
    return pd.DataFrame([
        {**base, "ward": "nh-ucc", "measure": "bruising_prompt_use", "measure_name": "Prompt",
         "chart": "p", "improvement": "increase", "variation": "special_cause_concern",
         "assurance": "consistent_fail", "latest": 0.5, "mean": 0.851133, "lcl": 0.641706,
         "ucl": 1.0, "target": 0.95, "stale": True, "stale_words": "last count 11 days ago",
         "exception": 0, "exception_words": "Getting worse"},
        {**base, "ward": "nh-ucc", "measure": "triage_minutes", "measure_name": "Triage",
         "chart": "i", "improvement": "decrease", "variation": "common_cause",
         "assurance": None, "latest": 16.8, "mean": 14.694681, "lcl": 5.257463,
         "ucl": 24.131898, "target": float("nan"), "stale": False, "stale_words": "",
         "exception": 6, "exception_words": ""},
    ])


def test_numbers_read_as_people_write_them() -> None:
    assert number(0.851133, "p") == "85%"
    # one decimal from 1 up (14.694681 rounds to 14.7), none when it is .0
    assert number(14.694681, "i") == "14.7"
    assert number(13.0, "c") == "13"
    assert number(4.412, "c") == "4.4"
    assert number(1234.5, "i") == "1,234"  # whole numbers from 100 up (1234.5 -> banker's 1,234)
    assert number(0.01234, "u") == "0.012"  # two significant digits below 1
    assert number(0.0, "c") == "0"
    assert number(float("nan"), "i") == "\u2013"


def test_html_rows_carry_icons_words_and_filters() -> None:
    page = summary_table_html(_table())
    assert page.count("<tr class=") == 2
    assert 'data-variation="special_cause_concern"' in page and 'data-assurance="none"' in page
    # concern with higher better is an unusual low: the orange L badge
    assert 'wb-ticon-concern_low' in page and ">L</span>" in page
    assert "wb-ticon-consistent_fail" in page and "No target" in page
    assert "85%" in page and "64% \u2013 100%" in page and "95%" in page
    assert "Last count 11 days ago" in page and "Getting worse" in page


def test_a_measure_without_counts_has_no_grain_words_not_nan() -> None:
    table = _table()
    table.loc[1, "caption"] = float("nan")  # a measure with no counts has no grain yet
    page = summary_table_html(table)
    assert ">nan<" not in page and "nan</span>" not in page
    assert '<span class="wb-grain"></span>' in page


def test_spec_is_valid_vega_lite_with_one_text_row_per_series() -> None:
    spec = summary_table_spec(_table())
    alt.LayerChart.from_dict(spec).to_dict()  # validates against the schema
    rows = spec["data"]["values"]
    assert [r["latest_text"] for r in rows] == ["50%", "16.8"]
    assert rows[0]["v_letter"] == "L" and rows[0]["a_letter"] == "F"
    assert spec["height"] == 2 * 26


@pytest.mark.parametrize("variation", ["special_cause_improvement", "special_cause_concern",
                                       "common_cause", None])
@pytest.mark.parametrize("better", ["increase", "decrease", "neutral"])
def test_table_badges_point_the_way_the_chart_badges_do(variation, better) -> None:
    from workbench.charts._data import signal_side
    from workbench.charts.summary import _side

    assert _side(variation, better) == signal_side(pd.DataFrame(columns=["y"]), variation, better)
