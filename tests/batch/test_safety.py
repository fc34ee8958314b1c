"""What a batch run may write and touch: no secrets on disk, only this workspace's runs resumed,
only this tool's runs pruned, and no private parts of the Jupyter stack used."""

from __future__ import annotations

import ast
import json
import os
import shutil
from pathlib import Path

import pytest

from workbench.batch.execute import redact
from workbench.batch.runner import declared_parameters, prune_runs
from workbench.store.workspace import Workspace, resolve_workspace

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "src" / "workbench"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_redact_hides_every_password_in_a_text() -> None:
    assert redact("postgresql+psycopg://ann:s3cr@t:x@db.nhs.example:5432/wb") == (
        "postgresql+psycopg://ann:***@db.nhs.example:5432/wb")
    assert redact("could not reach postgresql://bob:pw@h/db (timeout)") == (
        "could not reach postgresql://bob:***@h/db (timeout)")
    assert redact("sqlite:////srv/wb/data/workbench.sqlite") == (
        "sqlite:////srv/wb/data/workbench.sqlite")
    assert redact("postgresql://ann@h/db") == "postgresql://ann@h/db"


def test_the_parameters_a_notebook_declares() -> None:
    assert declared_parameters(REPO / "notebooks" / "04_check_result.ipynb") >= {
        "workspace", "ward", "interactive", "charts"}
    assert "charts" not in declared_parameters(FIXTURES / "raises.ipynb")


@pytest.mark.papermill
@pytest.mark.postgres
def test_a_database_password_never_reaches_disk(pg_url: str, tmp_path: Path) -> None:
    from workbench.demo import build_demo

    url = pg_url.replace("postgres@", "postgres:s3cret-pw@")  # the test server trusts anyone
    ws = resolve_workspace(tmp_path / "ws", db=url)
    build_demo(ws)
    from workbench.batch import run_batch

    one = run_batch(ws, wards="nh-ucc", jobs=1, progress=False)
    two = run_batch(ws, notebook=str(FIXTURES / "secret.ipynb"), wards="nh-ucc", jobs=1,
                    progress=False)
    assert one.failed == {} and two.failed == {}
    printed = (two.folder / "nh-ucc" / "secret.ipynb").read_text()
    assert "db given: True" in printed and "True" in printed.split("db given: True", 1)[1]
    assert json.loads((one.folder / "run.json").read_text())["db"] == redact(url)
    for path in ws.reports.rglob("*"):
        if path.is_file():
            assert b"s3cret-pw" not in path.read_bytes(), f"the password is in {path}"
    other = resolve_workspace(ws.root, db=pg_url)  # the same server, another URL
    from workbench.domain.errors import WorkbenchError

    with pytest.raises(WorkbenchError, match="give the same one with --db"):
        run_batch(other, resume=one.run_id, progress=False)


def _fake_run(out: Path, run_id: str, *, finished: bool = True, ws: str = "/ws") -> Path:
    folder = out / run_id
    (folder / "w").mkdir(parents=True)
    manifest = {"run_id": run_id, "created": run_id[:16], "workspace": ws, "db": "x",
                "wards": {}, **({"finished": "yes"} if finished else {})}
    (folder / "run.json").write_text(json.dumps(manifest))
    return folder


def test_prune_keeps_the_newest_runs_and_touches_nothing_else(tmp_path: Path) -> None:
    runs = [_fake_run(tmp_path, f"2026120{d}T100000Z-04_check_result") for d in range(1, 6)]
    unfinished = _fake_run(tmp_path, "20261130T100000Z-04_check_result", finished=False)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "run.json").write_text("{}")
    (tmp_path / "20261101T100000Z-mine").mkdir()  # a run-like name without a manifest
    (tmp_path / "20261102T100000Z-other").mkdir()
    (tmp_path / "20261102T100000Z-other" / "run.json").write_text('{"run_id": "elsewhere"}')
    current = runs[0].name  # the oldest, yet it is the one running: never deleted
    gone = prune_runs(tmp_path, 2, current=current)
    assert gone == [r.name for r in runs[1:4]]
    left = {p.name for p in tmp_path.iterdir()}
    assert left == {current, runs[4].name, unfinished.name, "notes", "20261101T100000Z-mine",
                    "20261102T100000Z-other"}
    os.utime(unfinished / "run.json", (0, 0))  # unfinished and untouched for hours: a dead run
    assert prune_runs(tmp_path, 1) == [unfinished.name, current]


