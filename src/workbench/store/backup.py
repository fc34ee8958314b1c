"""Backups a ward can use: the store and the records in one zip file, and restoring one.

A backup is one ``.zip`` holding ``manifest.json``, the records (every file under ``pdsa/``)
and the store: a copy made with SQLite's online backup API (safe while others read and write),
or a ``pg_dump`` custom-format dump for PostgreSQL.  A restore refuses to go over entries made
after the backup was taken unless forced, and always writes a backup of what it replaces first.
"""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.domain.errors import WorkbenchError
from workbench.store.records import write_atomic_bytes
from workbench.store.workspace import Workspace

FORMAT = "workbench-backup"
MANIFEST = "manifest.json"


class BackupError(WorkbenchError):
    """A backup could not be written or restored; nothing was changed."""


@dataclass(frozen=True)
class StoreMark:
    """Where the store's history stands: its last audit entry and how many observations it holds."""

    last_audit: int
    last_at: str
    observations: int


@dataclass(frozen=True)
class BackupReport:
    """What :func:`backup` wrote."""

    path: Path
    records: int
    observations: int
    taken_at: str

    def summary(self) -> str:
        """One line for the command line."""
        return (f"Backup written: {self.path} ({self.records} record file(s), "
                f"{self.observations} stored observation row(s)).")


@dataclass(frozen=True)
class RestoreReport:
    """What :func:`restore` did."""

    source: Path
    records: int
    observations: int
    safety_backup: Path | None

    def summary(self) -> str:
        """Two lines for the command line."""
        saved = (f" What the workspace held before is in {self.safety_backup}."
                 if self.safety_backup else "")
        return (f"Restored {self.source}: {self.records} record file(s), {self.observations} "
                f"stored observation row(s).{saved}")


def now_stamp() -> str:
    """The current UTC time as ISO text (seconds)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def record_files(ws: Workspace) -> dict[str, Path]:
    """Every record file of the workspace by its path relative to the workspace (``pdsa/...``)."""
    if not ws.pdsa.is_dir():
        return {}
    return {p.relative_to(ws.root).as_posix(): p for p in sorted(ws.pdsa.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(ws.pdsa).parts)}


def digest(data: bytes) -> str:
    """SHA-256 of *data* as hex."""
    return hashlib.sha256(data).hexdigest()


def record_digests(ws: Workspace) -> dict[str, str]:
    """SHA-256 of every record file, by relative path."""
    return {rel: digest(p.read_bytes()) for rel, p in record_files(ws).items()}


def sqlite_file(ws: Workspace) -> Path | None:
    """The SQLite file of the workspace's store, or ``None`` for another database."""
    from sqlalchemy.engine import make_url

    url = make_url(ws.db_url)
    if url.get_backend_name() != "sqlite":
        return None
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory database cannot be backed up; give a file URL")
    return Path(url.database)


def store_exists(ws: Workspace) -> bool:
    """True when the store has been created (always true for PostgreSQL)."""
    path = sqlite_file(ws)
    return path is None or path.exists()


def store_mark(ws: Workspace) -> StoreMark | None:
    """Where the store's history stands, or ``None`` when there is no store yet."""
    if not store_exists(ws):
        return None
    import sqlalchemy as sa

    from workbench.store.db import get_engine, table

    engine = get_engine(ws.db_url)
    log, obs = table("audit_log"), table("observations")
    with engine.connect() as conn:
        last = conn.execute(sa.select(log.c.id, log.c.at).order_by(log.c.id.desc()).limit(1)).first()
        count = conn.execute(sa.select(sa.func.count()).select_from(obs)).scalar() or 0
    if last is None:
        return StoreMark(0, "", int(count))
    return StoreMark(int(last[0]), str(last[1]), int(count))


def changes_after(ws: Workspace, last_audit: int, last_at: str | None = None) -> list[str]:
    """Plain words for each change to the store after audit entry *last_audit* (oldest first).

    With *last_at*, a store whose entry *last_audit* is not the one made at that time has a
    different history (it was rebuilt or replaced): every change it holds is listed.
    """
    if not store_exists(ws):
        return []
    import sqlalchemy as sa

    from workbench.store.db import get_engine, table

    log = table("audit_log")
    with get_engine(ws.db_url).connect() as conn:
        if last_at is not None and last_audit:
            at = conn.execute(sa.select(log.c.at).where(log.c.id == last_audit)).scalar()
            if str(at) != last_at:
                last_audit = 0
        rows = conn.execute(sa.select(log.c.at, log.c.action, log.c.actor)
                            .where(log.c.id > last_audit).order_by(log.c.id)).all()
    words = {"import": "an import", "form": "counts entered in a form",
             "correct": "a correction"}
    return [f"{words.get(r.action, r.action)} on {str(r.at)[:16]}"
            + (f" by {r.actor}" if r.actor else "") for r in rows]


