"""Reliability: concurrent writers, a killed import, racing edits (SQLite WAL and PostgreSQL)."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from store_helpers import C_MEASURE, day, racer, snapshot, write_csv, writer

from workbench.services import observations as obs
from workbench.store.workspace import Workspace

SPAWN = mp.get_context("spawn")
ROWS = 120_000  # big enough that the write phase lasts long enough to be killed in


@pytest.mark.slow
def test_concurrent_writers_lose_nothing(ws: Workspace) -> None:
    procs, writes = (8, 500) if ws.db_url.startswith("sqlite") else (8, 60)
    obs.long_frame(ws)  # create the schema once, as the first user of a workspace would
    with SPAWN.Pool(procs) as pool:
        done = pool.starmap(writer, [(str(ws.root), ws.db_url, p, writes) for p in range(procs)])
    assert done == [writes] * procs
    frame = obs.long_frame(ws, wards=["W7B"], measures=[C_MEASURE])
    assert len(frame) == procs * writes
    assert frame["date"].is_unique
    assert sorted(frame["value"].tolist()) == sorted([k % 7 for k in range(writes)] * procs)
    assert snapshot(ws)[2] == procs * writes  # one audit entry per write


def _big_csv(path: Path, rows: int) -> Path:
    import datetime as dt

    import pandas as pd

    from workbench.catalogue import load_catalogue

    measures = [(m.id, 2 if m.needs_denominator else "") for m in load_catalogue().measures.values()]
    days = -(-rows // (3 * len(measures)))
    dates = [(dt.date.today() - dt.timedelta(days=400 + d)).isoformat() for d in range(days)]
    frame = pd.DataFrame([(w, m, d, 1, den) for w in ("W7B", "ED", "3A") for m, den in measures
                          for d in dates][:rows],
                         columns=["ward", "measure", "date", "value", "denominator"])
    frame.to_csv(path, index=False)
    return path


def _writing(ws: Workspace) -> bool:
    """True once the import is inside its write transaction."""
    if ws.db_url.startswith("sqlite"):
        wal = Path(ws.db_url.removeprefix("sqlite:///") + "-wal")
        return wal.exists() and wal.stat().st_size > 1_000_000
    import sqlalchemy as sa

    from workbench.store.db import get_engine

    with get_engine(ws.db_url).connect() as conn:
        return bool(conn.execute(sa.text(
            "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
            "AND query LIKE 'COPY observations%'")).scalar())


@pytest.mark.slow
def test_killed_import_leaves_store_unchanged(ws: Workspace, tmp_path: Path) -> None:
    obs.import_file(ws, write_csv(tmp_path / "seed.csv", [["W7B", C_MEASURE, day(0), 2, None]]))
    if ws.db_url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(ws.db_url.removeprefix("sqlite:///")) as con:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = snapshot(ws)
    big = _big_csv(tmp_path / "big.csv", ROWS)
    code = ("import sys; from pathlib import Path; from workbench.store.workspace import Workspace;"
            "from workbench.services.observations import import_file;"
            "import_file(Workspace(Path(sys.argv[1]), sys.argv[2]), sys.argv[3])")
    child = subprocess.Popen([sys.executable, "-c", code, str(ws.root), ws.db_url, str(big)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not _writing(ws) and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        assert child.poll() is None, ("the import ended before it could be killed: "
                                      + (child.stderr.read().decode() if child.stderr else ""))
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    time.sleep(0.2)  # PostgreSQL notices the dropped connection and rolls back
    assert snapshot(ws) == before
    if ws.db_url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(ws.db_url.removeprefix("sqlite:///")) as con:
            assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    report = obs.import_file(ws, big)
    assert report.stored == ROWS
    assert len(obs.long_frame(ws)) == ROWS + 1


def test_racing_edits_one_wins_the_other_is_told(ws: Workspace, tmp_path: Path) -> None:
    rounds = 6
    rows = [["W7B", C_MEASURE, day(-r), 1, None] for r in range(rounds)]
    obs.import_file(ws, write_csv(tmp_path / "seed.csv", rows))
    barrier, results = SPAWN.Barrier(2), SPAWN.Queue()
    procs = [SPAWN.Process(target=racer, args=(str(ws.root), ws.db_url, p, rounds, barrier,
                                               results)) for p in (0, 1)]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=120) for _ in range(2 * rounds)]
    for p in procs:
        p.join(timeout=60)
    for r in range(rounds):
        got = sorted(o[2] for o in outcomes if o[0] == r)
        assert got == ["told", "won"], got
        winner = next(o[1] for o in outcomes if o[0] == r and o[2] == "won")
        versions = obs.history(ws, "W7B", C_MEASURE, day(-r))
        assert [(v.version, v.value) for v in versions] == [(1, 1.0), (2, 10.0 + winner)]
        assert versions[1].reason == f"racer {winner}"
