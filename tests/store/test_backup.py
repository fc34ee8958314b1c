"""``backup`` and ``restore``: the store and the records in one file (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import time
import zipfile
from pathlib import Path

import pytest
from store_helpers import C_MEASURE, P_MEASURE, day, snapshot

from workbench.services.observations import record_counts
from workbench.store.backup import BackupError, backup, read_manifest, restore
from workbench.store.workspace import Workspace


def _records(ws: Workspace) -> dict[str, bytes]:
    return {str(p.relative_to(ws.root)): p.read_bytes() for p in sorted(ws.pdsa.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


def _cycle_note(ws: Workspace, text: str) -> None:
    path = ws.pdsa / "cycles" / "c1.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"note: {text}\n", "utf-8")


def test_backup_then_restore_brings_back_counts_and_records(ws: Workspace, tmp_path: Path) -> None:
    record_counts(ws, "W7B", day(0), {P_MEASURE: (7, 9), C_MEASURE: (2, None)})
    _cycle_note(ws, "first")
    report = backup(ws, tmp_path / "b1.zip")
    assert report.path == tmp_path / "b1.zip" and report.observations == 2
    assert report.records == 2  # wards.yaml and the cycle
    kept_store, kept_records = snapshot(ws), _records(ws)
    manifest = read_manifest(report.path)
    assert set(manifest["records"]) == set(kept_records)
    # a later loss: the cycle file deleted and a count entered by mistake
    (ws.pdsa / "cycles" / "c1.yaml").unlink()
    record_counts(ws, "W7B", day(1), {C_MEASURE: (5, None)})
    with pytest.raises(BackupError, match="counts entered in a form") as refused:
        restore(ws, report.path)
    assert "--force" in str(refused.value)
    done = restore(ws, report.path, force=True)
    assert snapshot(ws) == kept_store and _records(ws) == kept_records
    assert done.safety_backup is not None and done.safety_backup.exists()
    # the backup of what was replaced holds the count entered after the first backup
    assert read_manifest(done.safety_backup)["store"]["observations"] == 3


def test_restore_refuses_records_changed_after_the_backup(sqlite_ws: Workspace,
                                                          tmp_path: Path) -> None:
    ws = sqlite_ws
    _cycle_note(ws, "first")
    report = backup(ws, tmp_path)  # a folder: a dated file is written into it
    assert report.path.parent == tmp_path and report.path.suffix == ".zip"
    time.sleep(1.1)
    _cycle_note(ws, "second, typed after the backup")
    before = _records(ws)
    with pytest.raises(BackupError, match=r"pdsa/cycles/c1.yaml was changed after the backup"):
        restore(ws, report.path)
    assert _records(ws) == before


def test_restoring_an_unchanged_workspace_needs_no_force(sqlite_ws: Workspace) -> None:
    ws = sqlite_ws
    record_counts(ws, "W7B", day(0), {C_MEASURE: (2, None)})
    first = backup(ws)
    assert first.path.parent == ws.root / "backups"
    kept = snapshot(ws)
    restore(ws, first.path)
    restore(ws, first.path)  # twice: the restored files are not "newer entries"
    assert snapshot(ws) == kept


def test_not_a_backup_is_refused_and_nothing_changes(sqlite_ws: Workspace, tmp_path: Path) -> None:
    ws = sqlite_ws
    record_counts(ws, "W7B", day(0), {C_MEASURE: (2, None)})
    kept_store, kept_records = snapshot(ws), _records(ws)
    bad = tmp_path / "holiday.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("photo.txt", "x")
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr("manifest.json", '{"format": "workbench-backup", "taken_at": '
                    '"2026-01-01T00:00:00+00:00", "records": {"../../etc/x": "0"}}')
    for path in (bad, evil, tmp_path / "missing.zip"):
        with pytest.raises(BackupError):
            restore(ws, path, force=True)
    assert snapshot(ws) == kept_store and _records(ws) == kept_records
    with pytest.raises(BackupError, match="already exists"):
        backup(ws, bad)
    assert not (ws.root / "backups").exists() or not list((ws.root / "backups").iterdir())


def test_backup_is_taken_while_another_connection_holds_a_read(sqlite_ws: Workspace,
                                                               tmp_path: Path) -> None:
    import sqlite3

    ws = sqlite_ws
    record_counts(ws, "W7B", day(0), {C_MEASURE: (2, None)})
    reader = sqlite3.connect(ws.root / "data" / "workbench.sqlite")
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM observations").fetchone()
    try:
        report = backup(ws, tmp_path / "live.zip")
    finally:
        reader.close()
    assert report.observations == 1
    assert os.path.getsize(report.path) > 0
