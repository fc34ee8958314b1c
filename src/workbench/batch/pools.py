"""Where the work runs: a local process pool, or a Dask distributed cluster.

Both executors hand each task to :func:`workbench.batch.execute.run_one` and report results as
they finish.  Both keep an outer guard: a ward whose worker has been busy longer than *guard*
seconds (papermill's own per-cell timeout having failed to stop it) is reported as timed out and
the others carry on.
"""

from __future__ import annotations

import multiprocessing as mp
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any

from workbench.batch.execute import STARTED, run_one

Report = Callable[[dict[str, Any]], None]


def _started(task: dict[str, Any]) -> float | None:
    try:
        return float((Path(task["folder"]) / STARTED).read_text("utf-8").strip())
    except (OSError, ValueError):
        return None


def _overdue(task: dict[str, Any], guard: float, since: float) -> bool:
    began = _started(task)
    return began is not None and began >= since and time.time() - began > guard


def _timed_out(task: dict[str, Any], guard: float) -> dict[str, Any]:
    return {"ward": task["ward"], "status": "timeout", "ipynb": None, "html": None,
            "seconds": guard, "error": f"timed out: still running after {guard:g} s "
            "(the outer guard stopped it)"}


def _crashed(task: dict[str, Any], exc: BaseException) -> dict[str, Any]:
    return {"ward": task["ward"], "status": "failed", "ipynb": None, "html": None,
            "seconds": 0.0, "error": f"the worker process failed: {type(exc).__name__}: {exc}"}


def _clear(task: dict[str, Any]) -> None:
    (Path(task["folder"]) / STARTED).unlink(missing_ok=True)


#: Imported once by the forkserver, so every worker starts with them (papermill, nbconvert and
#: jupyter_client take about a second to import); the last one settles the workers there.
WORKER_PRELOAD = ["workbench.batch.prelude", "workbench.batch.execute", "papermill", "nbformat",
                  "nbconvert", "jupyter_client.manager", "workbench.batch.engine",
                  "workbench.batch.kernels", "workbench.batch.settled"]


def _context() -> Any:
    methods = mp.get_all_start_methods()
    if "forkserver" not in methods:
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(WORKER_PRELOAD)  # takes effect when the forkserver starts
    return ctx


def _kill(pool: ProcessPoolExecutor) -> None:
    processes = dict(getattr(pool, "_processes", None) or {})
    for proc in processes.values():
        proc.kill()
    pool.shutdown(wait=False, cancel_futures=True)


def run_local(tasks: list[dict[str, Any]], jobs: int, guard: float, report: Report,
              started: Callable[[], None] | None = None) -> None:
    """Run *tasks* on a pool of *jobs* worker processes (forkserver, else spawn).

    A ward past the guard gets its pool killed (its kernel dies with its worker); the wards
    that were still waiting or running are started again on a fresh pool.  *started* is called
    once the first pool has its tasks.
    """
    pending = list(tasks)
    while pending:
        for task in pending:
            _clear(task)
        since = time.time() - 1
        pool = ProcessPoolExecutor(max_workers=max(1, min(jobs, len(pending))),
                                   mp_context=_context())
        futures: dict[Future[dict[str, Any]], dict[str, Any]] = {
            pool.submit(run_one, t): t for t in pending}
        if started is not None:
            started()
            started = None
        pending = []
        left = set(futures)
        try:
            while left:
                done, left = wait(left, timeout=0.5, return_when=FIRST_COMPLETED)
                for fut in done:
                    try:
                        report(fut.result())
                    except Exception as exc:  # noqa: BLE001 - a crashed worker fails one ward
                        report(_crashed(futures[fut], exc))
                late = [f for f in left if _overdue(futures[f], guard, since)]
                if late:
                    for fut in late:
                        report(_timed_out(futures[fut], guard))
                    pending = [futures[f] for f in left if f not in late]
                    _kill(pool)
                    break
            else:
                pool.shutdown(wait=True)
        except BaseException:
            _kill(pool)  # Ctrl-C or a failing report: stop the workers and their kernels
            raise


def run_dask(tasks: list[dict[str, Any]], scheduler: Any, guard: float, report: Report,
             started: Callable[[], None] | None = None) -> None:
    """Run *tasks* on a Dask cluster (*scheduler*: an address or a ``distributed.Client``).

    Workers must see the same file system and have workbench installed.  A ward past the guard
    is cancelled and reported as timed out.  *started* is called once the tasks are submitted.
    """
    from distributed import Client

    from workbench.domain.errors import WorkbenchError

    try:
        client = scheduler if isinstance(scheduler, Client) else Client(scheduler, timeout=30)
    except (OSError, TimeoutError, ValueError) as exc:
        raise WorkbenchError(f"scheduler: cannot reach the Dask scheduler at {scheduler} "
                             f"({exc}); start one with `dask scheduler` and `dask worker "
                             "ADDR`, or leave --scheduler out to run locally") from exc
    try:
        for task in tasks:
            _clear(task)
        since = time.time() - 1
        futures = {client.submit(run_one, t, pure=False,
                                 key=f"workbench-batch-{t['run_id']}-{t['safe']}"): t
                   for t in tasks}
        if started is not None:
            started()
        left = set(futures)
        while left:
            for fut in [f for f in left if f.done()]:
                left.discard(fut)
                try:
                    report(fut.result())
                except BaseException as exc:  # noqa: BLE001 - one ward, not the run
                    report(_crashed(futures[fut], exc))
            for fut in [f for f in left if _overdue(futures[f], guard, since)]:
                left.discard(fut)
                fut.cancel()
                report(_timed_out(futures[fut], guard))
            if left:
                time.sleep(0.2)
    finally:
        if client is not scheduler:
            client.close()