# -- the store -------------------------------------------------------------------------------

def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for d in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True,
                    key=lambda p: int(p.split("/")[-2]) if p.split("/")[-2].isdigit() else 0):
        if (Path(d) / name).exists():
            return str(Path(d) / name)
    raise BackupError(f"{name} is not installed; install the PostgreSQL client tools "
                      "(Debian: apt-get install postgresql-client) and try again")


def _libpq_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _copy_sqlite(src: Path, dst: Path) -> None:
    """Copy one SQLite database into another with the online backup API (then check it)."""
    source = sqlite3.connect(src, timeout=60)
    target = sqlite3.connect(dst, timeout=60)
    try:
        source.backup(target)
        ok = target.execute("PRAGMA integrity_check").fetchone()
        if not ok or ok[0] != "ok":
            raise BackupError(f"the copied store failed its integrity check ({ok})")
    finally:
        target.close()
        source.close()


def _dump_store(ws: Workspace, folder: Path) -> str | None:
    """Write the store into *folder*; returns the file name in the backup (None: no store)."""
    path = sqlite_file(ws)
    if path is None:
        out = folder / "store.pgdump"
        done = subprocess.run([_pg_tool("pg_dump"), "--format=custom", "--no-owner",
                               f"--file={out}", _libpq_url(ws.db_url)],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise BackupError(f"pg_dump could not copy the store: {done.stderr.strip()}")
        return out.name
    if not path.exists():
        return None
    _copy_sqlite(path, folder / "store.sqlite")
    return "store.sqlite"


def _load_store(ws: Workspace, stored: Path) -> None:
    """Replace the store's content with the copy in *stored*."""
    path = sqlite_file(ws)
    if path is None:
        done = subprocess.run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
                               "--single-transaction", f"--dbname={_libpq_url(ws.db_url)}",
                               str(stored)], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise BackupError(f"pg_restore could not restore the store: {done.stderr.strip()}")
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        _copy_sqlite(stored, path)
    from workbench.store.db import dispose_engines

    dispose_engines()  # the reference tables and schema are checked again on next use


# -- backup ----------------------------------------------------------------------------------

def default_backup_path(ws: Workspace, stamp: str, label: str = "backup") -> Path:
    """``<workspace>/backups/<label>-YYYYMMDD-HHMMSS.zip`` (never overwriting one)."""
    name = f"{label}-{stamp.replace('-', '').replace(':', '').replace('T', '-')[:15]}"
    folder = ws.root / "backups"
    path = folder / f"{name}.zip"
    n = 2
    while path.exists():
        path = folder / f"{name}-{n}.zip"
        n += 1
    return path


