"""``workbench import`` and ``workbench export``: observations in and out of the store."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Annotated

import typer

from workbench.cli.common import DbOpt, WorkspaceOpt, refusals


def _who() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # pragma: no cover - no user database
        return ""


def import_cmd(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX with ward, measure, date, value, "
                                              "denominator.")],
    ward: Annotated[str | None, typer.Option("--ward", help="Ward for every row: the file may "
                                                            "leave out the ward column; if it has "
                                                            "one, every row must match.")] = None,
    correct: Annotated[bool, typer.Option("--correct", help="Store rows already stored as new "
                                                            "versions (needs --reason).")] = False,
    reason: Annotated[str | None, typer.Option("--reason", help="Why the stored counts "
                                                                "change.")] = None,
    entered_by: Annotated[str | None, typer.Option("--by", help="Who imports (default: the "
                                                                "login name).")] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="The workbook's sheet to read "
                                                              "(default: the first).")] = None,
    workspace: WorkspaceOpt = None,
    db: DbOpt = None,
) -> None:
    """Import observations, all or nothing: one bad row refuses the file (exit 1, every row listed)."""
    if correct and not (reason or "").strip():
        raise typer.BadParameter("--correct needs --reason 'why the counts change'.",
                                 param_hint="--reason")
    if reason and not correct:
        raise typer.BadParameter("--reason is only used with --correct.", param_hint="--reason")
    from workbench.services.observations import import_file
    from workbench.store.workspace import resolve_workspace

    with refusals():
        ws = resolve_workspace(workspace, db)
        report = import_file(ws, file, ward=ward, correct=correct, reason=reason,
                             entered_by=_who() if entered_by is None else entered_by,
                             progress=sys.stderr.isatty(), sheet=sheet)
    typer.echo(report.summary())


def export_cmd(
    file: Annotated[Path, typer.Argument(help="Where to write (.csv or .xlsx).")],
    fmt: Annotated[str | None, typer.Option("--format", help="csv or xlsx (default: from the "
                                                             "file name).")] = None,
    ward: Annotated[list[str] | None, typer.Option("--ward", help="Only this ward "
                                                                  "(repeatable).")] = None,
    measure: Annotated[list[str] | None, typer.Option("--measure", help="Only this measure "
                                                                        "(repeatable).")] = None,
    workspace: WorkspaceOpt = None,
    db: DbOpt = None,
) -> None:
    """Export the latest version of every observation, in the import's columns."""
    if fmt is not None and fmt not in ("csv", "xlsx"):
        typer.echo(f"Refused: --format '{fmt}' is not one of csv, xlsx", err=True)
        raise typer.Exit(1)
    from workbench.services.observations import export_file
    from workbench.store.workspace import resolve_workspace

    with refusals():
        ws = resolve_workspace(workspace, db)
        n = export_file(ws, file, fmt=fmt, wards=ward or None, measures=measure or None)
    typer.echo(f"Exported {n} row(s) to {file}.")


def register(app: typer.Typer) -> None:
    """Add ``import`` and ``export`` to *app*."""
    app.command("import")(import_cmd)
    app.command("export")(export_cmd)
