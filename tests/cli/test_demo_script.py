"""``./scripts/demo`` and ``workbench serve --quiet``: a short summary, and a clean stop.

Slow (they start the real server), so marked; no wall-clock limits here: the stop time is
measured, not asserted: `benchmarks/bench_stop.py` times it, quoted in docs/serving.md.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from workbench.serve.config import PREHEATED

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_scripts_demo_prints_no_installer_noise_and_keeps_the_workspace(tmp_path: Path) -> None:
    env = {**os.environ, "WORKBENCH_HOME": str(tmp_path / "demo"), "WORKBENCH_DB": "",
           "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    # "--help" goes to `workbench serve`, which prints its help and exits instead of serving
    done = subprocess.run([str(REPO / "scripts" / "demo"), "--help"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    first = done.stdout.splitlines()[:2]
    assert first[0].startswith("Setting up the workbench")
    assert first[1].startswith(f"Demo workspace ready in {tmp_path / 'demo'}")
    assert "==>" not in done.stdout + done.stderr and "pip" not in done.stderr
    assert not list(tmp_path.glob("workbench-setup*.log"))
    again = subprocess.run([str(REPO / "scripts" / "demo"), "--help"], env=env, cwd=tmp_path,
                           capture_output=True, text=True, timeout=600, check=False)
    assert "kept as it is" in again.stdout.splitlines()[1]


def _kernels(pid: int) -> list[Any]:
    """The server's kernel processes (its children; each kernel runs in its own session)."""
    import psutil

    try:
        return [p for p in psutil.Process(pid).children(recursive=True)
                if "ipykernel" in " ".join(p.cmdline())]
    except psutil.Error:
        return []


def _warm(log: Path, pid: int) -> bool:
    """Every warm-kernel pool is filled and its kernels run (the state Ctrl+C usually meets)."""
    from workbench.serve.config import PREHEATED

    text = log.read_text("utf-8") if log.exists() else ""
    return all(f"Kernel pool of {name} is filled" in text for name in PREHEATED) and \
        len(_kernels(pid)) >= sum(PREHEATED.values())


@pytest.mark.slow
def test_serve_quiet_ends_in_the_address_and_ctrl_c_stops_without_a_trace(
        tmp_path: Path) -> None:
    import psutil

    from workbench.demo import build_demo
    from workbench.store.workspace import resolve_workspace

    ws = resolve_workspace(tmp_path / "ws")
    build_demo(ws)
    port = _free_port()
    log = ws.root / "logs" / "serve.log"
    env = {**os.environ, "WORKBENCH_HOME": str(ws.root), "WORKBENCH_DB": ""}
    proc = subprocess.Popen(
        [str(BIN / "workbench"), "serve", "--quiet", "--no-browser", f"--port={port}",
         f"--notebooks={REPO / 'notebooks'}"], env=env, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/voila/render/home.ipynb",
                                       timeout=60).read()
                break
            except OSError:
                time.sleep(0.5)
        for _ in range(600):  # the warm kernels wait for their pages (one is busy: home's)
            if _warm(log, proc.pid):
                break
            time.sleep(0.5)
        kernels = _kernels(proc.pid)
        assert len(kernels) >= sum(PREHEATED.values())
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl+C in a terminal sends
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    lines = out.splitlines()
    assert lines == [f"Server messages: {log}. Stop with Ctrl+C.",
                     f"The workbench is at http://127.0.0.1:{port}/"]
    assert err == "" and proc.returncode == 0
    text = log.read_text("utf-8")
    assert "Kernel shutdown" in text
    # no trace, neither from the server nor from a kernel stopped in the middle of its wait
    assert "Traceback" not in err + text, text[text.find("Traceback") - 2000:][:5000]
    left = [k.pid for k in kernels if k.is_running() and k.status() != psutil.STATUS_ZOMBIE]
    assert not left, f"kernels left running after the server stopped: {left}"
