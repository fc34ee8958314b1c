"""The leaders' roll-up: themes, signals, walkrounds, key risk, predictions and scores."""

from __future__ import annotations

import datetime as dt

import pytest

from workbench.domain.errors import PatientDataError, ValidationFailed
from workbench.services import rollup
from workbench.store.workspace import Workspace

TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def ws(demo_copy: Workspace) -> Workspace:
    """A fresh copy of the demo workspace (tests/conftest.py)."""
    return demo_copy


def test_theme_matrix_states(ws: Workspace) -> None:
    m = rollup.theme_matrix(ws)
    state = {(r.ward, r.theme): r.state for r in m.itertuples()}
    assert state[("nh-ucc", "weak_recognition")] == "adopted"
    assert state[("nh-ucc", "fragmented_records")] == "adapted"
    assert state[("cm-miu", "weak_recognition")] == "active"  # its own running test wins
    assert state[("sh-w12", "unsafe_transfers")] == "spread"
    assert state[("sh-dl", "unsafe_transfers")] == "active"
    assert state[("nh-w7", "poor_escalation")] == "active"
    assert set(m["state"]) <= set(rollup.STATE_ORDER)


def test_signals_read_every_ward_and_measure(ws: Workspace) -> None:
    from workbench.services.checks import ward_summary

    s = rollup.signals(ws, TODAY)
    assert len(s) >= 40 and s["ward"].nunique() >= 10
    # "where is the process now?" is the board's own reading, ward by ward and measure by measure
    for ward_id, part in s.groupby("ward_id"):
        board = {mc.measure.id: mc.variation for mc in ward_summary(ws, ward_id, today=TODAY).measures}
        for _, row in part.iterrows():
            assert row["variation"] == board[row["measure_id"]], (ward_id, row["measure_id"])
    early = rollup.signals(ws, dt.date(2026, 5, 1))  # before any data
    assert early.empty


def test_walkround_log_and_key_risk(ws: Workspace) -> None:
    risk = rollup.key_risk(ws, TODAY)
    assert "evening" in risk.text and "Deputy chief nurse" in risk.why
    log = rollup.add_walkround(ws, {"date": TODAY, "ward": "sh-amu", "by": "Medical director",
                                    "changed": "Template on every LD discharge.",
                                    "in_the_way": "Weekend discharges.",
                                    "key_risk": "Weekend discharges skip the joint call."})
    assert len(log.entries) == 2 and log.revision == 2
    assert rollup.key_risk(ws, TODAY).text == "Weekend discharges skip the joint call."
    with pytest.raises(PatientDataError):
        rollup.add_walkround(ws, {"date": TODAY, "by": "X", "changed": "Saw NHS 943 476 5919"})
    with pytest.raises(ValidationFailed):
        rollup.add_walkround(ws, {"date": TODAY, "by": "", "changed": ""})


def test_key_risk_falls_back_to_the_evidence(ws: Workspace) -> None:
    rollup.log_path(ws).unlink()
    sig = rollup.signals(ws, TODAY)
    risk = rollup.key_risk(ws, TODAY, sig)
    assert "getting worse" in risk.text  # a concern signal comes first
    risk = rollup.key_risk(ws, TODAY)
    assert risk.text.startswith("Action act-003 is 9 days overdue")


def test_prediction_track_record(ws: Workspace) -> None:
    p = rollup.prediction_record(ws).set_index("ward")
    assert p.loc["nh-ucc", "confirmed"] == 6 and p.loc["nh-ucc", "refuted"] == 1
    assert p.loc["nh-ed", "total"] == 2
    assert (p["confirmed"] + p["refuted"] + p["unclear"] == p["total"]).all()


def test_scores_are_suggested_then_confirmed_by_a_person(ws: Workspace) -> None:
    assert rollup.suggest_score(ws, "nh-ucc")[0] == 4.0
    assert rollup.suggest_score(ws, "nh-cau") == (0.5, "no tests of change yet")
    assert rollup.suggest_score(ws, "sh-dl")[0] == 2.0
    assert rollup.suggest_score(ws, "nh-w7")[0] == 1.5
    log = rollup.confirm_score(ws, "sh-dl", 2.5, "Chief nurse", on=TODAY, note="Bundle in use")
    got = log.scores[-1]
    assert (got.ward, got.score, got.suggested, got.confirmed_by) == ("sh-dl", 2.5, 2.0,
                                                                       "Chief nurse")
    table = rollup.scores(ws).set_index("ward")
    assert table.loc["sh-dl", "confirmed"] == 2.5 and table.loc["sh-dl", "suggested"] == 2.0
    with pytest.raises(ValidationFailed, match="half steps"):
        rollup.confirm_score(ws, "sh-dl", 2.7, "Chief nurse", on=TODAY)
    with pytest.raises(ValidationFailed):
        rollup.confirm_score(ws, "sh-dl", 6, "Chief nurse", on=TODAY)


def test_rollup_and_its_json(ws: Workspace) -> None:
    import json

    r = rollup.rollup(ws, TODAY)
    data = rollup.rollup_data(r)
    text = json.dumps(data)
    assert set(data) == {"today", "themes", "signals", "walkrounds", "key_risk", "predictions",
                         "scores", "pitfalls", "cycles", "skipped_records", "spread",
                         "summary"}
    assert data["key_risk"]["text"] and "act-004" in text


def test_rollup_summary_is_the_summary_table(ws: Workspace) -> None:
    """The roll-up's table is the service's table for the same day (one question, one answer),
    exceptions first; its JSON keeps every row, dates as ISO text."""
    import pandas as pd

    from workbench.services.summary_table import summary_table

    r = rollup.rollup(ws, TODAY)
    expected = summary_table(ws, today=TODAY)
    pd.testing.assert_frame_equal(r.summary, expected)
    ranks = list(r.summary["exception"])
    assert ranks == sorted(ranks) and ranks[0] < 6, "the demo has an exception, shown first"
    rows = rollup.rollup_data(r)["summary"]
    assert len(rows) == len(expected)
    assert all(x["data_up_to"] is None or x["data_up_to"] <= TODAY.isoformat() for x in rows)
