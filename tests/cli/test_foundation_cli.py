"""The foundation commands as a user runs them: help, catalogue, cycles, demo."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

WB = [sys.executable, "-m", "workbench"]


def run(*args: str, ws: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **({"WORKBENCH_HOME": str(ws)} if ws else {})}
    return subprocess.run([*WB, *args], capture_output=True, text=True, env=env, timeout=120)


def test_help_lists_the_commands() -> None:
    out = run("--help").stdout
    for command in ("demo", "themes", "measures", "cycle"):
        assert command in out


@pytest.mark.parametrize("command", ["demo", "themes", "measures", "cycle"])
def test_every_command_has_help_and_a_workspace_option(command: str) -> None:
    res = run(command, "--help")
    assert res.returncode == 0
    if command != "cycle":
        assert "--workspace" in res.stdout


def test_every_command_and_subcommand_takes_a_workspace() -> None:
    top = ["demo", "themes", "measures", "spc", "import", "export", "batch", "serve", "brief",
           "rollup"]
    groups = {"cycle": ["new", "list", "show", "decide", "log", "status"],
              "action": ["new", "list", "show", "done", "verify", "reopen", "export"],
              "review": ["list", "show", "trace"], "learning": ["card", "monthly", "results"]}
    calls = [[c] for c in top] + [[g, s] for g, subs in groups.items() for s in subs]
    for call in calls:
        assert "--workspace" in run(*call, "--help").stdout, call


def test_spc_finds_a_relative_file_in_the_workspace(files_ws) -> None:
    rows = "\n".join(f"2026-01-{d:02d},{v}" for d, v in enumerate([3, 4, 3, 5, 4], start=1))
    (files_ws.data / "only-here.csv").write_text("date,value\n" + rows + "\n", "utf-8")
    found = run("spc", "data/only-here.csv", "--chart", "i", "--workspace", str(files_ws.root))
    assert found.returncode == 0, found.stderr
    assert found.stdout.splitlines()[0].startswith("x,y,")
    assert len(found.stdout.splitlines()) == 6
    missing = run("spc", "data/only-here.csv", "--chart", "i")
    assert missing.returncode == 1 and "no such file" in missing.stderr


def test_themes_json_gives_eight() -> None:
    themes = json.loads(run("themes", "--format", "json").stdout)
    assert len(themes) == 8 and all(t["change_ideas"] for t in themes)


def test_themes_and_measures_show_the_workspace_use(files_ws) -> None:
    themes = {t["id"]: t for t in json.loads(run("themes", "-f", "json", ws=files_ws.root).stdout)}
    assert "w7-stop-and-call" in themes["poor_escalation"]["cycles_in_workspace"]
    measures = {m["id"]: m for m in json.loads(run("measures", "-f", "json", ws=files_ws.root).stdout)}
    assert measures["bundle_use"]["wards_in_workspace"] == ["sh-dl"]
    assert run("measures", "--theme", "nope").returncode == 1


def test_measures_json_has_definitions() -> None:
    measures = json.loads(run("measures", "--format", "json").stdout)
    assert all(m["definition"] and m["chart"] for m in measures)


def test_cycle_commands_against_a_demo_workspace(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert run("demo", "--no-store", "--workspace", str(ws)).returncode == 0
    listed = run("cycle", "list", ws=ws)
    assert "ucc-infant-bruising-prompt" in listed.stdout
    shown = run("cycle", "show", "amu-ld-discharge-template", ws=ws)
    assert "decision: adopt" in shown.stdout
    bad = run("cycle", "new", "c9", "--ward", "nh-w7", "--theme", "poor_escalation",
              "--change-idea", "senior_advice_line", "--owner", "M", "--objective", "o",
              "--question", "q|p", "--measure", "time_to_senior_review", "--start", "2026-12-01",
              ws=ws)
    assert bad.returncode == 1 and "outcome or balancing" in bad.stderr
    assert not (ws / "pdsa" / "cycles" / "c9.yaml").exists()
    good = run("cycle", "new", "c9", "--ward", "nh-w7", "--theme", "poor_escalation",
               "--change-idea", "senior_advice_line", "--owner", "M", "--objective", "o",
               "--question", "q|p", "--measure", "time_to_senior_review", "--measure",
               "bleeps_urgent_help", "--start", "2026-12-01", "--reason", "trial", ws=ws)
    assert good.returncode == 0, good.stderr
    # c9 runs to 2026-12-15: deciding today (before then) asks why, and writes nothing
    record = (ws / "pdsa" / "cycles" / "c9.yaml").read_bytes()
    early = run("cycle", "decide", "c9", "abandon", "--reason", "no effect", "--on",
                "2026-12-08", ws=ws)
    assert early.returncode == 1 and "--early-reason" in early.stderr
    assert (ws / "pdsa" / "cycles" / "c9.yaml").read_bytes() == record
    decided = run("cycle", "decide", "c9", "abandon", "--reason", "no effect", "--on",
                  "2026-12-08", "--early-reason", "the team stopped it", ws=ws)
    assert decided.returncode == 0, decided.stderr
    back = run("cycle", "status", "c9", "running", ws=ws)
    assert back.returncode == 1 and "needs a reason" in back.stderr
    back = run("cycle", "status", "c9", "running", "--reason", "restarted after leave", ws=ws)
    assert back.returncode == 0 and "kept in its history" in back.stdout
    assert run("cycle", "decide", "c9", "maybe", "--reason", "x", ws=ws).returncode == 1
    assert run("cycle", "show", "missing", ws=ws).returncode == 1
    assert run("cycle", "bogus-subcommand", ws=ws).returncode == 2
