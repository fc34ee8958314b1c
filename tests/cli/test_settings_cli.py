"""``workbench target`` and ``workbench grain`` as a user runs them."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from workbench.cli import settings_cmds
from workbench.store.settings import settings_path


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    private = typer.Typer()

    @private.callback()
    def _root() -> None:
        """Test root."""

    settings_cmds.register(private)
    return private


def _run(app: typer.Typer, ws, *args: str):
    return CliRunner().invoke(app, [*args, "--workspace", str(ws.root)])


def test_target_set_and_list(app, files_ws) -> None:
    out = _run(app, files_ws, "target", "set", "nh-ed", "sepsis_screen_first_hour", "95%",
               "--from", "2026-10-01", "--note", "trust standard")
    assert out.exit_code == 0, out.output
    assert out.output.strip() == ("Target for Sepsis screens in the first hour on Emergency "
                                  "Department: 95% from 2026-10-01.")
    out = _run(app, files_ws, "target", "list")
    assert "Emergency Department - Sepsis screens in the first hour: 95% from 2026-10-01 " \
           "onwards (trust standard)" in out.output
    out = _run(app, files_ws, "target", "list", "--json")
    assert '"value": 0.95' in out.output


def test_refusals_exit_1_and_write_nothing(app, files_ws) -> None:
    before = settings_path(files_ws).read_bytes()
    out = _run(app, files_ws, "target", "set", "nh-ed", "sepsis_screen_first_hour", "150%",
               "--from", "2026-10-01")
    assert out.exit_code == 1 and "between 0% and 100%" in out.output
    out = _run(app, files_ws, "target", "set", "nh-ed", "sepsis_screen_first_hour", "95%",
               "--from", "1 Oct")
    assert out.exit_code == 1 and "not a date" in out.output
    out = _run(app, files_ws, "grain", "set", "nh-ed", "sepsis_screen_first_hour", "hourly")
    assert out.exit_code == 1 and "daily, weekly, monthly" in out.output
    assert settings_path(files_ws).read_bytes() == before


def test_grain_set_and_show(app, demo_ws) -> None:
    out = _run(app, demo_ws, "grain", "set", "nh-ed", "sepsis_screen_first_hour", "monthly")
    assert out.exit_code == 0, out.output
    out = _run(app, demo_ws, "grain", "show", "nh-ed")
    assert out.exit_code == 0, out.output
    assert "Sepsis screens in the first hour: monthly totals, calendar months" in out.output
    assert "(set for this ward)" in out.output
    assert "each event as recorded" in out.output  # days between missed escalations: g chart


def test_table_exports(demo_ws, tmp_path) -> None:
    from workbench.cli import table_cmds

    private = typer.Typer()

    @private.callback()
    def _root() -> None:
        """Test root."""

    table_cmds.register(private)
    base = ["table", "--today", "2026-12-03", "--workspace", str(demo_ws.root)]
    out = CliRunner().invoke(private, [*base, "--site", "North Hospital"])
    assert out.exit_code == 0, out.output
    lines = out.output.strip().splitlines()
    assert lines[0].startswith("site,ward,ward_name,measure")
    assert all(line.startswith("North Hospital,") for line in lines[1:])
    for suffix, magic in ((".csv", b"site,"), (".png", b"\x89PNG"), (".svg", b"<svg"),
                          (".html", b"<!doctype html>")):
        path = tmp_path / f"t{suffix}"
        done = CliRunner().invoke(private, [*base, "--out", str(path)])
        assert done.exit_code == 0, done.output
        assert path.read_bytes().startswith(magic) or magic in path.read_bytes()[:300]
    bad = CliRunner().invoke(private, [*base, "--out", str(tmp_path / "t.pdf")])
    assert bad.exit_code == 1 and ".csv, .html, .svg or .png" in bad.output
