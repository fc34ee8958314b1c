"""``workbench target`` and ``workbench grain``: per ward x measure settings (pdsa/measures.yaml)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from workbench.cli.common import WorkspaceOpt, day, refusals
from workbench.cli.common import open_workspace as _ws

target_app = typer.Typer(help="Targets per ward and measure, each from a date (assurance icons "
                              "need one).", no_args_is_help=True)
grain_app = typer.Typer(help="Chart a ward's measure daily, weekly or monthly (default: the "
                             "documented rule chooses).", no_args_is_help=True)


@target_app.command("set")
def target_set(
    ward: Annotated[str, typer.Argument(help="Ward id, e.g. nh-ed.")],
    measure: Annotated[str, typer.Argument(help="Measure id (`workbench measures`).")],
    value: Annotated[str, typer.Argument(help="95% or 0.95 for shares; a number otherwise.")],
    start: Annotated[str, typer.Option("--from", help="First day the target applies "
                                                      "(YYYY-MM-DD).")],
    note: Annotated[str, typer.Option(help="Where the target comes from.")] = "",
    workspace: WorkspaceOpt = None,
) -> None:
    """Set a ward's target for a measure from a date (replaces one from the same day)."""
    from workbench.services.targets import set_target

    first = day(start, "--from")
    with refusals():
        row = set_target(_ws(workspace), ward, measure, value, first, note=note)
    typer.echo(f"Target for {row.measure_name} on {row.ward_name}: {row.words} from {row.start}.")


@target_app.command("remove")
def target_remove(
    ward: Annotated[str, typer.Argument(help="Ward id.")],
    measure: Annotated[str, typer.Argument(help="Measure id.")],
    start: Annotated[str, typer.Option("--from", help="The day the target applies from.")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Remove the target that applies from a date."""
    from workbench.services.targets import remove_target

    first = day(start, "--from")
    with refusals():
        remove_target(_ws(workspace), ward, measure, first)
    typer.echo(f"Removed the target from {first}.")


@target_app.command("list")
def target_list(
    ward: Annotated[str | None, typer.Option(help="Only this ward.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of lines.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Every target, ward by ward, with the days each applies."""
    from workbench.services.targets import list_targets

    with refusals():
        rows = list_targets(_ws(workspace), ward=ward)
    if as_json:
        typer.echo(json.dumps([{"ward": r.ward, "measure": r.measure, "value": r.value,
                                "from": r.start.isoformat(),
                                "until": r.until.isoformat() if r.until else None,
                                "note": r.note} for r in rows], indent=1))
        return
    if not rows:
        typer.echo("No targets set. Set one with: workbench target set WARD MEASURE 95% "
                   "--from YYYY-MM-DD")
    for r in rows:
        until = f" to {r.until}" if r.until else " onwards"
        note = f" ({r.note})" if r.note else ""
        typer.echo(f"{r.ward_name} - {r.measure_name}: {r.words} from {r.start}{until}{note}")


@grain_app.command("set")
def grain_set(
    ward: Annotated[str, typer.Argument(help="Ward id.")],
    measure: Annotated[str, typer.Argument(help="Measure id.")],
    grain: Annotated[str, typer.Argument(help="daily, weekly, monthly, or auto (the rule).")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Chart a ward's measure at this grain everywhere (charts, checks, briefs, exports)."""
    from workbench.services.targets import set_grain

    with refusals():
        set_grain(_ws(workspace), ward, measure, None if grain == "auto" else grain)
    typer.echo(f"{measure} on {ward} is now charted "
               f"{'at the grain the rule chooses' if grain == 'auto' else grain}.")


@grain_app.command("show")
def grain_show(
    ward: Annotated[str, typer.Argument(help="Ward id.")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Each of a ward's measures with its grain and why."""
    from workbench.services.grain import grain_table

    with refusals():
        rows = grain_table(_ws(workspace), ward)
    for r in rows:
        typer.echo(f"{r['measure_name']}: {r['caption']} ({r['reason']})")


def register(app: typer.Typer) -> None:
    """Add the ``target`` and ``grain`` command groups to *app*."""
    app.add_typer(target_app, name="target")
    app.add_typer(grain_app, name="grain")
