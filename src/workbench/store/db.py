"""The observation store's schema and engines (SQLAlchemy Core; SQLite or PostgreSQL).

Tables
------
``wards``, ``measures``
    Reference tables synced from ``pdsa/wards.yaml`` and the catalogue.
``observations``
    Append-only: a correction is a new row with ``version + 1`` and a ``reason``.  The unique
    constraint on ``(ward, measure, date, version)`` doubles as the read index and stops two
    racing writers from creating the same version.
``import_batches``
    One row per import (file name, SHA-256, rows, who, when).
``audit_log``
    One row per change to the store: imports, form entries and corrections.

Engines are created lazily, once per URL per process.  SQLite runs in WAL mode with a busy
timeout and foreign keys on; write transactions start with ``BEGIN IMMEDIATE`` so concurrent
writers queue instead of failing on a lock upgrade.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import sqlalchemy as sa

SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 60_000

_LOCK = threading.Lock()
_ENGINES: dict[tuple[int, str], sa.Engine] = {}
_READY: dict[tuple[int, str], bool] = {}
_SYNCED: dict[tuple[int, str], int] = {}
_META: sa.MetaData | None = None
_V = TypeVar("_V")


def metadata() -> sa.MetaData:
    """The store's tables (built on first use)."""
    global _META
    if _META is not None:
        return _META
    import sqlalchemy as sa

    meta = sa.MetaData()
    text = sa.String(200)
    # ids compare bytewise on both backends (as SQLite does), which also keeps PostgreSQL's
    # index on (ward, measure, date, version) cheap to maintain
    ident = sa.String(64).with_variant(sa.String(64, collation="C"), "postgresql")
    sa.Table("store_meta", meta, sa.Column("key", sa.String(50), primary_key=True),
             sa.Column("value", sa.String(200), nullable=False))
    sa.Table("wards", meta, sa.Column("id", ident, primary_key=True),
             sa.Column("name", text, nullable=False), sa.Column("site", text, nullable=False),
             sa.Column("specialty", text, nullable=False))
    sa.Table("measures", meta, sa.Column("id", ident, primary_key=True),
             sa.Column("name", text, nullable=False), sa.Column("chart", sa.String(10), nullable=False),
             sa.Column("needs_denominator", sa.Boolean, nullable=False),
             sa.Column("whole_counts", sa.Boolean, nullable=False))
    sa.Table("import_batches", meta,
             sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
             sa.Column("source", sa.String(20), nullable=False),
             sa.Column("filename", sa.String(500), nullable=False),
             sa.Column("sha256", sa.String(64), nullable=False),
             sa.Column("rows", sa.Integer, nullable=False),
             sa.Column("correct", sa.Boolean, nullable=False),
             sa.Column("reason", sa.String(500), nullable=False),
             sa.Column("entered_by", text, nullable=False),
             sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False))
    sa.Table("observations", meta,
             sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True,
                       autoincrement=True),
             sa.Column("ward", ident, sa.ForeignKey("wards.id"), nullable=False),
             sa.Column("measure", ident, sa.ForeignKey("measures.id"), nullable=False),
             sa.Column("date", sa.Date, nullable=False),
             sa.Column("value", sa.Float, nullable=False),
             sa.Column("denominator", sa.Float, nullable=True),
             sa.Column("source", sa.String(20), nullable=False),
             sa.Column("entered_by", text, nullable=False),
             sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
             sa.Column("version", sa.Integer, nullable=False),
             sa.Column("reason", sa.String(500), nullable=False),
             sa.Column("batch", sa.Integer, sa.ForeignKey("import_batches.id"), nullable=True),
             sa.UniqueConstraint("ward", "measure", "date", "version", name="uq_obs_version"),
             sa.CheckConstraint("version >= 1", name="ck_obs_version"),
             sa.Index("ix_obs_batch", "batch"))
    sa.Table("audit_log", meta,
             sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
             sa.Column("at", sa.DateTime(timezone=True), nullable=False),
             sa.Column("action", sa.String(20), nullable=False),
             sa.Column("actor", text, nullable=False),
             sa.Column("batch", sa.Integer, sa.ForeignKey("import_batches.id"), nullable=True),
             sa.Column("detail", sa.Text, nullable=False))
    _META = meta
    return meta


def table(name: str) -> sa.Table:
    """One of the store's tables by name."""
    return metadata().tables[name]


def is_sqlite(engine: sa.Engine) -> bool:
    """True for a SQLite engine."""
    return engine.dialect.name == "sqlite"


def preload() -> None:
    """Import SQLAlchemy now (about 0.35 s) without opening anything: for a page's warm-up,
    which runs before the request and must not read data (it would be stale)."""
    import sqlalchemy  # noqa: F401


def _normalise(url: str) -> str:
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _make_engine(url: str) -> sa.Engine:
    import sqlalchemy as sa
    from sqlalchemy import event

    parsed = sa.make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        if conn.get_execution_options().get("workbench_write", False):
            _begin_immediate(conn.connection.dbapi_connection)
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


