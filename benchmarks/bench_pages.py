"""Every page's time to first content and to usable in Chromium, beside a one-cell Voila page.

For each page a person opens (landing, a board, the four steps, the roll-up, the quiz) this
times, from navigation:

* **first content**: Voila shows the page's cells (``#rendered_cells`` visible, with text);
* **usable**: the page's main control is there, enabled and visible (the board also waits for
  its chart).

Both are read inside the page (:data:`SEEN`, a DOM observer): the moment is the end of the
first frame the browser draws after the page reached that state, when a person sees it and a
click is taken.  Playwright's own waits, used only to know when to read them, look from outside
the page with pauses that grow to 500 ms (``retryWithProgressAndBackoff`` in its driver), so
they saw a page ready 0.3 s after its cells up to half a second late; what they saw is printed
beside, as "driver saw".

The **floor**, measured in the same run from the same server, is a one-cell notebook
(``print``) copied next to the workbench's notebooks, with its own warm kernel like the pages
(``floor``), and once without one (``floor cold``: what any Voila page costs when it starts its
kernel).  Goal: every page within 2x the warm floor, the board within 1.5 s.  For reference,
``floor widget`` is a one-cell page showing one button (warm kernel): the least any page made of
widgets costs, as every workbench page is (its column "x 1 button" is the ratio to it).

Then **12 boards at once** (one per demo ward, opened together in one browser): the time until
all are usable, the server's memory (the server and its kernels, resident) and its kernel count.

Usage::

    .venv/bin/python benchmarks/bench_pages.py [--runs 3] [--settle 10] [--only board,home]

It builds a demo workspace and a copy of ``notebooks/`` with the floor notebook in a temporary
folder, starts ``workbench serve`` (preheated, as shipped, plus a pool for the floor) on a free
port, waits until its warm kernels have finished warming up (their CPU use falls), and again
before each page (a used warm kernel's replacement warms up for several seconds), times the
floor first and again after the pages (its median covers both), and stops the server by its
PID.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
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
from typing import Any

REPO = Path(__file__).resolve().parents[1]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOWN = ("() => { const e = document.getElementById('rendered_cells');"
         " return e && e.style.display !== 'none' && e.innerText.trim().length > 0; }")
FLOOR = "floor.ipynb"
WIDGET_FLOOR = "floor_widget.ipynb"
PAGES = {  # name: (address, what "usable" waits for)
    "floor cold": (f"/voila/render/cold_{FLOOR}", ["#rendered_cells pre, #rendered_cells .jp-OutputArea-output"]),
    "floor": (f"/voila/render/{FLOOR}", ["#rendered_cells pre, #rendered_cells .jp-OutputArea-output"]),
    "floor widget": (f"/voila/render/{WIDGET_FLOOR}", ["button.wb-floor:not([disabled])"]),
    "home": ("/voila/render/home.ipynb", ["a.wb-ward-link"]),
    "board": ("/voila/render/board.ipynb?ward=sh-dl",
              ["button.wb-counts-save:not([disabled])", ".wb-board-chart svg"]),
    "1 pick": ("/voila/render/01_pick_theme.ipynb?ward=nh-ucc",
               ["button.wb-pick-save:not([disabled])"]),
    "2 size": ("/voila/render/02_size_baseline.ipynb?ward=nh-ed",
               ["button.wb-size-run:not([disabled])"]),
    "3 plan": ("/voila/render/03_run_change.ipynb?ward=nh-cau",
               ["button.wb-plan-save:not([disabled])"]),
    "3 follow": ("/voila/render/03_run_change.ipynb?cycle=dl-high-risk-bundle",
                 ["button.wb-log-save:not([disabled])"]),
    "4 check": ("/voila/render/04_check_result.ipynb?cycle=miu-infant-bruising-prompt",
                ["button.wb-decide-save:not([disabled])"]),
    "roll-up": ("/voila/render/rollup.ipynb", [".wb-rollup-walk-save", ".wb-rollup-risk"]),
    "quiz": ("/voila/render/quiz.ipynb", ["button.wb-quiz-start:not([disabled])"]),
}
BOARD_GOAL = 1.5
RATIO_GOAL = 2.0


def floor_notebook(source: str = "print('ready')") -> dict[str, Any]:
    """A one-cell notebook: the least a Voila page with a kernel can be.

    With *source* showing one button (``floor widget``, for reference; the goal is against the
    ``print`` floor): the least a page with widgets can be, as every workbench page is.
    """
    return {"cells": [{"cell_type": "code", "execution_count": None, "id": "floor",
                       "metadata": {}, "outputs": [], "source": [source]}],
            "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                        "name": "python3"}},
            "nbformat": 4, "nbformat_minor": 5}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pools_filled(log: Path, names: list[str]) -> bool:
    text = log.read_text("utf-8", "replace")
    return all(f"Kernel pool of {n} is filled" in text for n in names)


def start(ws: Path, notebooks: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    from workbench.serve.config import PREHEATED
    from workbench.store.workspace import resolve_workspace

    port = free_port()
    # the shipped settings (what `workbench serve` runs), plus a warm kernel for the floor
    pools = {**PREHEATED, FLOOR: 1, WIDGET_FLOOR: 1}
    launch = ("import json, sys; from pathlib import Path; from workbench.serve.app import run; "
              "from workbench.serve.config import ServeOptions; "
              "run(ServeOptions(notebooks=Path(sys.argv[1]), port=int(sys.argv[2]), "
              "pools=json.loads(sys.argv[3])), workspace=sys.argv[4], db=sys.argv[5])")
    cmd = [sys.executable, "-c", launch, str(notebooks), str(port), json.dumps(pools), str(ws),
           resolve_workspace(ws).db_url]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(log.read_text())
        try:
            urllib.request.urlopen(url + "/voila/tree", timeout=2).close()
            if pools_filled(log, [*PREHEATED, FLOOR, WIDGET_FLOOR]):
                return proc, url
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    stop(proc)
    raise RuntimeError("server did not start (pools not filled in 300 s)")


def wait_idle(pid: int, *, below: float = 15.0, window: float = 2.0, limit: float = 180.0) -> float:
    """Wait until the server and its kernels use less than *below* % of one CPU over *window*
    seconds (the warm kernels have finished warming up), at most *limit* seconds; the seconds
    waited.  "Pool filled" is logged when a kernel has started, not when it is warm."""
    import psutil

    root = psutil.Process(pid)
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit:
        procs = [root, *root.children(recursive=True)]
        for p in procs:
            try:
                p.cpu_percent(None)
            except psutil.NoSuchProcess:
                pass
        time.sleep(window)
        used = 0.0
        for p in procs:
            try:
                used += p.cpu_percent(None)
            except psutil.NoSuchProcess:
                pass
        if used < below:
            break
    return time.monotonic() - t0


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


SEEN = """(() => {
  // when this page first shows its cells and when each "usable" selector of PAGES is first
  // there, enabled and visible: each moment is the end of the first frame drawn after it
  const wanted = %s;
  const seen = window.wbSeen = {};
  const now = () => performance.timeOrigin + performance.now();
  const drawn = (name) => {
    seen[name] = -1;
    requestAnimationFrame(() => setTimeout(() => { seen[name] = now(); }));
  };
  const look = () => {
    if (!("first content" in seen)) {
      const cells = document.getElementById("rendered_cells");
      if (cells && cells.style.display !== "none" && cells.textContent.trim()) {
        drawn("first content");
      }
    }
    for (const sel of wanted) {
      if (sel in seen) { continue; }
      const found = document.querySelector(sel);
      if (found && found.getClientRects().length) { drawn(sel); }
    }
  };
  const watch = new MutationObserver(look);
  document.addEventListener("DOMContentLoaded", () => {
    watch.observe(document.documentElement, {subtree: true, childList: true, attributes: true});
    look();
  });
})();"""
"""Installed in every page of the timing browser, with every page's "usable" selectors."""


