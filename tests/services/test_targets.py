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


def test_set_and_list_targets_with_dates(files_ws) -> None:
    row = set_target(files_ws, WARD, MEASURE, "90%", dt.date(2026, 6, 1))
    assert row.value == pytest.approx(0.9) and row.words == "90%"
    set_target(files_ws, WARD, MEASURE, "0.95", dt.date(2026, 10, 1), note="trust standard")
    rows = list_targets(files_ws, ward=WARD)
    assert [(r.start, r.until, r.value) for r in rows] == [
        (dt.date(2026, 6, 1), dt.date(2026, 9, 30), pytest.approx(0.9)),
        (dt.date(2026, 10, 1), None, pytest.approx(0.95)),
    ]
    settings = load_settings(files_ws)
    assert target_on(settings, WARD, MEASURE, dt.date(2026, 5, 31)) is None
    assert target_on(settings, WARD, MEASURE, dt.date(2026, 9, 30)).value == pytest.approx(0.9)
    assert target_on(settings, WARD, MEASURE, dt.date(2026, 10, 1)).value == pytest.approx(0.95)
    assert settings.revision == 2
    text = settings_path(files_ws).read_text("utf-8")
    assert "from: 2026-10-01" in text and "note: trust standard" in text
    # setting again from the same day replaces that target
    set_target(files_ws, WARD, MEASURE, "97%", dt.date(2026, 10, 1))
    assert [r.words for r in list_targets(files_ws)] == ["90%", "97%"]
    remove_target(files_ws, WARD, MEASURE, dt.date(2026, 6, 1))
    assert [r.words for r in list_targets(files_ws)] == ["97%"]


@pytest.mark.parametrize(("measure", "value", "words"), [
    (MEASURE, "120%", "between 0% and 100%"),
    (MEASURE, "95", "between 0% and 100%"),
    (MEASURE, "lots", "not a number"),
    (MEASURE, "nan", "not a finite number"),
    ("time_to_senior_review", "30%", "not a percentage"),
    ("days_between_missed_escalations", "-3", "cannot be negative"),
    ("triage_minutes", "10", "does not count"),
])
def test_refused_targets_write_nothing(files_ws, measure, value, words) -> None:
    set_target(files_ws, WARD, MEASURE, "90%", dt.date(2026, 6, 1))
    before = settings_path(files_ws).read_bytes()
    ward = "nh-w7" if measure == "triage_minutes" else WARD  # Ward 7 does not count triage
    with pytest.raises(TargetRefused, match=words):
        set_target(files_ws, ward, measure, value, dt.date(2026, 7, 1))
    assert settings_path(files_ws).read_bytes() == before


def test_unknown_ward_is_refused(files_ws) -> None:
    with pytest.raises(NotFoundError, match="unknown ward"):
        set_target(files_ws, "nowhere", MEASURE, "90%", dt.date(2026, 6, 1))
    assert not settings_path(files_ws).exists()


def test_stale_revision_is_refused(files_ws) -> None:
    set_target(files_ws, WARD, MEASURE, "90%", dt.date(2026, 6, 1))
    old = load_settings(files_ws)
    set_target(files_ws, WARD, MEASURE, "95%", dt.date(2026, 10, 1))
    before = settings_path(files_ws).read_bytes()
    with pytest.raises(StaleRevisionError):
        save_settings(files_ws, old)
    assert settings_path(files_ws).read_bytes() == before


def test_bad_file_names_line_and_field(files_ws) -> None:
    path = settings_path(files_ws)
    path.write_text("revision: 1\nsettings:\n- ward: nh-ed\n  measure: sepsis_screen_first_hour\n"
                    "  grain: fortnightly\n", "utf-8")
    with pytest.raises(RecordError) as err:
        load_settings(files_ws)
    assert err.value.line == 5 and err.value.field == "settings.0.grain"


def test_grain_override_is_used_by_series_at_grain(files_ws) -> None:
    days = pd.date_range("2026-11-02", "2026-11-15", freq="D")  # two whole weeks, Mon-Sun
    frame = pd.DataFrame({"date": days, "value": [20] * 14, "denominator": [25] * 14})
    out, grain = series_at_grain(files_ws, WARD, MEASURE, frame)
    assert grain.grain == "daily" and grain.chosen_by == "rule" and len(out) == 14
    set_grain(files_ws, WARD, MEASURE, "weekly")
    out, grain = series_at_grain(files_ws, WARD, MEASURE, frame)
    assert (grain.grain, grain.chosen_by, grain.caption) == ("weekly", "set",
                                                             "weekly totals, Mon\u2013Sun")
    assert out["value"].tolist() == [140, 140] and out["denominator"].tolist() == [175, 175]
    set_grain(files_ws, WARD, MEASURE, None)  # back to the rule; the empty entry is dropped
    assert load_settings(files_ws).settings == []


def test_event_charts_refuse_a_grain(files_ws) -> None:
    with pytest.raises(TargetRefused, match="event by event"):
        set_grain(files_ws, WARD, "days_between_missed_escalations", "weekly")
