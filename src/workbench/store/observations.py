"""Append-only writes and latest-version reads of observations.

Nothing here updates or deletes an observation: a correction is a new row with ``version + 1``.
Reads return, for each (ward, measure, date), the row with the highest version.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench.domain.errors import NotFoundError, WorkbenchError
from workbench.store.db import is_sqlite, table

if TYPE_CHECKING:
    import pandas as pd
    import sqlalchemy as sa

KEYS = ["ward", "measure", "date"]
INSERT_COLUMNS = ("ward", "measure", "date", "value", "denominator", "source", "entered_by",
                  "entered_at", "version", "reason", "batch")


class StaleVersionError(WorkbenchError):
    """A correction was based on a version that is no longer the latest; nothing was saved."""


@dataclass(frozen=True)
class StoredObservation:
    """One stored version of an observation (the audit trail is a list of these)."""

    ward: str
    measure: str
    date: dt.date
    value: float
    denominator: float | None
    version: int
    source: str
    entered_by: str
    entered_at: dt.datetime
    reason: str
    batch: int | None


def is_unique_violation(exc: BaseException) -> bool:
    """True for a unique-constraint failure, whether SQLAlchemy wrapped it or the driver raised it."""
    import sqlalchemy as sa

    if isinstance(exc, sa.exc.IntegrityError):
        return True
    return any(k.__name__ in ("IntegrityError", "UniqueViolation") for k in type(exc).__mro__)


def now_utc() -> dt.datetime:
    """The current time in UTC (stored with every write)."""
    return dt.datetime.now(dt.UTC)


def placeholder(conn: sa.Connection) -> str:
    return "?" if conn.dialect.name == "sqlite" else "%s"


def _filters(conn: sa.Connection, wards: Sequence[str] | None, measures: Sequence[str] | None,
             start: dt.date | None, end: dt.date | None) -> tuple[str, list[Any]]:
    ph, where, params = placeholder(conn), [], []  # type: tuple[str, list[str], list[Any]]
    for col, vals in (("ward", wards), ("measure", measures)):
        if vals is not None:
            where.append(f"{col} IN ({', '.join([ph] * len(vals))})" if vals else "1 = 0")
            params += list(vals)
    for op, day in ((">=", start), ("<=", end)):
        if day is not None:
            where.append(f"date {op} {ph}")
            params.append(day.isoformat() if conn.dialect.name == "sqlite" else day)
    return (" WHERE " + " AND ".join(where)) if where else "", params


def read_latest(engine: sa.Engine, *, wards: Sequence[str] | None = None,
                measures: Sequence[str] | None = None, start: dt.date | None = None,
                end: dt.date | None = None) -> pd.DataFrame:
    """Latest versions as a frame: ward, measure, date, value, denominator, version.

    Sorted by ward, measure, date.  ``date`` is ``datetime64``; ``denominator`` is NaN when none.
    """
    import pandas as pd

    with engine.connect() as conn:
        where, params = _filters(conn, wards, measures, start, end)
        day = "date" if is_sqlite(engine) else "to_char(date, 'YYYY-MM-DD')"
        sql = (f"SELECT ward, measure, {day}, value, denominator, version FROM observations"
               f"{where} ORDER BY ward, measure, date, version")
        cols = ["ward", "measure", "date", "value", "denominator", "version"]
        cur = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            if is_sqlite(engine):
                cur.execute(sql, params)
                frame = pd.DataFrame.from_records(cur.fetchall(), columns=cols,
                                                  coerce_float=True)
            else:
                frame = _copy_out(cur, sql, params, cols)
        finally:
            cur.close()
    frame["date"] = pd.to_datetime(frame["date"], format="%Y-%m-%d")
    frame["value"] = pd.to_numeric(frame["value"]).astype(float)
    frame["denominator"] = pd.to_numeric(frame["denominator"]).astype(float)
    frame["version"] = frame["version"].astype("int64")
    if len(frame) and (frame["version"].to_numpy() > 1).any():
        frame = frame.drop_duplicates(KEYS, keep="last").reset_index(drop=True)
    return frame


def _copy_out(cur: Any, sql: str, params: list[Any], cols: list[str]) -> pd.DataFrame:
    """PostgreSQL: stream a query out with ``COPY ... TO STDOUT`` and parse it with pandas."""
    import io

    import pandas as pd

    buf = io.BytesIO()
    with cur.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)", params or None) as copy:
        for block in copy:
            buf.write(block)
    buf.seek(0)
    if not buf.getbuffer().nbytes:
        return pd.DataFrame({c: [] for c in cols})
    return pd.read_csv(buf, header=None, names=cols, dtype={"ward": str, "measure": str},
                       keep_default_na=False, na_values={"denominator": [""]})


def latest_for_keys(conn: sa.Connection, keys: pd.DataFrame) -> pd.DataFrame:
    """Stored latest versions for the (ward, measure, date) keys in *keys* (others omitted)."""
    import pandas as pd

    empty = pd.DataFrame({"ward": [], "measure": [], "date": pd.Series([], dtype="datetime64[s]"),
                          "version": [], "old_value": [], "old_den": []})
    if keys.empty:
        return empty
    wards = sorted(keys["ward"].unique().tolist())
    measures = sorted(keys["measure"].unique().tolist())
    start, end = keys["date"].min().date(), keys["date"].max().date()
    where, params = _filters(conn, wards, measures, start, end)
    day = "date" if conn.dialect.name == "sqlite" else "to_char(date, 'YYYY-MM-DD')"
    cur = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cur.execute(f"SELECT ward, measure, {day}, version, value, denominator FROM observations"
                    f"{where} ORDER BY ward, measure, date, version", params)
        rows = cur.fetchall()
    finally:
        cur.close()
    if not rows:
        return empty
    found = pd.DataFrame.from_records(rows, columns=["ward", "measure", "date", "version",
                                                     "old_value", "old_den"], coerce_float=True)
    found["date"] = pd.to_datetime(found["date"], format="%Y-%m-%d").astype("datetime64[s]")
    found["old_value"] = pd.to_numeric(found["old_value"]).astype(float)
    found["old_den"] = pd.to_numeric(found["old_den"]).astype(float)
    found = found.drop_duplicates(KEYS, keep="last")
    return keys[KEYS].merge(found, on=KEYS, how="inner")


def new_batch(conn: sa.Connection, *, source: str, filename: str, sha256: str, rows: int,
              correct: bool, reason: str, entered_by: str, at: dt.datetime) -> int:
    """Insert an import batch row and return its id."""
    import sqlalchemy as sa

    result = conn.execute(sa.insert(table("import_batches")).values(
        source=source, filename=filename[-500:], sha256=sha256, rows=rows, correct=correct,
        reason=reason, entered_by=entered_by, entered_at=at))
    key = result.inserted_primary_key
    if key is None or key[0] is None:  # pragma: no cover - every backend returns it
        raise WorkbenchError("the database did not return the new import batch id")
    return int(key[0])


def audit(conn: sa.Connection, action: str, actor: str, detail: dict[str, Any], *,
          batch: int | None = None, at: dt.datetime | None = None) -> None:
    """Append one entry to the audit log."""
    import sqlalchemy as sa

    conn.execute(sa.insert(table("audit_log")).values(
        at=at or now_utc(), action=action, actor=actor, batch=batch,
        detail=json.dumps(detail, default=str, sort_keys=True)))


def history(engine: sa.Engine, ward: str, measure: str, day: dt.date) -> list[StoredObservation]:
    """Every stored version of one observation, oldest first (empty when none)."""
    import sqlalchemy as sa

    obs = table("observations")
    with engine.connect() as conn:
        rows = conn.execute(sa.select(obs).where(obs.c.ward == ward, obs.c.measure == measure,
                                                  obs.c.date == day).order_by(obs.c.version))
        return [_stored(r._mapping) for r in rows]


def _stored(m: Any) -> StoredObservation:
    at = m["entered_at"]
    if isinstance(at, dt.datetime) and at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return StoredObservation(
        ward=m["ward"], measure=m["measure"], date=m["date"], value=float(m["value"]),
        denominator=None if m["denominator"] is None else float(m["denominator"]),
        version=int(m["version"]), source=m["source"], entered_by=m["entered_by"],
        entered_at=at, reason=m["reason"], batch=m["batch"])


def stored_since(conn: sa.Connection, keys: Iterable[tuple[str, str, dt.date]]) -> list[StoredObservation]:
    """The latest stored version of each key (used to return what a write stored)."""
    import sqlalchemy as sa

    obs = table("observations")
    out: list[StoredObservation] = []
    for ward, measure, day in keys:
        row = conn.execute(sa.select(obs).where(obs.c.ward == ward, obs.c.measure == measure,
                                                obs.c.date == day)
                           .order_by(obs.c.version.desc()).limit(1)).first()
        if row is None:
            raise NotFoundError(f"nothing stored for ward '{ward}', measure '{measure}' on {day}")
        out.append(_stored(row._mapping))
    return out
