"""The observation service API as the form, notebooks and batch runs call it."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))

from store_helpers import C_MEASURE, I_MEASURE, P_MEASURE, day, snapshot, write_wards  # noqa: E402

from workbench.domain.errors import NotFoundError, PatientDataError, ValidationFailed  # noqa: E402
from workbench.services import observations as obs  # noqa: E402
from workbench.store.workspace import Workspace  # noqa: E402


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    root = tmp_path / "ws"
    write_wards(root)
    yield Workspace(root=root, db_url=f"sqlite:///{root / 'data' / 'workbench.sqlite'}")
    from workbench.store.db import dispose_engines

    dispose_engines()


def test_record_counts_stores_one_day_for_several_measures(ws: Workspace) -> None:
    stored = obs.record_counts(ws, "W7B", day(0), {P_MEASURE: (7, 9), C_MEASURE: (2, None)},
                               entered_by="Nurse in charge")
    assert [(s.measure, s.value, s.denominator, s.version) for s in stored] == [
        (P_MEASURE, 7.0, 9.0, 1), (C_MEASURE, 2.0, None, 1)]
    assert all(s.entered_by == "Nurse in charge" and s.source == "form" for s in stored)
    frame = obs.series(ws, "W7B", P_MEASURE)
    assert list(frame.columns) == ["date", "value", "denominator", "version"]
    assert str(frame["date"].dtype).startswith("datetime64")
    assert frame.iloc[0].tolist()[1:] == [7.0, 9.0, 1]


def test_record_counts_is_all_or_nothing_with_import_messages(ws: Workspace) -> None:
    before = snapshot(ws)
    with pytest.raises(ValidationFailed) as err:
        obs.record_counts(ws, "W7B", day(0), {C_MEASURE: (2, None), P_MEASURE: (10, 9)})
    assert "measure 'discharge_risk_summary', value: the count is more than its denominator" in (
        str(err.value))
    assert snapshot(ws) == before
    with pytest.raises(ValidationFailed, match="needs a denominator"):
        obs.record_counts(ws, "W7B", day(0), {P_MEASURE: (1, None)})
    with pytest.raises(ValidationFailed, match="in the future"):
        obs.record_counts(ws, "W7B", dt.date.today() + dt.timedelta(days=1), {C_MEASURE: (1, None)})
    with pytest.raises(ValidationFailed, match="unknown ward"):
        obs.record_counts(ws, "W7", day(0), {C_MEASURE: (1, None)})
    with pytest.raises(ValidationFailed, match="not finite"):
        obs.record_counts(ws, "W7B", day(0), {I_MEASURE: (float("nan"), None)})
    with pytest.raises(PatientDataError):
        obs.record_counts(ws, "W7B", day(0), {C_MEASURE: (9434765919, None)})
    with pytest.raises(PatientDataError):
        obs.record_counts(ws, "W7B", day(0), {C_MEASURE: (1, None)}, entered_by="born 1 May 2019")
    assert snapshot(ws) == before


def test_record_counts_refuses_a_stored_day(ws: Workspace) -> None:
    obs.record_counts(ws, "W7B", day(0), {C_MEASURE: (2, None)})
    before = snapshot(ws)
    with pytest.raises(ValidationFailed, match="already stored.*Correct the stored count"):
        obs.record_counts(ws, "W7B", day(0), {C_MEASURE: (3, None), P_MEASURE: (1, 2)})
    assert snapshot(ws) == before


def test_correction_keeps_history(ws: Workspace) -> None:
    obs.record_counts(ws, "W7B", day(0), {P_MEASURE: (7, 9)}, entered_by="A")
    new = obs.correct_observation(ws, "W7B", P_MEASURE, day(0), 8, 9, reason="late discharge",
                                  expected_version=1, entered_by="B")
    assert (new.version, new.value, new.reason, new.entered_by) == (2, 8.0, "late discharge", "B")
    trail = obs.history(ws, "W7B", P_MEASURE, day(0))
    assert [(h.version, h.value, h.entered_by) for h in trail] == [(1, 7.0, "A"), (2, 8.0, "B")]
    assert trail[0].entered_at <= trail[1].entered_at
    assert obs.series(ws, "W7B", P_MEASURE)["value"].tolist() == [8.0]


def test_stale_correction_is_refused_and_nothing_is_lost(ws: Workspace) -> None:
    obs.record_counts(ws, "W7B", day(0), {P_MEASURE: (7, 9)})
    obs.correct_observation(ws, "W7B", P_MEASURE, day(0), 8, 9, reason="first", expected_version=1)
    before = snapshot(ws)
    with pytest.raises(obs.StaleVersionError, match="someone else changed it first.*version 2"):
        obs.correct_observation(ws, "W7B", P_MEASURE, day(0), 6, 9, reason="second",
                                expected_version=1)
    assert snapshot(ws) == before


def test_correction_rules(ws: Workspace) -> None:
    obs.record_counts(ws, "W7B", day(0), {P_MEASURE: (7, 9)})
    with pytest.raises(ValidationFailed, match="needs a reason"):
        obs.correct_observation(ws, "W7B", P_MEASURE, day(0), 8, 9, reason=" ", expected_version=1)
    with pytest.raises(ValidationFailed, match="more than its denominator"):
        obs.correct_observation(ws, "W7B", P_MEASURE, day(0), 10, 9, reason="x", expected_version=1)
    with pytest.raises(NotFoundError, match="nothing is stored"):
        obs.correct_observation(ws, "W7B", P_MEASURE, day(1), 1, 9, reason="x", expected_version=1)
    with pytest.raises(PatientDataError):
        obs.correct_observation(ws, "W7B", P_MEASURE, day(0), 1, 9, reason="pt LS1 4AP",
                                expected_version=1)


def test_long_frame_filters_and_shape(ws: Workspace) -> None:
    for i in range(5):
        obs.record_counts(ws, "W7B", day(i), {P_MEASURE: (i, 9), C_MEASURE: (i, None)})
        obs.record_counts(ws, "ED", day(i), {I_MEASURE: (10.5 + i, None)})
    frame = obs.long_frame(ws)
    assert list(frame.columns) == ["ward", "measure", "date", "value", "denominator"]
    assert len(frame) == 15
    assert frame.equals(frame.sort_values(["ward", "measure", "date"]).reset_index(drop=True))
    some = obs.long_frame(ws, wards=["W7B"], measures=[C_MEASURE], start=day(1), end=day(3))
    assert some["value"].tolist() == [1.0, 2.0, 3.0]
    with pytest.raises(NotFoundError, match="Did you mean 'W7B'"):
        obs.long_frame(ws, wards=["w7b"])
    with pytest.raises(NotFoundError):
        obs.series(ws, "W7B", "nope")


def test_empty_store_reads(ws: Workspace) -> None:
    s = obs.series(ws, "ED", I_MEASURE)
    assert s.empty and list(s.columns) == ["date", "value", "denominator", "version"]
    assert obs.history(ws, "ED", I_MEASURE, day(0)) == []


def test_long_frame_feeds_analyse_many(ws: Workspace) -> None:
    spc = pytest.importorskip("workbench.spc")
    if not hasattr(spc, "analyse_many"):
        pytest.skip("SPC engine not available yet")
    for i in range(12):
        obs.record_counts(ws, "W7B", day(i - 12), {P_MEASURE: (i % 5, 9)})
    frame = obs.long_frame(ws, measures=[P_MEASURE])
    many = spc.analyse_many(frame, by=["ward", "measure"], chart="p", x="date", y="value",
                            n="denominator")
    assert many is not None
