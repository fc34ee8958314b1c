"""``workbench cycle new | list | show | decide | log | status``: PDSA records in ``pdsa/``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from workbench.cli.common import DbOpt, WorkspaceOpt, refusals

cycle_app = typer.Typer(help="Plan, list, show and decide PDSA cycles (files in pdsa/cycles/).",
                        no_args_is_help=True)


def _date(value: str | None, name: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        typer.echo(f"Refused: {name} '{value}' is not a date; write it as YYYY-MM-DD", err=True)
        raise typer.Exit(1) from None


def _question(text: str) -> dict[str, Any]:
    parts = [p.strip() for p in text.split("|")]
    if len(parts) < 2 or not all(parts[:2]) or len(parts) > 5:
        typer.echo("Refused: --question must be 'question | prediction | because | measure | "
                   "expect' (because, measure and expect are optional; expect is rise, fall, "
                   "no_rise, no_fall, no_change, or 'at_least 80%' / 'at_most 0.2')", err=True)
        raise typer.Exit(1)
    out: dict[str, Any] = {"question": parts[0], "prediction": parts[1]}
    if len(parts) > 2 and parts[2]:
        out["because"] = parts[2]
    if len(parts) > 3 and parts[3]:
        out["measure"] = parts[3]
    if len(parts) > 4 and parts[4]:
        words = parts[4].split()
        out["expect"] = words[0]
        if len(words) > 1:
            out["level"] = " ".join(words[1:])
    return out


@cycle_app.command("new")
def new(
    cycle_id: Annotated[str | None, typer.Argument(help="Short id, e.g. ucc-infant-prompt.")] = None,
    from_file: Annotated[Path | None, typer.Option("--from", help="Read the plan from YAML.")] = None,
    ward: Annotated[str | None, typer.Option(help="Ward id.")] = None,
    theme: Annotated[str | None, typer.Option(help="Theme id (`workbench themes`).")] = None,
    change_idea: Annotated[str | None, typer.Option(help="Change idea id.")] = None,
    owner: Annotated[str | None, typer.Option(help="Who leads the test.")] = None,
    objective: Annotated[str | None, typer.Option(help="What the change should achieve.")] = None,
    question: Annotated[list[str] | None, typer.Option(
        help="'question | prediction | because | measure | expect' (repeat); expect: rise, "
             "fall, no_rise, no_fall, no_change, 'at_least 80%' or 'at_most 0.2'.")] = None,
    measure: Annotated[list[str] | None, typer.Option(help="Measure id (repeat).")] = None,
    start: Annotated[str | None, typer.Option(help="Start date (YYYY-MM-DD).")] = None,
    end: Annotated[str | None, typer.Option(help="End date (default start + 14 days).")] = None,
    reason: Annotated[str | None, typer.Option(
        help="Why this ward may run more active changes than its limit.")] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Plan a new cycle and write pdsa/cycles/<id>.yaml (the plan form's rules)."""
    from workbench.services.plans import PlanInput, plan_cycle
    from workbench.store.records import parse_yaml
    from workbench.store.workspace import resolve_workspace

    data: dict[str, Any] = {}
    with refusals():
        if from_file is not None:
            if not from_file.is_file():
                typer.echo(f"Refused: no file {from_file}", err=True)
                raise typer.Exit(1)
            loaded, _ = parse_yaml(from_file.read_text("utf-8"), from_file)
            if not isinstance(loaded, dict):
                typer.echo(f"Refused: {from_file} must hold a mapping of plan fields", err=True)
                raise typer.Exit(1)
            data.update(loaded)
        given = {"id": cycle_id, "ward": ward, "theme": theme, "change_idea": change_idea,
                 "owner": owner, "objective": objective, "start": _date(start, "--start"),
                 "end": _date(end, "--end"), "active_reason": reason}
        data.update({k: v for k, v in given.items() if v is not None})
        if question:
            data["questions"] = [_question(q) for q in question]
        if measure:
            data["measures"] = list(measure)
        data.pop("revision", None)
        cycle = plan_cycle(resolve_workspace(workspace), PlanInput.from_mapping(data))
    typer.echo(f"Planned cycle {cycle.id} on {cycle.ward}: {cycle.start} to {cycle.end} "
               f"({cycle.status.value}).")


