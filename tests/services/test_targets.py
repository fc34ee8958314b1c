"""Targets and grain overrides in ``pdsa/measures.yaml``: set, list, refuse, never half-write."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from workbench.domain.errors import NotFoundError, RecordError, StaleRevisionError
from workbench.services.grain import series_at_grain
from workbench.services.targets import (
    TargetRefused,
    list_targets,
    remove_target,
    set_grain,
    set_target,
    target_on,
)
from workbench.store.settings import load_settings, save_settings, settings_path

WARD, MEASURE = "nh-ed", "sepsis_screen_first_hour"  # a p chart, higher is better


@pytest.fixture
def ws(files_ws):
    """The demo's records without its example targets (each test starts from no settings)."""
    settings_path(files_ws).unlink()
    return files_ws


def test_set_and_list_targets_with_dates(ws) -> None:
    row = set_target(ws, WARD, MEASURE, "90%", dt.date(2026, 6, 1))
    assert row.value == pytest.approx(0.9) and row.words == "90%"
    set_target(ws, WARD, MEASURE, "0.95", dt.date(2026, 10, 1), note="trust standard")
    rows = list_targets(ws, ward=WARD)
    assert [(r.start, r.until, r.value) for r in rows] == [
        (dt.date(2026, 6, 1), dt.date(2026, 9, 30), pytest.approx(0.9)),
        (dt.date(2026, 10, 1), None, pytest.approx(0.95)),
    ]
    settings = load_settings(ws)
    assert target_on(settings, WARD, MEASURE, dt.date(2026, 5, 31)) is None
    assert target_on(settings, WARD, MEASURE, dt.date(2026, 9, 30)).value == pytest.approx(0.9)
    assert target_on(settings, WARD, MEASURE, dt.date(2026, 10, 1)).value == pytest.approx(0.95)
    assert settings.revision == 2
    text = settings_path(ws).read_text("utf-8")
    assert "from: 2026-10-01" in text and "note: trust standard" in text
    # setting again from the same day replaces that target
    set_target(ws, WARD, MEASURE, "97%", dt.date(2026, 10, 1))
    assert [r.words for r in list_targets(ws)] == ["90%", "97%"]
    remove_target(ws, WARD, MEASURE, dt.date(2026, 6, 1))
    assert [r.words for r in list_targets(ws)] == ["97%"]


@pytest.mark.parametrize(("measure", "value", "words"), [
    (MEASURE, "120%", "between 0% and 100%"),
    (MEASURE, "95", "between 0% and 100%"),
    (MEASURE, "lots", "not a number"),
    (MEASURE, "nan", "not a finite number"),
    ("time_to_senior_review", "30%", "not a percentage"),
    ("days_between_missed_escalations", "-3", "cannot be negative"),
    ("triage_minutes", "10", "does not count"),
])
def test_refused_targets_write_nothing(ws, measure, value, words) -> None:
    set_target(ws, WARD, MEASURE, "90%", dt.date(2026, 6, 1))
    before = settings_path(ws).read_bytes()
    ward = "nh-w7" if measure == "triage_minutes" else WARD  # Ward 7 does not count triage
    with pytest.raises(TargetRefused, match=words):
        set_target(ws, ward, measure, value, dt.date(2026, 7, 1))
    assert settings_path(ws).read_bytes() == before


def test_unknown_ward_is_refused(ws) -> None:
    with pytest.raises(NotFoundError, match="unknown ward"):
        set_target(ws, "nowhere", MEASURE, "90%", dt.date(2026, 6, 1))
    assert not settings_path(ws).exists()


def test_stale_revision_is_refused(ws) -> None:
    set_target(ws, WARD, MEASURE, "90%", dt.date(2026, 6, 1))
    old = load_settings(ws)
    set_target(ws, WARD, MEASURE, "95%", dt.date(2026, 10, 1))
    before = settings_path(ws).read_bytes()
    with pytest.raises(StaleRevisionError):
        save_settings(ws, old)
    assert settings_path(ws).read_bytes() == before


def test_bad_file_names_line_and_field(ws) -> None:
    path = settings_path(ws)
    path.write_text("revision: 1\nsettings:\n- ward: nh-ed\n  measure: sepsis_screen_first_hour\n"
                    "  grain: fortnightly\n", "utf-8")
    with pytest.raises(RecordError) as err:
        load_settings(ws)
    assert err.value.line == 5 and err.value.field == "settings.0.grain"


def test_grain_override_is_used_by_series_at_grain(ws) -> None:
    days = pd.date_range("2026-11-02", "2026-11-15", freq="D")  # two whole weeks, Mon-Sun
    frame = pd.DataFrame({"date": days, "value": [20] * 14, "denominator": [25] * 14})
    out, grain = series_at_grain(ws, WARD, MEASURE, frame)
    assert grain.grain == "daily" and grain.chosen_by == "rule" and len(out) == 14
    set_grain(ws, WARD, MEASURE, "weekly")
    out, grain = series_at_grain(ws, WARD, MEASURE, frame)
    assert (grain.grain, grain.chosen_by, grain.caption) == ("weekly", "set",
                                                             "weekly totals, Mon\u2013Sun")
    assert out["value"].tolist() == [140, 140] and out["denominator"].tolist() == [175, 175]
    set_grain(ws, WARD, MEASURE, None)  # back to the rule; the empty entry is dropped
    assert load_settings(ws).settings == []


def test_event_charts_refuse_a_grain(ws) -> None:
    with pytest.raises(TargetRefused, match="event by event"):
        set_grain(ws, WARD, "days_between_missed_escalations", "weekly")


def test_demo_targets_are_valid_and_on_measures_the_wards_count(files_ws) -> None:
    from workbench.catalogue import load_catalogue
    from workbench.services.targets import parse_target
    from workbench.services.wards import get_ward

    rows = list_targets(files_ws)
    assert len(rows) == 4
    for r in rows:
        assert r.measure in get_ward(files_ws, r.ward).measures
        measure = load_catalogue().measures[r.measure]
        assert parse_target(measure, r.value) == r.value  # in range for its chart
        assert "example target" in r.note
