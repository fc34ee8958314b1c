"""``workbench serve``: the ward boards and facilitator forms in the browser, via Voila."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from workbench.cli.common import DbOpt, WorkspaceOpt, refusals


def _notebooks(given: Path | None, workspace: Path) -> Path:
    from workbench import shipped_notebooks

    if given is not None:
        return given.expanduser().resolve()
    if (workspace / "notebooks" / "board.ipynb").is_file():
        return (workspace / "notebooks").resolve()
    return shipped_notebooks()


def serve(
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8866,
    host: Annotated[str, typer.Option(
        help="Address to listen on. Anything but 127.0.0.1/localhost needs --token or "
             "--password.")] = "127.0.0.1",
    workspace: WorkspaceOpt = None,
    db: DbOpt = None,
    token: Annotated[str, typer.Option(
        help="Secret that must be given once (?token=...) to open the pages.",
        envvar="WORKBENCH_TOKEN", show_envvar=True)] = "",
    password: Annotated[str, typer.Option(
        help="Password asked for on a login page (alternative to a token).",
        envvar="WORKBENCH_PASSWORD", show_envvar=False)] = "",
    notebooks: Annotated[Path | None, typer.Option(
        help="Folder with home.ipynb and board.ipynb (default: the workspace's or the "
             "repository's notebooks/).")] = None,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="Do not open a browser.")] = False,
    no_preheat: Annotated[bool, typer.Option(
        "--no-preheat", help="Start a kernel per page instead of keeping warm ones.")] = False,
    cull_after: Annotated[int, typer.Option(
        help="Seconds after which the kernel of a closed page is shut down.")] = 300,
    quiet: Annotated[bool, typer.Option(
        "--quiet", help="Print a short summary ending in the address; the server's own "
                        "messages go to <workspace>/logs/serve.log.")] = False,
) -> None:
    """Serve the ward boards and facilitator forms (Voila, preheated kernels, offline).

    Prints the address and serves until Ctrl+C.  Pages: / (all wards),
    /voila/render/board.ipynb?ward=<id> (a ward's board), and the four step notebooks.
    """
    from workbench.serve.app import run
    from workbench.serve.config import ServeOptions
    from workbench.store.workspace import resolve_workspace

    with refusals():
        ws = resolve_workspace(workspace, db)
        options = ServeOptions(
            notebooks=_notebooks(notebooks, ws.root), port=port, host=host, token=token,
            password=password, preheat=not no_preheat, cull_idle_timeout=cull_after,
            open_browser=not no_browser)
        options.check()
        if quiet:
            log = _to_log(ws.root / "logs" / "serve.log")
            typer.echo(f"Server messages: {log}. Stop with Ctrl+C.")
            typer.echo(f"The workbench is at {options.url()}")
            _redirect_output(log)
        else:
            typer.echo(f"Workbench for {ws.root} at {options.url()}", err=False)
            typer.echo("Ward boards: /voila/render/board.ipynb?ward=<ward id>. Stop with Ctrl+C.")
        try:
            run(options, workspace=str(ws.root), db=ws.db_url)
        except KeyboardInterrupt:  # Ctrl+C before the server's own loop took over
            raise typer.Exit(130) from None


def _to_log(path: Path) -> Path:
    """Make the log file's folder; the path the server's messages go to."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _redirect_output(log: Path) -> None:
    """Send this process's stdout and stderr (and so its kernels') to the end of *log*."""
    import os
    import sys

    sys.stdout.flush()
    sys.stderr.flush()
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)


def register(app: typer.Typer) -> None:
    """Add ``serve`` to *app*."""
    app.command("serve")(serve)
