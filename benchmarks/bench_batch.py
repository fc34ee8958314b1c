"""Benchmark the batch runner on the demo workspace.

Two questions, two ratios:

1. **Cost of step 4 over the floor.**  The floor is papermill, through the same runner, on a
   notebook holding only a parameters cell (kernel start, parameter injection, HTML export).
   ``04_check_result`` per ward against it: goal <= 1.3x.  Per ward means the steady state of
   a worker: the first ward of each run also pays for starting the worker (its process, its
   imports and its warm kernel server), which is printed on its own line.
2. **Scaling.**  The demo batch (all 12 wards, ``04_check_result``) with 1 worker against 2:
   goal >= 1.7x faster.

Floor and step-4 runs alternate (and so do 1- and 2-worker runs), so a change in the machine's
load during the benchmark hits both sides of each ratio alike.

Usage::

    .venv/bin/python benchmarks/bench_batch.py [--wards 12] [--rounds 3] [--skip-scaling]
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

# The workbench is imported inside the functions, not here: each worker process imports this
# script again (as multiprocessing does with the main script), and the demo builder's imports
# would add about 0.3 s to every worker's start.  `workbench batch` has no such cost.

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
    print(f"ratio 04 / floor             {s / f:.2f}x   (goal <= 1.3x)")
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


def main() -> None:
    """Run the benchmark and print the figures and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wards", type=int, default=12, help="wards for the floor comparison")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per figure")
    parser.add_argument("--skip-scaling", action="store_true")
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
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
