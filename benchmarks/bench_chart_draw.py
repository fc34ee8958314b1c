"""How long a ward's board chart takes to draw in Chromium, four ways, in one run.

The chart is the demo ward sh-dl's (four SPC charts, 74 layers), drawn on a page of its own
served by a small local server, so Voila's own loading does not blur the difference:

* **module (before)**: the Vega bundle imported as an ES module, the Vega-Lite spec compiled
  on every page (the workbench until this change);
* **script, compiled**: the shipped browser side (``vega_view.js``) with the bundle as a
  classic script led by V8's compile hint (:func:`workbench.charts.widget.bundle_script`),
  its kept charts cleared before each page, so it compiles every time;
* **script, kept chart**: the same with the compiled chart kept from the page before, its
  kept drawings cleared (what a ward PC does when the counts have changed since it last drew
  the board: Vega draws the live chart without compiling);
* **script, kept drawing**: the same with the drawing kept from the page before (what a ward
  PC does from its second load of the board with the same counts: the drawing is shown at
  once; the live chart replaces it when someone points at it).

Each page is timed from just before the bundle is asked for until the chart's text is drawn.
The pages take turns, so a busier spell of the machine slows all three; the medians are
printed with their ratio to the first.  A browser profile is used (a ward PC's browser keeps
one, with the compiled code of scripts it has run); ``--private`` uses a private window, which
keeps none.

Usage::

    .venv/bin/python benchmarks/bench_chart_draw.py [--runs 12] [--private]
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.server
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
DRAWN = "document.querySelectorAll('#chart svg text').length > 20"
PAGES = {
    "module (before)": "/module.html",
    "script, compiled": "/script.html?keep=0",
    "script, kept chart": "/script.html?keep=chart",
    "script, kept drawing": "/script.html?keep=1",
}
MODULE_PAGE = """<!doctype html><html><head><link rel="modulepreload" href="/bundle-module.js">
</head><body><div id="chart"></div><script type="module">
const spec = await (await fetch("/spec.json")).json();
const t0 = performance.now();
await import("/bundle-module.js");
await window.vegaEmbed(document.getElementById("chart"), spec,
                       {actions: false, renderer: "svg"});
window.took = performance.now() - t0;
</script></body></html>"""
SCRIPT_PAGE = """<!doctype html><html><head>
<link rel="preload" as="script" href="/bundle-script.js"></head>
<body><div id="chart"></div><script type="module">
import view from "/vega_view.js";
const keep = new URLSearchParams(location.search).get("keep");
if (keep === "0") { localStorage.clear(); }
if (keep === "chart") {
  for (const name of Object.keys(localStorage)) {
    if (name.startsWith("workbench-drawing:")) { localStorage.removeItem(name); }
  }
}
const spec = await (await fetch("/spec.json")).json();
const values = {spec, bundle: "bundle-script.js", embed_options: {actions: false, renderer: "svg"}};
const model = {get: (name) => values[name], on: () => {}};
const el = document.getElementById("chart");
const t0 = performance.now();
new MutationObserver((_, watch) => {
  if (el.querySelectorAll("svg text").length > 20) { window.took = performance.now() - t0; watch.disconnect(); }
}).observe(el, {childList: true, subtree: true});
view.render({model, el});
</script></body></html>"""


def board_spec(tmp: Path) -> dict[str, Any]:
    """The demo ward sh-dl's board chart, as the kernel sends it (rows apart, shape keyed)."""
    from workbench.charts.widget import _spec_of
    from workbench.store.workspace import resolve_workspace
    from workbench.ui.board.drawing import Drawing

    ws = tmp / "ws"
    subprocess.run([sys.executable, "-m", "workbench", "demo", "--workspace", str(ws)],
                   check=True, capture_output=True)
    spec = _spec_of(Drawing(resolve_workspace(ws), "sh-dl", dt.date.today()).draw())
    if spec is None:
        raise RuntimeError("the demo ward sh-dl has no chart")
    return spec


def serve(files: dict[str, tuple[bytes, str, bool]]) -> str:
    """A local server for *files* (address: body, type, kept by the browser); its URL."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            found = files.get(self.path.split("?")[0])
            if found is None:
                self.send_response(404)
                self.end_headers()
                return
            body, kind, keep = found
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Cache-Control",
                             "private, max-age=31536000, immutable" if keep else "no-cache")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=12)
    ap.add_argument("--private", action="store_true", help="a private window, no code cache")
    opts = ap.parse_args()
    from playwright.sync_api import sync_playwright

    from workbench.charts.render import vega_bundle
    from workbench.charts.widget import bundle_script, view_script

    tmp = Path(tempfile.mkdtemp(prefix="bench-chart-"))
    bundle = vega_bundle()
    js, html = "text/javascript; charset=utf-8", "text/html; charset=utf-8"
    url = serve({
        "/module.html": (MODULE_PAGE.encode(), html, False),
        "/script.html": (SCRIPT_PAGE.encode(), html, False),
        "/bundle-module.js": (bundle.encode(), js, True),
        "/bundle-script.js": (bundle_script(bundle).encode(), js, True),
        "/vega_view.js": (view_script().encode(), js, True),
        "/spec.json": (json.dumps(board_spec(tmp)).encode(), "application/json", False),
    })
    took: dict[str, list[float]] = {name: [] for name in PAGES}
    with sync_playwright() as pw:
        if opts.private:
            context = pw.chromium.launch(executable_path="/usr/bin/chromium",
                                         args=ARGS).new_context()
        else:
            context = pw.chromium.launch_persistent_context(
                str(tmp / "profile"), executable_path="/usr/bin/chromium", args=ARGS)
        for run in range(opts.runs + 2):  # the first two runs fill the caches, not counted
            for name, address in PAGES.items():
                page = context.new_page()
                page.goto(url + address)
                page.wait_for_function("window.took !== undefined", timeout=60_000)
                page.wait_for_function(DRAWN, timeout=60_000)
                if run >= 2:
                    took[name].append(page.evaluate("window.took"))
                page.close()
                time.sleep(0.3)
        context.close()
    base = statistics.median(took["module (before)"])
    print(f"Board chart of sh-dl drawn on a page of its own, median of {opts.runs} loads "
          f"({'private window' if opts.private else 'browser profile'}):")
    for name, times in took.items():
        mid = statistics.median(times)
        print(f"  {name:20s} {mid:6.0f} ms   x{mid / base:4.2f}   "
              f"(quartiles {statistics.quantiles(times, n=4)[0]:.0f}-"
              f"{statistics.quantiles(times, n=4)[2]:.0f} ms)")


if __name__ == "__main__":
    main()
