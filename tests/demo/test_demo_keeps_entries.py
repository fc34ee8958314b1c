"""The README's first command never loses what a person entered (issue 14, item 1).

``scripts/demo`` runs ``workbench demo`` and then serves; the set-up part is run here twice on a
workspace where counts were typed into the board form, a file was imported and a cycle note was
added in between, and every entry is found afterwards.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from workbench.cli import _register, app
from workbench.services.cycles import add_log, get_cycle
from workbench.services.observations import import_file, long_frame, record_counts
from workbench.store.workspace import resolve_workspace

REPO = Path(__file__).resolve().parents[2]
DAY = dt.date(2026, 11, 24)  # after the demo's last day (2026-11-22), before "today"


def _snapshot(root: Path) -> dict[str, object]:
    """Every file's bytes, and the store's whole content (its -wal/-shm files change on reads)."""
    import sqlite3

    files: dict[str, object] = {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
        if p.is_file() and "backups" not in p.parts and not p.name.startswith("workbench.sqlite")}
    db = root / "data" / "workbench.sqlite"
    if db.exists():
        with sqlite3.connect(db) as conn:
            files["store"] = list(conn.iterdump())
        conn.close()
    return files


@pytest.fixture(scope="module")
def cli() -> CliRunner:
    _register()
    return CliRunner()


def _demo(cli: CliRunner, root: Path, *args: str) -> object:
    return cli.invoke(app, ["demo", *args], env={"WORKBENCH_HOME": str(root), "WORKBENCH_DB": ""})


def _enter(root: Path) -> None:
    ws = resolve_workspace(root)
    record_counts(ws, "nh-ucc", DAY, {"repeat_attendances": (3, None)}, entered_by="ward clerk")
    csv = root.parent / "counts.csv"
    csv.write_text("ward,measure,date,value,denominator\n"
                   "nh-ucc,repeat_attendances,2026-11-23,2,\n"
                   "nh-ucc,repeat_attendances,2026-11-25,4,\n", "utf-8")
    import_file(ws, csv, entered_by="ward clerk")
    add_log(ws, "w7-stop-and-call", DAY, "Huddle moved to 08:15 so night staff can join.")


def _entries_present(root: Path) -> None:
    ws = resolve_workspace(root)
    frame = long_frame(ws, wards=["nh-ucc"], measures=["repeat_attendances"])
    got = {d.date(): v for d, v in zip(frame["date"], frame["value"], strict=True)
           if d.date() > dt.date(2026, 11, 22)}
    assert got == {dt.date(2026, 11, 23): 2, DAY: 3, dt.date(2026, 11, 25): 4}
    notes = [e.note for e in get_cycle(ws, "w7-stop-and-call").do_log]
    assert "Huddle moved to 08:15 so night staff can join." in notes


def test_running_the_first_command_twice_keeps_every_entry(cli: CliRunner, tmp_path: Path) -> None:
    root = tmp_path / "demo"
    first = _demo(cli, root)
    assert first.exit_code == 0, first.output
    rows_built = len(long_frame(resolve_workspace(root)))
    _enter(root)
    before = _snapshot(root)
    again = _demo(cli, root)
    assert again.exit_code == 0, again.output
    assert "kept as it is" in again.output
    assert _snapshot(root) == before
    _entries_present(root)
    # 6,367 demo rows (data/demo/observations.csv) + 1 typed + 2 imported
    assert len(long_frame(resolve_workspace(root))) == rows_built + 3


def test_rebuild_over_entries_is_refused_and_force_backs_them_up(cli: CliRunner,
                                                                 tmp_path: Path) -> None:
    root = tmp_path / "demo"
    assert _demo(cli, root).exit_code == 0
    _enter(root)
    before = _snapshot(root)
    refused = _demo(cli, root, "--rebuild")
    assert refused.exit_code == 1
    assert "an import" in refused.output and "pdsa/cycles/w7-stop-and-call.yaml changed" in \
        refused.output and "--force" in refused.output
    assert _snapshot(root) == before  # records and store byte-identical
    forced = _demo(cli, root, "--force")
    assert forced.exit_code == 0, forced.output
    backups = sorted((root / "backups").glob("before-demo-rebuild-*.zip"))
    assert len(backups) == 1 and str(backups[0]) in forced.output
    with pytest.raises(AssertionError):
        _entries_present(root)  # the rebuild replaced them ...
    restored = cli.invoke(app, ["restore", str(backups[0]), "--force"],
                          env={"WORKBENCH_HOME": str(root), "WORKBENCH_DB": ""})
    assert restored.exit_code == 0, restored.output
    _entries_present(root)  # ... and the named backup puts every one back


def test_a_workspace_the_demo_did_not_build_is_never_overwritten(cli: CliRunner,
                                                                 tmp_path: Path) -> None:
    root = tmp_path / "team"
    (root / "pdsa").mkdir(parents=True)
    (root / "pdsa" / "wards.yaml").write_text("- id: w1\n  name: Ward 1\n  site: A\n"
                                              "  specialty: Medicine\n", "utf-8")
    before = _snapshot(root)
    res = _demo(cli, root)
    assert res.exit_code == 1 and "not written by the demo" in res.output
    assert _snapshot(root) == before


def test_commands_without_a_workspace_never_write_tracked_files(monkeypatch) -> None:
    from workbench.store.workspace import default_workspace

    monkeypatch.delenv("WORKBENCH_HOME", raising=False)
    ws = resolve_workspace()
    assert ws.root == default_workspace() == REPO / "demo-workspace"
    assert "demo-workspace/" in (REPO / ".gitignore").read_text("utf-8").splitlines()
    script = (REPO / "scripts" / "demo").read_text("utf-8")
    assert "workbench demo\n" in script and "--force" not in script and "--rebuild" not in script
