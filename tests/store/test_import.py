"""Import: what is accepted, what is refused, and that a refusal leaves the store untouched."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from store_helpers import C_MEASURE, I_MEASURE, P_MEASURE, U_MEASURE, day, snapshot, write_csv

from workbench.domain.errors import ImportRefused, PatientDataError
from workbench.services import observations as obs
from workbench.store.workspace import Workspace

FUTURE = (dt.date.today() + dt.timedelta(days=3)).isoformat()


def good_rows() -> list[list[object]]:
    return [["W7B", P_MEASURE, day(0).isoformat(), 7, 9],
            ["W7B", P_MEASURE, day(1).strftime("%d/%m/%Y"), 5, 9],
            ["W7B", C_MEASURE, day(0).isoformat(), 3, None],
            ["ED", I_MEASURE, day(0).isoformat(), 12.5, None],
            ["3A", U_MEASURE, day(0).isoformat(), 2, 11.5]]


@pytest.fixture
def seeded(ws: Workspace, tmp_path: Path) -> Workspace:
    """A workspace with the good rows already imported."""
    obs.import_file(ws, write_csv(tmp_path / "seed.csv", good_rows()))
    return ws


def refused(ws: Workspace, path: Path, **kw: object) -> ImportRefused:
    before = snapshot(ws)
    with pytest.raises(ImportRefused) as err:
        obs.import_file(ws, path, **kw)  # type: ignore[arg-type]
    assert snapshot(ws) == before, "a refused import changed the store"
    return err.value


def test_good_file_is_stored_and_read_back(ws: Workspace, tmp_path: Path) -> None:
    report = obs.import_file(ws, write_csv(tmp_path / "ok.csv", good_rows()), entered_by="Sister A")
    assert (report.rows, report.stored, report.new, report.corrected) == (5, 5, 5, 0)
    assert report.batch is not None and "5 row(s) stored" in report.summary()
    s = obs.series(ws, "W7B", P_MEASURE)
    assert s["value"].tolist() == [7.0, 5.0] and s["denominator"].tolist() == [9.0, 9.0]
    assert s["date"].dt.date.tolist() == [day(0), day(1)]
    frame = obs.long_frame(ws)
    assert len(frame) == 5 and list(frame.columns) == ["ward", "measure", "date", "value",
                                                       "denominator"]
    assert frame.loc[frame.measure == C_MEASURE, "denominator"].isna().all()


BAD_CASES = {
    "unknown ward": (["W7", P_MEASURE, "{d0}", 1, 2], "unknown ward (did you mean 'W7B'?)"),
    "unknown measure": (["W7B", "discharge_risk_sumary", "{d0}", 1, 2],
                        "did you mean 'discharge_risk_summary'"),
    "impossible date": (["W7B", P_MEASURE, "31/02/2026", 1, 2], "does not exist"),
    "unparseable date": (["W7B", P_MEASURE, "yesterday", 1, 2], "not a date"),
    "future date": (["W7B", P_MEASURE, FUTURE, 1, 2], "in the future"),
    "US date": (["W7B", P_MEASURE, "06/13/2026", 1, 2], "US month-first"),
    "two-digit year": (["W7B", P_MEASURE, "12/03/26", 1, 2], "two-digit year"),
    "negative": (["W7B", C_MEASURE, "{d0}", -1, None], "negative"),
    "fraction for a count": (["W7B", C_MEASURE, "{d0}", 1.5, None], "must be whole"),
    "text value": (["W7B", C_MEASURE, "{d0}", "seven", None], "not a number"),
    "NaN": (["W7B", C_MEASURE, "{d0}", "NaN", None], "not finite"),
    "infinity": (["W7B", I_MEASURE, "{d0}", "inf", None], "not finite"),
    "empty value": (["W7B", C_MEASURE, "{d0}", "", None], "value is empty"),
    "numerator > denominator": (["W7B", P_MEASURE, "{d0}", 10, 9], "more than its denominator"),
    "zero denominator": (["W7B", P_MEASURE, "{d0}", 0, 0], "more than 0"),
    "negative denominator (rate)": (["W7B", U_MEASURE, "{d0}", 1, -3], "negative"),
    "missing denominator": (["W7B", P_MEASURE, "{d0}", 1, None], "needs a denominator"),
    "denominator where none": (["W7B", C_MEASURE, "{d0}", 1, 4], "takes no denominator"),
    "formula": (["W7B", C_MEASURE, "{d0}", "=1+1", None], "spreadsheet formula"),
    "long field": (["W7B", "x" * 250, "{d0}", 1, None], "characters long"),
    "extra field": (["W7B", C_MEASURE, "{d0}", 1, "", "surprise"], "6 fields"),
    "NHS number": (["W7B", C_MEASURE, "{d0}", "943 476 5919", None], "NHS number"),
    "NHS number as a number": (["W7B", C_MEASURE, "{d0}", 9434765919, None], "NHS number"),
    "date of birth": (["W7B", C_MEASURE, "DOB 12/03/2019", 1, None], "date of birth"),
    "postcode": (["LS1 4AP", C_MEASURE, "{d0}", 1, None], "postcode"),
}


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_each_bad_row_refuses_the_file(sqlite_ws: Workspace, tmp_path: Path, case: str) -> None:
    obs.import_file(sqlite_ws, write_csv(tmp_path / "seed.csv", good_rows()))
    row, expected = BAD_CASES[case]
    bad = [c.format(d0=day(2).isoformat()) if isinstance(c, str) else c for c in row]
    rows = [["W7B", C_MEASURE, day(3).isoformat(), 1, None], bad]
    err = refused(sqlite_ws, write_csv(tmp_path / "bad.csv", rows))
    assert expected in str(err)
    assert "row 3" in str(err) and "row 2" not in str(err)
    assert err.problems and "nothing was stored" in str(err)
    if case in ("NHS number", "date of birth", "postcode", "NHS number as a number"):
        assert isinstance(err, PatientDataError)
        for secret in ("943", "9434765919", "12/03/2019", "LS1", "4AP"):
            assert secret not in str(err), "the message must not echo patient data"


def test_every_bad_row_is_listed_first_50_then_a_count(sqlite_ws: Workspace, tmp_path: Path) -> None:
    rows = [["W7B", C_MEASURE, day(-i).isoformat(), -1, None] for i in range(120)]
    err = refused(sqlite_ws, write_csv(tmp_path / "bad.csv", rows))
    text = str(err)
    assert "120 problem(s)" in text and "and 70 more problem(s)" in text
    assert "row 2," in text and "row 51," in text and "row 52," not in text


@pytest.mark.parametrize("header, expected", [
    ("ward,measure,date,value", "'denominator': the column is missing"),
    ("ward,measure,date,value,value,denominator", "appears more than once"),
    ("ward,measure,date,value,denominator,notes", "not part of the import"),
    ("ward,measure,date,value,denominator,NHS Number", "named like an NHS number"),
    ("ward,measure,date,value,denominator,Patient name", "named like a patient name"),
    ("ward,measure,date,value,denominator,DOB", "named like a date of birth"),
    ("ward,measure,date,value,denominator,Postcode", "named like a postcode"),
    ("ward,measure,date,value,denominator,MRN", "hospital number"),
    ("ward,measure,date,value,denominator,Address", "an address"),
])
def test_bad_header_refuses(sqlite_ws: Workspace, tmp_path: Path, header: str, expected: str) -> None:
    width = len(header.split(","))
    cells = ["W7B", C_MEASURE, day(0).isoformat(), 1, ""] + ["x"] * 3
    err = refused(sqlite_ws, write_csv(tmp_path / "h.csv", [cells[:width]], header=header))
    assert expected in str(err)


def test_duplicate_rows_in_one_file(sqlite_ws: Workspace, tmp_path: Path) -> None:
    rows = [["W7B", C_MEASURE, day(0).isoformat(), 1, None],
            ["W7B", C_MEASURE, day(0).strftime("%d/%m/%Y"), 2, None]]
    err = refused(sqlite_ws, write_csv(tmp_path / "d.csv", rows))
    assert "row 3, column 'date'" in str(err) and "already in row 2" in str(err)


def test_already_stored_needs_correct_and_reason(seeded: Workspace, tmp_path: Path) -> None:
    again = write_csv(tmp_path / "again.csv", [["W7B", P_MEASURE, day(0).isoformat(), 8, 9]])
    err = refused(seeded, again)
    assert "already stored" in str(err) and "--correct" in str(err)
    assert "needs a reason" in str(refused(seeded, again, correct=True))
    report = obs.import_file(seeded, again, correct=True, reason="recount at handover")
    assert (report.corrected, report.new) == (1, 0)
    versions = obs.history(seeded, "W7B", P_MEASURE, day(0))
    assert [(v.version, v.value, v.reason) for v in versions] == [
        (1, 7.0, ""), (2, 8.0, "recount at handover")]
    assert obs.series(seeded, "W7B", P_MEASURE)["value"].tolist() == [8.0, 5.0]
    same = obs.import_file(seeded, again, correct=True, reason="again")
    assert (same.stored, same.unchanged) == (0, 1)


def test_ward_option_fills_or_must_match(ws: Workspace, tmp_path: Path) -> None:
    no_ward = write_csv(tmp_path / "nw.csv", [[C_MEASURE, day(0).isoformat(), 3, None]],
                        header="measure,date,value,denominator")
    assert "'ward': the column is missing" in str(refused(ws, no_ward))
    assert obs.import_file(ws, no_ward, ward="ED").stored == 1
    assert obs.series(ws, "ED", C_MEASURE)["value"].tolist() == [3.0]
    mixed = write_csv(tmp_path / "mixed.csv", [["ED", C_MEASURE, day(1).isoformat(), 1, None],
                                               ["3A", C_MEASURE, day(1).isoformat(), 1, None]])
    assert "--ward ED" in str(refused(ws, mixed, ward="ED"))
    assert "unknown ward" in str(refused(ws, mixed, ward="Nowhere"))


def test_encodings_bom_and_cp1252(sqlite_ws: Workspace, tmp_path: Path) -> None:
    rows = [["W7B", C_MEASURE, day(0).isoformat(), 1, None]]
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + write_csv(tmp_path / "x.csv", rows).read_bytes())
    assert obs.import_file(sqlite_ws, bom).stored == 1
    cp = write_csv(tmp_path / "cp.csv", [["W7B", C_MEASURE, day(1).isoformat(), 1, None]],
                   header="ward,measure,date,value,denominator", encoding="cp1252")
    assert obs.import_file(sqlite_ws, cp).stored == 1
    weird = write_csv(tmp_path / "w.csv", [["W7B\u2019", C_MEASURE, day(2).isoformat(), 1, None]],
                      encoding="cp1252")
    assert "unknown ward" in str(refused(sqlite_ws, weird))


@pytest.mark.parametrize("content, name, expected", [
    (b"ward,measure,date,value,denominator\nW7B,repeat_attendances,2026-01-01,1\x00,\n", "nul.csv",
     "NUL byte"),
    (b"ward,measure,date,value,denominator\n", "x.xlsx", "is named .xlsx but is not a workbook"),
    (b"PK\x03\x04garbage", "x.csv", "is named .csv but is a binary workbook"),
    (b"PK\x03\x04garbage", "x.xlsx", "not a readable XLSX"),
    (b"\xd0\xcf\x11\xe0old", "x.xlsx", "old .xls"),
    (b"", "empty.csv", "empty"),
    (b"ward,measure,date,value,denominator\n", "header.csv", "no data rows"),
    (b"\x81\x8d\x90\x9d\xff\xfe", "bin.csv", "not text"),
    (b"a,b", "x.json", "cannot be imported"),
])
def test_files_that_are_not_sheets(sqlite_ws: Workspace, tmp_path: Path, content: bytes,
                                   name: str, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert expected in str(refused(sqlite_ws, path))


def test_missing_file_is_refused(sqlite_ws: Workspace, tmp_path: Path) -> None:
    assert "does not exist" in str(refused(sqlite_ws, tmp_path / "nope.csv"))


def _xlsx(path: Path, rows: list[list[object]], header: list[str] | None = None) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    sheet = wb.active
    sheet.append(header or ["ward", "measure", "date", "value", "denominator"])
    for r in rows:
        sheet.append(r)
    wb.save(path)
    return path


def test_xlsx_with_dates_and_numbers(ws: Workspace, tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "ok.xlsx", [["W7B", P_MEASURE, dt.datetime.combine(day(0), dt.time()), 7, 9],
                                        ["ED", I_MEASURE, day(0).isoformat(), 12.25, None]])
    assert obs.import_file(ws, path).stored == 2
    assert obs.series(ws, "ED", I_MEASURE)["value"].tolist() == [12.25]


def test_xlsx_formula_cell_is_refused(sqlite_ws: Workspace, tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "f.xlsx", [["W7B", C_MEASURE, day(0).isoformat(), "=1+2", None]])
    err = refused(sqlite_ws, path)
    assert "row 2, column 'value'" in str(err) and "formula" in str(err)


def test_xlsx_extra_cells_are_refused(sqlite_ws: Workspace, tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "e.xlsx", [["W7B", C_MEASURE, day(0).isoformat(), 1, None, "x"]])
    assert "6 cells" in str(refused(sqlite_ws, path))


def test_chunked_reading_keeps_row_numbers_and_checks_across_chunks(
        sqlite_ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.store import readers

    monkeypatch.setattr(readers, "CHUNK_ROWS", 3)
    rows: list[list[object]] = [["W7B", C_MEASURE, day(-i).isoformat(), i, None] for i in range(10)]
    rows[4] = ["W7B", C_MEASURE, day(-4).isoformat(), 4, "", "extra"]  # row 6: skipped by parser
    rows[8] = ["W7B", C_MEASURE, day(-1).isoformat(), 8, None]  # row 10 repeats row 3
    rows[9] = ["W7B", C_MEASURE, day(-9).isoformat(), -9, None]  # row 11: negative
    err = refused(sqlite_ws, write_csv(tmp_path / "c.csv", rows))
    text = str(err)
    assert "3 problem(s)" in text, text
    assert "row 6: the row has 6 fields" in text
    assert "row 10, column 'date'" in text and "already in row 3" in text
    assert "row 11, column 'value' (value '-9')" in text
    good = [r for i, r in enumerate(rows) if i not in (4, 8, 9)]
    report = obs.import_file(sqlite_ws, write_csv(tmp_path / "ok.csv", good), progress=True)
    assert report.stored == 7 and len(obs.long_frame(sqlite_ws)) == 7


def test_quoted_multiline_cell_counts_as_one_row(sqlite_ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text("ward,measure,date,value,denominator\n"
                    f'"W7B\nX",{C_MEASURE},{day(0).isoformat()},1,\n'
                    f"W7B,{C_MEASURE},{day(1).isoformat()},-1,\n", "utf-8")
    text = str(refused(sqlite_ws, path))
    assert "row 2, column 'ward'" in text and "row 3, column 'value'" in text


def test_blank_rows_are_skipped_but_counted(sqlite_ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_text("ward,measure,date,value,denominator\n"
                    f"W7B,{C_MEASURE},{day(0).isoformat()},1,\n\n,,,,\n"
                    f"W7B,{C_MEASURE},{day(1).isoformat()},-1,\n,,,,\n", "utf-8")
    assert "row 5, column 'value'" in str(refused(sqlite_ws, path))
    path.write_text("ward,measure,date,value,denominator\n"
                    f"W7B,{C_MEASURE},{day(0).isoformat()},1,\n,,,,\n", "utf-8")
    assert obs.import_file(sqlite_ws, path).stored == 1