def backup(ws: Workspace, dest: Path | None = None, *, label: str = "backup") -> BackupReport:
    """Write a backup of the workspace's store and records.

    Parameters
    ----------
    ws : Workspace
    dest : Path, optional
        A ``.zip`` file to write, or a folder to write a dated one into; default
        ``<workspace>/backups/``.
    label : str
        The start of a generated file name.

    Returns
    -------
    BackupReport

    Raises
    ------
    BackupError
        When the target exists or the store cannot be copied; nothing is left half-written.
    """
    stamp = now_stamp()
    if dest is None:
        target = default_backup_path(ws, stamp, label)
    elif dest.is_dir() or dest.suffix.lower() != ".zip":
        if dest.exists() and not dest.is_dir():
            raise BackupError(f"{dest} exists and is not a .zip backup; give a folder or a new "
                              ".zip file name")
        target = default_backup_path(Workspace(root=dest, db_url=ws.db_url), stamp, label)
        target = dest / target.name
    else:
        target = dest
    if target.exists():
        raise BackupError(f"{target} already exists; give a new file name (nothing was written)")
    mark = store_mark(ws)
    files = record_files(ws)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=target.parent) as tmp:
        stored = _dump_store(ws, Path(tmp))
        manifest: dict[str, Any] = {
            "format": FORMAT, "version": 1, "taken_at": stamp, "workspace": ws.root.name,
            "store": None if stored is None else {
                "file": stored, "kind": "sqlite" if stored.endswith(".sqlite") else "postgresql",
                "last_audit": mark.last_audit if mark else 0,
                "last_at": mark.last_at if mark else "",
                "observations": mark.observations if mark else 0},
            "records": {}}
        part = Path(tmp) / "backup.zip"
        with zipfile.ZipFile(part, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for rel, path in files.items():
                data = path.read_bytes()
                manifest["records"][rel] = digest(data)
                zf.writestr(rel, data)
            if stored is not None:
                zf.write(Path(tmp) / stored, stored)
            zf.writestr(MANIFEST, json.dumps(manifest, indent=1))
        os.replace(part, target)
    return BackupReport(target, len(files), mark.observations if mark else 0, stamp)


# -- restore ---------------------------------------------------------------------------------

def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest of a backup file, or :class:`BackupError` saying why it is not one."""
    if not path.is_file():
        raise BackupError(f"no backup file at {path}")
    try:
        with zipfile.ZipFile(path) as zf:
            manifest = json.loads(zf.read(MANIFEST))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise BackupError(f"{path} is not a workbench backup (written by `workbench backup`)") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a workbench backup (written by `workbench backup`)")
    store = manifest.get("store")
    names = list(manifest.get("records") or {})
    if (store and store.get("file") not in ("store.sqlite", "store.pgdump")) or any(
            not n.startswith("pdsa/") or ".." in n.split("/") for n in names):
        raise BackupError(f"{path} holds files outside a workspace's records; it was not written "
                          "by `workbench backup` and is not restored")
    return manifest


def newer_entries(ws: Workspace, manifest: dict[str, Any]) -> list[str]:
    """What the workspace holds that was entered after the backup was taken (plain words)."""
    found: list[str] = []
    store = manifest.get("store") or {}
    found += changes_after(ws, int(store.get("last_audit", 0)), store.get("last_at"))
    taken = dt.datetime.fromisoformat(str(manifest["taken_at"])).timestamp()
    kept: dict[str, str] = manifest.get("records", {})
    for rel, path in record_files(ws).items():
        if kept.get(rel) != digest(path.read_bytes()) and path.stat().st_mtime > taken:
            found.append(f"{rel} was {'changed' if rel in kept else 'added'} after the backup")
    return found


def restore(ws: Workspace, path: Path, *, force: bool = False) -> RestoreReport:
    """Put a backup's store and records back into the workspace.

    Parameters
    ----------
    ws : Workspace
    path : Path
        A file written by :func:`backup`.
    force : bool
        Restore even over entries made after the backup was taken.

    Returns
    -------
    RestoreReport
        Including the backup of what the workspace held before (written first, whenever the
        workspace held anything).

    Raises
    ------
    BackupError
        The file is not a backup, or the workspace holds newer entries and *force* is False;
        nothing was changed.
    """
    manifest = read_manifest(path)
    store = manifest.get("store")
    if store and (store["file"] == "store.sqlite") != (sqlite_file(ws) is not None):
        raise BackupError("the backup holds a store of another kind (SQLite or PostgreSQL) than "
                          "this workspace uses; restore it into a workspace with the same kind")
    newer = newer_entries(ws, manifest)
    if newer and not force:
        listed = "; ".join(newer[:10]) + (f"; and {len(newer) - 10} more" if len(newer) > 10 else "")
        raise BackupError(
            f"the workspace holds entries made after this backup was taken ({listed}). "
            "Nothing was restored. To restore anyway, run again with --force: what the "
            "workspace holds now is written to a backup first")
    safety = None
    if record_files(ws) or store_mark(ws) is not None:
        safety = backup(ws, label="before-restore").path
    with zipfile.ZipFile(path) as zf, tempfile.TemporaryDirectory(prefix=".restore-") as tmp:
        if store:
            stored = Path(tmp) / store["file"]
            zf.extract(store["file"], tmp)
            _load_store(ws, stored)
        records: dict[str, str] = manifest.get("records", {})
        for rel in records:
            write_atomic_bytes(ws.root / rel, zf.read(rel))
        for rel, file in record_files(ws).items():
            if rel not in records:
                file.unlink()
    return RestoreReport(path, len(records), int((manifest.get("store") or {}).get(
        "observations", 0)), safety)