def _begin_immediate(dbapi_conn: Any) -> None:
    """``BEGIN IMMEDIATE``, retried with short random sleeps while another writer holds the lock.

    SQLite's own busy handler backs off to 100 ms sleeps, which wastes most of the time when
    many short writers queue; retrying every millisecond or so keeps the queue moving.
    """
    import random
    import sqlite3
    import time

    cur = dbapi_conn.cursor()
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    delay = 0.001
    cur.execute("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                cur.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                busy = "locked" in str(exc) or "busy" in str(exc)
                if not busy or time.monotonic() > deadline:
                    raise
                time.sleep(random.uniform(0, delay))
                delay = min(delay * 1.5, 0.02)
    finally:
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.close()


def get_engine(url: str) -> sa.Engine:
    """The engine for *url*, created on first use in this process, with the schema in place.

    Parameters
    ----------
    url : str
        SQLAlchemy URL (``sqlite:///...`` or ``postgresql://...``).

    Returns
    -------
    sqlalchemy.Engine
    """
    key = (os.getpid(), _normalise(url))
    with _LOCK:
        engine = _ENGINES.get(key)
        if engine is not None and is_sqlite(engine) and not _file_exists(engine):
            engine.dispose()  # the file was deleted (e.g. a demo rebuild): start afresh
            engine = None
            _READY.pop(key, None)
            _SYNCED.pop((os.getpid(), str(_ENGINES.pop(key).url)), None)
        if engine is None:
            engine = _ENGINES[key] = _make_engine(key[1])
        if not _READY.get(key):
            _create_schema(engine)
            _READY[key] = True
    return engine


def _file_exists(engine: sa.Engine) -> bool:
    database = engine.url.database
    return not database or database == ":memory:" or Path(database).exists()


def dispose_engines() -> None:
    """Close every engine this process holds (tests and long-running servers)."""
    with _LOCK:
        for (pid, _url), engine in list(_ENGINES.items()):
            if pid == os.getpid():
                engine.dispose()
        _ENGINES.clear()
        _READY.clear()
        _SYNCED.clear()


@contextmanager
def write_tx(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A write transaction: ``BEGIN IMMEDIATE`` on SQLite; commits or rolls back as a whole."""
    with engine.connect() as conn:
        conn.execution_options(workbench_write=True)
        with conn.begin():
            yield conn


def _schema_in_place(engine: sa.Engine) -> bool:
    """True when every table and the schema version row exist (a read, no write lock).

    Every process checks the schema once per database; most find it in place, and a read lets
    many batch kernels start at once without queueing for SQLite's write lock.
    """
    import sqlalchemy as sa

    listing = ("SELECT name FROM sqlite_master WHERE type = 'table'" if is_sqlite(engine) else
               "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema()")
    try:
        with engine.connect() as conn:
            names = {row[0] for row in conn.exec_driver_sql(listing)}
            if not set(metadata().tables) <= names:
                return False
            found = conn.exec_driver_sql(
                "SELECT value FROM store_meta WHERE key = 'schema_version'").scalar()
    except sa.exc.DBAPIError:
        return False
    return found is not None


def _create_schema(engine: sa.Engine) -> None:
    import sqlalchemy as sa

    if _schema_in_place(engine):
        return
    meta = metadata()
    with write_tx(engine) as conn:
        if not is_sqlite(engine):
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(7215001)"))
        meta.create_all(conn, checkfirst=True)
        found = conn.execute(sa.select(table("store_meta").c.value)
                             .where(table("store_meta").c.key == "schema_version")).scalar()
        if found is None:
            conn.execute(sa.insert(table("store_meta")),
                         {"key": "schema_version", "value": str(SCHEMA_VERSION)})


def sync_reference(engine: sa.Engine, wards: list[Any], measures: list[Any]) -> None:
    """Insert or update the wards and measures tables (idempotent; cached per process).

    Parameters
    ----------
    engine : sqlalchemy.Engine
    wards : list of Ward
        From ``pdsa/wards.yaml``.
    measures : list of Measure
        From the catalogue.
    """
    import sqlalchemy as sa

    ward_rows = {w.id: {"id": w.id, "name": w.name, "site": w.site, "specialty": w.specialty}
                 for w in wards}
    measure_rows = {m.id: {"id": m.id, "name": m.name, "chart": str(m.chart),
                           "needs_denominator": m.needs_denominator,
                           "whole_counts": m.whole_counts} for m in measures}
    key = (os.getpid(), str(engine.url))
    stamp = hash((tuple(sorted(map(str, ward_rows.values()))),
                  tuple(sorted(map(str, measure_rows.values())))))
    if _SYNCED.get(key) == stamp:
        return
    for name, rows in (("wards", ward_rows), ("measures", measure_rows)):
        tbl = table(name)
        with engine.connect() as conn:
            have = {r._mapping["id"]: dict(r._mapping) for r in conn.execute(sa.select(tbl))}
        todo = [r for i, r in rows.items() if have.get(i) != r]
        if not todo:
            continue
        with write_tx(engine) as conn:
            if not is_sqlite(engine):
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(7215002)"))
            have = {r._mapping["id"]: dict(r._mapping) for r in conn.execute(sa.select(tbl))}
            new = [r for i, r in rows.items() if i not in have]
            changed = [r for i, r in rows.items() if i in have and have[i] != r]
            if new:
                conn.execute(sa.insert(tbl), new)
            for row in changed:
                conn.execute(sa.update(tbl).where(tbl.c.id == row["id"]).values(**row))
    _SYNCED[key] = stamp
