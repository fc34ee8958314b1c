"""``workbench batch``: run a step notebook for every ward with papermill."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

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
        help="Run id under --out: rerun only its failed or missing wards.")] = None,
    timeout: Annotated[float, typer.Option(
        min=1, help="Seconds a ward's cell may run before the ward is stopped.")] = 600.0,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Use data up to this day (YYYY-MM-DD).")] = None,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
    workspace: WorkspaceOpt = None,
    db: DbOpt = None,
) -> None:
    """Run NOTEBOOK for each ward: HTML reports, a manifest and an index.html per run.

    Exits 1 naming the wards that failed (the others are still reported).
    """
    from workbench.batch import run_batch
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
        result = run_batch(ws, notebook=notebook, wards=None if resume and wards == "all"
                           else wards, jobs=jobs, scheduler=scheduler,
                           out=out.resolve() if out else None, resume=resume, timeout=timeout,
                           parameters={"as_of": as_of} if as_of else None, progress=progress)
    done = sum(i.get("status") == "ok" for i in result.wards.values())
    typer.echo(f"Run {result.run_id}: {done} of {len(result.wards)} ward(s) done. "
               f"Index: {result.index}")
    if result.failed:
        typer.echo("Failed wards:", err=True)
        for ward, error in result.failed.items():
            typer.echo(f"  {ward}: {error}", err=True)
        typer.echo(f"Rerun them with: workbench batch --resume {result.run_id}"
                   f"{' --out ' + str(out) if out else ''}", err=True)
        raise typer.Exit(code=1)


def register(app: typer.Typer) -> None:
    """Add ``batch`` to *app*."""
    app.command("batch")(batch)
