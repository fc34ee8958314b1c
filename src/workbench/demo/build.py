"""Build the demo workspace: same inputs, same bytes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from workbench.demo.actions import write_demo_actions
from workbench.demo.data import demo_observations, to_csv_text
from workbench.demo.records import CYCLES, REVIEWS
from workbench.demo.settings import write_demo_settings
from workbench.demo.wards import ward_records
from workbench.domain.records import Cycle, Review, Ward
from workbench.services.cycles import check_plan, cycle_path
from workbench.store.pii import guard_fields
from workbench.store.records import dump_yaml, record_data, write_atomic
from workbench.store.workspace import Workspace

DEMO_END = dt.date(2026, 11, 22)
"""The last day of demo data; the demo is anchored here so it is the same every time."""


@dataclass(frozen=True)
class DemoReport:
    """What :func:`build_demo` wrote."""

    wards: int
    reviews: int
    cycles: int
    observations: int
    csv: Path
    stored: int


def _write(path: Path, text: str) -> None:
    if not path.exists() or path.read_text("utf-8") != text:
        write_atomic(path, text)


def build_demo(ws: Workspace, *, end: dt.date = DEMO_END, load_store: bool = True) -> DemoReport:
    """Write the demo wards, reviews, cycles and observations into *ws*.

    Parameters
    ----------
    ws : Workspace
        Target workspace (created if missing).  Demo files are overwritten; other files are
        left alone.
    end : date
        Last day of the 26 weeks of counts.
    load_store : bool
        Also load the observations into the workspace's store (a fresh demo database when the
        store is the default SQLite file).

    Returns
    -------
    DemoReport
    """
    wards = [Ward.model_validate(w) for w in ward_records()]
    _write(ws.wards_file, dump_yaml([record_data(w) for w in wards]))
    for data in REVIEWS:
        review = Review.model_validate({**data, "revision": 1})
        guard_fields(record_data(review), f"review {review.id}")
        _write(ws.reviews_dir / f"{review.id}.yaml", dump_yaml(record_data(review)))
    for data in CYCLES:
        cycle = Cycle.model_validate({**data, "revision": 1})
        guard_fields(record_data(cycle), f"cycle {cycle.id}")
        check_plan(ws, cycle, new=False)
        _write(cycle_path(ws, cycle.id), dump_yaml(record_data(cycle)))
    write_demo_actions(ws, _write)  # safety actions and the leaders' log
    write_demo_settings(ws, _write)  # example targets, never over a person's own
    frame = demo_observations(end)
    csv = ws.data / "demo" / "observations.csv"
    _write(csv, to_csv_text(frame))
    stored = _load_store(ws, csv) if load_store else 0
    return DemoReport(len(wards), len(REVIEWS), len(CYCLES), len(frame), csv, stored)


def _load_store(ws: Workspace, csv: Path) -> int:
    """Load the demo CSV into the store, starting a fresh file when it is the default SQLite."""
    from workbench.services import observations

    default = f"sqlite:///{ws.data / 'workbench.sqlite'}"
    if ws.db_url == default:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{ws.data / 'workbench.sqlite'}{suffix}").unlink(missing_ok=True)
    report = observations.import_file(ws, csv, entered_by="demo")
    return int(report.rows)
