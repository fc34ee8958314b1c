"""Observations: record, correct, import, export and read ward counts.

These are the calls the Voila form, notebooks, batch runs and the demo use.  Every function
takes a :class:`~workbench.store.workspace.Workspace`; the store is opened lazily and its wards
and measures tables are synced from ``pdsa/wards.yaml`` and the catalogue (idempotent).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.catalogue import load_catalogue
from workbench.catalogue.loader import suggest
from workbench.domain.errors import NotFoundError, WorkbenchError
from workbench.domain.records import Ward
from workbench.services.wards import list_wards
from workbench.store.db import get_engine, sync_reference
from workbench.store.entries import correct_one, record_rows
from workbench.store.exporter import export_frame
from workbench.store.importer import ImportReport, import_table
from workbench.store.observations import StaleVersionError, StoredObservation, read_latest
from workbench.store.observations import history as _history
from workbench.store.validate import Rules
from workbench.store.workspace import Workspace

if TYPE_CHECKING:
    import pandas as pd
    import sqlalchemy as sa

__all__ = ["ImportReport", "StaleVersionError", "StoredObservation", "correct_observation",
           "export_file", "history", "import_file", "long_frame", "open_store", "record_counts",
           "series"]


_WARDS_CACHE: dict[str, tuple[tuple[int, int], list[Ward]]] = {}


def _wards(ws: Workspace) -> list[Ward]:
    """``list_wards(ws)``, re-read only when ``pdsa/wards.yaml`` changes (size or mtime)."""
    path = ws.wards_file
    try:
        st = path.stat()
    except FileNotFoundError:
        return list_wards(ws)
    stamp = (st.st_mtime_ns, st.st_size)
    cached = _WARDS_CACHE.get(str(path))
    if cached is None or cached[0] != stamp:
        cached = _WARDS_CACHE[str(path)] = (stamp, list_wards(ws))
    return list(cached[1])


def _open(ws: Workspace) -> tuple[sa.Engine, Rules]:
    cat = load_catalogue()
    wards = _wards(ws)
    engine = get_engine(ws.db_url)
    sync_reference(engine, wards, list(cat.measures.values()))
    return engine, Rules(tuple(w.id for w in wards), cat.measures, dt.date.today())


def open_store(ws: Workspace) -> None:
    """Open the workspace's store now: its engine, the schema check and the reference tables.

    What every read and write does first, once per process.
    """
    _open(ws)


def _known(kind: str, name: str, known: Sequence[str]) -> None:
    if name not in known:
        hint = "`workbench measures`" if kind == "measure" else "pdsa/wards.yaml"
        raise NotFoundError(f"unknown {kind} '{name}'.{suggest(name, list(known))} "
                            f"See {hint} for the list.")


def record_counts(ws: Workspace, ward: str, date: dt.date,
                  counts: Mapping[str, tuple[float | str, float | str | None]], *,
                  entered_by: str = "",
                  source: str = "form") -> list[StoredObservation]:
    """Store one day's counts for several measures of a ward, all or nothing.

    Parameters
    ----------
    ws : Workspace
    ward : str
        Ward id from ``pdsa/wards.yaml``.
    date : datetime.date
        The day counted (today or earlier).
    counts : mapping
        Measure id to ``(value, denominator)``; denominator ``None`` (or empty) for measures
        without one.  Values may be numbers or the text a person typed: text is read exactly
        as an import cell is, so "7", "7.0" and " 7 " are the same and "seven" is refused.
    entered_by : str
        Who entered the counts (a name or role; no patient data).
    source : str
        Where the entry came from (``form``, ``demo``, ...).

    Returns
    -------
    list of StoredObservation
        What was stored, one per measure (version 1).

    Raises
    ------
    ValidationFailed
        A value is invalid (same reasons as an import), or a count is already stored for that
        day (use :func:`correct_observation`).
    PatientDataError
        A value or the name looks like patient-identifiable data.
    """
    engine, rules = _open(ws)
    return record_rows(engine, ward, date, counts, rules=rules, entered_by=entered_by,
                       source=source)


def correct_observation(ws: Workspace, ward: str, measure: str, date: dt.date, value: float,
                        denominator: float | None, *, reason: str, expected_version: int,
                        entered_by: str = "") -> StoredObservation:
    """Store a corrected value as a new version (the old one stays in the history).

    Parameters
    ----------
    ws : Workspace
    ward, measure : str
    date : datetime.date
    value : float
    denominator : float or None
    reason : str
        Why the count changes (required).
    expected_version : int
        The version the editor saw; if the latest is no longer this one, nothing is saved.
    entered_by : str

    Returns
    -------
    StoredObservation
        The new latest version.

    Raises
    ------
    StaleVersionError
        Someone else saved a newer version first (two racing edits: one wins, the other is told).
    NotFoundError, ValidationFailed, PatientDataError
    """
    engine, rules = _open(ws)
    return correct_one(engine, ward, measure, date, value, denominator, reason=reason,
                       expected_version=expected_version, entered_by=entered_by, rules=rules)


def series(ws: Workspace, ward: str, measure: str) -> pd.DataFrame:
    """One ward's series for one measure: date, value, denominator, version (latest versions).

    Returns
    -------
    DataFrame
        Sorted by date; ``date`` is ``datetime64``; ``denominator`` is NaN when none.
    """
    engine, rules = _open(ws)
    _known("ward", ward, rules.wards)
    _known("measure", measure, list(rules.measures))
    frame = read_latest(engine, wards=[ward], measures=[measure])
    return frame[["date", "value", "denominator", "version"]].reset_index(drop=True)


def long_frame(ws: Workspace, *, wards: Sequence[str] | None = None,
               measures: Sequence[str] | None = None, start: dt.date | None = None,
               end: dt.date | None = None) -> pd.DataFrame:
    """Latest observations in long form (ward, measure, date, value, denominator).

    The frame ``workbench.spc.analyse_many(frame, by=["ward", "measure"], ...)`` takes.
    """
    engine, rules = _open(ws)
    for w in wards or []:
        _known("ward", w, rules.wards)
    for m in measures or []:
        _known("measure", m, list(rules.measures))
    frame = read_latest(engine, wards=wards, measures=measures, start=start, end=end)
    return frame[["ward", "measure", "date", "value", "denominator"]]


def history(ws: Workspace, ward: str, measure: str, date: dt.date) -> list[StoredObservation]:
    """Every version of one observation, oldest first, with reason, entered_by and entered_at."""
    engine, rules = _open(ws)
    _known("ward", ward, rules.wards)
    _known("measure", measure, list(rules.measures))
    return _history(engine, ward, measure, date)


def import_file(ws: Workspace, path: str | os.PathLike[str], *, ward: str | None = None,
                correct: bool = False, reason: str | None = None, entered_by: str = "",
                progress: bool = False, sheet: str | None = None) -> ImportReport:
    """Import ``ward, measure, date, value, denominator`` rows from a CSV or XLSX file.

    All or nothing: any bad row refuses the whole file (see ``docs/store.md`` for the rules).

    Parameters
    ----------
    ws : Workspace
    path : path
    ward : str, optional
        The file may leave out the ward column; if it has one, every row must name this ward.
    correct : bool
        Rows already stored become new versions (needs *reason*); identical rows are skipped.
    reason : str, optional
    entered_by : str
    progress : bool
        tqdm progress bars on stderr.
    sheet : str, optional
        The workbook sheet to read (default the first; the report's note says which was read).

    Returns
    -------
    ImportReport

    Raises
    ------
    ImportRefused
        Listing every problem (also a PatientDataError when patient data was seen).
    """
    engine, rules = _open(ws)
    return import_table(engine, Path(path), wards=list(rules.wards), measures=rules.measures,
                        ward=ward, correct=correct, reason=reason, entered_by=entered_by,
                        progress=progress, sheet=sheet)


def export_file(ws: Workspace, path: str | os.PathLike[str], *, fmt: str | None = None,
                wards: Sequence[str] | None = None,
                measures: Sequence[str] | None = None) -> int:
    """Export latest versions in the import's columns (re-importable); returns rows written.

    Parameters
    ----------
    fmt : {"csv", "xlsx"}, optional
        Default: from the file's extension (``.csv`` or ``.xlsx``; any other is refused).
    """
    target = Path(path)
    chosen = fmt or target.suffix.lower().lstrip(".")
    if chosen not in ("csv", "xlsx"):
        raise WorkbenchError(f"cannot tell which format to write for '{target.name}': name the "
                            "file .csv or .xlsx, or give --format csv or --format xlsx")
    frame: Any = long_frame(ws, wards=wards, measures=measures)
    return export_frame(frame, target, chosen)


def measure_frames(ws: Workspace, ward: str, measures: list[str],
                   end: dt.date | None = None) -> dict[str, Any]:
    """Each of *measures* of *ward* as its own frame (``date, value, denominator``, by date).

    Parameters
    ----------
    ws : Workspace
    ward : str
    measures : list of str
    end : date, optional
        The last day read (default: every stored day).

    Returns
    -------
    dict
        Measure id -> DataFrame (empty when the measure has no counts), read in one query.
    """
    import numpy as np

    frame = long_frame(ws, wards=[ward], measures=measures, end=end)
    data = frame[["date", "value", "denominator"]]
    names = frame["measure"].to_numpy()
    out = {}
    for m in measures:
        part = data.take(np.flatnonzero(names == m))
        if not part["date"].is_monotonic_increasing:  # the store returns them in date order
            part = part.sort_values("date")
        out[m] = part.reset_index(drop=True)
    return out
