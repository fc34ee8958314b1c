"""Benchmark the SPC engine: ``analyse_many`` against a per-series loop of ``analyse``.

Run from the repository root::

    .venv/bin/python benchmarks/bench_spc.py            # both sizes, best of 5 runs
    .venv/bin/python benchmarks/bench_spc.py --repeat 3 --sample 200

For each size (1000 series x 36 points, 10,000 series x 100 points), chart (i, p) and profile
(mdc, anhoej) it prints the best wall time of ``analyse_many`` over ``--repeat`` runs, the time
of a Python loop calling ``analyse`` once per series (timed on ``--sample`` series and
extrapolated to all of them when the sample is smaller), their ratio, and the peak memory
traced by ``tracemalloc`` during one ``analyse_many`` call as a multiple of the input frame's
memory (``DataFrame.memory_usage(deep=True)``).  Every rule is on (outside limits, trend,
two-of-three counting points beyond the limits, shift), each series has two phases, one excluded
point, and a target (so assurance is computed).
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from workbench.spc import analyse, analyse_many

SIZES = ((1000, 36), (10_000, 100))


def make_frame(n_series: int, n_points: int, seed: int = 2024) -> pd.DataFrame:
    """Long frame: ward x measure series, daily dates, counts with denominators."""
    rng = np.random.default_rng(seed)
    total = n_series * n_points
    series = np.repeat(np.arange(n_series), n_points)
    den = rng.integers(20, 120, total).astype(float)
    rate = np.repeat(rng.uniform(0.05, 0.4, n_series), n_points)
    step = np.where(np.tile(np.arange(n_points), n_series) >= n_points // 2, 1.3, 1.0)
    num = rng.binomial(den.astype(int), np.minimum(rate * step, 0.95)).astype(float)
    num[rng.random(total) < 0.01] = np.nan  # a few missing values
    return pd.DataFrame({
        "ward": pd.Categorical(np.char.add("ward-", (series // 10).astype(str))),
        "measure": series % 10,
        "date": np.tile(pd.date_range("2024-01-01", periods=n_points).to_numpy(), n_series),
        "value": num,
        "denominator": den,
    })


def options(frame: pd.DataFrame, chart: str, profile: str) -> dict[str, Any]:
    dates = np.sort(frame["date"].unique())
    return {"chart": chart, "profile": profile, "x": "date", "y": "value", "n": "denominator",
            "phase_starts": [dates[len(dates) // 2]], "exclude": [dates[3]], "target": 0.3,
            "two_of_three_beyond_limits": True}


def per_series(frames: list[pd.DataFrame], kw: dict[str, Any]) -> None:
    """The naive alternative: one ``analyse`` call per series."""
    for sub in frames:
        analyse(sub, **kw)


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def peak_memory(fn: Callable[[], object]) -> int:
    gc.collect()
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per timing (best is kept)")
    parser.add_argument("--sample", type=int, default=500,
                        help="series timed in the per-series loop for 10,000 series "
                        "(extrapolated)")
    args = parser.parse_args()
    print(f"{'size':>14} {'chart':>5} {'profile':>7} {'many ms':>9} {'loop ms':>10} "
          f"{'speed-up':>8} {'pts/s':>10} {'peak/input':>10}")
    for n_series, n_points in SIZES:
        frame = make_frame(n_series, n_points)
        input_bytes = int(frame.memory_usage(deep=True).sum())
        groups = [g for _, g in frame.groupby("measure", observed=True)]
        groups = [s for g in groups for _, s in g.groupby("ward", observed=True)]
        # the whole loop for the small size; a sample, extrapolated, for the large one
        sample = groups if n_series <= 1000 else groups[: min(args.sample, len(groups))]
        for chart in ("i", "p"):
            for profile in ("mdc", "anhoej"):
                kw = options(frame, chart, profile)
                run_many = partial(analyse_many, frame, by=["ward", "measure"], **kw)
                many = best_of(args.repeat, run_many)
                loop = best_of(max(1, args.repeat // 2), partial(per_series, sample, kw))
                loop *= len(groups) / len(sample)
                peak = peak_memory(run_many)
                label = f"{n_series}x{n_points}"
                print(f"{label:>14} {chart:>5} {profile:>7} {many * 1e3:9.1f} "
                      f"{loop * 1e3:10.0f} {loop / many:7.0f}x {len(frame) / many:10.3g} "
                      f"{peak / input_bytes:9.1f}x", flush=True)
        print(f"{'':>14} input {input_bytes / 1e6:.1f} MB, {len(frame):,} points; loop timed "
              f"on {len(sample)} of {len(groups)} series"
              + (" and extrapolated" if len(sample) < len(groups) else ""))


if __name__ == "__main__":
    main()
