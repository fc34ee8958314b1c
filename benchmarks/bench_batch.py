"""Benchmark the batch runner on the demo workspace.

Two questions, two ratios:

1. **Cost of step 4 over the floor.**  The floor is papermill, through the same runner, on a
   notebook holding only a parameters cell (kernel start, parameter injection, HTML export).
   ``04_check_result`` per ward against it: goal <= 1.3x.
2. **Scaling.**  The demo batch (all 12 wards, ``04_check_result``) with 1 worker against 2:
   goal >= 1.7x faster.

Usage::

    .venv/bin/python benchmarks/bench_batch.py [--wards 4] [--rounds 2] [--skip-scaling]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from workbench.batch import run_batch
from workbench.demo import build_demo
from workbench.store.workspace import Workspace, resolve_workspace

FLOOR = Path(__file__).resolve().parents[1] / "tests" / "batch" / "fixtures" / "floor.ipynb"


def _batch(ws: Workspace, out: Path, notebook: str, wards: list[str], jobs: int
           ) -> tuple[float, list[float]]:
    start = time.perf_counter()
    result = run_batch(ws, notebook=notebook, wards=wards, jobs=jobs, out=out, progress=False)
    wall = time.perf_counter() - start
    if result.failed:
        raise SystemExit(f"benchmark run failed: {result.failed}")
    return wall, [float(i["seconds"]) for i in result.wards.values()]


def main() -> None:
    """Run the benchmark and print the figures and ratios.

    Floor and step-4 runs alternate (and so do 1- and 2-worker runs), so a change in the
    machine's load during the benchmark hits both sides of each ratio alike.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wards", type=int, default=4, help="wards for the floor comparison")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds per figure")
    parser.add_argument("--skip-scaling", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        ws = resolve_workspace(root, db=f"sqlite:///{root / 'data' / 'workbench.sqlite'}")
        build_demo(ws)
        out = Path(tmp) / "reports"
        from workbench.services.wards import list_wards

        every = [w.id for w in list_wards(ws)]
        few = every[: args.wards]
        _batch(ws, out, str(FLOOR), few[:1], 1)  # warm the file cache and the forkserver
        floor: list[float] = []
        step4: list[float] = []
        for _ in range(args.rounds):
            floor += _batch(ws, out, str(FLOOR), few, 1)[1]
            step4 += _batch(ws, out, "04_check_result", few, 1)[1]
        f, s = statistics.median(floor), statistics.median(step4)
        print(f"floor (parameters only)      median {f:.2f} s per ward ({len(floor)} runs)")
        print(f"04_check_result              median {s:.2f} s per ward ({len(step4)} runs)")
        print(f"ratio 04 / floor             {s / f:.2f}x   (goal <= 1.3x)")
        if not args.skip_scaling:
            one: list[float] = []
            two: list[float] = []
            for _ in range(args.rounds):
                one.append(_batch(ws, out, "04_check_result", every, 1)[0])
                two.append(_batch(ws, out, "04_check_result", every, 2)[0])
            a, b = statistics.median(one), statistics.median(two)
            print(f"demo batch, {len(every)} wards, 1 worker  median {a:.1f} s {one}")
            print(f"demo batch, {len(every)} wards, 2 workers median {b:.1f} s {two}")
            print(f"speed-up 2 vs 1 workers      {a / b:.2f}x   (goal >= 1.7x)")


if __name__ == "__main__":
    main()
