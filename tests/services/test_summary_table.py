"""The summary table agrees with each ward's board, puts exceptions first and filters."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from workbench.services.checks import ward_summary
from workbench.services.summary_table import COLUMNS, filter_table, summary_table
from workbench.services.targets import set_target
from workbench.services.views import measure_view
from workbench.store.settings import load_settings

TODAY = dt.date(2026, 12, 3)  # the demo's counts stop on Sun 22 Nov 2026


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    from workbench.demo import build_demo
    from workbench.store.workspace import resolve_workspace

    ws = resolve_workspace(tmp_path_factory.mktemp("table") / "demo")
    build_demo(ws)
    set_target(ws, "nh-ucc", "bruising_prompt_use", "80%", dt.date(2026, 9, 1))
    return ws


@pytest.fixture(scope="module")
def table(demo) -> pd.DataFrame:
    return summary_table(demo, today=TODAY)


def test_one_row_per_ward_and_measure(demo, table) -> None:
    from workbench.services.wards import list_wards

    expected = {(w.id, m) for w in list_wards(demo) for m in w.measures}
    assert set(zip(table["ward"], table["measure"], strict=True)) == expected
    assert len(table) == len(expected) and list(table.columns) == list(COLUMNS)


@pytest.mark.parametrize("ward", ["nh-ucc", "sh-dl", "nh-ed"])
def test_table_says_what_the_board_says(demo, table, ward) -> None:
    """Same grain, icons, centre, limits and latest value as the board's own analysis."""
    summary = ward_summary(demo, ward, today=TODAY)
    settings = load_settings(demo)
    for mc in summary.measures:
        view = measure_view(demo, ward, mc.measure, mc.data, mc.change_date, TODAY,
                            settings=settings)
        row = table[(table["ward"] == ward) & (table["measure"] == mc.measure.id)].iloc[0]
        s = view.check.result.summary
        assert row["grain"] == view.grain.grain
        assert row["variation"] == s["variation"], mc.measure.id
        assert row["assurance"] == s["assurance"], mc.measure.id
        assert row["mean"] == pytest.approx(s["cl"], rel=1e-12)
        for col in ("lcl", "ucl"):
            assert (pd.isna(row[col]) and s[col] is None) or \
                row[col] == pytest.approx(s[col], rel=1e-12)
        last = view.check.result.points.dropna(subset=["y"]).iloc[-1]
        assert row["latest"] == pytest.approx(float(last["y"]), rel=1e-12)
        assert row["data_up_to"] == mc.data["date"].max().date()


def test_target_gives_assurance(table) -> None:
    row = table[(table["ward"] == "nh-ucc") & (table["measure"] == "bruising_prompt_use")].iloc[0]
    assert row["target"] == pytest.approx(0.8)
    assert row["assurance"] in ("consistent_pass", "consistent_fail", "inconsistent")


def test_exceptions_come_first_and_data_age_is_said(table) -> None:
    ranks = table["exception"].tolist()
    assert ranks == sorted(ranks)
    first = table.iloc[0]
    assert first["variation"] == "special_cause_concern" and first["exception_words"] == \
        "Getting worse"
    # 22 Nov to 3 Dec: eleven days without a daily count
    daily = table[(table["ward"] == "nh-ed") & (table["measure"] == "triage_minutes")].iloc[0]
    assert daily["stale"] and daily["stale_words"] == "last count 11 days ago"


def test_filters(table) -> None:
    north = filter_table(table, site="North Hospital")
    assert set(north["site"]) == {"North Hospital"} and 0 < len(north) < len(table)
    worse = filter_table(table, variation="concern")
    assert set(worse["variation"]) == {"special_cause_concern"}
    none = filter_table(table, assurance="none")
    assert none["assurance"].isna().all()
    assert len(filter_table(table, assurance="none")) + \
        len(filter_table(table, assurance="inconsistent")) + \
        len(filter_table(table, assurance="consistent_pass")) + \
        len(filter_table(table, assurance="consistent_fail")) == len(table)