def seen_script() -> str:
    """:data:`SEEN` for the selectors of every page in :data:`PAGES`."""
    wanted = sorted({sel for _, usable in PAGES.values() for sel in usable})
    return SEEN % json.dumps(wanted)


def timed(page: Any, url: str, usable: list[str]) -> tuple[float, float, float]:
    """Seconds from navigation to first content and to usable, read in the page (:data:`SEEN`),
    and to usable as Playwright's waits saw it."""
    t0 = time.time()
    page.goto(url, wait_until="commit")
    page.wait_for_function(SHOWN, timeout=180_000, polling=50)
    for sel in usable:
        page.wait_for_selector(sel, timeout=180_000)
    driver = time.time() - t0
    names = ["first content", *usable]
    page.wait_for_function("names => names.every((n) => (window.wbSeen[n] || 0) > 0)",
                           arg=names, timeout=180_000)
    seen = page.evaluate("() => window.wbSeen")
    first = seen["first content"] / 1000 - t0
    return first, max(first, *(seen[sel] / 1000 - t0 for sel in usable)), driver


def memory(pid: int) -> tuple[float, int]:
    """Resident memory (GB) of the server and its children, and how many kernels it runs."""
    import psutil

    root = psutil.Process(pid)
    procs = [root, *root.children(recursive=True)]
    rss = 0
    kernels = 0
    for p in procs:
        try:
            rss += p.memory_info().rss
            kernels += any("ipykernel" in part for part in p.cmdline())
        except psutil.NoSuchProcess:
            continue
    return rss / 1e9, kernels