@cycle_app.command("list")
def list_(
    ward: Annotated[str | None, typer.Option(help="Only this ward.")] = None,
    status: Annotated[str | None, typer.Option(help="planned, running, studying or decided.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    workspace: WorkspaceOpt = None,
) -> None:
    """List cycles, oldest first; a broken cycle file is skipped with a line saying why."""
    from workbench.domain.records import CycleStatus
    from workbench.services.cycles import load_cycles
    from workbench.services.skipped import skipped_lines
    from workbench.services.wards import get_ward
    from workbench.store.workspace import resolve_workspace

    if fmt not in ("text", "json"):
        typer.echo(f"Refused: --format '{fmt}' is not one of text, json", err=True)
        raise typer.Exit(1)
    if status is not None and status not in [s.value for s in CycleStatus]:
        typer.echo(f"Refused: --status '{status}' is not one of "
                   f"{', '.join(s.value for s in CycleStatus)}", err=True)
        raise typer.Exit(1)
    with refusals():
        ws = resolve_workspace(workspace)
        if ward is not None:
            get_ward(ws, ward)  # an unknown ward is refused, naming the known ones
        cycles = load_cycles(ws, ward=ward, status=status).records
        for line in skipped_lines(ws):
            typer.echo(line, err=True)
    if fmt == "json":
        typer.echo(json.dumps([c.model_dump(mode="json") for c in cycles], indent=2))
        return
    for c in cycles:
        verdict = f" -> {c.act.decision.value}" if c.act else ""
        typer.echo(f"{c.id:32} {c.ward:10} {c.status.value:9}{verdict:10} {c.start} {c.title}")


@cycle_app.command("show")
def show(cycle_id: str, workspace: WorkspaceOpt = None) -> None:
    """Show one cycle's record."""
    from workbench.services.cycles import get_cycle
    from workbench.store.records import dump_yaml, record_data
    from workbench.store.workspace import resolve_workspace

    with refusals():
        cycle = get_cycle(resolve_workspace(workspace), cycle_id)
    typer.echo(dump_yaml(record_data(cycle)), nl=False)


@cycle_app.command("decide")
def decide(
    cycle_id: str,
    decision: Annotated[str, typer.Argument(help="adopt, adapt or abandon.")],
    reason: Annotated[str, typer.Option(help="Why (required).")],
    by: Annotated[str, typer.Option(help="Who decided.")] = "",
    on: Annotated[str | None, typer.Option(help="Date of the decision (default today).")] = None,
    next_cycle: Annotated[str | None, typer.Option(help="Id of the follow-on cycle.")] = None,
    early_reason: Annotated[str, typer.Option(
        help="Why decide before the test ends (needed while it has days left).")] = "",
    workspace: WorkspaceOpt = None,
) -> None:
    """Record the decision: adopt, adapt or abandon, with a reason."""
    from workbench.services.decisions import decide as decide_cycle
    from workbench.store.workspace import resolve_workspace

    if decision not in ("adopt", "adapt", "abandon"):
        typer.echo(f"Refused: decision '{decision}' must be adopt, adapt or abandon", err=True)
        raise typer.Exit(1)
    with refusals():
        cycle = decide_cycle(resolve_workspace(workspace), cycle_id, decision, reason,
                             decided_by=by, on=_date(on, "--on"), next_cycle=next_cycle,
                             early_reason=early_reason)
    typer.echo(f"Cycle {cycle.id}: {decision} (revision {cycle.revision}).")


@cycle_app.command("check")
def check(
    cycle_id: str,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Read data up to this day "
                                              "(YYYY-MM-DD; default: all).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    workspace: WorkspaceOpt = None,
    db: DbOpt = None,
) -> None:
    """Did the change work? The test judged against the limits before it, each prediction's
    result, the recommendation and the team's record (JSON: docs/verdict.md)."""
    from workbench.cli.brief_cmds import judgement_text
    from workbench.services.judgement import judge_cycle
    from workbench.store.workspace import resolve_workspace

    if fmt not in ("text", "json"):
        typer.echo(f"Refused: --format '{fmt}' must be text or json", err=True)
        raise typer.Exit(1)
    day = _date(as_of, "--as-of")
    with refusals():
        data = judge_cycle(resolve_workspace(workspace, db), cycle_id, as_of=day).to_json()
    if fmt == "json":
        typer.echo(json.dumps(data, indent=2))
        return
    typer.echo(judgement_text(data))


@cycle_app.command("log")
def log(cycle_id: str, note: str, on: Annotated[str | None, typer.Option()] = None,
        workspace: WorkspaceOpt = None) -> None:
    """Add a dated note to the cycle's Do log."""
    from workbench.services.cycles import add_log
    from workbench.store.workspace import resolve_workspace

    with refusals():
        add_log(resolve_workspace(workspace), cycle_id, _date(on, "--on") or dt.date.today(), note)
    typer.echo(f"Noted on {cycle_id}.")


@cycle_app.command("status")
def status(cycle_id: str, new_status: Annotated[str, typer.Argument(
        help="planned, running or studying.")],
        reason: Annotated[str, typer.Option(
            help="Why move it back (needed for an earlier status or a decided cycle).")] = "",
        by: Annotated[str, typer.Option(help="Who moves it back.")] = "",
        workspace: WorkspaceOpt = None) -> None:
    """Move a cycle on: planned -> running -> studying (decide with `cycle decide`).

    Moving back (or reopening a decided cycle) needs --reason; it is kept in the cycle's history.
    """
    from workbench.services.cycles import set_status
    from workbench.store.workspace import resolve_workspace

    if new_status not in ("planned", "running", "studying"):
        typer.echo("Refused: status must be planned, running or studying", err=True)
        raise typer.Exit(1)
    with refusals():
        cycle = set_status(resolve_workspace(workspace), cycle_id, new_status, reason=reason,
                           by=by)
    last = cycle.history[-1] if cycle.history else None
    back = (" (moved back; the reason is kept in its history)"
            if last is not None and last.to_status == new_status and last.reason == reason.strip()
            else "")
    typer.echo(f"Cycle {cycle_id} is now {new_status}{back}.")


def register(app: typer.Typer) -> None:
    """Add the ``cycle`` command group to *app*."""
    app.add_typer(cycle_app, name="cycle")
