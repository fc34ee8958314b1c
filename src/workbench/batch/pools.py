"""Where the work runs: local worker processes, or a Dask distributed cluster.

Both hand each task to :func:`workbench.batch.execute.run_one` and report results as they
finish, and both keep an outer guard: a ward still running *guard* seconds after it started
(papermill's per-cell timeout having failed to stop it) is reported as timed out.

Local workers are plain ``multiprocessing`` processes started with ``spawn``, one pipe each, so
the runner knows which ward each worker holds: a worker past the guard, or one that dies, fails
that ward alone and a fresh worker takes its place.  A worker whose runner disappears (even
killed with SIGKILL) stops its ward the ordinary way -- papermill shuts its kernel down -- and
exits; a kernel whose worker is killed exits by itself within a second (ipykernel watches its
parent process, ``JPY_PARENT_PID``).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from workbench.batch.execute import STARTED, run_one

Report = Callable[[dict[str, Any]], None]
STOP_WAIT = 10.0
"""Seconds a stopped worker gets to shut its kernel down before it is killed."""


def _failed(task: dict[str, Any], status: str, error: str, seconds: float = 0.0
            ) -> dict[str, Any]:
    return {"ward": task["ward"], "status": status, "error": error, "ipynb": None,
            "html": None, "seconds": round(seconds, 3)}


def _running_for(task: dict[str, Any]) -> float:
    """Seconds since the ward's worker started it (its marker file), 0 if not started yet."""
    try:
        began = float((Path(task["folder"]) / STARTED).read_text("utf-8").strip())
    except (OSError, ValueError):
        return 0.0
    return time.time() - began


def _watch_parent() -> None:
    """In a worker: when the runner's process is gone, stop the ward as Ctrl-C would."""
    parent = mp.parent_process()
    if parent is None:
        return
    wait([parent.sentinel])
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(STOP_WAIT)
    os._exit(1)


def _stop_ward(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(f"stopped by signal {signum}")


def worker_main(conn: Connection, log: str | None = None) -> None:
    """A local worker's loop: run the tasks that arrive on *conn* until it closes.

    Ctrl-C in the terminal reaches every process of the group; the runner decides what stops,
    so the worker ignores SIGINT and treats SIGTERM (from the runner, or from its watcher
    thread when the runner is gone) as the signal to stop its ward.  With *log*, the worker's
    and its kernels' output (warnings, a crash's traceback) goes to that file, not the terminal.
    """
    if log:
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.close(fd)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop_ward)
    threading.Thread(target=_watch_parent, name="wb-watch-parent", daemon=True).start()
    try:
        while True:
            try:
                task = conn.recv()
            except EOFError:
                return
            if task is None:
                return
            conn.send(run_one(task))
    except (KeyboardInterrupt, BrokenPipeError, EOFError):
        return


class _Worker:
    """One worker process, its pipe, and the task it holds."""

    def __init__(self, ctx: Any, log: str | None) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=worker_main, args=(child, log), name="workbench-batch",
                                daemon=True)
        self.proc.start()
        child.close()
        self.task: dict[str, Any] | None = None
        self.since = 0.0

    def give(self, task: dict[str, Any]) -> None:
        (Path(task["folder"]) / STARTED).unlink(missing_ok=True)  # one of an earlier attempt
        self.task, self.since = task, time.monotonic()
        self.conn.send(task)

    def stop(self, wait_for: float = STOP_WAIT) -> None:
        """Ask the worker to stop (SIGTERM: its kernel is shut down), then kill it if needed."""
        if self.proc.is_alive():
            if self.task is None:
                try:
                    self.conn.send(None)
                except OSError:
                    pass
            else:
                self.proc.terminate()
            self.proc.join(wait_for)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(5)
        self.conn.close()


