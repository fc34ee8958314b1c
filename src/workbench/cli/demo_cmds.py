"""``workbench demo``: build the demo workspace (only when missing; never over entries)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from workbench.cli.common import DbOpt, WorkspaceOpt, refusals


def demo(
    workspace: WorkspaceOpt = None,
    db: DbOpt = None,
    end: Annotated[str | None, typer.Option(help="Last day of demo data (YYYY-MM-DD).")] = None,
    no_store: Annotated[bool, typer.Option("--no-store", help="Write files only.")] = False,
    rebuild: Annotated[bool, typer.Option(
        "--rebuild", help="Build again although it is built (refused when anything was "
                          "entered since).")] = False,
    force: Annotated[bool, typer.Option(
        "--force", help="Rebuild even over entries, after writing a backup of them.")] = False,
) -> None:
    """Build the demo workspace: 12 wards, 2 reviews, 11 cycles and 26 weeks of counts.

    It is built once, in its own folder (default ./demo-workspace, git-ignored); running the
    command again keeps it, with everything entered since, as it is.
    """
    from workbench.demo import DEMO_END, build_demo, built_on
    from workbench.store.workspace import resolve_workspace

    with refusals():
        try:
            last = dt.date.fromisoformat(end) if end else DEMO_END
        except ValueError:
            typer.echo(f"Refused: --end '{end}' is not a date; write it as YYYY-MM-DD", err=True)
            raise typer.Exit(1) from None
        ws = resolve_workspace(workspace, db)
        when = built_on(ws)
        if when is not None and not (rebuild or force):
            typer.echo(f"Demo workspace in {ws.root} (built {when[:16].replace('T', ' ')} UTC) "
                       "kept as it is, with everything entered since. "
                       "To build it again: workbench demo --rebuild.")
            return
        report = build_demo(ws, end=last, load_store=not no_store, force=force)
    if report.backup is not None:
        typer.echo(f"Backup of the entries it held written to {report.backup} "
                   f"(workbench restore {report.backup} puts them back).")
    typer.echo(f"Demo workspace ready in {ws.root}: {report.wards} wards, {report.reviews} "
               f"reviews, {report.cycles} cycles, {report.observations} observations "
               f"({report.stored} loaded into the store).")


def register(app: typer.Typer) -> None:
    """Add ``demo`` to *app*."""
    app.command("demo")(demo)