USABLE_AT = """(() => {
  // the moment this page's board is usable, on the wall clock (a DOM observer: timers and
  // animation frames are slowed in pages that are not in front)
  const ready = () => document.querySelector("button.wb-counts-save:not([disabled])");
  const seen = () => {
    if (ready() && !window.wbUsableAt) { window.wbUsableAt = Date.now(); watch.disconnect(); }
  };
  const watch = new MutationObserver(seen);
  document.addEventListener("DOMContentLoaded", () => {
    watch.observe(document.documentElement, {subtree: true, childList: true, attributes: true});
    seen();
  });
})();"""
"""Recorded in each of the twelve pages, so each board's own time is known (they are checked
one after another)."""


def twelve_boards(context: Any, url: str, wards: list[str], proc: subprocess.Popen[bytes]) -> None:
    context.add_init_script(USABLE_AT)
    pages = [context.new_page() for _ in wards]
    before = memory(proc.pid)
    t0 = time.time()
    for page, ward in zip(pages, wards, strict=True):  # all twelve navigations start at once
        page.evaluate("u => { window.location.assign(u); }",
                      f"{url}/voila/render/board.ipynb?ward={ward}")
    for page in pages:
        page.wait_for_selector("button.wb-counts-save:not([disabled])", timeout=300_000)
    during = memory(proc.pid)
    done = sorted(page.evaluate("() => window.wbUsableAt") / 1000 - t0 for page in pages)
    print(f"\n12 boards opened at once: all usable after {done[-1]:.1f} s "
          f"(first {done[0]:.1f} s, median {statistics.median(done):.1f} s)")
    print(f"  server memory {before[0]:.2f} GB with {before[1]} kernels before; "
          f"{during[0]:.2f} GB with {during[1]} kernels with the 12 boards open")
    for page in pages:
        page.close()