def run_local(tasks: list[dict[str, Any]], jobs: int, guard: float, report: Report,
              started: Callable[[], None] | None = None, log: Path | None = None) -> None:
    """Run *tasks* on *jobs* local worker processes (``spawn``), their output going to *log*.

    A worker past *guard* seconds on one ward (counted from when the ward started, not from
    when it was handed to a worker still starting up) is killed (its kernel exits with it) and replaced;
    a worker that dies fails its ward alone.  *started* is called once the first wards are
    handed out.  On Ctrl-C, SIGTERM or any error every worker is stopped before this returns.
    """
    ctx = mp.get_context("spawn")
    pending = list(tasks)
    where = str(log) if log else None
    workers = [_Worker(ctx, where) for _ in range(max(1, min(jobs, len(pending))))]
    try:
        for w in workers:
            if pending:
                w.give(pending.pop(0))
        if started is not None:
            started()
        while any(w.task is not None for w in workers):
            busy = [w for w in workers if w.task is not None]
            ready = wait([x for w in busy for x in (w.conn, w.proc.sentinel)], timeout=0.5)
            for i, w in enumerate(workers):
                if w.task is None:
                    continue
                task, took = w.task, time.monotonic() - w.since
                if w.conn in ready:
                    try:
                        result = w.conn.recv()
                    except (EOFError, OSError):
                        result = None
                    if result is not None:
                        w.task = None
                        report(result)
                        if pending:
                            w.give(pending.pop(0))
                        continue
                if w.proc.sentinel in ready or not w.proc.is_alive():
                    report(_failed(task, "failed", "The worker process running this ward "
                                   "stopped unexpectedly (it crashed, or was killed, for example "
                                   "when the machine ran out of memory). Rerun the ward with "
                                   "--resume.", took))
                elif _running_for(task) > guard:
                    w.proc.kill()
                    report(_failed(task, "timeout", f"The ward was still running after {guard:g}"
                                   " s, so it was stopped (the outer guard: --timeout plus a "
                                   "margin). Rerun it with a longer --timeout, or tell the "
                                   "workbench team.", took))
                else:
                    continue
                w.task = None
                w.stop(0)
                workers[i] = _Worker(ctx, where)
                if pending:
                    workers[i].give(pending.pop(0))
    finally:
        for w in workers:  # ask them all first, then wait: their kernels shut down together
            if w.task is not None and w.proc.is_alive():
                w.proc.terminate()
        for w in workers:
            w.stop()


def run_dask(tasks: list[dict[str, Any]], scheduler: Any, guard: float, report: Report,
             started: Callable[[], None] | None = None) -> None:
    """Run *tasks* on a Dask cluster (*scheduler*: an address or a ``distributed.Client``).

    Workers must see the same file system and have workbench installed.  A ward past the guard
    is cancelled and reported as timed out.  When the scheduler goes away, every ward not yet
    finished is reported as failed (``--resume`` reruns them) and this returns.
    """
    from distributed import Client

    from workbench.domain.errors import WorkbenchError

    try:
        client = scheduler if isinstance(scheduler, Client) else Client(scheduler, timeout=30)
    except (OSError, TimeoutError, ValueError) as exc:
        raise WorkbenchError(f"scheduler: cannot reach the Dask scheduler at {scheduler} "
                             f"({exc}); start one with `dask scheduler` and `dask worker "
                             "ADDR`, or leave --scheduler out to run locally") from exc
    lost = (f"The Dask scheduler at {scheduler} went away before this ward finished. Start it "
            "again (or leave --scheduler out) and rerun the ward with --resume.")
    try:
        for task in tasks:  # a marker left by an earlier attempt (--resume) is not this one's
            (Path(task["folder"]) / STARTED).unlink(missing_ok=True)
        futures = {client.submit(run_one, t, pure=False,
                                 key=f"workbench-batch-{t['run_id']}-{t['safe']}"): t
                   for t in tasks}
        if started is not None:
            started()
        left = set(futures)
        while left:
            gone = client.status not in ("running", "newly-created")
            for fut in [f for f in left if f.done() or gone]:
                left.discard(fut)
                result = None
                if fut.status == "finished":
                    try:
                        result = fut.result(timeout=5)
                    except Exception:  # noqa: BLE001, S110 - reported as lost below
                        pass
                if result is None:
                    gone = gone or fut.status == "cancelled" or client.status != "running"
                    result = _failed(futures[fut], "failed", lost if gone else (
                        f"The Dask worker running this ward failed ({fut.status}). Rerun it "
                        "with --resume."))
                report(result)
            for fut in [f for f in left if _running_for(futures[f]) > guard]:
                left.discard(fut)
                fut.cancel()
                report(_failed(futures[fut], "timeout", f"The ward was still running after "
                               f"{guard:g} s on the cluster, so it was cancelled. Rerun it with "
                               "a longer --timeout."))
            if left:
                time.sleep(0.2)
    finally:
        if client is not scheduler:
            client.close(timeout=5)
