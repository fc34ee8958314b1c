"""Export: latest versions in the import's columns, re-importable, safe in a spreadsheet."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from store_helpers import C_MEASURE, I_MEASURE, P_MEASURE, U_MEASURE, day, write_csv, write_wards

from workbench.services import observations as obs
from workbench.store.exporter import export_frame, neutralise
from workbench.store.workspace import Workspace


def _seed(ws: Workspace, tmp_path: Path) -> None:
    rows = [["W7B", P_MEASURE, day(i).isoformat(), i % 5, 9] for i in range(5)]
    rows += [["ED", I_MEASURE, day(0).isoformat(), 0.1 + 0.2, None],
             ["ED", C_MEASURE, day(0).isoformat(), 4, None],
             ["3A", U_MEASURE, day(0).isoformat(), 3, 1234.5]]
    obs.import_file(ws, write_csv(tmp_path / "seed.csv", rows))
    obs.correct_observation(ws, "W7B", P_MEASURE, day(0), 6, 9, reason="recount",
                            expected_version=1)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_round_trip(ws: Workspace, tmp_path: Path, fmt: str) -> None:
    _seed(ws, tmp_path)
    before = obs.long_frame(ws)
    out = tmp_path / f"out.{fmt}"
    assert obs.export_file(ws, out) == len(before) == 8
    # a fresh store loaded from the export holds exactly the same latest values
    other = Workspace(root=ws.root, db_url=f"sqlite:///{tmp_path / 'other.sqlite'}")
    assert obs.import_file(other, out).stored == 8
    # CSV is exact; XLSX keeps 16 significant digits (openpyxl writes %.16g)
    pd.testing.assert_frame_equal(obs.long_frame(other), before, check_exact=fmt == "csv",
                                  rtol=1e-15)
    # and re-importing into the same store with --correct changes nothing
    again = obs.import_file(ws, out, correct=True, reason="round trip")
    assert (again.stored, again.unchanged) == (0, 8)


def test_csv_text_is_plain(ws: Workspace, tmp_path: Path) -> None:
    _seed(ws, tmp_path)
    out = tmp_path / "w.csv"
    obs.export_file(ws, out, wards=["W7B"], measures=[P_MEASURE])
    lines = out.read_text("utf-8").splitlines()
    assert lines[0] == "ward,measure,date,value,denominator"
    assert lines[1] == f"W7B,{P_MEASURE},{day(0).isoformat()},6,9"
    assert len(lines) == 6


def test_neutralise_only_text_cells(tmp_path: Path) -> None:
    assert neutralise(pd.Series(["=cmd", "+1", "-2", "@x", "ok", "\tx"])).tolist() == [
        "'=cmd", "'+1", "'-2", "'@x", "ok", "'\tx"]
    frame = pd.DataFrame({"ward": ["=HYPERLINK(1)"], "measure": ["@SUM"],
                          "date": pd.to_datetime([dt.date(2026, 1, 2)]), "value": [-0.0],
                          "denominator": [float("nan")]})
    out = tmp_path / "n.csv"
    export_frame(frame, out, "csv")
    assert out.read_text().splitlines()[1] == "'=HYPERLINK(1),'@SUM,2026-01-02,0,"
    export_frame(frame, tmp_path / "n.xlsx", "xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "n.xlsx").active
    assert sheet["A2"].value == "'=HYPERLINK(1)" and sheet["A2"].data_type == "s"
    assert sheet["D2"].value == 0 and sheet["E2"].value is None


def test_unknown_filter_names_are_refused(sqlite_ws: Workspace, tmp_path: Path) -> None:
    from workbench.domain.errors import NotFoundError

    with pytest.raises(NotFoundError, match="did you mean|Did you mean"):
        obs.export_file(sqlite_ws, tmp_path / "x.csv", wards=["W7"])


def test_wards_sync_is_idempotent(tmp_path: Path) -> None:
    import sqlalchemy as sa

    from workbench.store.db import dispose_engines, get_engine

    root = tmp_path / "ws"
    write_wards(root)
    ws = Workspace(root=root, db_url=f"sqlite:///{root / 'data' / 'w.sqlite'}")
    for _ in range(2):
        obs.long_frame(ws)
        dispose_engines()
    write_wards(root, [{"id": "W7B", "name": "Ward 7B (renamed)", "site": "General",
                        "specialty": "Paediatrics"}, {"id": "NEW", "name": "New", "site": "S",
                                                      "specialty": "X"}])
    obs.long_frame(ws)
    with get_engine(ws.db_url).connect() as conn:
        rows = dict(conn.execute(sa.text("SELECT id, name FROM wards")).all())
    assert rows["W7B"] == "Ward 7B (renamed)" and "NEW" in rows and "ED" in rows
    dispose_engines()