@pytest.mark.papermill
def test_resume_accepts_only_this_workspaces_run_ids(demo_ws: Workspace, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]
                                                     ) -> None:
    from workbench.cli import main

    elsewhere = tmp_path / "other" / "reports"
    victim = _fake_run(elsewhere, "20261201T100000Z-04_check_result", ws=str(tmp_path / "other"))
    before = (victim / "run.json").read_bytes(), (victim / "run.json").stat().st_mtime_ns
    out = tmp_path / "mine"
    out.mkdir()
    relative = os.path.relpath(victim, out)
    copied = out / victim.name  # another workspace's run copied into this folder of runs
    shutil.copytree(victim, copied)
    for resume, words in [(relative, "no run"), (str(victim), "no run"),
                          (victim.name, "belongs to the workspace")]:
        with pytest.raises(SystemExit) as info:
            main(["batch", "--resume", resume, "--out", str(out), "--workspace",
                  str(demo_ws.root), "--no-progress"])
        assert info.value.code == 1, resume
        assert words in capsys.readouterr().err
    assert ((victim / "run.json").read_bytes(), (victim / "run.json").stat().st_mtime_ns) == before
    assert (copied / "run.json").read_bytes() == before[0]


def _private_uses(path: Path) -> list[str]:
    """Calls of os.fork and uses of private names of papermill, nbclient or jupyter_client."""
    tree = ast.parse(path.read_text("utf-8"))
    stack = ("papermill", "nbclient", "jupyter_client")
    found, names = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names
                      if a.name.split(".")[0] in stack}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in stack:
            if any(part.startswith("_") for part in (node.module or "").split(".")):
                found.append(f"imports {node.module}")
            for alias in node.names:
                if alias.name.startswith("_"):
                    found.append(f"imports {node.module}.{alias.name}")
                names.add(alias.asname or alias.name)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            dotted = ast.unparse(node)
            if dotted in ("os.fork", "os.forkpty", "os.register_at_fork", "sys.modules"):
                found.append(dotted)
            root = node.value
            while isinstance(root, ast.Attribute):
                root = root.value
            private = node.attr.startswith("_") and not node.attr.startswith("__")
            if private and isinstance(root, ast.Name) and root.id in names:
                found.append(dotted)
            if private and isinstance(node.value, ast.Name) and node.value.id not in (
                    "self", "cls") and path.parent.name == "batch" and dotted != "os._exit":
                found.append(dotted)  # the runner reads no object's private fields at all
        elif isinstance(node, ast.Constant) and node.value in ("forkserver", "fork"):
            found.append(f"start method {node.value!r}")
    return found


def test_no_module_forks_or_touches_the_jupyter_stacks_private_parts() -> None:
    offenders = {str(p.relative_to(PACKAGE)): uses for p in sorted(PACKAGE.rglob("*.py"))
                 if (uses := _private_uses(p))}
    assert offenders == {}


def test_the_scan_finds_what_it_looks_for(tmp_path: Path) -> None:
    bad = tmp_path / "batch" / "bad.py"
    bad.parent.mkdir()
    bad.write_text("import os, sys\nfrom papermill.engines import papermill_engines as pe\n"
                   "from nbclient import _private\nimport multiprocessing as mp\n"
                   "os.fork()\npe._engines\nsys.modules['x'] = None\n"
                   "pool._processes\nmp.get_context('forkserver')\n")
    assert set(_private_uses(bad)) == {"imports nbclient._private", "os.fork", "pe._engines",
                                       "sys.modules", "pool._processes",
                                       "start method 'forkserver'"}


def test_the_notebooks_ship_inside_the_package() -> None:
    from workbench import shipped_notebooks

    folder = shipped_notebooks()
    assert folder == (REPO / "notebooks").resolve(), "in a checkout: the repository's folder"
    assert {"04_check_result.ipynb", "board.ipynb", "home.ipynb"} <= {
        p.name for p in folder.glob("*.ipynb")}


@pytest.mark.slow
def test_a_wheel_carries_the_notebooks(tmp_path: Path) -> None:
    import subprocess
    import sys
    import zipfile

    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                           str(tmp_path), str(REPO)], capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    wheel = next(tmp_path.glob("workbench-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for nb in (REPO / "notebooks").glob("*.ipynb"):
        assert f"workbench/notebooks/{nb.name}" in names
