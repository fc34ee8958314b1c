"""Helpers for store, service and CLI tests of observations (importable by name)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from workbench.store.workspace import Workspace

WARDS = [
    {"id": "W7B", "name": "Ward 7B", "site": "General", "specialty": "Paediatrics",
     "measures": ["discharge_risk_summary", "repeat_attendances"]},
    {"id": "ED", "name": "Emergency Department", "site": "General", "specialty": "Emergency",
     "measures": ["triage_minutes"]},
    {"id": "3A", "name": "Ward 3A", "site": "North", "specialty": "Medicine", "measures": []},
]
P_MEASURE = "discharge_risk_summary"  # p chart: needs a denominator, whole counts
C_MEASURE = "repeat_attendances"  # c chart: whole counts, no denominator
I_MEASURE = "triage_minutes"  # i chart: any non-negative number, no denominator
U_MEASURE = "bleeps_urgent_help"  # u chart: denominator, rate
DAY = dt.date.today() - dt.timedelta(days=30)


def day(offset: int = 0) -> dt.date:
    """A past date *offset* days after :data:`DAY`."""
    return DAY + dt.timedelta(days=offset)


def write_wards(root: Path, wards: list[dict[str, Any]] | None = None) -> None:
    """Write ``pdsa/wards.yaml`` under *root*."""
    (root / "pdsa").mkdir(parents=True, exist_ok=True)
    (root / "pdsa" / "wards.yaml").write_text(yaml.safe_dump(wards or WARDS), "utf-8")


def snapshot(ws: Workspace) -> tuple[Any, ...]:
    """Everything a refusal must leave alone: every observation version, batches, audit log."""
    import sqlalchemy as sa

    from workbench.store.db import get_engine

    engine = get_engine(ws.db_url)
    with engine.connect() as conn:
        obs = conn.execute(sa.text(
            "SELECT ward, measure, date, value, denominator, version, reason, batch "
            "FROM observations ORDER BY ward, measure, date, version")).all()
        batches = conn.execute(sa.text("SELECT count(*) FROM import_batches")).scalar()
        audit = conn.execute(sa.text("SELECT count(*) FROM audit_log")).scalar()
    return (tuple(tuple(r) for r in obs), batches, audit)


def write_csv(path: Path, rows: list[list[Any]], header: str = "ward,measure,date,value,denominator",
              encoding: str = "utf-8") -> Path:
    """Write a small CSV (cells joined with commas; None as empty)."""
    lines = [header] + [",".join("" if c is None else str(c) for c in r) for r in rows]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


# -- workers for the multi-process reliability tests (top-level so that spawn can import them) --

def writer(root: str, url: str, proc: int, writes: int) -> int:
    """Record *writes* single counts, each in its own transaction; return how many succeeded."""
    from workbench.services.observations import record_counts

    ws = Workspace(root=Path(root), db_url=url)
    today = dt.date.today()
    for k in range(writes):
        when = today - dt.timedelta(days=1 + proc * writes + k)
        record_counts(ws, "W7B", when, {C_MEASURE: (k % 7, None)}, entered_by=f"proc {proc}")
    return writes


def racer(root: str, url: str, proc: int, rounds: int, barrier: Any, results: Any) -> None:
    """Try to correct the same observations as another racer, in lock step."""
    from workbench.services.observations import StaleVersionError, correct_observation

    ws = Workspace(root=Path(root), db_url=url)
    for r in range(rounds):
        barrier.wait(timeout=60)
        try:
            correct_observation(ws, "W7B", C_MEASURE, day(-r), 10 + proc, None,
                                reason=f"racer {proc}", expected_version=1,
                                entered_by=f"racer {proc}")
            results.put((r, proc, "won"))
        except StaleVersionError as exc:
            results.put((r, proc, "told" if "someone else changed it first" in str(exc)
                         else f"bad message: {exc}"))
        except Exception as exc:  # noqa: BLE001 - reported to the test, which fails on it
            results.put((r, proc, f"error: {type(exc).__name__}: {exc}"))
