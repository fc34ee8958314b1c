"""``workbench batch``: run a step notebook for every ward with papermill."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from workbench.cli.common import DbOpt, WorkspaceOpt, refusals


def batch(
    notebook: Annotated[str, typer.Option(
        help="Step notebook name (in notebooks/) or path to an .ipynb file.")] = "04_check_result",
    wards: Annotated[str, typer.Option(help="'all' or ward ids separated by commas.")] = "all",
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", min=1, help="Worker processes (default: the number of cores).")] = None,
    scheduler: Annotated[str | None, typer.Option(
        help="Dask scheduler address (tcp://host:8786): run on that cluster instead.")] = None,
    out: Annotated[Path | None, typer.Option(
        help="Folder of runs (default: <workspace>/reports).")] = None,
    resume: Annotated[str | None, typer.Option(
        help="Run id under --out (this workspace's runs only): rerun only its failed or "
             "missing wards.")] = None,
    timeout: Annotated[float, typer.Option(
        min=1, help="Seconds a ward's cell may run before the ward is stopped.")] = 600.0,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Use data up to this day (YYYY-MM-DD).")] = None,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
    keep: Annotated[int | None, typer.Option(
        min=1, help="Afterwards keep only the newest N runs in the folder of runs (this one "
                    "included); older runs this tool made are deleted.")] = None,
    workspace: WorkspaceOpt = None,
    db: DbOpt = None,
) -> None:
    """Run NOTEBOOK for each ward: HTML reports, a manifest and an index.html per run.

    Exits 1 naming the wards that failed (the others are still reported).
    """
    from workbench.batch.runner import BatchStopped, run_batch
    from workbench.store.workspace import resolve_workspace

    with refusals():
        if as_of:
            try:
                dt.date.fromisoformat(as_of)
            except ValueError:
                typer.echo(f"Refused: --as-of '{as_of}' is not a date; write it as YYYY-MM-DD",
                           err=True)
                raise typer.Exit(1) from None
        ws = resolve_workspace(workspace, db)
        try:
            result = run_batch(ws, notebook=notebook, wards=None if resume and wards == "all"
                               else wards, jobs=jobs, scheduler=scheduler,
                               out=out.resolve() if out else None, resume=resume,
                               timeout=timeout, parameters={"as_of": as_of} if as_of else None,
                               progress=progress, keep=keep)
        except BatchStopped as stop:
            typer.echo(f"Stopped: run {stop.run_id} is incomplete (its unfinished wards are "
                       f"marked 'missing' in {stop.folder / 'run.json'}).", err=True)
            _resume_hint(stop.run_id, ws, out)
            raise typer.Exit(130) from None
    done = sum(i.get("status") == "ok" for i in result.wards.values())
    typer.echo(f"Run {result.run_id}: {done} of {len(result.wards)} ward(s) done. "
               f"Index: {result.index}")
    if result.failed:
        typer.echo("Failed wards:", err=True)
        for ward, error in result.failed.items():
            typer.echo(f"  {ward}: {error}", err=True)
        _resume_hint(result.run_id, ws, out)
        raise typer.Exit(code=1)


def _resume_hint(run_id: str, ws: Any, out: Path | None) -> None:
    """Print the command that completes the run, as it can be copied (no password in it)."""
    import shlex

    from workbench.batch.execute import redact

    words = ["workbench", "batch", "--resume", run_id, "--workspace", str(ws.root)]
    if out:
        words += ["--out", str(out.resolve())]
    default = f"sqlite:///{ws.root / 'data' / 'workbench.sqlite'}"
    secret = redact(ws.db_url) != ws.db_url
    if ws.db_url != default and not secret:
        words += ["--db", ws.db_url]
    typer.echo("Rerun the unfinished wards with: " + shlex.join(words), err=True)
    if secret:
        typer.echo(f"  (with the same database, {redact(ws.db_url)}: set WORKBENCH_DB or add "
                   "--db; its password is not printed)", err=True)


def register(app: typer.Typer) -> None:
    """Add ``batch`` to *app*."""
    app.command("batch")(batch)
