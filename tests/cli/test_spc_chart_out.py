"""``workbench spc FILE --chart-out``: the same Making Data Count chart, drawn offline to a file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from workbench.cli import spc_cmds


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    private = typer.Typer()

    @private.callback()
    def _root() -> None:
        """Test root."""

    spc_cmds.register(private)
    return private


@pytest.fixture
def daily(tmp_path: Path) -> Path:
    # Mon 5 Jan .. Sun 29 Mar 2026: twelve whole weeks, 3 of 4 patients every day
    path = tmp_path / "sepsis_screens.csv"
    days = [f"2026-{m:02d}-{d:02d}" for m, last in ((1, 31), (2, 28), (3, 29))
            for d in range(1 if m > 1 else 5, last + 1)]
    path.write_text("date,value,denominator\n" + "".join(f"{d},3,4\n" for d in days), "utf-8")
    return path


def test_svg_png_and_html_are_written(app, daily: Path, tmp_path: Path) -> None:
    for suffix, magic in ((".svg", b"<svg"), (".png", b"\x89PNG"), (".html", b"<!doctype html>")):
        out = tmp_path / f"chart{suffix}"
        result = CliRunner().invoke(app, ["spc", str(daily), "--chart", "p", "--chart-out",
                                          str(out), "--target", "0.7"])
        assert result.exit_code == 0, result.output
        data = out.read_bytes()
        assert magic in data[:200]
    text = (tmp_path / "chart.svg").read_text("utf-8")
    assert "sepsis screens" in text and "Daily counts" not in text  # no --grain: no caption
    page = (tmp_path / "chart.html").read_text("utf-8")
    assert "<script" not in page and "http" not in page.replace(
        "http://www.w3.org", "")  # offline: nothing to fetch


def test_grain_sums_weeks_and_captions_the_chart(app, daily: Path, tmp_path: Path) -> None:
    out = tmp_path / "weekly.svg"
    result = CliRunner().invoke(app, ["spc", str(daily), "--chart", "p", "--grain", "weekly",
                                      "--chart-out", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    # 12 whole weeks; each 7 x 3 = 21 of 7 x 4 = 28 (a proportion of 0.75)
    assert len(doc["points"]) == 12
    assert {p["y"] for p in doc["points"]} == {0.75} and {p["n"] for p in doc["points"]} == {28}
    assert "Weekly totals, Mon\u2013Sun" in out.read_text("utf-8")


def test_bad_extension_and_grain_are_refused(app, daily: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["spc", str(daily), "--chart", "p", "--chart-out",
                                      str(tmp_path / "chart.pdf")])
    assert result.exit_code == 1 and ".svg, .png or .html" in result.output
    assert not (tmp_path / "chart.pdf").exists()
    result = CliRunner().invoke(app, ["spc", str(daily), "--chart", "p", "--grain", "hourly"])
    assert result.exit_code == 1 and "daily, weekly, monthly" in result.output
