"""Limits before memory, and honest formats (issue 14, items 4 and 5).

Every refusal leaves the store as it was (``refused`` compares the whole store before and
after); hostile files are refused from their size or header before they are parsed
(``benchmarks/bench_hostile.py`` measures the peak memory of the full-size ones).
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from store_helpers import C_MEASURE, P_MEASURE, day, snapshot, write_csv
from test_import import _xlsx, refused

from workbench.domain.errors import WorkbenchError
from workbench.services import observations as obs
from workbench.store import limits, readers
from workbench.store.workspace import Workspace

HEADER = "ward,measure,date,value,denominator"


def test_excel_unicode_text_is_read(sqlite_ws: Workspace, tmp_path: Path) -> None:
    """Excel's "Unicode Text" is tab-separated UTF-16 with a byte-order mark, saved as .txt."""
    text = HEADER.replace(",", "\t") + f"\r\nW7B\t{C_MEASURE}\t{day(0).strftime('%d/%m/%Y')}\t4\t\r\n"
    path = tmp_path / "counts.txt"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    assert obs.import_file(sqlite_ws, path).stored == 1
    big_endian = tmp_path / "be.csv"
    big_endian.write_bytes(b"\xfe\xff" + (f"{HEADER}\nW7B,{C_MEASURE},{day(1).isoformat()},5,\n")
                           .encode("utf-16-be"))
    assert obs.import_file(sqlite_ws, big_endian).stored == 1
    assert obs.series(sqlite_ws, "W7B", C_MEASURE)["value"].tolist() == [4.0, 5.0]


def test_a_comma_separated_txt_is_read_as_the_docs_say(sqlite_ws: Workspace,
                                                       tmp_path: Path) -> None:
    path = write_csv(tmp_path / "counts.txt", [["W7B", C_MEASURE, day(0).isoformat(), 2, None]])
    assert obs.import_file(sqlite_ws, path).stored == 1


def test_broken_utf16_is_refused_in_plain_words(sqlite_ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_bytes(b"\xff\xfe" + HEADER.encode("utf-16-le") + b"\x00\xd8")  # lone surrogate
    assert "not valid UTF-16" in str(refused(sqlite_ws, path))


def test_a_workbook_with_several_sheets_says_which_it_read(sqlite_ws: Workspace,
                                                           tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "book.xlsx", [["W7B", C_MEASURE, day(0).isoformat(), 3, None]])
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb.active.title = "Counts"
    notes = wb.create_sheet("Notes")
    notes.append(["anything", "else"])
    later = wb.create_sheet("Later")
    later.append(HEADER.split(","))
    later.append(["W7B", C_MEASURE, day(1).isoformat(), 6, None])
    wb.save(path)
    report = obs.import_file(sqlite_ws, path)
    assert "Read sheet 'Counts', the first of 3 (Counts, Notes, Later)" in report.summary()
    assert obs.import_file(sqlite_ws, path, sheet="Later").note == ""
    assert obs.series(sqlite_ws, "W7B", C_MEASURE)["value"].tolist() == [3.0, 6.0]
    err = str(refused(sqlite_ws, path, sheet="Notess"))
    assert "no sheet 'Notess'" in err and "Counts, Notes, Later" in err
    err = str(refused(sqlite_ws, path, sheet="Notes"))
    assert "missing column" in err or "column" in err
    wb.move_sheet("Notes", offset=-1)
    wb.save(path)
    assert "Read sheet 'Notes'" in str(refused(sqlite_ws, path))
    assert "--sheet is for .xlsx" in str(refused(
        sqlite_ws, write_csv(tmp_path / "a.csv", [["W7B", C_MEASURE, day(5).isoformat(), 1, None]]),
        sheet="Counts"))


def test_a_date_cell_with_a_time_counts_for_its_day(sqlite_ws: Workspace, tmp_path: Path) -> None:
    when = dt.datetime.combine(day(0), dt.time(14, 35))
    path = _xlsx(tmp_path / "t.xlsx", [["W7B", P_MEASURE, when, 7, 9]])
    assert obs.import_file(sqlite_ws, path).stored == 1
    assert obs.series(sqlite_ws, "W7B", P_MEASURE)["date"].dt.date.tolist() == [day(0)]


def test_a_header_with_too_many_columns_is_refused_before_reading(sqlite_ws: Workspace,
                                                                  tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(60)) + "\n" + ",".join("1" * 60) + "\n")
    err = str(refused(sqlite_ws, path))
    assert "60 columns (at most 50 are read" in err and "Keep only the columns" in err
    xlsx = _xlsx(tmp_path / "wide.xlsx", [], header=[f"c{i}" for i in range(60)])
    assert "60 columns (at most 50" in str(refused(sqlite_ws, xlsx))


def test_a_line_too_long_is_refused_before_parsing(sqlite_ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text(f"{HEADER}\nW7B,{C_MEASURE},{day(0).isoformat()},1,\n"
                    + "x" * (limits.MAX_LINE_BYTES + 1) + "\n")
    err = str(refused(sqlite_ws, path))
    assert "row 3 is longer than 10,000 bytes" in err
    one_line = tmp_path / "one.csv"
    one_line.write_text("a," * 20_000)
    assert "row 1 is longer than 10,000 bytes" in str(refused(sqlite_ws, one_line))


def test_a_workbook_that_unpacks_too_big_is_refused_from_its_directory(
        sqlite_ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _xlsx(tmp_path / "ok.xlsx", [["W7B", C_MEASURE, day(0).isoformat(), 3, None]])
    with zipfile.ZipFile(path) as zf:
        unpacked = sum(i.file_size for i in zf.infolist())
    monkeypatch.setattr(limits, "MAX_XLSX_UNCOMPRESSED", unpacked - 1)
    err = str(refused(sqlite_ws, path))
    assert f"unpacks to {unpacked:,} bytes" in err and "Split it into smaller files" in err


def test_a_sheet_with_too_many_cells_is_refused(sqlite_ws: Workspace, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [["W7B", C_MEASURE, day(i).isoformat(), i, None] for i in range(5)]
    path = _xlsx(tmp_path / "many.xlsx", rows)
    monkeypatch.setattr(limits, "MAX_XLSX_CELLS", 20)  # counted before parsing
    # 25 = the 5 header cells + 5 rows of 4 filled cells (an empty denominator is not written)
    assert "more than 20 cells (the most read; it holds 25)" in str(refused(sqlite_ws, path))
    monkeypatch.setattr(limits, "MAX_XLSX_CELLS", 10**9)
    monkeypatch.setattr(readers, "MAX_XLSX_CELLS", 20)  # and again while streaming
    assert "more than 20 cells" in str(refused(sqlite_ws, path))


def test_a_workbook_claiming_a_huge_size_reads_only_its_cells(sqlite_ws: Workspace,
                                                              tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "claims.xlsx", [["W7B", C_MEASURE, day(0).isoformat(), 3, None]])
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    import re

    parts["xl/worksheets/sheet1.xml"] = re.sub(r'<dimension ref="[^"]*"',
                                               '<dimension ref="A1:XFD1048576"', sheet).encode()
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    assert obs.import_file(sqlite_ws, path).stored == 1


def test_export_to_an_unknown_format_is_refused(sqlite_ws: Workspace, tmp_path: Path) -> None:
    before = snapshot(sqlite_ws)
    with pytest.raises(WorkbenchError, match=r"name the file .csv or .xlsx"):
        obs.export_file(sqlite_ws, tmp_path / "x.zzz")
    assert not (tmp_path / "x.zzz").exists() and snapshot(sqlite_ws) == before
