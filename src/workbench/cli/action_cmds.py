"""``workbench action``: the action log tied to the PSIRF plan."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from workbench.cli.common import DbOpt, TodayOpt, WorkspaceOpt, refusals
from workbench.cli.common import day as _day
from workbench.cli.common import open_workspace as _ws

action_app = typer.Typer(help="The action log tied to the PSIRF plan (files in pdsa/actions/).",
                         no_args_is_help=True)


def _print_action(view: Any) -> None:
    a = view.action
    mark = "OVERDUE " if view.overdue else ""
    typer.echo(f"{a.id:8} {mark}{a.status.value:20} due {a.due} {a.strength.value:12} "
               f"owner: {a.owner}")
    typer.echo(f"         {a.text}")
    for f in view.flags:
        typer.echo(f"         ! {f.message}")


@action_app.command("new")
def action_new(
    text: Annotated[str, typer.Option(help="The action: one small change.")],
    theme: Annotated[str, typer.Option(help="Theme id (`workbench themes`).")],
    source: Annotated[str, typer.Option(help="Where it comes from (review, PSII, ...).")],
    owner: Annotated[str, typer.Option(help="Who does it (role or name).")] = "",
    verifier: Annotated[str, typer.Option(help="Who checks it worked (not the owner).")] = "",
    due: Annotated[str, typer.Option(help="Due date YYYY-MM-DD.")] = "",
    source_ref: Annotated[str, typer.Option(help="Finding, e.g. cspr-2026-03/f2.")] = "",
    strength: Annotated[str, typer.Option(help="stronger, intermediate or weaker "
                                               "(default: from the text).")] = "",
    cycle: Annotated[str, typer.Option(help="Linked PDSA cycle id.")] = "",
    measure: Annotated[str, typer.Option(help="Linked measure id.")] = "",
    psirf_priority: Annotated[str, typer.Option(help="PSIRF plan priority.")] = "",
    follow_up: Annotated[str, typer.Option(help="How the habit will be checked later.")] = "",
    action_id: Annotated[str, typer.Option("--id", help="Id (default act-NNN).")] = "",
    workspace: WorkspaceOpt = None,
) -> None:
    """Add an action (refused without an owner, a due date or a verifier other than the owner)."""
    from workbench.services.actions import new_action, view

    data = {"id": action_id, "text": text, "theme": theme, "source": source, "owner": owner,
            "verifier": verifier, "due": _day(due, "--due") if due else None,
            "source_ref": source_ref, "strength": strength, "cycle": cycle, "measure": measure,
            "psirf_priority": psirf_priority, "follow_up_check": follow_up}
    with refusals():
        action = new_action(_ws(workspace), data)
    typer.echo(f"Added action {action.id}.")
    _print_action(view(action, dt.date.today()))
    _reframes(f"{action.text} {action.follow_up_check}")


def _reframes(text: str) -> None:
    from workbench.services.guards import blame_reframes

    for phrase, hint in blame_reframes(text):
        typer.echo(f"         Reframe '{phrase}': {hint}")


@action_app.command("list")
def action_list(
    status: Annotated[str | None, typer.Option(help="Only this status.")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only overdue actions.")] = False,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    today: TodayOpt = None, workspace: WorkspaceOpt = None,
) -> None:
    """The action log, overdue first, with flags."""
    from workbench.services.actions import action_log
    from workbench.services.skipped import skipped_lines

    with refusals():
        ws = _ws(workspace)
        views = action_log(ws, _day(today), status=status)
        for line in skipped_lines(ws):
            typer.echo(line, err=True)
    views = [v for v in views if v.overdue] if overdue else views
    if fmt == "json":
        typer.echo(json.dumps([{**v.action.model_dump(mode="json"), "overdue": v.overdue,
                                "flags": [{"kind": f.kind, "message": f.message} for f in v.flags]}
                               for v in views], indent=2))
        return
    if not views:
        typer.echo("No actions.")
    for v in views:
        _print_action(v)


@action_app.command("show")
def action_show(action_id: str, workspace: WorkspaceOpt = None) -> None:
    """Show one action's record."""
    from workbench.services.actions import get_action
    from workbench.store.records import dump_yaml, record_data

    with refusals():
        action = get_action(_ws(workspace), action_id)
    typer.echo(dump_yaml(record_data(action)), nl=False)


@action_app.command("done")
def action_done(action_id: str, note: Annotated[str, typer.Option(help="What was done.")] = "",
                workspace: WorkspaceOpt = None) -> None:
    """The owner marks an action done; it then waits for the verifier's check."""
    from workbench.services.actions import mark_done

    with refusals():
        action = mark_done(_ws(workspace), action_id, note=note)
    typer.echo(f"Action {action.id} is done; waiting for {action.verifier} to check it worked.")


@action_app.command("verify")
def action_verify(
    action_id: str,
    by: Annotated[str, typer.Option(help="The verifier named on the action.")],
    reason: Annotated[str, typer.Option(help="What shows it worked (or why it did not).")] = "",
    not_effective: Annotated[bool, typer.Option("--not-effective",
                                                help="It did not work.")] = False,
    workspace: WorkspaceOpt = None, db: DbOpt = None,
) -> None:
    """The verifier confirms an action worked (with a linked signal or a reason), or not."""
    from workbench.services.actions import verify

    with refusals():
        action = verify(_ws(workspace, db), action_id, by, effective=not not_effective,
                        reason=reason)
    typer.echo(f"Action {action.id}: {action.status.value.replace('_', ' ')}.\n{action.evidence}")


@action_app.command("reopen")
def action_reopen(action_id: str, reason: Annotated[str, typer.Option(help="Why.")],
                  workspace: WorkspaceOpt = None) -> None:
    """Reopen a checked action."""
    from workbench.services.actions import reopen

    with refusals():
        action = reopen(_ws(workspace), action_id, reason)
    typer.echo(f"Action {action.id} reopened.")


@action_app.command("export")
def action_export(
    csv: Annotated[Path | None, typer.Option("--csv", help="Write CSV here.")] = None,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Write XLSX here.")] = None,
    today: TodayOpt = None, workspace: WorkspaceOpt = None,
) -> None:
    """Export the log for the trust's PSIRF tracker (CSV to stdout when no file is given)."""
    from workbench.services.tracker import export_csv, export_xlsx

    day = _day(today)
    with refusals():
        ws = _ws(workspace)
        if csv is None and xlsx is None:
            typer.echo(export_csv(ws, None, day), nl=False)
            return
        if csv is not None:
            export_csv(ws, csv, day)
            typer.echo(f"Tracker CSV: {csv}")
        if xlsx is not None:
            export_xlsx(ws, xlsx, day)
            typer.echo(f"Tracker XLSX: {xlsx}")


def register(app: typer.Typer) -> None:
    """Add the ``action`` command group to *app*."""
    app.add_typer(action_app, name="action")
