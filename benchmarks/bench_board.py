"""Time from navigation to an interactive ward board in Chromium: cold, and with warm kernels.

Interactive means: the counts form's save button is enabled and the SPC chart's SVG is drawn,
read inside the page as ``bench_pages.py`` reads it (the end of the first frame drawn after both
are there, :data:`bench_pages.SEEN`).  Playwright's own waits poll from outside the page with
pauses that grow to 500 ms, so they see a board late; what they saw is printed beside, as
"driver saw", so figures from before 8 December compare with it.  The baseline, measured in the
same run, is the server's directory page (``/voila/tree``, until its load event: HTML, CSS and a
script, no kernel), so the ratios say how much the board costs over a plain page on this
machine.  Goal: a warm (preheated) board in at most 1.5 s.

Usage::

    .venv/bin/python benchmarks/bench_board.py [--runs 5] [--ward sh-dl] [--settle 12] [--private]

The browser has a profile of its own, as a ward PC's has (``--private``: a private window, which
compiles every script afresh on every page).  Preheated runs measure the steady state of a ward
PC that opens the same board again and again (two first visits let the warm kernels learn which
board to draw ahead).  It builds a demo workspace in a temporary folder, starts ``workbench
serve`` twice (with ``--no-preheat``, then preheated) on free ports and stops each by its PID.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from bench_pages import SEEN, browser_context, free_port, stop, wait_idle
from bench_pages import timed as timed_in_page

REPO = Path(__file__).resolve().parents[1]
READY = "button.wb-counts-save:not([disabled])"
CHART = ".wb-board-chart svg"
GOAL = 1.5


def start(ws: Path, preheat: bool, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    cmd = [sys.executable, "-m", "workbench", "serve", "--workspace", str(ws), "--port",
           str(port), "--no-browser", "--notebooks", str(REPO / "notebooks")]
    if not preheat:
        cmd.append("--no-preheat")
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(log.read_text())
        try:
            urllib.request.urlopen(url + "/voila/tree", timeout=2).close()
            if not preheat or "Kernel pool of board.ipynb is filled" in log.read_text():
                return proc, url
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    stop(proc)
    raise RuntimeError("server did not start")


LOADED = ("() => { const n = performance.getEntriesByType('navigation')[0];"
          " return performance.timeOrigin + n.loadEventEnd; }")
"""The baseline page's load event, on the wall clock, read in the page."""


def timed(page: Any, url: str, *selectors: str) -> tuple[float, float]:
    """Seconds from navigation to *selectors* all there (or, with none, to the load event),
    read inside the page, and as Playwright's waits saw it."""
    if selectors:
        _, usable, driver = timed_in_page(page, url, list(selectors))
        return usable, driver
    t0 = time.time()
    page.goto(url, wait_until="load")
    return page.evaluate(LOADED) / 1000 - t0, time.time() - t0


def watch(page: Any, outside: list[str]) -> None:
    """Record requests that leave 127.0.0.1 (observed, not intercepted: interception through
    Playwright's route() adds a round trip per request, about 0.5 s on a board's 90 scripts)."""
    def seen(request: Any) -> None:
        if not request.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")):
            outside.append(request.url)

    page.on("request", seen)


def series(label: str, runs: int, settle: float, page: Any, url: str,
           *selectors: str) -> list[tuple[float, float]]:
    times = []
    for i in range(runs):
        times.append(timed(page, url, *selectors))
        print(f"  {label} run {i + 1}: {times[-1][0]:.2f} s "
              f"(driver saw {times[-1][1]:.2f} s)", flush=True)
        if settle and i < runs - 1:
            time.sleep(settle)
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--ward", default="sh-dl")
    ap.add_argument("--settle", type=float, default=12.0,
                    help="seconds between warm runs, so the pool refills (kernel start-up)")
    ap.add_argument("--private", action="store_true",
                    help="a private window (no code cache) instead of a browser profile")
    opts = ap.parse_args()
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="bench-board-"))
    ws = tmp / "ws"
    subprocess.run([sys.executable, "-m", "workbench", "demo", "--workspace", str(ws)],
                   check=True, capture_output=True)
    board = f"/voila/render/board.ipynb?ward={opts.ward}"
    results: dict[str, list[tuple[float, float]]] = {}
    outside: list[str] = []
    with sync_playwright() as pw:
        for mode, preheat in (("cold", False), ("preheated", True)):
            proc, url = start(ws, preheat, tmp / f"serve-{mode}.log")
            try:
                if preheat:  # "pool filled" is logged when a kernel starts, not when it is warm
                    print(f"  the server's kernels were warm after {wait_idle(proc.pid):.0f} s "
                          "more", flush=True)
                context = browser_context(pw, tmp / f"profile-{mode}", private=opts.private)
                context.add_init_script(SEEN % json.dumps([READY, CHART]))
                page = context.new_page()
                watch(page, outside)
                # first visits: the browser caches Voila's scripts, and (preheated) each warm
                # kernel of the pool is replaced by one that knows this board is opened here
                for _ in range(2 if preheat else 1):
                    timed(page, url + board, READY, CHART)
                    time.sleep(opts.settle if preheat else 2)
                results[f"baseline ({mode} server)"] = series(
                    "baseline", opts.runs, 0, page, url + "/voila/tree")
                results[f"board {mode}"] = series(
                    f"board {mode}", opts.runs, opts.settle if preheat else 2, page, url + board,
                    READY, CHART)
                context.close()
            finally:
                stop(proc)
    base = statistics.median(t[0] for t in results["baseline (preheated server)"])
    print(f"\nMedian of {opts.runs} runs, ward {opts.ward}, {os.cpu_count()} CPU(s), "
          "read in the page:")
    for name, runs in results.items():
        times = [t[0] for t in runs]
        med = statistics.median(times)
        print(f"  {name:28s} {med:6.2f} s  (min {min(times):.2f}, max {max(times):.2f})  "
              f"{med / base:6.1f} x baseline   driver saw "
              f"{statistics.median(t[1] for t in runs):.2f} s")
    cold = statistics.median(t[0] for t in results["board cold"])
    warm = statistics.median(t[0] for t in results["board preheated"])
    print(f"  preheated / cold: {warm / cold:.2f}; goal <= {GOAL} s preheated: "
          f"{'met' if warm <= GOAL else 'NOT met'}")
    if outside:
        print(f"  WARNING: requests outside 127.0.0.1 were attempted: {sorted(set(outside))}")


if __name__ == "__main__":
    main()
