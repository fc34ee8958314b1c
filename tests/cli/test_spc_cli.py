"""``workbench spc``: CSV in, points table (csv) or points/phases/summary (json) out."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from workbench.cli import spc_cmds


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    """A private app holding only the spc command, so other areas' commands cannot interfere."""
    private = typer.Typer()

    @private.callback()
    def _root() -> None:
        """Test root."""

    spc_cmds.register(private)
    return private


def invoke(app: typer.Typer, *args: str):
    return CliRunner().invoke(app, ["spc", *args])


@pytest.fixture
def counts(tmp_path: Path) -> Path:
    path = tmp_path / "counts.csv"
    rows = ["date,value,denominator"]
    rows += [f"2024-01-{d:02d},{v},{50}" for d, v in
             zip(range(1, 21), [5, 8, 3, 9, 4, 6, 7, 5, 6, 8, 12, 14, 13, 15, 16, 14, 13, 15, 12,
                                30], strict=True)]
    path.write_text("\n".join(rows) + "\n")
    return path


def test_csv_output_is_the_points_table(app, counts: Path) -> None:
    res = invoke(app, str(counts), "--chart", "p", "--phase-start", "2024-01-11")
    assert res.exit_code == 0, res.output
    table = pd.read_csv(io.StringIO(res.stdout))
    assert len(table) == 20
    assert table["x"].iloc[0] == "2024-01-01"
    assert table["phase"].tolist() == [1] * 10 + [2] * 10
    assert table["y"].iloc[0] == pytest.approx(0.1)
    assert {"cl", "lcl", "ucl", "point_type", "rule", "signal"} <= set(table.columns)


def test_json_output_has_points_phases_and_summary(app, counts: Path) -> None:
    res = invoke(app, str(counts), "--chart", "c", "--profile", "anhoej", "--format", "json",
                 "--target", "40", "--exclude", "2024-01-20", "--freeze", "10")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert set(doc) == {"points", "phases", "summary"}
    assert len(doc["points"]) == 20 and doc["points"][19]["include"] is False
    assert doc["points"][0]["x"] == "2024-01-01"
    assert doc["points"][0]["cl"] == pytest.approx(6.1)  # mean of the first 10 counts
    assert doc["summary"]["assurance"] == "consistent_fail"
    assert doc["phases"][0]["n_obs"] == 19


def test_other_column_names_and_numeric_x(app, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("week,days\n1,3.5\n2,10\n3,4\n4,7\n5,2\n")
    res = invoke(app, str(path), "--chart", "t", "--x", "week", "--y", "days",
                 "--phase-start", "3", "--improvement", "decrease")
    assert res.exit_code == 0, res.output
    table = pd.read_csv(io.StringIO(res.stdout))
    assert table["phase"].tolist() == [1, 1, 2, 2, 2]


def test_day_first_dates_are_parsed(app, tmp_path: Path) -> None:
    path = tmp_path / "uk.csv"
    path.write_text("date,value\n30/01/2024,1\n31/01/2024,2\n01/02/2024,3\n02/02/2024,2\n")
    res = invoke(app, str(path), "--chart", "i", "--phase-start", "01/02/2024")
    assert res.exit_code == 0, res.output
    table = pd.read_csv(io.StringIO(res.stdout))
    assert table["x"].tolist() == ["2024-01-30", "2024-01-31", "2024-02-01", "2024-02-02"]
    assert table["phase"].tolist() == [1, 1, 2, 2]


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--chart", "pie"], "unknown chart 'pie'"),
     (["--chart", "p", "--n", "nope"], "'nope' not in the data"),
     (["--chart", "i", "--phase-start", "2024-03-01"], "phase start(s) 2024-03-01 not found"),
     (["--chart", "i", "--phase-start", "soon"], "--phase-start soon: not a date"),
     (["--chart", "i", "--freeze", "0"], "freeze must be"),
     (["--chart", "i", "--y", "date"], "column 'date' holds dates or times, not numbers")])
def test_refused_input_exits_1_with_the_reason(app, counts: Path, args, message) -> None:
    res = invoke(app, str(counts), *args)
    assert res.exit_code == 1
    assert "Refused:" in res.output and message in res.output


def test_unreadable_files_exit_1(app, tmp_path: Path) -> None:
    res = invoke(app, str(tmp_path / "missing.csv"), "--chart", "i")
    assert res.exit_code == 1 and "no such file" in res.output
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert "the file is empty" in invoke(app, str(empty), "--chart", "i").output
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"\xff\xfe\x00\x81\x00\x00date")
    assert invoke(app, str(binary), "--chart", "i").exit_code == 1
    assert "is a folder" in invoke(app, str(tmp_path), "--chart", "i").output


def test_bad_value_is_named_by_row(app, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("date,value,denominator\n2024-01-01,3,10\n2024-01-02,12,10\n")
    res = invoke(app, str(path), "--chart", "p")
    assert res.exit_code == 1
    assert "row 2 (x = 2024-01-02): numerator 12 is larger than denominator 10" in res.output


def test_usage_errors_exit_2(app, counts: Path) -> None:
    assert invoke(app, str(counts)).exit_code == 2  # --chart is required
    assert invoke(app, str(counts), "--chart", "i", "--format", "xml").exit_code == 2
    assert invoke(app, str(counts), "--chart", "i", "--freeze", "many").exit_code == 2


def test_installed_entry_point(counts: Path) -> None:
    exe = Path(sys.executable).with_name("workbench")
    if not exe.exists():
        pytest.skip("workbench entry point not installed in this environment")
    done = subprocess.run([str(exe), "spc", str(counts), "--chart", "i", "--format", "json"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["summary"]["chart"] == "i"
