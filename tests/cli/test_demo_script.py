"""``./scripts/demo`` and ``workbench serve --quiet``: a short summary, and a clean stop.

Slow (they start the real server), so marked; no wall-clock limits here: the stop time is
measured, not asserted (it is quoted in the README).
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

import pytest

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


@pytest.mark.slow
def test_serve_quiet_ends_in_the_address_and_ctrl_c_stops_without_a_trace(
        tmp_path: Path) -> None:
    from workbench.demo import build_demo
    from workbench.store.workspace import resolve_workspace

    ws = resolve_workspace(tmp_path / "ws")
    build_demo(ws)
    port = _free_port()
    env = {**os.environ, "WORKBENCH_HOME": str(ws.root), "WORKBENCH_DB": ""}
    proc = subprocess.Popen(
        [str(BIN / "workbench"), "serve", "--quiet", "--no-browser", f"--port={port}",
         f"--notebooks={REPO / 'notebooks'}"], env=env, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/voila/render/home.ipynb",
                                       timeout=60).read()
                break
            except OSError:
                time.sleep(0.5)
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl+C in a terminal sends
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    lines = out.splitlines()
    assert lines == [f"Server messages: {ws.root / 'logs' / 'serve.log'}. Stop with Ctrl+C.",
                     f"The workbench is at http://127.0.0.1:{port}/"]
    assert err == "" and proc.returncode == 0
    assert "Kernel shutdown" in (ws.root / "logs" / "serve.log").read_text("utf-8")
