"""Validated, all-or-nothing import of observation rows from CSV or XLSX.

Rules (see ``docs/store.md``): every row is read and checked first, in chunks, with vectorised
pandas checks; any problem refuses the whole file and lists every bad row (the first 50 in the
message, then a count).  Only a clean file is written, in one transaction that also checks, under
the write lock, that no row is already stored (unless correcting).  A crash or kill during the
write rolls the transaction back: the store is unchanged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.domain.catalogue import Measure
from workbench.domain.errors import RowProblem
from workbench.store.bulk import insert_frame, prepare_rows, stored_keys, write_prepared
from workbench.store.db import write_tx
from workbench.store.observations import (
    KEYS,
    audit,
    is_unique_violation,
    latest_for_keys,
    new_batch,
    now_utc,
)
from workbench.store.pii import scan_text
from workbench.store.problems import FileRefused, Problems
from workbench.store.readers import FileUnreadable, TableReader
from workbench.store.validate import Rules, check_chunk, check_file, resolve_columns

if TYPE_CHECKING:
    import pandas as pd
    import sqlalchemy as sa


_ALREADY_FIX = {
    "import": "To change stored counts, import with --correct --reason 'why' (a new version is "
              "kept; the old one stays in the history).",
    "form": "Correct the stored count instead (a new version is kept; the old one stays in the "
            "history).",
}


@dataclass(frozen=True)
class ImportReport:
    """What an import (or a form entry) stored.

    Attributes
    ----------
    path : str
        The file, or a description of the form entry.
    rows : int
        Rows read from the file.
    stored : int
        Rows written (new observations plus corrections).
    new : int
        Observations stored for the first time.
    corrected : int
        New versions of stored observations.
    unchanged : int
        Rows skipped in a correction because they equal the stored latest version.
    batch : int or None
        The import batch id (``None`` when nothing was written).
    seconds : float
        Wall time.
    """

    path: str
    rows: int
    stored: int
    new: int
    corrected: int
    unchanged: int
    batch: int | None
    seconds: float
    note: str = ""

    def summary(self) -> str:
        """One line for the command line."""
        extra = f", {self.corrected} corrected, {self.unchanged} unchanged" if (
            self.corrected or self.unchanged) else ""
        batch = f" (batch {self.batch})" if self.batch is not None else ""
        return (f"Imported {self.path}: {self.stored} row(s) stored{batch}: {self.new} new{extra}; "
                f"{self.seconds:.1f} s.") + (f" {self.note}" if self.note else "")


def check_note(text: str, what: str) -> str:
    """A free-text note stored with rows (reason, entered by): trimmed, short, no patient data."""
    note = text.strip()
    if len(note) > 200:
        raise FileRefused(what, [RowProblem(0, "", "", f"the text is {len(note)} characters long "
                                            "(at most 200)", "Shorten it.")])
    scan_text(note, what)
    return note


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def validate_table(reader: TableReader, rules: Rules, where: str) -> pd.DataFrame:
    """Read and check every row; return the typed rows or raise the refusal listing them all."""
    import pandas as pd

    problems = Problems()
    typed: list[pd.DataFrame] = []
    cols: dict[str, int] | None = None
    try:
        for chunk in reader.chunks():
            if cols is None:
                cols = resolve_columns(reader.header, rules, problems)
                if problems.total:
                    break
            typed.append(check_chunk(chunk, cols, rules, problems))
    except FileUnreadable as exc:
        problems.single(exc.problem)
    if cols is None and not problems.total:
        if not reader.header:
            problems.single(RowProblem(0, "", "", "the file is empty",
                                       "Export the sheet again with its header row."))
        else:
            resolve_columns(reader.header, rules, problems)
    for problem in reader.problems:
        problems.single(problem, patient_data=False)
    if problems.total and reader.note:
        problems.single(RowProblem(0, "", "", reader.note.split(";")[0],
                                   "Give --sheet NAME if the counts are on another sheet."),
                        patient_data=False)
    frame = pd.concat(typed, ignore_index=True) if typed else pd.DataFrame()
    if not problems.total and frame.empty:
        problems.single(RowProblem(0, "", "", "the file has a header but no data rows",
                                   "Add rows below the header: ward, measure, date, value, "
                                   "denominator."))
    if not frame.empty:
        check_file(frame, problems)
    if problems.total:
        raise problems.refusal(where)
    return frame[["row", "ward", "measure", "date", "value", "denominator"]]


def store_rows(engine: sa.Engine, rows: pd.DataFrame, *, where: str, correct: bool, reason: str,
               source: str, entered_by: str, filename: str = "", sha256: str = "",
               progress: bool = False,
               at: dt.datetime | None = None) -> tuple[int | None, int, int, int]:
    """Write checked rows in one transaction; refuse rows already stored unless correcting.

    Returns
    -------
    tuple
        ``(batch, new, corrected, unchanged)``.
    """
    import numpy as np

    at = at or now_utc()
    if not correct:
        prepared = prepare_rows(rows.assign(version=1, reason=""), source=source,
                                entered_by=entered_by, at=at)
    try:
        with write_tx(engine) as conn:
            if not correct:
                clash = stored_keys(conn, prepared)
                if clash.any():
                    problems = Problems()
                    problems.add(rows["row"].to_numpy()[clash], "date",
                                 "a count for this ward, measure and date is already stored",
                                 _ALREADY_FIX.get(source, _ALREADY_FIX["import"]))
                    raise problems.refusal(where)
                batch = None
                if source == "import":
                    batch = new_batch(conn, source=source, filename=filename or where,
                                      sha256=sha256, rows=len(rows), correct=False, reason="",
                                      entered_by=entered_by, at=at)
                write_prepared(conn, prepared, batch=batch, progress=progress)
                audit(conn, source, entered_by, {"what": filename or where, "sha256": sha256,
                                                 "rows": len(rows), "new": len(rows)},
                      batch=batch, at=at)
                return batch, len(rows), 0, 0
            stored = latest_for_keys(conn, rows)
            work = rows.assign(version=1, reason="")
            unchanged = corrected = 0
            if not stored.empty:
                work = rows.merge(stored, on=KEYS, how="left")
                has = work["version"].notna().to_numpy()
                # equal to 12 significant digits counts as unchanged (XLSX keeps about 16)
                same = has & np.isclose(work["value"], work["old_value"], rtol=1e-12, atol=0) & (
                    np.isclose(work["denominator"], work["old_den"], rtol=1e-12, atol=0)
                    | (work["denominator"].isna() & work["old_den"].isna())).to_numpy()
                unchanged = int(same.sum())
                corrected = int((has & ~same).sum())
                work = work.assign(
                    version=np.where(has, work["version"].fillna(0) + 1, 1).astype("int64"),
                    reason=np.where(has, reason, ""))[~same]
            batch = new_batch(conn, source=source, filename=filename or where, sha256=sha256,
                              rows=len(rows), correct=True, reason=reason,
                              entered_by=entered_by, at=at)
            insert_frame(conn, work, source=source, entered_by=entered_by, at=at, batch=batch,
                         progress=progress)
            audit(conn, "correct", entered_by,
                  {"what": filename or where, "sha256": sha256, "rows": len(rows),
                   "new": len(work) - corrected, "corrected": corrected, "unchanged": unchanged,
                   "reason": reason}, batch=batch, at=at)
    except Exception as exc:
        if not is_unique_violation(exc):
            raise
        raise FileRefused(where, [RowProblem(
            0, "", "", "someone else stored counts for the same ward, measure and date while "
            "this was being saved", "Nothing was stored; run it again to see what changed.")]
        ) from exc
    return batch, len(work) - corrected, corrected, unchanged


def import_table(engine: sa.Engine, path: Path, *, wards: list[str],
                 measures: Mapping[str, Measure], ward: str | None = None,
                 correct: bool = False, reason: str | None = None, entered_by: str = "",
                 progress: bool = False, today: dt.date | None = None,
                 sheet: str | None = None) -> ImportReport:
    """Import one CSV or XLSX file, all or nothing.

    Parameters
    ----------
    engine : sqlalchemy.Engine
    path : Path
    wards : list of str
        Known ward ids.
    measures : mapping
        Catalogue measures by id.
    ward : str, optional
        Fill the ward column (the file may omit it) or require every row to match.
    correct : bool
        Store rows already stored as new versions (needs *reason*).
    reason : str, optional
        Why the correction is made (required with *correct*).
    entered_by : str
        Who imports.
    progress : bool
        Progress bars on stderr.
    today : date, optional
        For tests; dates after it are refused.
    sheet : str, optional
        The workbook's sheet to read (default the first; the report says which was read).

    Raises
    ------
    ImportRefused
        Listing every problem; nothing was stored.
    """
    started = time.perf_counter()
    where = str(path)
    if correct and not (reason or "").strip():
        raise FileRefused(where, [RowProblem(0, "", "", "a correction needs a reason",
                                             "Add --reason 'why the stored counts change'.")])
    note = check_note(reason or "", f"{where}: the reason") if correct else ""
    who = check_note(entered_by, f"{where}: entered by")
    if ward is not None and ward not in wards:
        from workbench.catalogue.loader import suggest

        raise FileRefused(where, [RowProblem(0, "ward", ward, "--ward names an unknown ward."
                                             + suggest(ward, wards), "Use an id from pdsa/wards.yaml.")])
    try:
        reader = TableReader(path, progress=progress, sheet=sheet)
    except FileUnreadable as exc:
        raise FileRefused(where, [exc.problem]) from None
    rules = Rules(tuple(wards), measures, today or dt.date.today(), ward)
    try:
        rows = validate_table(reader, rules, where)
    finally:
        reader.close()
    batch, new, corrected, unchanged = store_rows(
        engine, rows, where=where, correct=correct, reason=note, source="import",
        entered_by=who, filename=path.name, sha256=_sha256(path), progress=progress)
    return ImportReport(where, len(rows), new + corrected, new, corrected, unchanged, batch,
                        time.perf_counter() - started, reader.note)
