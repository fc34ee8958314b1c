"""Benchmark the batch runner on the demo workspace: papermill as it ships, no tricks.

Three questions, in one run on the same machine:

1. **Cost of step 4 over the floor.**  The floor is stock papermill (its default engine, a
   kernel started the ordinary way), through the same runner, on a notebook holding only a
   parameters cell (kernel start, parameter injection, writing the notebook, HTML export).
   ``04_check_result`` per ward against it: goal <= 2.5x.  Per ward means the steady state of
   a worker: the first ward of each run also pays for starting the worker (a spawned process
   importing papermill), which is printed on its own line.
2. **Scaling.**  The demo batch (all 12 wards, ``04_check_result``) with 1 worker against 2:
   goal >= 1.7x faster.
3. **Dask.**  40 wards (the demo's 12 and 28 copies of them, with their counts) on a local
   Dask cluster of 2 worker processes with 1 thread each.

Floor and step-4 runs alternate (and so do 1- and 2-worker runs), so a change in the machine's
load during the benchmark hits both sides of each ratio alike.

Usage::

    .venv/bin/python benchmarks/bench_batch.py [--wards 12] [--rounds 3] [--skip-scaling]
        [--skip-dask]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.store.workspace import Workspace

# The workbench is imported inside the functions, not here: each spawned worker process
# imports this script again (as multiprocessing does with the main script), and the demo
# builder's imports would add to every worker's start.  `workbench batch` has no such cost.

FLOOR = Path(__file__).resolve().parents[1] / "tests" / "batch" / "fixtures" / "floor.ipynb"


def _batch(ws: Workspace, out: Path, notebook: str, wards: list[str], jobs: int
           ) -> tuple[float, list[float]]:
    """Wall time of one run, and each ward's seconds in the order the wards were given."""
    from workbench.batch import run_batch

    start = time.perf_counter()
    result = run_batch(ws, notebook=notebook, wards=wards, jobs=jobs, out=out, progress=False)
    wall = time.perf_counter() - start
    if result.failed:
        raise SystemExit(f"benchmark run failed: {result.failed}")
    return wall, [float(result.wards[w]["seconds"]) for w in wards]


def _per_ward(args: argparse.Namespace, ws: Workspace, out: Path, wards: list[str]) -> None:
    floor: list[float] = []
    step4: list[float] = []
    start_up: list[float] = []
    for _ in range(args.rounds):
        for notebook, into in ((str(FLOOR), floor), ("04_check_result", step4)):
            seconds = _batch(ws, out, notebook, wards, 1)[1]
            into += seconds[1:]  # the first ward also started the worker
            start_up.append(seconds[0] - statistics.median(seconds[1:]))
    f, s = statistics.median(floor), statistics.median(step4)
    print(f"floor (parameters only)      median {f:.3f} s per ward ({len(floor)} runs)")
    print(f"04_check_result              median {s:.3f} s per ward ({len(step4)} runs)")
    print(f"ratio 04 / floor             {s / f:.2f}x   (goal <= 2.5x)")
    print(f"worker start-up, once per worker and run: median {statistics.median(start_up):.2f} s")


def _scaling(args: argparse.Namespace, ws: Workspace, out: Path, wards: list[str]) -> None:
    one: list[float] = []
    two: list[float] = []
    for _ in range(args.rounds):
        one.append(_batch(ws, out, "04_check_result", wards, 1)[0])
        two.append(_batch(ws, out, "04_check_result", wards, 2)[0])
    a, b = statistics.median(one), statistics.median(two)
    print(f"demo batch, {len(wards)} wards, 1 worker  median {a:.2f} s "
          f"{[round(x, 2) for x in one]}")
    print(f"demo batch, {len(wards)} wards, 2 workers median {b:.2f} s "
          f"{[round(x, 2) for x in two]}")
    print(f"speed-up 2 vs 1 workers      {a / b:.2f}x   (goal >= 1.7x)")


def _forty_wards(ws: Workspace) -> list[str]:
    """Add copies of the demo's wards (with their counts) until there are 40; their ids."""
    import pandas as pd
    import yaml

    from workbench.services.observations import import_file, long_frame

    path = ws.pdsa / "wards.yaml"
    wards = yaml.safe_load(path.read_text("utf-8"))
    copies = [{**w, "id": f"{w['id']}-c{k}", "name": f"{w['name']} {k}"}
              for k in range(1, 4) for w in wards][: 40 - len(wards)]
    path.write_text(yaml.safe_dump(wards + copies, sort_keys=False), "utf-8")
    frame = long_frame(ws)
    parts = []
    for copy in copies:
        part = frame[frame["ward"] == copy["id"].rsplit("-c", 1)[0]].copy()
        part["ward"] = copy["id"]
        parts.append(part)
    rows = pd.concat(parts)[["ward", "measure", "date", "value", "denominator"]]
    csv = ws.data / "copies.csv"
    rows.to_csv(csv, index=False)
    import_file(ws, csv, entered_by="benchmark")
    return [w["id"] for w in wards + copies]


def _dask(ws: Workspace, out: Path, wards: list[str]) -> None:
    from distributed import LocalCluster

    from workbench.batch import run_batch

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        start = time.perf_counter()
        result = run_batch(ws, wards=wards, scheduler=cluster.scheduler_address, out=out,
                           progress=False)
        wall = time.perf_counter() - start
    if result.failed:
        raise SystemExit(f"benchmark run failed: {result.failed}")
    seconds = [float(i["seconds"]) for i in result.wards.values()]
    print(f"Dask, {len(wards)} wards, LocalCluster 2 workers x 1 thread: {wall:.1f} s "
          f"({wall / len(wards):.2f} s a ward; median ward {statistics.median(seconds):.2f} s)")


def main() -> None:
    """Run the benchmark and print the figures and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wards", type=int, default=12, help="wards for the floor comparison")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per figure")
    parser.add_argument("--skip-scaling", action="store_true")
    parser.add_argument("--skip-dask", action="store_true")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the start")
    from workbench.demo import build_demo
    from workbench.store.workspace import resolve_workspace

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        ws = resolve_workspace(root, db=f"sqlite:///{root / 'data' / 'workbench.sqlite'}")
        build_demo(ws)
        out = Path(tmp) / "reports"
        from workbench.services.wards import list_wards

        every = [w.id for w in list_wards(ws)]
        _batch(ws, out, str(FLOOR), every[:1], 1)  # warm the file cache and the Vega bundle
        _per_ward(args, ws, out, every[: max(2, args.wards)])
        if not args.skip_scaling:
            _scaling(args, ws, out, every)
        if not args.skip_dask:
            _dask(ws, out, _forty_wards(ws))
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
