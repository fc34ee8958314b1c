"""Export latest versions in the import's columns, safe to open in a spreadsheet.

Text cells that begin with ``=``, ``+``, ``-``, ``@`` (or a tab / carriage return) are prefixed
with a single quote so a spreadsheet shows them as text instead of running them as formulas.
Numbers stay numbers.  An exported file can be imported again unchanged.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.domain.errors import WorkbenchError

if TYPE_CHECKING:
    import pandas as pd

EXPORT_COLUMNS = ["ward", "measure", "date", "value", "denominator"]
_RISKY = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> str:
    """One cell safe for spreadsheets: text starting with = + - @ (or a tab) gets a leading quote."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_RISKY) else text


def neutralise(text: pd.Series) -> pd.Series:
    """Prefix risky text cells with ``'`` (vectorised :func:`neutralise_cell`)."""
    text = text.astype(str)
    return text.where(~text.str.startswith(_RISKY), "'" + text)


def _numbers(values: pd.Series) -> pd.Series:
    """Whole numbers as integers, others unchanged; missing as empty (object column)."""
    import numpy as np

    arr = values.to_numpy(dtype=float)
    whole = np.isfinite(arr) & (np.mod(arr, 1) == 0) & (np.abs(arr) < 2**53)
    out = np.empty(arr.size, dtype=object)
    out[whole] = arr[whole].astype(np.int64)
    rest = ~whole & ~np.isnan(arr)
    out[rest] = arr[rest]
    out[np.isnan(arr)] = None
    return values.__class__(out, index=values.index, dtype=object)


def export_frame(frame: pd.DataFrame, path: Path, fmt: str) -> int:
    """Write *frame* (ward, measure, date, value, denominator) to CSV or XLSX atomically.

    Returns
    -------
    int
        Rows written.
    """
    if fmt not in ("csv", "xlsx"):
        raise WorkbenchError(f"unknown export format '{fmt}'; use csv or xlsx.")
    out = frame[EXPORT_COLUMNS].copy()
    out["ward"] = neutralise(out["ward"])
    out["measure"] = neutralise(out["measure"])
    out["value"] = _numbers(out["value"])
    out["denominator"] = _numbers(out["denominator"])
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        if fmt == "csv":
            out["date"] = out["date"].dt.strftime("%Y-%m-%d")
            out.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")
        else:
            _write_xlsx(out, Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(out)


def _write_xlsx(out: pd.DataFrame, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    sheet = wb.create_sheet("observations")
    sheet.append(EXPORT_COLUMNS)
    dates = out["date"].dt.date.tolist()
    for ward, measure, day, value, den in zip(out["ward"], out["measure"], dates, out["value"],
                                              out["denominator"], strict=True):
        cell = WriteOnlyCell(sheet, value=day)
        cell.number_format = "yyyy-mm-dd"
        row = [WriteOnlyCell(sheet, value=ward), WriteOnlyCell(sheet, value=measure), cell,
               value, den]
        for c in row[:2]:
            c.data_type = "s"  # text, never a formula
        sheet.append(row)
    wb.save(path)
