"""Options and helpers shared by every command."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from workbench.domain.errors import WorkbenchError

WorkspaceOpt = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
        help="Workspace folder (default: $WORKBENCH_HOME, else the repository's demo workspace).",
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


@contextmanager
def refusals() -> Iterator[None]:
    """Turn a :class:`WorkbenchError` into a plain message on stderr and exit code 1."""
    try:
        yield
    except WorkbenchError as exc:
        typer.echo(f"Refused: {exc}", err=True)
        raise typer.Exit(code=1) from None
