"""Bulk writes of observation rows: ``executemany`` on SQLite, ``COPY`` on PostgreSQL.

Rows are converted to plain driver-ready columns first (:func:`prepare_rows`), outside the write
lock, so the locked part of a write is only the key check and the insert itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench.store.observations import INSERT_COLUMNS, KEYS, latest_for_keys, placeholder

if TYPE_CHECKING:
    import pandas as pd
    import sqlalchemy as sa

_BATCH = 100_000


def insert_frame(conn: sa.Connection, frame: pd.DataFrame, *, source: str, entered_by: str,
                 at: dt.datetime, batch: int | None, progress: bool = False) -> int:
    """Bulk-insert rows (columns ward, measure, date, value, denominator, version, reason).

    SQLite uses ``executemany``; PostgreSQL uses ``COPY``.  Runs inside the caller's
    transaction, so a failure leaves nothing behind.
    """
    return write_prepared(conn, prepare_rows(frame, source=source, entered_by=entered_by, at=at),
                          batch=batch, progress=progress)


@dataclass(frozen=True)
class PreparedRows:
    """Rows turned into driver-ready columns (done outside the write lock)."""

    frame: pd.DataFrame
    columns: dict[str, list[Any]]
    dates: Any
    source: str
    entered_by: str
    at: dt.datetime

    def __len__(self) -> int:
        return len(self.frame)


def prepare_rows(frame: pd.DataFrame, *, source: str, entered_by: str,
                 at: dt.datetime) -> PreparedRows:
    """Convert *frame* to plain Python columns for ``executemany`` (cheap to write later)."""
    import numpy as np

    dates = np.datetime_as_string(frame["date"].to_numpy().astype("datetime64[D]"), unit="D")
    den = frame["denominator"].astype(float)
    columns = {
        "ward": frame["ward"].tolist(), "measure": frame["measure"].tolist(),
        "date": dates.tolist(), "value": frame["value"].astype(float).tolist(),
        "denominator": den.astype(object).where(den.notna(), None).tolist(),
        "version": frame["version"].astype(int).tolist(), "reason": frame["reason"].tolist(),
    }
    return PreparedRows(frame, columns, dates, source, entered_by, at)


def write_prepared(conn: sa.Connection, rows: PreparedRows, *, batch: int | None,
                   progress: bool = False) -> int:
    """Insert prepared rows inside the caller's transaction; returns how many."""
    from tqdm import tqdm

    dbapi = conn.connection.dbapi_connection
    with tqdm(total=len(rows), unit="row", desc="storing", leave=False,
              disable=not progress) as bar:
        if conn.dialect.name == "sqlite":
            _insert_sqlite(dbapi, rows, batch, bar)
        else:
            _copy_postgres(dbapi, rows.frame, rows.dates, rows.source, rows.entered_by, rows.at,
                           batch, bar)
    return len(rows)


def _insert_sqlite(dbapi: Any, rows: PreparedRows, batch: int | None, bar: Any) -> None:
    from itertools import repeat

    stamp = rows.at.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ",
                                                                       timespec="microseconds")
    c = rows.columns
    sql = (f"INSERT INTO observations ({', '.join(INSERT_COLUMNS)}) "
           f"VALUES ({', '.join('?' * len(INSERT_COLUMNS))})")
    cur = dbapi.cursor()
    try:
        for lo in range(0, len(rows), _BATCH):
            hi = min(lo + _BATCH, len(rows))
            cur.executemany(sql, zip(
                c["ward"][lo:hi], c["measure"][lo:hi], c["date"][lo:hi], c["value"][lo:hi],
                c["denominator"][lo:hi], repeat(rows.source), repeat(rows.entered_by),
                repeat(stamp), c["version"][lo:hi], c["reason"][lo:hi], repeat(batch),
                strict=False))
            bar.update(hi - lo)
    finally:
        cur.close()


def stored_keys(conn: sa.Connection, rows: PreparedRows) -> Any:
    """Boolean mask of *rows* whose (ward, measure, date) is already stored."""
    import numpy as np
    import pandas as pd

    frame = rows.frame
    if len(frame) > 2000:
        found = latest_for_keys(conn, frame)
        if found.empty:
            return np.zeros(len(frame), dtype=bool)
        hit = frame[KEYS].merge(found[KEYS].assign(_hit=True), on=KEYS, how="left")["_hit"]
        return hit.notna().to_numpy()
    ph, sqlite = placeholder(conn), conn.dialect.name == "sqlite"
    keys = list(zip(rows.columns["ward"], rows.columns["measure"], rows.columns["date"],
                    strict=True))
    groups: dict[tuple[str, str], list[str]] = {}
    for w, m, d in keys:
        groups.setdefault((w, m), []).append(d)
    hits: set[tuple[str, str, str]] = set()
    cur = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        for (w, m), days in groups.items():
            params: list[Any] = [w, m] + (days if sqlite else [dt.date.fromisoformat(d)
                                                              for d in days])
            day = "date" if sqlite else "to_char(date, 'YYYY-MM-DD')"
            cur.execute(f"SELECT DISTINCT {day} FROM observations WHERE ward = {ph} AND "
                        f"measure = {ph} AND date IN ({', '.join([ph] * len(days))})", params)
            hits.update((w, m, str(r[0])) for r in cur.fetchall())
    finally:
        cur.close()
    return np.array([k in hits for k in keys], dtype=bool) if hits else pd.Series(
        np.zeros(len(keys), dtype=bool)).to_numpy()


def _copy_postgres(dbapi: Any, frame: pd.DataFrame, dates: Any, source: str, entered_by: str,
                   at: dt.datetime, batch: int | None, bar: Any) -> None:
    import pandas as pd

    out = pd.DataFrame({
        "ward": frame["ward"].to_numpy(), "measure": frame["measure"].to_numpy(), "date": dates,
        "value": frame["value"].to_numpy(dtype=float),
        "denominator": frame["denominator"].to_numpy(dtype=float), "source": source,
        "entered_by": entered_by, "entered_at": at.isoformat(),
        "version": frame["version"].to_numpy(dtype="int64"), "reason": frame["reason"].to_numpy(),
        "batch": batch if batch is not None else "",
    })
    sql = (f"COPY observations ({', '.join(INSERT_COLUMNS)}) FROM STDIN (FORMAT csv, "
           "FORCE_NOT_NULL (ward, measure, source, entered_by, reason))")
    with dbapi.cursor() as cur, cur.copy(sql) as copy:
        for lo in range(0, len(out), _BATCH):
            part = out.iloc[lo:lo + _BATCH]
            copy.write(part.to_csv(header=False, index=False, na_rep=""))
            bar.update(len(part))
