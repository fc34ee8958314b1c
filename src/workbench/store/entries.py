"""Single entries: one day's counts from the form, and corrections of one observation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from workbench.domain.catalogue import Measure
from workbench.domain.errors import (
    ImportRefused,
    NotFoundError,
    PatientDataError,
    ValidationFailed,
)
from workbench.store.bulk import insert_frame
from workbench.store.db import write_tx
from workbench.store.importer import check_note, store_rows
from workbench.store.observations import (
    StaleVersionError,
    StoredObservation,
    audit,
    history,
    is_unique_violation,
    now_utc,
    stored_since,
)
from workbench.store.problems import FileRefused, Problems
from workbench.store.validate import Rules, check_chunk

if TYPE_CHECKING:
    import pandas as pd
    import sqlalchemy as sa


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _form_error(exc: ImportRefused, measures: list[str], where: str) -> Exception:
    """Turn row problems into per-field messages (same reasons and fixes as an import)."""
    parts = []
    for p in exc.problems:
        measure = measures[p.row - 2] if 2 <= p.row < len(measures) + 2 else ""
        field = f"measure '{measure}', {p.column}" if measure and p.column else (p.column or "entry")
        parts.append(f"{field}: {p.why}. {p.fix}")
    if isinstance(exc, PatientDataError):
        return PatientDataError(f"{where}: " + "; ".join(parts))
    return ValidationFailed([f"{where}: {p}" for p in parts])


def check_rows(ward: str, day: dt.date | str, counts: Mapping[str, tuple[Any, Any]],
               rules: Rules, where: str) -> pd.DataFrame:
    """Check a form entry exactly as import rows; raise ValidationFailed or PatientDataError."""
    import pandas as pd

    measures = list(counts)
    if not measures:
        raise ValidationFailed([f"{where}: no counts were given; enter at least one measure."])
    if isinstance(day, dt.datetime):  # also pandas.Timestamp
        day = day.date()
    day_text = day.isoformat() if isinstance(day, dt.date) else str(day)
    cells = []
    for m in measures:
        pair = counts[m]
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            raise ValidationFailed([f"{where}: measure '{m}': give (value, denominator); use None "
                                    "for a measure without a denominator."])
        cells.append([ward, m, day_text, _text(pair[0]), _text(pair[1])])
    chunk = pd.DataFrame(cells, index=pd.RangeIndex(2, len(cells) + 2), dtype=object)
    problems = Problems()
    cols = {"ward": 0, "measure": 1, "date": 2, "value": 3, "denominator": 4}
    typed = check_chunk(chunk, cols, rules, problems)  # one ward and date, distinct measures:
    # no duplicate rows and no month-first dates are possible, so no whole-file checks
    if problems.total:
        raise _form_error(problems.refusal(where), measures, where)
    return typed[["row", "ward", "measure", "date", "value", "denominator"]]


def record_rows(engine: sa.Engine, ward: str, day: dt.date, counts: Mapping[str, tuple[Any, Any]],
                *, rules: Rules, entered_by: str, source: str) -> list[StoredObservation]:
    """Store one day's counts for several measures of a ward, all or nothing."""
    where = f"counts for ward '{ward}' on {day}"
    who = check_note(entered_by, f"{where}: entered by")
    rows = check_rows(ward, day, counts, rules, where)
    at = now_utc()
    try:
        batch, *_ = store_rows(engine, rows, where=where, correct=False, reason="",
                               source=source, entered_by=who, at=at)
    except FileRefused as exc:
        raise _form_error(exc, list(counts), where) from None
    day_ = rows["date"].iloc[0].date()
    return [StoredObservation(ward=ward, measure=m, date=day_, value=float(v),
                              denominator=None if d != d else float(d), version=1,
                              source=source, entered_by=who, entered_at=at, reason="",
                              batch=batch)
            for m, v, d in zip(rows["measure"], rows["value"], rows["denominator"], strict=True)]


def correct_one(engine: sa.Engine, ward: str, measure: str, day: dt.date, value: Any,
                denominator: Any, *, reason: str, expected_version: int, entered_by: str,
                rules: Rules) -> StoredObservation:
    """Store a new version of one observation, if its latest version is still *expected_version*.

    Raises
    ------
    StaleVersionError
        Someone else saved a newer version first; this edit was not saved.
    NotFoundError
        Nothing is stored for that ward, measure and date.
    ValidationFailed
        The value, denominator or reason is invalid.
    """

    where = f"correction of ward '{ward}', measure '{measure}' on {day}"
    if not reason or not reason.strip():
        raise ValidationFailed([f"{where}: a correction needs a reason (why the count changes)."])
    note = check_note(reason, f"{where}: the reason")
    who = check_note(entered_by, f"{where}: entered by")
    rows = check_rows(ward, day, {measure: (value, denominator)}, rules, where)
    work = rows.assign(version=expected_version + 1, reason=note)
    at = now_utc()
    try:
        with write_tx(engine) as conn:
            current = stored_since_or_none(conn, ward, measure, day)
            if current is None:
                raise NotFoundError(f"{where}: nothing is stored for that day yet; enter it as a "
                                    "new count instead.")
            if current.version != expected_version:
                raise _stale(where, current, expected_version)
            insert_frame(conn, work, source="correction", entered_by=who, at=at, batch=None)
            audit(conn, "correct", who, {"ward": ward, "measure": measure, "date": day,
                                         "version": expected_version + 1, "reason": note,
                                         "value": float(work["value"].iloc[0])}, at=at)
    except Exception as exc:
        if not is_unique_violation(exc):
            raise
        latest = history(engine, ward, measure, day)[-1]
        raise _stale(where, latest, expected_version) from None
    return history(engine, ward, measure, day)[-1]


def stored_since_or_none(conn: sa.Connection, ward: str, measure: str,
                         day: dt.date) -> StoredObservation | None:
    """The latest version of one observation, or ``None``."""
    try:
        return stored_since(conn, [(ward, measure, day)])[0]
    except NotFoundError:
        return None


def _stale(where: str, current: StoredObservation, expected: int) -> StaleVersionError:
    by = f" by {current.entered_by}" if current.entered_by else ""
    return StaleVersionError(
        f"{where}: not saved, because someone else changed it first. You edited version "
        f"{expected}; the latest is now version {current.version} (value {current.value:g}"
        f"{'' if current.denominator is None else f' of {current.denominator:g}'}, saved{by} at "
        f"{current.entered_at:%Y-%m-%d %H:%M} UTC). Nothing was lost: reload, check the new "
        "value and correct it again if it is still wrong.")


def measures_of(catalogue: Any) -> Mapping[str, Measure]:
    """The catalogue's measures by id (small helper for the services layer)."""
    return dict(catalogue.measures)
