"""A digest of everything a page reads from a workspace, to tell whether anything has changed.

A warm kernel works out a page's figures before anyone asks (:mod:`workbench.ui.rehearsal`);
the page may show them only if nothing they were read from has changed since.  The digest
covers, by content:

* every file under the workspace's ``pdsa/`` folder (wards, measures, cycles, reviews, actions,
  the leaders' log), with its path;
* a SQLite store's database file and its write-ahead log (``-wal``): between them they hold
  every count, target and grouping stored.  A commit appends to the log, and a checkpoint
  rewrites the database file, so any change of data changes one or the other.  A log that is
  missing or empty holds nothing (the first connection to open the store creates it empty),
  so both count the same.

SQLite also moves the log into the database file when the last connection to the store
closes, which changes both files without changing the data.  So that a reading (whose
connections may close) does not change the digest, the first digest of a store opens one
connection to it that stays open for the life of the process (:func:`hold_open`): the store is
then never left without a connection, and its files change only when something is written.

A store that is not a local SQLite file (PostgreSQL) has no digest (``None``): its changes
cannot be seen from here, so nothing worked out earlier may be reused.  Neither may anything
read while a SQLite transaction was half written (a rollback journal, ``-journal``, is
present).
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Any

from workbench.store.workspace import Workspace

CHUNK = 1 << 20
"""Bytes read at a time."""


def sqlite_file(db_url: str) -> Path | None:
    """The database file of a ``sqlite:///`` URL (None for any other store or in memory)."""
    import sqlalchemy as sa

    parsed = sa.make_url(db_url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database \
            or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


_HELD: dict[Path, sqlite3.Connection] = {}
"""One open connection per SQLite store this process has taken a digest of."""


def hold_open(database: Path) -> None:
    """Open one connection to the SQLite store at *database* and keep it open (once per store
    and process), so the store's log is not moved into its file while nothing is written.
    It only reads the store's list of tables; a file that is not a store is left alone."""
    if database in _HELD or not database.is_file():
        return
    try:
        connection = sqlite3.connect(database, check_same_thread=False)
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error:
        return
    _HELD[database] = connection


def _add_file(digest: Any, path: Path, name: str) -> None:
    digest.update(b"\0" + name.encode("utf-8", "surrogateescape") + b"\0")
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
    except FileNotFoundError:
        digest.update(b"(missing)")


def fingerprint(ws: Workspace) -> str | None:
    """The digest of the workspace's records and store, or None when it cannot be known.

    Parameters
    ----------
    ws : Workspace

    Returns
    -------
    str or None
        Equal for two calls only if no record file and no stored data changed in between;
        None for a store other than a SQLite file, or while a write is half done.
    """
    database = sqlite_file(ws.db_url)
    if database is None or Path(f"{database}-journal").exists():
        return None
    hold_open(database)
    digest = hashlib.blake2b(digest_size=20)
    digest.update(ws.db_url.encode("utf-8"))
    if ws.pdsa.is_dir():
        for path in sorted(p for p in ws.pdsa.rglob("*") if p.is_file()):
            _add_file(digest, path, path.relative_to(ws.pdsa).as_posix())
    _add_file(digest, database, "database")
    log = Path(f"{database}-wal")
    if log.is_file() and log.stat().st_size > 0:  # an empty log, or none, holds no changes
        _add_file(digest, log, "database-wal")
    return digest.hexdigest()
