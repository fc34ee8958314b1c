"""Benchmark the summary table: 40 wards x 6 measures x 2 years of daily counts.

Run from the repository root::

    .venv/bin/python benchmarks/bench_summary_table.py            # 40 wards, 730 days
    .venv/bin/python benchmarks/bench_summary_table.py --rounds 5

Goal (issue 17): the landing page's table renders within 1 s of the kernel being ready, i.e.
with the libraries imported: one store read, the grain rule, exact aggregation, the SPC runs,
targets and the HTML; and the landing page's own panel (``ui.summary_panel.SummaryPanel``:
the same table plus its filters, HTML and CSV link), timed separately.  The baseline, run in the same process, is the same table built one
series at a time (``services.views.measure_view`` per ward x measure, as a board draws its
measures): the ratio says what the vectorised build saves.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

MEASURES = ("sepsis_screen_first_hour", "bundle_use", "time_to_senior_review",
            "repeat_attendances", "bleeps_urgent_help", "discharge_risk_summary")
"""Six measures of four chart types (p, p, i, c, u, p)."""


def build(root: Path, wards: int, days: int, today: dt.date) -> object:
    """A workspace with *wards* wards on 4 sites and *days* days of counts for 6 measures."""
    from workbench.catalogue import load_catalogue
    from workbench.services.observations import import_file
    from workbench.store.workspace import resolve_workspace

    cat = load_catalogue()
    (root / "pdsa").mkdir(parents=True)
    ids = [f"w{i:02d}" for i in range(wards)]
    (root / "pdsa" / "wards.yaml").write_text(yaml.safe_dump([
        {"id": w, "name": f"Ward {i}", "site": f"Site {i % 4}", "specialty": "general",
         "measures": list(MEASURES)} for i, w in enumerate(ids)]), "utf-8")
    rng = np.random.default_rng(7)
    dates = pd.date_range(end=today - dt.timedelta(days=1), periods=days, freq="D")
    frames = []
    for mid in MEASURES:
        m = cat.measures[mid]
        size = wards * days
        den = rng.integers(1, 12, size).astype(float) if m.needs_denominator \
            else np.full(size, np.nan)
        if m.is_proportion:
            val = rng.binomial(den.astype(int), 0.7).astype(float)
        elif m.whole_counts:
            val = rng.poisson(3, size).astype(float)
        else:
            val = np.round(rng.normal(50, 10, size).clip(1), 1)
        frames.append(pd.DataFrame({"ward": np.repeat(ids, days), "measure": mid,
                                    "date": np.tile(dates.strftime("%Y-%m-%d"), wards),
                                    "value": val, "denominator": den}))
    csv = root / "counts.csv"
    pd.concat(frames, ignore_index=True).to_csv(csv, index=False)
    ws = resolve_workspace(root, f"sqlite:///{root / 'data' / 'workbench.sqlite'}")
    import_file(ws, csv)
    return ws


def one_by_one(ws: object, today: dt.date) -> int:
    """The baseline: each ward x measure analysed on its own, as a board does."""
    from workbench.catalogue import load_catalogue
    from workbench.services.observations import long_frame
    from workbench.services.views import measure_view
    from workbench.services.wards import list_wards
    from workbench.store.settings import load_settings

    cat = load_catalogue()
    settings = load_settings(ws)  # type: ignore[arg-type]
    frame = long_frame(ws)  # type: ignore[arg-type]
    n = 0
    for w in list_wards(ws):  # type: ignore[arg-type]
        mine = frame[frame["ward"] == w.id]
        for mid in w.measures:
            data = mine[mine["measure"] == mid][["date", "value", "denominator"]]
            measure_view(ws, w.id, cat.measures[mid], data.reset_index(drop=True), None,  # type: ignore[arg-type]
                         today, settings=settings)
            n += 1
    return n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wards", type=int, default=40)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)

    import altair  # noqa: F401  - "kernel ready": the page's libraries are imported
    import ipywidgets  # noqa: F401

    from workbench.charts.summary import summary_table_html
    from workbench.services.summary_table import summary_table
    from workbench.services.targets import set_target
    from workbench.ui.summary_panel import SummaryPanel

    today = dt.date(2026, 12, 3)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        ws = build(Path(tmp) / "ws", args.wards, args.days, today)
        print(f"workspace: {args.wards} wards x {len(MEASURES)} measures x {args.days} days "
              f"({args.wards * len(MEASURES) * args.days:,} rows) built in "
              f"{time.perf_counter() - t0:.1f} s")
        for i in range(0, args.wards, 3):  # targets on a third of the wards
            set_target(ws, f"w{i:02d}", "sepsis_screen_first_hour", "95%",  # type: ignore[arg-type]
                       dt.date(2026, 1, 1))
        summary_table(ws, today=today)  # type: ignore[arg-type]  # warm the store's engine
        table_times, html_times, base_times, panel_times = [], [], [], []
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            table = summary_table(ws, today=today)  # type: ignore[arg-type]
            t1 = time.perf_counter()
            page = summary_table_html(table)
            t2 = time.perf_counter()
            one_by_one(ws, today)
            t3 = time.perf_counter()
            SummaryPanel(ws, today)  # the landing page's panel: table, filters, HTML, CSV link
            t4 = time.perf_counter()
            table_times.append(t1 - t0)
            html_times.append(t2 - t1)
            base_times.append(t3 - t2)
            panel_times.append(t4 - t3)
        total = [a + b for a, b in zip(table_times, html_times, strict=True)]
        print(f"rows in the table: {len(table)}; HTML {len(page) / 1024:.0f} KiB")
        print(f"table (store read, grains, SPC, targets): median {statistics.median(table_times):.3f} s")
        print(f"HTML: median {statistics.median(html_times):.3f} s")
        print(f"table + HTML: median {statistics.median(total):.3f} s (goal <= 1 s: "
              f"{'met' if statistics.median(total) <= 1 else 'NOT met'})")
        print(f"landing page's panel (table, filters, HTML, CSV link): median "
              f"{statistics.median(panel_times):.3f} s (goal <= 1 s: "
              f"{'met' if statistics.median(panel_times) <= 1 else 'NOT met'})")
        print(f"baseline, one series at a time: median {statistics.median(base_times):.3f} s; "
              f"ratio {statistics.median(base_times) / statistics.median(total):.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
