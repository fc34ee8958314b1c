"""``workbench import`` and ``workbench export`` as a user runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))

from store_helpers import C_MEASURE, P_MEASURE, day, snapshot, write_csv, write_wards  # noqa: E402

from workbench.cli import store_cmds  # noqa: E402
from workbench.store.workspace import Workspace  # noqa: E402


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    """A private app holding only import and export."""
    private = typer.Typer()

    @private.callback()
    def _root() -> None:
        """Test root."""

    store_cmds.register(private)
    return private


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    root = tmp_path / "ws"
    write_wards(root)
    yield Workspace(root=root, db_url=f"sqlite:///{root / 'data' / 'workbench.sqlite'}")
    from workbench.store.db import dispose_engines

    dispose_engines()


def run(app: typer.Typer, ws: Workspace, *args: str) -> object:
    env = {"WORKBENCH_HOME": "", "WORKBENCH_DB": ""}
    return CliRunner().invoke(app, [*args, "--workspace", str(ws.root), "--db", ws.db_url],
                              env=env)


def test_import_then_export(app: typer.Typer, ws: Workspace, tmp_path: Path) -> None:
    src = write_csv(tmp_path / "in.csv", [["W7B", P_MEASURE, day(0).isoformat(), 7, 9],
                                          ["W7B", C_MEASURE, day(0).isoformat(), 2, None]])
    res = run(app, ws, "import", str(src), "--by", "ward clerk")
    assert res.exit_code == 0, res.output
    assert res.stdout.count("\n") == 1 and "2 row(s) stored" in res.stdout
    out = tmp_path / "out.csv"
    res = run(app, ws, "export", str(out), "--ward", "W7B", "--measure", P_MEASURE)
    assert res.exit_code == 0 and "Exported 1 row(s)" in res.stdout
    assert out.read_text().splitlines()[1] == f"W7B,{P_MEASURE},{day(0).isoformat()},7,9"
    res = run(app, ws, "export", str(tmp_path / "all.xlsx"))
    assert res.exit_code == 0 and (tmp_path / "all.xlsx").read_bytes()[:2] == b"PK"


def test_refused_import_exits_1_with_every_row(app: typer.Typer, ws: Workspace,
                                               tmp_path: Path) -> None:
    bad = write_csv(tmp_path / "bad.csv", [["W7B", C_MEASURE, day(0).isoformat(), -1, None],
                                           ["W9", C_MEASURE, day(1).isoformat(), 1, None]])
    before = snapshot(ws)
    res = run(app, ws, "import", str(bad))
    assert res.exit_code == 1
    assert res.stdout == ""
    assert "Refused:" in res.stderr and "2 problem(s)" in res.stderr
    assert "row 2, column 'value'" in res.stderr and "row 3, column 'ward'" in res.stderr
    assert snapshot(ws) == before


def test_ward_option_and_correct(app: typer.Typer, ws: Workspace, tmp_path: Path) -> None:
    src = write_csv(tmp_path / "ed.csv", [[C_MEASURE, day(0).isoformat(), 2, None]],
                    header="measure,date,value,denominator")
    assert run(app, ws, "import", str(src), "--ward", "ED").exit_code == 0
    again = run(app, ws, "import", str(src), "--ward", "ED")
    assert again.exit_code == 1 and "already stored" in again.stderr
    usage = run(app, ws, "import", str(src), "--ward", "ED", "--correct")
    assert usage.exit_code == 2 and "--reason" in usage.output
    fixed = write_csv(tmp_path / "ed2.csv", [[C_MEASURE, day(0).isoformat(), 3, None]],
                      header="measure,date,value,denominator")
    res = run(app, ws, "import", str(fixed), "--ward", "ED", "--correct", "--reason", "recount")
    assert res.exit_code == 0 and "1 corrected" in res.stdout


def test_patient_data_is_refused_without_echo(app: typer.Typer, ws: Workspace,
                                              tmp_path: Path) -> None:
    bad = write_csv(tmp_path / "pid.csv", [["W7B", C_MEASURE, day(0).isoformat(), 1, None]],
                    header="ward,measure,date,value,denominator,NHS number")
    res = run(app, ws, "import", str(bad))
    assert res.exit_code == 1 and "named like an NHS number" in res.stderr


def test_entry_point_runs(ws: Workspace, tmp_path: Path) -> None:
    src = write_csv(tmp_path / "x.csv", [["W7B", C_MEASURE, day(0).isoformat(), "x", None]])
    env = {**os.environ, "WORKBENCH_HOME": str(ws.root), "WORKBENCH_DB": ws.db_url}
    res = subprocess.run([sys.executable, "-m", "workbench", "import", str(src)],
                         capture_output=True, text=True, env=env, timeout=120)
    assert res.returncode == 1 and "not a number" in res.stderr