def browser_context(pw: Any, profile: Path, *, private: bool) -> Any:
    """Chromium with a profile of its own, as on a ward PC, or a private window (*private*).

    A browser keeps the compiled code of scripts it has run (its code cache) in its profile, and
    keeps none in a private window, so a private window compiles every script afresh on every
    page: Voila's own scripts and the Vega bundle alike.  Floor and pages use the same one.
    """
    viewport = {"width": 1600, "height": 1000}
    if private:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        return browser.new_context(viewport=viewport)
    return pw.chromium.launch_persistent_context(
        str(profile), executable_path="/usr/bin/chromium", args=ARGS, viewport=viewport)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--settle", type=float, default=10.0,
                    help="seconds between runs of a page, so its warm kernel is replaced")
    ap.add_argument("--only", default="", help="comma-separated page names (default: all)")
    ap.add_argument("--no-twelve", action="store_true", help="skip the 12 boards at once")
    ap.add_argument("--private", action="store_true",
                    help="a private window (no code cache) instead of a browser profile")
    opts = ap.parse_args()
    from playwright.sync_api import sync_playwright

    from workbench.services.wards import list_wards
    from workbench.store.workspace import resolve_workspace

    tmp = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    ws = tmp / "ws"
    subprocess.run([sys.executable, "-m", "workbench", "demo", "--workspace", str(ws)],
                   check=True, capture_output=True)
    notebooks = tmp / "notebooks"
    shutil.copytree(REPO / "notebooks", notebooks)
    for name in (FLOOR, f"cold_{FLOOR}"):
        (notebooks / name).write_text(json.dumps(floor_notebook()), "utf-8")
    button = ("import ipywidgets as w\nb = w.Button(description='ready')\n"
              "b.add_class('wb-floor')\nb")
    (notebooks / WIDGET_FLOOR).write_text(json.dumps(floor_notebook(button)), "utf-8")
    wanted = [p for p in opts.only.split(",") if p] or list(PAGES)
    results: dict[str, list[tuple[float, float, float]]] = {}
    load = os.getloadavg()
    proc, url = start(ws, notebooks, tmp / "serve.log")
    try:
        with sync_playwright() as pw:
            context = browser_context(pw, tmp / "profile", private=opts.private)
            context.add_init_script(seen_script())
            page = context.new_page()
            waited = wait_idle(proc.pid)
            print(f"  the server's kernels were warm after {waited:.0f} s more", flush=True)
            timed(page, url + PAGES["home"][0], PAGES["home"][1])  # scripts into the cache
            time.sleep(opts.settle)
            # the floor is timed first and again last, so a busier or quieter spell during the
            # run moves it as it moves the pages
            again = ["floor"] if "floor" in wanted and len(wanted) > 1 else []
            for name in [*wanted, *again]:
                address, usable = PAGES[name]
                for _ in range(opts.runs):
                    wait_idle(proc.pid)  # the last page's replacement kernel has warmed up
                    results.setdefault(name, []).append(timed(page, url + address, usable))
                    first, ready, driver = results[name][-1]
                    print(f"  {name} run {len(results[name])}: first content {first:.2f} s, "
                          f"usable {ready:.2f} s (driver saw {driver:.2f} s)", flush=True)
                    page.goto("about:blank")
                    time.sleep(opts.settle)
            report(results, opts.runs, load)
            if not opts.no_twelve:
                wards = [w.id for w in list_wards(resolve_workspace(ws))][:12]
                twelve_boards(context, url, wards, proc)
            context.close()
    finally:
        stop(proc)


def report(results: dict[str, list[tuple[float, float, float]]], runs: int,
           load: tuple[float, float, float]) -> None:
    """Print the medians, the ratios to the floor and whether the goals are met."""
    floor = statistics.median(r[1] for r in results.get("floor", [(1.0, 1.0, 1.0)]))
    print(f"\nMedian of {runs} runs (the floor: of its runs first and last); "
          f"{os.cpu_count()} CPUs, load average at start "
          f"{load[0]:.1f}; floor (one-cell page, warm kernel) usable in {floor:.2f} s:")
    button = statistics.median(r[1] for r in results.get("floor widget", [(0.0, 0.0, 0.0)]))
    print(f"  {'page':12s} {'first content':>14s} {'usable':>8s} {'x floor':>8s} "
          f"{'x 1 button':>10s} {'driver saw':>11s}")
    for name, times in results.items():
        first = statistics.median(r[0] for r in times)
        ready = statistics.median(r[1] for r in times)
        driver = statistics.median(r[2] for r in times)
        against = f"{ready / button:10.1f}" if button else f"{'-':>10s}"
        print(f"  {name:12s} {first:12.2f} s {ready:6.2f} s {ready / floor:8.1f} {against} "
              f"{driver:9.2f} s")
    over = [n for n, times in results.items() if not n.startswith("floor")
            and statistics.median(r[1] for r in times) > RATIO_GOAL * floor]
    board = statistics.median(r[1] for r in results.get("board", [(0.0, 0.0, 0.0)]))
    print(f"  goal: every page <= {RATIO_GOAL:g}x floor: {'met' if not over else 'NOT met by ' + ', '.join(over)}; "
          f"board <= {BOARD_GOAL} s: {'met' if board <= BOARD_GOAL else 'NOT met'}")


if __name__ == "__main__":
    main()
