"""The ``workbench`` command line.

Each area registers its commands from its own module so that modules stay small.  Exit codes:
0 success, 1 the input was refused (the message says why and what to fix), 2 usage error.
"""

from __future__ import annotations

import sys

import typer

from workbench.domain.errors import WorkbenchError

app = typer.Typer(
    name="workbench",
    help=(
        "Turn review learning into small, tested changes on wards: pick a theme, size the "
        "baseline, run one change on one ward for two weeks, check the result on an SPC chart."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register() -> None:
    from workbench.cli import (
        action_cmds,
        backup_cmds,
        batch_cmds,
        brief_cmds,
        catalogue_cmds,
        demo_cmds,
        records_cmds,
        review_cmds,
        serve_cmds,
        settings_cmds,
        spc_cmds,
        spread_cmds,
        store_cmds,
        table_cmds,
    )

    for module in (demo_cmds, catalogue_cmds, records_cmds, spc_cmds, store_cmds, backup_cmds,
                   batch_cmds, serve_cmds, brief_cmds, action_cmds, review_cmds, settings_cmds,
                   table_cmds, spread_cmds):
        module.register(app)


def main(argv: list[str] | None = None) -> None:
    """Run the command line; refused input exits 1 with its message on stderr."""
    _register()
    try:
        app(args=argv, standalone_mode=True)
    except WorkbenchError as exc:  # pragma: no cover - commands usually catch their own
        typer.echo(f"Refused: {exc}", err=True)
        sys.exit(1)
