"""How long Ctrl+C takes to stop ``workbench serve``, beside a server with no kernels.

Each run builds nothing new: one demo workspace in a temporary folder serves every run.  A run
starts ``workbench serve --quiet`` in its own process group, waits until it answers, every
warm-kernel pool is filled and the kernels are idle (the state a server left running on a ward
PC is in), opens the landing page once (a used warm kernel, and its replacement starting), then
sends SIGINT to the group, as Ctrl+C in a terminal does, and times until the process has exited.
It also counts kernel processes left running and "Traceback" lines in the server's log.

The **baseline**, measured in the same run, is the same server with ``--no-preheat`` and no page
opened: no kernels to stop, so what stopping Voila and the Jupyter server costs by itself.
Goal (issue 15): within 2 s.

Usage::

    .venv/bin/python benchmarks/bench_stop.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
GOAL = 2.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def kernels(pid: int) -> list[psutil.Process]:
    """The server's kernel processes."""
    try:
        return [p for p in psutil.Process(pid).children(recursive=True)
                if "ipykernel" in " ".join(p.cmdline())]
    except psutil.Error:
        return []


def settled(proc: subprocess.Popen[bytes], log: Path, preheat: bool) -> None:
    """Wait until the server answers and (preheated) its pools are filled and idle."""
    from workbench.serve.config import PREHEATED

    port = proc.args[proc.args.index("--port") + 1]  # type: ignore[union-attr]
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/voila/tree", timeout=2).close()
            text = log.read_text("utf-8")
            if not preheat or all(f"Kernel pool of {n} is filled" in text for n in PREHEATED):
                break
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    quiet = 0
    while preheat and quiet < 2 and time.monotonic() < deadline:
        ks = kernels(proc.pid)
        for k in ks:
            k.cpu_percent(None)
        time.sleep(1.0)
        busy = sum(k.cpu_percent(None) for k in ks if k.is_running()) / 100
        quiet = quiet + 1 if busy < 0.5 else 0


def one_stop(ws: Path, preheat: bool) -> tuple[float, int, int, int]:
    """Seconds from SIGINT to exit, kernels before, kernels left, tracebacks in the log."""
    port = free_port()
    log = ws / "logs" / "serve.log"
    log.unlink(missing_ok=True)
    argv = [str(Path(sys.executable).parent / "workbench"), "serve", "--quiet", "--no-browser",
            "--port", str(port), "--notebooks", str(REPO / "notebooks")]
    if not preheat:
        argv.append("--no-preheat")
    env = {**os.environ, "WORKBENCH_HOME": str(ws), "WORKBENCH_DB": ""}
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        settled(proc, log, preheat)
        if preheat:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/voila/render/home.ipynb",
                                   timeout=120).read()
        before = kernels(proc.pid)
        t0 = time.perf_counter()
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=120)
        took = time.perf_counter() - t0
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    left = [k for k in before if k.is_running() and k.status() != psutil.STATUS_ZOMBIE]
    traces = log.read_text("utf-8").count("Traceback")
    return took, len(before), len(left), traces


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    from workbench.demo import build_demo
    from workbench.store.workspace import resolve_workspace

    with tempfile.TemporaryDirectory() as tmp:
        ws = resolve_workspace(Path(tmp) / "ws")
        build_demo(ws)
        rows = {"baseline (--no-preheat, no page)": [one_stop(ws.root, False)
                                                     for _ in range(args.runs)],
                "preheated, one page opened": [one_stop(ws.root, True)
                                               for _ in range(args.runs)]}
    base = statistics.median(r[0] for r in rows["baseline (--no-preheat, no page)"])
    print(f"load average {os.getloadavg()[0]:.1f}; {args.runs} runs; goal {GOAL:g} s")
    print(f"{'server':36} {'median':>7} {'worst':>7} {'x base':>7} {'kernels':>8} "
          f"{'left':>5} {'traces':>6}")
    for name, runs in rows.items():
        times = [r[0] for r in runs]
        med = statistics.median(times)
        print(f"{name:36} {med:6.2f}s {max(times):6.2f}s {med / base:7.1f} "
              f"{max(r[1] for r in runs):8d} {sum(r[2] for r in runs):5d} "
              f"{sum(r[3] for r in runs):6d}")


if __name__ == "__main__":
    main()
