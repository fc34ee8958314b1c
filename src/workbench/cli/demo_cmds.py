"""``workbench demo``: build the demo workspace."""

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
) -> None:
    """Build the demo workspace: 12 wards, 2 reviews, 10 cycles and 26 weeks of counts."""
    from workbench.demo import DEMO_END, build_demo
    from workbench.store.workspace import resolve_workspace

    with refusals():
        try:
            last = dt.date.fromisoformat(end) if end else DEMO_END
        except ValueError:
            typer.echo(f"Refused: --end '{end}' is not a date; write it as YYYY-MM-DD", err=True)
            raise typer.Exit(1) from None
        ws = resolve_workspace(workspace, db)
        report = build_demo(ws, end=last, load_store=not no_store)
    typer.echo(f"Demo workspace ready in {ws.root}: {report.wards} wards, {report.reviews} "
               f"reviews, {report.cycles} cycles, {report.observations} observations "
               f"({report.stored} loaded into the store).")


def register(app: typer.Typer) -> None:
    """Add ``demo`` to *app*."""
    app.command("demo")(demo)
