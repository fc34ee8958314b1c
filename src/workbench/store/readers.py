"""Read import files (CSV or XLSX) into chunks of text cells, refusing what is not a sheet.

Every reader yields ``pandas.DataFrame`` chunks of strings whose index is the row number as a
spreadsheet shows it (the header is row 1) and whose columns are positions ``0..k``.  The
header row itself is returned separately.  File-level problems (NUL bytes, binary content, a
file that is not what its extension says, rows with more fields than the header) are collected
in :attr:`TableReader.problems`.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import re
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from workbench.domain.errors import RowProblem
from workbench.store.limits import (
    MAX_COLUMNS,
    MAX_LINE_BYTES,
    MAX_XLSX_CELLS,
    SPLIT,
    xlsx_problem,
)

if TYPE_CHECKING:
    import pandas as pd
    from tqdm import tqdm

CHUNK_ROWS = 250_000
_BLOCK = 4 << 20
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CP1252_HOLES = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
_SKIPPED = re.compile(r"Skipping line (\d+): expected (\d+) fields, saw (\d+)")
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"
_UTF16 = (b"\xff\xfe", b"\xfe\xff")
_MAX_LISTED = 1_000  # file-level problems kept (the refusal lists the first 50)
_COLUMNS_FIX = ("Keep only the columns ward, measure, date, value and denominator (delete the "
                "others in the spreadsheet) and save again.")


class FileUnreadable(Exception):
    """Raised inside the store when a file cannot be read at all; carries one problem."""

    def __init__(self, problem: RowProblem) -> None:
        self.problem = problem
        super().__init__(str(problem))


def _file_problem(why: str, fix: str, row: int = 0) -> FileUnreadable:
    return FileUnreadable(RowProblem(row=row, column="", value="", why=why, fix=fix))


class _Counting(io.RawIOBase):
    """A binary file wrapper that advances a progress bar as bytes are read."""

    def __init__(self, fh: IO[bytes], bar: tqdm[Any] | None) -> None:
        super().__init__()
        self._fh = fh
        self._bar = bar

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._fh.read(len(buffer))
        buffer[: len(data)] = data
        if self._bar is not None:
            self._bar.update(len(data))
        return len(data)


class TableReader:
    """Chunks of text cells from one import file.

    Parameters
    ----------
    path : Path
        A ``.csv`` or ``.xlsx`` file.
    progress : bool
        Show a tqdm progress bar on stderr while reading.
    """

    def __init__(self, path: Path, *, progress: bool = False, sheet: str | None = None) -> None:
        self.path = path
        self.progress = progress
        self.problems: list[RowProblem] = []
        self.header: list[str] = []
        self.encoding = "utf-8-sig"
        self.sep = ","
        self.sheet = sheet
        self.note = ""
        self._source = path  # the bytes read (a UTF-8 copy of a UTF-16 file)
        suffix = path.suffix.lower()
        if suffix not in (".csv", ".xlsx", ".txt"):
            raise _file_problem(f"'{suffix or 'no extension'}' files cannot be imported",
                                "Save the sheet as .csv (UTF-8), .txt (Excel's Unicode Text) or "
                                ".xlsx and import that.")
        if not path.is_file():
            raise _file_problem("the file does not exist", "Check the path and try again.")
        with path.open("rb") as fh:
            head = fh.read(8)
        if not head:
            raise _file_problem("the file is empty", "Export the sheet again with its header row.")
        self.kind = "xlsx" if suffix == ".xlsx" else "csv"
        if self.kind == "xlsx" and not head.startswith(_ZIP):
            what = "an old .xls workbook" if head.startswith(_OLE) else "not a workbook (it looks like text)"
            raise _file_problem(f"the file is named .xlsx but is {what}",
                                "Open it in Excel and save as .xlsx, or rename a CSV to .csv.")
        if self.kind == "csv" and (head.startswith(_ZIP) or head.startswith(_OLE)):
            raise _file_problem("the file is named .csv but is a binary workbook",
                                "Rename it to .xlsx, or save it from Excel as CSV (UTF-8).")
        if self.kind == "xlsx":
            too_big = xlsx_problem(path)
            if too_big:
                raise _file_problem(too_big, SPLIT)
        if self.kind == "csv" and sheet is not None:
            raise _file_problem("--sheet is for .xlsx workbooks; this file has one table",
                                "Leave out --sheet.")
        if self.kind == "csv":
            if head.startswith(_UTF16):
                self._source = _utf8_copy(path)
            self._prescan()
            self._check_header()

    def close(self) -> None:
        """Remove the UTF-8 copy of a UTF-16 file, if one was made."""
        if self._source != self.path:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._source)

    # -- CSV ---------------------------------------------------------------------------------
    def _prescan(self) -> None:
        """One pass over the bytes: NUL/control bytes, and UTF-8 or Windows-1252 text."""
        import numpy as np

        utf8 = codecs.getincrementaldecoder("utf-8")()
        utf8_ok, cp1252_ok, line, bad, carry = True, True, 1, 0, 0
        with self._source.open("rb") as fh:
            while block := fh.read(_BLOCK):
                ends = np.flatnonzero(np.frombuffer(block, np.uint8) == 10)
                runs = [carry + (int(ends[0]) if ends.size else len(block))]
                if ends.size > 1:
                    runs.append(int(np.diff(ends).max()) - 1)
                carry = len(block) - int(ends[-1]) - 1 if ends.size else runs[0]
                if max(runs) > MAX_LINE_BYTES:
                    at = line + (0 if runs[0] > MAX_LINE_BYTES else
                                 int(np.argmax(np.diff(ends))) + 1)
                    raise _file_problem(
                        f"row {at} is longer than {MAX_LINE_BYTES:,} bytes (the most read in one "
                        "row; a row of counts is far shorter)", _COLUMNS_FIX, row=at)
                for m in _CONTROL.finditer(block):
                    bad += 1
                    if bad <= 5:
                        at = line + block.count(b"\n", 0, m.start())
                        what = "a NUL byte" if block[m.start()] == 0 else "a control character"
                        self.problems.append(RowProblem(
                            row=at, column="", value="",
                            why=f"{what} (binary content) is in this row",
                            fix="Import plain text exported from a spreadsheet, not binary data."))
                if utf8_ok:
                    try:
                        utf8.decode(block)
                    except UnicodeDecodeError:
                        utf8_ok = False
                if cp1252_ok and _CP1252_HOLES.search(block):
                    cp1252_ok = False
                line += block.count(b"\n")
        if bad > 5:
            self.problems.append(RowProblem(0, "", "", f"{bad - 5} more rows hold binary content",
                                            "Import plain text exported from a spreadsheet."))
        if not utf8_ok and not cp1252_ok:
            raise _file_problem("the file is not text in UTF-8 or Windows-1252",
                                "Save it from the spreadsheet as CSV (UTF-8).")
        self.encoding = "utf-8-sig" if utf8_ok else "cp1252"

    def _check_header(self) -> None:
        """Refuse a header with too many columns before pandas reads it; pick the separator."""
        import csv

        with self._source.open("rb") as fh:
            first = fh.readline(MAX_LINE_BYTES + 1)
        text = first.decode(self.encoding, errors="replace").rstrip("\r\n")
        if "\t" in text and "," not in text:
            self.sep = "\t"  # Excel's "Unicode Text" (.txt) is tab-separated
        cells = next(csv.reader([text], delimiter=self.sep), [])
        if len(cells) > MAX_COLUMNS:
            raise _file_problem(f"the header has {len(cells):,} columns (at most {MAX_COLUMNS} "
                                "are read; five are needed)", _COLUMNS_FIX, row=1)

    def _csv_chunks(self) -> Iterator[pd.DataFrame]:
        import numpy as np
        import pandas as pd
        from tqdm import tqdm

        skipped: list[int] = []
        next_row = 1
        size = self._source.stat().st_size
        with self._source.open("rb") as raw, tqdm(total=size, unit="B", unit_scale=True, leave=False,
                                                 desc=self.path.name, disable=not self.progress) as bar:
            binary = io.BufferedReader(_Counting(raw, bar), buffer_size=1 << 20)
            fh: IO[Any] = binary
            if self.encoding != "utf-8-sig":
                fh = io.TextIOWrapper(binary, encoding=self.encoding, newline="")
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    reader = pd.read_csv(fh, header=None, dtype=str, keep_default_na=False,
                                         sep=self.sep,
                                         encoding=self.encoding, on_bad_lines="warn",
                                         chunksize=CHUNK_ROWS, skip_blank_lines=False)
                    for chunk in reader:
                        for w in caught:
                            for m in _SKIPPED.finditer(str(w.message)):
                                skipped.append(int(m.group(1)))
                                if len(self.problems) >= _MAX_LISTED:
                                    continue
                                self.problems.append(RowProblem(
                                    int(m.group(1)), "", "",
                                    f"the row has {m.group(3)} fields but the header has "
                                    f"{m.group(2)} columns",
                                    "Remove the extra cells (or quote text that holds commas)."))
                        caught.clear()
                        n = len(chunk)
                        ahead = np.arange(next_row, next_row + n + len(skipped) + 1)
                        rows = np.setdiff1d(ahead, np.asarray(skipped, dtype=ahead.dtype))[:n]
                        next_row = int(rows[-1]) + 1 if n else next_row
                        chunk.index = pd.Index(rows)
                        chunk = chunk.fillna("")
                        if not self.header:
                            self.header = [str(v) for v in chunk.iloc[0].tolist()]
                            chunk = chunk.iloc[1:]
                        blank = (chunk[0] == "").to_numpy().copy()
                        if blank.any():  # empty rows (",,,," or blank lines) are skipped
                            blank[blank] = (chunk[blank] == "").all(axis=1).to_numpy()
                            chunk = chunk[~blank]
                        yield chunk
                except pd.errors.EmptyDataError:
                    return
                except (pd.errors.ParserError, UnicodeDecodeError) as exc:
                    raise _file_problem(f"the file cannot be read as CSV ({exc})".rstrip(),
                                        "Save it from the spreadsheet as CSV (UTF-8).") from exc

    # -- XLSX --------------------------------------------------------------------------------
    def _xlsx_chunks(self) -> Iterator[pd.DataFrame]:
        import pandas as pd
        from openpyxl import load_workbook
        from tqdm import tqdm

        try:
            wb = load_workbook(self.path, read_only=True, data_only=False)
        except Exception as exc:  # noqa: BLE001 - any failure means "not a readable workbook"
            raise _file_problem("the file is not a readable XLSX workbook",
                                "Open it in Excel and save it again as .xlsx.") from exc
        try:
            sheet = self._pick_sheet(wb)
            sheet.reset_dimensions()  # read the cells there are, never a claimed size
            rows: list[list[str]] = []
            index: list[int] = []
            cells_read = 0
            with tqdm(desc=self.path.name, unit="row", leave=False,
                      disable=not self.progress) as bar:
                for cells in sheet.iter_rows():
                    cells_read += len(cells)
                    if cells_read > MAX_XLSX_CELLS:
                        raise _file_problem(f"the sheet holds more than {MAX_XLSX_CELLS:,} cells "
                                            "(the most read)", SPLIT)
                    texts = [_cell_text(c) for c in cells]
                    while texts and texts[-1] == "":
                        texts.pop()
                    if not texts:
                        continue
                    rownum = getattr(cells[0], "row", None) or (len(index) + 1)
                    if not self.header:
                        if len(texts) > MAX_COLUMNS:
                            raise _file_problem(
                                f"the header has {len(texts):,} columns (at most {MAX_COLUMNS} "
                                "are read; five are needed)", _COLUMNS_FIX, row=int(rownum))
                        self.header = texts
                        continue
                    rows.append(texts)
                    index.append(int(rownum))
                    bar.update(1)
                    if len(rows) >= CHUNK_ROWS:
                        yield self._frame(pd, rows, index)
                        rows, index = [], []
            if rows:
                yield self._frame(pd, rows, index)
        finally:
            wb.close()

    def _pick_sheet(self, wb: Any) -> Any:
        """The sheet named by ``--sheet``, else the first; :attr:`note` says which was read."""
        names = list(wb.sheetnames)
        if self.sheet is not None:
            if self.sheet not in names:
                raise _file_problem(f"the workbook has no sheet '{self.sheet}'",
                                    f"Give one of its sheets: {', '.join(names)}.")
            return wb[self.sheet]
        if len(names) > 1:
            self.note = (f"Read sheet '{names[0]}', the first of {len(names)} "
                         f"({', '.join(names)}); give --sheet NAME to read another.")
        return wb[names[0]]

    def _frame(self, pd: Any, rows: list[list[str]], index: list[int]) -> pd.DataFrame:
        width = len(self.header)
        for r, texts in zip(index, rows, strict=True):
            if len(texts) > width and len(self.problems) < _MAX_LISTED:
                self.problems.append(RowProblem(
                    r, "", "", f"the row has {len(texts)} cells but the header has {width} columns",
                    "Delete the cells to the right of the last column."))
        fixed = [(t + [""] * width)[:width] for t in rows]
        return pd.DataFrame(fixed, index=pd.Index(index), columns=range(width), dtype=object)

    def chunks(self) -> Iterator[pd.DataFrame]:
        """Data rows in chunks (the header is read first into :attr:`header`)."""
        if self.kind == "xlsx":
            return self._xlsx_chunks()
        return self._csv_chunks()


def _utf8_copy(path: Path) -> Path:
    """A UTF-8 copy of a UTF-16 text file (Excel's "Unicode Text"), in the temporary folder."""
    fd, tmp = tempfile.mkstemp(prefix="workbench-import-", suffix=".csv")
    try:
        with path.open("rb") as src, os.fdopen(fd, "wb") as out:
            decoder = codecs.getincrementaldecoder("utf-16")()
            while block := src.read(_BLOCK):
                out.write(decoder.decode(block).encode("utf-8"))
            out.write(decoder.decode(b"", final=True).encode("utf-8"))
    except UnicodeDecodeError:
        os.unlink(tmp)
        raise _file_problem("the file starts as UTF-16 text but is not valid UTF-16",
                            "Save it from the spreadsheet as CSV (UTF-8).") from None
    except BaseException:
        os.unlink(tmp)
        raise
    return Path(tmp)


def _cell_text(cell: Any) -> str:
    """A cell's content as text; formulas keep their leading ``=`` so they are refused."""
    import datetime as dt

    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if getattr(cell, "data_type", None) == "f" and not str(value).startswith("="):
        return "=" + str(getattr(value, "text", value))
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):  # a count is for a day: a time of day is left out
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, int | float | str):
        return str(value)
    return "=" + str(getattr(value, "text", value))
