"""``workbench backup`` and ``workbench restore``: the store and the records in one file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from workbench.cli.common import DbOpt, WorkspaceOpt, refusals


def backup_cmd(
    path: Annotated[Path | None, typer.Argument(
        help="A .zip file to write, or a folder for a dated one (default: <workspace>/backups/).")
    ] = None,
    workspace: WorkspaceOpt = None,
    db: DbOpt = None,
) -> None:
    """Back up the store (SQLite's online backup, or pg_dump) and every record in pdsa/."""
    from workbench.store.backup import backup
    from workbench.store.workspace import resolve_workspace

    with refusals():
        report = backup(resolve_workspace(workspace, db), path)
    typer.echo(report.summary())


def restore_cmd(
    path: Annotated[Path, typer.Argument(help="A backup file written by `workbench backup`.")],
    force: Annotated[bool, typer.Option(
        "--force", help="Restore even over entries made after the backup was taken.")] = False,
    workspace: WorkspaceOpt = None,
    db: DbOpt = None,
) -> None:
    """Restore a backup; refused over newer entries unless --force (they are backed up first)."""
    from workbench.store.backup import restore
    from workbench.store.workspace import resolve_workspace

    with refusals():
        report = restore(resolve_workspace(workspace, db), path, force=force)
    typer.echo(report.summary())


def register(app: typer.Typer) -> None:
    """Add ``backup`` and ``restore`` to *app*."""
    app.command("backup")(backup_cmd)
    app.command("restore")(restore_cmd)
