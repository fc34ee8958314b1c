"""Faults a batch run survives: each fails its ward alone, names the failure, and leaves no
process, connection file or socket behind; a stopped or killed run completes with --resume.

Every run here marks its processes with an environment variable (workers inherit the runner's
environment and kernels their worker's), so the tests can see any process a run left behind.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.batch import run_batch
from workbench.store.workspace import Workspace, resolve_workspace

FIXTURES = Path(__file__).resolve().parent / "fixtures"
WORKBENCH = Path(sys.executable).with_name("workbench")
pytestmark = pytest.mark.papermill


def _fixture(name: str) -> str:
    return str(FIXTURES / f"{name}.ipynb")


def _marked(mark: str) -> list[int]:
    """Processes started with ``WB_TEST_MARK=<mark>`` in their environment.

    This test process's own multiprocessing resource tracker is not counted: it lives as long
    as the process that started it (here pytest; for ``workbench batch``, the command).
    """
    found = []
    needle = f"WB_TEST_MARK={mark}".encode()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                env = (entry / "environ").read_bytes().split(b"\0")
                cmd = (entry / "cmdline").read_bytes()
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if needle in env and not (b"resource_tracker" in cmd and ppid == os.getpid()):
                found.append(int(entry.name))
    return found


def _left_behind(mark: str, within: float = 20.0) -> list[int]:
    """The marked processes still alive after *within* seconds (a killed worker's kernel
    notices its parent has gone within about a second)."""
    end = time.monotonic() + within
    while (alive := _marked(mark)) and time.monotonic() < end:
        time.sleep(0.25)
    return alive


@pytest.fixture
def mark(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[str]:
    """Mark this test's batch processes and give them a temp folder of their own (``TMPDIR``,
    which workers and kernels inherit); afterwards no marked process may be alive and the temp
    folder must be empty."""
    value = uuid.uuid4().hex
    tmp = tmp_path_factory.mktemp("tmp")
    monkeypatch.setenv("WB_TEST_MARK", value)
    monkeypatch.setenv("TMPDIR", str(tmp))
    yield value
    assert _left_behind(value) == [], "a worker or kernel outlived the run"
    assert list(tmp.iterdir()) == [], "the run left files in the temp folder"


def _no_leftovers(folder: Path) -> None:
    assert not (folder / ".jupyter-runtime").exists(), "kernel connection files removed"


@pytest.mark.parametrize(("fixture", "detail"), [
    ("raises", "boom on purpose for nh-cau"),
    ("killed", "DeadKernelError"),
])
def test_a_ward_that_fails_fails_alone_and_its_page_says_so(
        demo_ws: Workspace, tmp_path: Path, mark: str, fixture: str, detail: str) -> None:
    result = run_batch(demo_ws, notebook=_fixture(fixture), wards="nh-cau,nh-ucc,nh-ed",
                       jobs=2, out=tmp_path, progress=False, timeout=120)
    assert set(result.failed) == {"nh-cau"}
    assert result.wards["nh-ucc"]["status"] == "ok" == result.wards["nh-ed"]["status"]
    message = result.failed["nh-cau"]
    if fixture == "killed":
        assert message.startswith("The notebook's kernel stopped unexpectedly")
    else:
        assert message.startswith("The notebook stopped with an unexpected error")
    assert "Error" not in message, "no Python words in the message"
    page = (result.folder / "nh-cau" / f"{fixture}.html").read_text()
    folded = page.split("<details>", 1)
    assert message.replace("'", "&#x27;") in folded[0] and detail in folded[1]
    index = (result.folder / "index.html").read_text()
    assert "Failed" in index and "unexpected" in index or "stopped unexpectedly" in index
    _no_leftovers(result.folder)


def test_a_hanging_cell_is_stopped_by_the_cell_timeout(demo_ws: Workspace, tmp_path: Path,
                                                        mark: str) -> None:
    result = run_batch(demo_ws, notebook=_fixture("sleeps"), wards="nh-ucc,nh-cau", jobs=2,
                       out=tmp_path, progress=False, timeout=4)
    assert result.wards["nh-cau"]["status"] == "timeout"
    assert "longer than the 4 s allowed per step" in result.failed["nh-cau"]
    assert result.wards["nh-ucc"]["status"] == "ok"
    _no_leftovers(result.folder)


def test_a_ward_past_the_outer_guard_loses_its_worker_only(demo_ws: Workspace, tmp_path: Path,
                                                           mark: str) -> None:
    result = run_batch(demo_ws, notebook=_fixture("crawls"), wards="nh-cau,nh-ucc,nh-ed",
                       jobs=2, out=tmp_path, progress=False, timeout=8, grace=22)
    assert result.wards["nh-cau"]["status"] == "timeout"  # six 6 s cells: 36 s > 8 + 22 s
    assert "still running after 30 s" in result.failed["nh-cau"]
    assert result.wards["nh-ucc"]["status"] == "ok" == result.wards["nh-ed"]["status"]
    _no_leftovers(result.folder)


def _batch_cmd(ws: Workspace, out: Path, *extra: str) -> list[str]:
    return [str(WORKBENCH), "batch", "--notebook", _fixture("naps"), "--wards",
            "nh-ucc,nh-cau,nh-ed,sh-dl", "--jobs", "2", "--no-progress", "--out", str(out),
            "--workspace", str(ws.root), *extra]


def _wait_for_a_started_ward(out: Path, within: float = 60.0) -> None:
    end = time.monotonic() + within
    while not list(out.glob("*/*/.started")):
        assert time.monotonic() < end, "no ward started"
        time.sleep(0.1)
    time.sleep(0.5)


@pytest.mark.slow
@pytest.mark.parametrize("how", ["SIGTERM", "Ctrl-C"])
def test_a_stopped_run_says_how_to_resume_and_the_command_works(
        demo_ws: Workspace, tmp_path: Path, mark: str, how: str) -> None:
    proc = subprocess.Popen(_batch_cmd(demo_ws, tmp_path), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    _wait_for_a_started_ward(tmp_path)
    if how == "SIGTERM":
        proc.send_signal(signal.SIGTERM)
    else:  # the terminal sends SIGINT to the whole foreground process group
        os.killpg(proc.pid, signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    manifest = json.loads(next(tmp_path.glob("*/run.json")).read_text())
    assert "missing" in {w["status"] for w in manifest["wards"].values()}
    assert _left_behind(mark) == []
    command = re.search(r"Rerun the unfinished wards with: (.*)", err)
    assert command, err
    words = shlex.split(command.group(1))
    assert words[:2] == ["workbench", "batch"] and "--workspace" in words
    done = subprocess.run([str(WORKBENCH), *words[1:]], capture_output=True, text=True,
                          timeout=240, cwd="/")
    assert done.returncode == 0, done.stderr
    manifest = json.loads(next(tmp_path.glob("*/run.json")).read_text())
    assert {w["status"] for w in manifest["wards"].values()} == {"ok"}


@pytest.mark.slow
def test_a_run_killed_with_sigkill_leaves_nothing_running_and_resumes(
        demo_ws: Workspace, tmp_path: Path, mark: str) -> None:
    proc = subprocess.Popen(_batch_cmd(demo_ws, tmp_path), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _wait_for_a_started_ward(tmp_path)
    proc.kill()  # as the out-of-memory killer would
    proc.wait()
    assert _left_behind(mark) == [], "workers and kernels stop when their runner is killed"
    run = next(tmp_path.glob("*/run.json")).parent
    done = subprocess.run([str(WORKBENCH), "batch", "--resume", run.name, "--out",
                           str(tmp_path), "--workspace", str(demo_ws.root), "--no-progress"],
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    manifest = json.loads((run / "run.json").read_text())
    assert {w["status"] for w in manifest["wards"].values()} == {"ok"}
    _no_leftovers(run)


def _dask(scratch: Path, *args: str) -> subprocess.Popen[bytes]:
    """A Dask scheduler or worker of the test's own, its scratch space outside the run's."""
    scratch.mkdir(exist_ok=True)
    return subprocess.Popen([str(Path(sys.executable).with_name("dask")), *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "TMPDIR": str(scratch)})


@pytest.mark.slow
def test_the_dask_scheduler_going_away_fails_the_unfinished_wards(
        demo_ws: Workspace, tmp_path: Path, mark: str) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    scheduler = _dask(tmp_path / "dask", "scheduler", "--host", "127.0.0.1", "--port", str(port),
                      "--no-dashboard")
    worker = _dask(tmp_path / "dask", "worker", address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard",
                   "--death-timeout", "10")
    found: dict[str, object] = {}

    def run() -> None:
        found["result"] = run_batch(demo_ws, notebook=_fixture("naps"),
                                    wards="nh-ucc,nh-cau,nh-ed", scheduler=address,
                                    out=tmp_path, progress=False)

    try:
        thread = threading.Thread(target=run)
        thread.start()
        _wait_for_a_started_ward(tmp_path, within=120)
        scheduler.kill()
        thread.join(90)
        assert not thread.is_alive(), "the run ends when its scheduler goes away"
    finally:
        for proc in (scheduler, worker):
            proc.kill()
            proc.wait()
    result = found["result"]
    failed = result.failed  # type: ignore[attr-defined]
    assert failed and all(f"The Dask scheduler at {address} went away" in m
                          for m in failed.values())
    again = run_batch(demo_ws, resume=result.run_id, out=tmp_path,  # type: ignore[attr-defined]
                      progress=False, jobs=2)
    assert again.failed == {}


def test_one_wards_bad_record_fails_that_ward_alone(demo_ws: Workspace, tmp_path: Path,
                                                   mark: str) -> None:
    root = tmp_path / "ws"
    shutil.copytree(demo_ws.root, root, ignore=shutil.ignore_patterns("reports"))
    ws = resolve_workspace(root)
    w7 = root / "pdsa" / "cycles" / "w7-stop-and-call.yaml"
    w7.write_text(w7.read_text().replace("start: 2026-11-30", "start: 2026-13-45"))
    w12 = root / "pdsa" / "cycles" / "w12-plan-first-notes.yaml"
    w12.write_text(w12.read_text().replace("- staff_minutes_per_discharge", "- no_such_measure"))
    result = run_batch(ws, wards="nh-w7,sh-w12,sh-dl", jobs=2, out=tmp_path / "out",
                       progress=False)
    assert set(result.failed) == {"nh-w7", "sh-w12"}
    assert result.failed["nh-w7"] == (
        "pdsa/cycles/w7-stop-and-call.yaml, line 17, field 'start': '2026-13-45' is not a real date; write it as YYYY-MM-DD")
    assert result.failed["sh-w12"].startswith("pdsa/cycles/w12-plan-first-notes.yaml, line 16, "
                                              "field 'measures[1]': unknown "
                                              "measure 'no_such_measure'; write one of")
    for ward, message in result.failed.items():
        page = (result.folder / ward / "04_check_result.html").read_text()
        assert "could not be made" in page and "<details>" in page
        assert message.replace("'", "&#x27;") in page.split("<details>")[0]
    assert "KeyError" not in (result.folder / "index.html").read_text()
