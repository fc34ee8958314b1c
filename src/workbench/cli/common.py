"""Options and helpers shared by every command."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from workbench.domain.errors import WorkbenchError

WorkspaceOpt = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
        help="Workspace folder (default: $WORKBENCH_HOME, else the demo workspace, ./demo-workspace).",
        envvar="WORKBENCH_HOME",
        show_envvar=True,
    ),
]
DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL (default: $WORKBENCH_DB, else sqlite under <workspace>/data/).",
        envvar="WORKBENCH_DB",
        show_envvar=True,
    ),
]

F = TypeVar("F", bound=Callable[..., object])

TodayOpt = Annotated[str | None, typer.Option("--today", help="The day to read for (YYYY-MM-DD; "
                                                              "default today).")]


def open_workspace(workspace: Path | None, db: str | None = None) -> Any:
    """The workspace (and database) a command works on."""
    from workbench.store.workspace import resolve_workspace

    return resolve_workspace(workspace, db)


def day(value: str | None, name: str = "--today") -> dt.date:
    """A date option (default today); exit 1 with a plain message when it is not a date."""
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        typer.echo(f"Refused: {name} '{value}' is not a date; write it as YYYY-MM-DD", err=True)
        raise typer.Exit(1) from None



@contextmanager
def refusals() -> Iterator[None]:
    """Turn a :class:`WorkbenchError` into a plain message on stderr and exit code 1."""
    try:
        yield
    except WorkbenchError as exc:
        typer.echo(f"Refused: {exc}", err=True)
        raise typer.Exit(code=1) from None
