"""Build the demo workspace: same inputs, same bytes."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from workbench.demo.actions import write_demo_actions
from workbench.demo.data import demo_observations, to_csv_text
from workbench.demo.records import CYCLES, REVIEWS
from workbench.demo.settings import write_demo_settings
from workbench.demo.wards import ward_records
from workbench.domain.errors import WorkbenchError
from workbench.domain.records import Cycle, Review, Ward
from workbench.services.cycles import check_plan, cycle_path
from workbench.store.backup import backup, changes_after, now_stamp, record_digests, store_mark
from workbench.store.pii import guard_fields
from workbench.store.records import dump_yaml, record_data, write_atomic
from workbench.store.workspace import Workspace

DEMO_END = dt.date(2026, 11, 22)
"""The last day of demo data; the demo is anchored here so it is the same every time."""

MARK = ".workbench-demo.json"
"""The file in a demo workspace that says when it was built and what it held then."""


class DemoRefused(WorkbenchError):
    """Building the demo would replace entries a person made; nothing was written."""


@dataclass(frozen=True)
class DemoReport:
    """What :func:`build_demo` wrote."""

    wards: int
    reviews: int
    cycles: int
    observations: int
    csv: Path
    stored: int
    backup: Path | None = None


def built_on(ws: Workspace) -> str | None:
    """When the demo in *ws* was built (ISO UTC), or ``None`` when it was not built here."""
    mark = _read_mark(ws)
    return str(mark["built_at"]) if mark else None


def _read_mark(ws: Workspace) -> dict[str, object] | None:
    try:
        mark = json.loads((ws.root / MARK).read_text("utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    return mark if isinstance(mark, dict) and "records" in mark else None


def entries_since_build(ws: Workspace) -> list[str]:
    """What was entered into *ws* after the demo was built there (plain words; empty: nothing).

    A workspace the demo did not build counts every record file and stored change as entered.
    """
    mark = _read_mark(ws)
    now = record_digests(ws)
    if mark is None:
        found = [f"{len(now)} record file(s) in pdsa/ not written by the demo"] if now else []
        return found + changes_after(ws, 0)
    then = mark["records"]
    built = then if isinstance(then, dict) else {}
    found = [f"{rel} {'changed' if rel in built else 'added'}" for rel, sha in now.items()
             if built.get(rel) != sha]
    found += [f"{rel} removed" for rel in built if rel not in now]
    last, at = mark.get("last_audit", 0), mark.get("last_at")
    return found + changes_after(ws, last if isinstance(last, int) else 0,
                                 at if isinstance(at, str) else None)


def _write(path: Path, text: str) -> None:
    if not path.exists() or path.read_text("utf-8") != text:
        write_atomic(path, text)


def build_demo(ws: Workspace, *, end: dt.date = DEMO_END, load_store: bool = True,
               force: bool = False) -> DemoReport:
    """Write the demo wards, reviews, cycles and observations into *ws*.

    Parameters
    ----------
    ws : Workspace
        Target workspace (created if missing).  Demo files are overwritten; other files are
        left alone.  A workspace holding anything entered after the demo was built there (or
        anything at all, when the demo did not build it) is refused unless *force*.
    end : date
        Last day of the 26 weeks of counts.
    load_store : bool
        Also load the observations into the workspace's store (a fresh demo database when the
        store is the default SQLite file).
    force : bool
        Rebuild over entries, after writing a backup of them (named in the report).

    Returns
    -------
    DemoReport

    Raises
    ------
    DemoRefused
        The workspace holds entries and *force* is False; nothing was written.
    """
    entered = entries_since_build(ws)
    saved = None
    if entered:
        if not force:
            listed = "; ".join(entered[:8]) + (f"; and {len(entered) - 8} more"
                                               if len(entered) > 8 else "")
            raise DemoRefused(
                f"the workspace {ws.root.name} holds entries made after the demo was built "
                f"({listed}). Nothing was changed. Rebuilding would replace them: run "
                "`workbench demo --force` to write a backup first and then rebuild, or use "
                "another --workspace")
        saved = backup(ws, label="before-demo-rebuild").path
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
    mark = store_mark(ws)
    _write(ws.root / MARK, json.dumps({"built_at": now_stamp(), "end": end.isoformat(),
                                       "last_audit": mark.last_audit if mark else 0,
                                       "last_at": mark.last_at if mark else "",
                                       "records": record_digests(ws)}, indent=1))
    return DemoReport(len(wards), len(REVIEWS), len(CYCLES), len(frame), csv, stored, saved)


def _load_store(ws: Workspace, csv: Path) -> int:
    """Load the demo CSV into the store, starting a fresh file when it is the default SQLite."""
    from workbench.services import observations

    default = f"sqlite:///{ws.data / 'workbench.sqlite'}"
    if ws.db_url == default:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{ws.data / 'workbench.sqlite'}{suffix}").unlink(missing_ok=True)
    report = observations.import_file(ws, csv, entered_by="demo")
    return int(report.rows)
