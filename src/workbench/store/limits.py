"""Size limits checked before a file is parsed, so hostile files are refused cheaply.

Each limit is far above what a ward's real files need (a year of daily counts for every ward
and measure of a trust is a few hundred thousand rows) and far below what would fill the memory
of a ward PC with 4 GB (``docs/store.md`` quotes the measured peak memory of hostile files,
``benchmarks/bench_hostile.py``).  Refusals state the limit and how to split the file.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

MAX_COLUMNS = 50
"""Columns in an import's header (five are needed)."""

MAX_LINE_BYTES = 10_000
"""Bytes in one line of a CSV (a row of five cells of at most 200 characters is about 1,000)."""

MAX_XLSX_UNCOMPRESSED = 400 * 1024 * 1024
"""Total uncompressed size of an XLSX's parts (a full 1,048,576-row sheet of counts is ~150 MB)."""

MAX_XLSX_SHARED_STRINGS = 64 * 1024 * 1024
"""Uncompressed size of an XLSX's shared-strings part (read whole into memory by openpyxl)."""

MAX_XLSX_PARTS = 2_000
"""Files inside an XLSX."""

MAX_XLSX_CELLS = 6_000_000
"""Cells in a sheet: a full sheet (1,048,576 rows) of the five columns, with room over."""

_CELL_TAGS = (b"<c ", b"<c>", b"<c/>", b":c ", b":c>")  # <c ...>, and <x:c ...> with a prefix
_BLOCK = 4 << 20

MAX_RECORD_BYTES = 1024 * 1024
"""Size of one YAML record file (a cycle is a few kilobytes)."""

SPLIT = ("Split it into smaller files (for example one per ward or per quarter) and import "
         "them one after another.")


def mb(n: int) -> str:
    """A byte count in megabytes for messages."""
    return f"{n / (1024 * 1024):,.0f} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


def xlsx_problem(path: Path) -> str | None:
    """Why an XLSX is too big to open, judged from its zip directory alone (None: it is fine).

    The zip's table of contents states every part's uncompressed size; nothing is inflated.
    """
    try:
        with zipfile.ZipFile(path) as zf:
            parts = zf.infolist()
    except (zipfile.BadZipFile, OSError):
        return None  # the reader says it is not a readable workbook
    if len(parts) > MAX_XLSX_PARTS:
        return (f"the workbook holds {len(parts):,} parts (at most {MAX_XLSX_PARTS:,} are "
                "read)")
    total = sum(p.file_size for p in parts)
    if total > MAX_XLSX_UNCOMPRESSED:
        return (f"the workbook unpacks to {mb(total)} (at most {mb(MAX_XLSX_UNCOMPRESSED)} "
                "are read)")
    strings = sum(p.file_size for p in parts if p.filename.lower().endswith("sharedstrings.xml"))
    if strings > MAX_XLSX_SHARED_STRINGS:
        return (f"the workbook's text cells unpack to {mb(strings)} (at most "
                f"{mb(MAX_XLSX_SHARED_STRINGS)} are read)")
    for part in parts:
        if part.filename.lower().startswith("xl/worksheets/") and \
                part.filename.lower().endswith(".xml"):
            cells = count_cells(path, part.filename)
            if cells > MAX_XLSX_CELLS:
                return (f"a sheet holds more than {MAX_XLSX_CELLS:,} cells (the most read; it "
                        f"holds {cells:,})")
    return None


def count_cells(path: Path, part: str) -> int:
    """Cells in one worksheet part, counted in one streaming pass over its XML (no parsing)."""
    count, tail = 0, b""
    with zipfile.ZipFile(path) as zf, zf.open(part) as fh:
        while block := fh.read(_BLOCK):
            data = tail + block
            count += sum(data.count(tag) for tag in _CELL_TAGS)
            tail = data[-3:]
            count -= sum(tail.count(tag) for tag in _CELL_TAGS)  # counted again next block
    return count
