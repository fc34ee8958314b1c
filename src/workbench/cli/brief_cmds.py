"""Leaders' outputs: ``workbench brief``, ``action``, ``review``, ``learning`` and ``rollup``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from workbench.cli.common import DbOpt, WorkspaceOpt, refusals

action_app = typer.Typer(help="The action log tied to the PSIRF plan (files in pdsa/actions/).",
                         no_args_is_help=True)
review_app = typer.Typer(help="The review register and the trace from findings to change.",
                         no_args_is_help=True)
learning_app = typer.Typer(help="Micro-teach cards, the monthly brief and team recall.",
                           no_args_is_help=True)
TodayOpt = Annotated[str | None, typer.Option("--today", help="The day to read for (YYYY-MM-DD; "
                                                              "default today).")]


def _ws(workspace: Path | None, db: str | None = None) -> Any:
    from workbench.store.workspace import resolve_workspace

    return resolve_workspace(workspace, db)


def _day(value: str | None, name: str = "--today") -> dt.date:
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        typer.echo(f"Refused: {name} '{value}' is not a date; write it as YYYY-MM-DD", err=True)
        raise typer.Exit(1) from None


def brief(
    cycle: Annotated[str, typer.Argument(help="Cycle id, e.g. ucc-infant-bruising-prompt.")],
    pdf: Annotated[Path | None, typer.Option(help="Write the one-page PDF here.")] = None,
    html: Annotated[Path | None, typer.Option(help="Write the HTML page here.")] = None,
    today: TodayOpt = None, workspace: WorkspaceOpt = None, db: DbOpt = None,
) -> None:
    """The one-page brief for a cycle (default: reports/briefs/<cycle>.pdf and .html)."""
    from workbench.briefs.onepage import brief_html, brief_pdf

    day = _day(today)
    with refusals():
        ws = _ws(workspace, db)
        if pdf is None and html is None:
            pdf = ws.reports / "briefs" / f"{cycle}.pdf"
            html = pdf.with_suffix(".html")
        if pdf is not None:
            brief_pdf(ws, cycle, pdf, today=day)
            typer.echo(f"One-page brief (PDF): {pdf}")
        if html is not None:
            brief_html(ws, cycle, html, today=day)
            typer.echo(f"One-page brief (HTML): {html}")


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

    with refusals():
        views = action_log(_ws(workspace), _day(today), status=status)
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
    from workbench.services.actions import export_csv, export_xlsx

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


@review_app.command("list")
def review_list(workspace: WorkspaceOpt = None) -> None:
    """The review register, newest first."""
    from workbench.services.register import register

    with refusals():
        rows = register(_ws(workspace))
    for r in rows:
        typer.echo(f"{r.review.id:16} {r.review.date} {r.type_name} ({r.review.type})")
        typer.echo(f"                 {r.review.title}")
        typer.echo(f"                 themes: {', '.join(r.themes)}; {r.cycles} cycle(s), "
                   f"{r.actions} action(s), {r.open_actions} open")


def _print_trace(t: Any) -> None:
    typer.echo(f"{t.ref} [{t.theme_name}] {t.status}: {t.finding.text}")
    if t.map_change:
        typer.echo(f"    suggested change: {t.map_change}")
    for c in t.cycles:
        decided = f" -> {c.act.decision.value}" if c.act else ""
        typer.echo(f"    cycle {c.id} on {c.ward}: {c.status.value}{decided}")
    for a in t.actions:
        typer.echo(f"    action {a.id}: {a.status.value} (owner {a.owner}, due {a.due})")
    for line in t.evidence:
        typer.echo(f"    evidence: {line}")


@review_app.command("show")
def review_show(review_id: str, workspace: WorkspaceOpt = None) -> None:
    """One review with its findings and what each led to."""
    from workbench.services.register import review_trace
    from workbench.services.reviews import get_review

    with refusals():
        ws = _ws(workspace)
        review = get_review(ws, review_id)
        traces = review_trace(ws, review_id)
    typer.echo(f"{review.id}: {review.type}, {review.date}. {review.title}")
    typer.echo(f"Agencies: {', '.join(review.agencies)}")
    for t in traces:
        _print_trace(t)


@review_app.command("trace")
def review_trace_cmd(ref: Annotated[str, typer.Argument(help="<review-id>/<finding-id>, or a "
                                                             "review id for all findings.")],
                     workspace: WorkspaceOpt = None) -> None:
    """The trace from a finding to its cycles, actions and evidence."""
    from workbench.services.register import review_trace, trace

    with refusals():
        ws = _ws(workspace)
        traces = [trace(ws, ref)] if "/" in ref else review_trace(ws, ref)
    for t in traces:
        _print_trace(t)


@learning_app.command("card")
def learning_card(
    cycle: Annotated[str, typer.Argument(help="Cycle id.")],
    pdf: Annotated[Path | None, typer.Option(help="Write the one-page PDF here.")] = None,
    html: Annotated[Path | None, typer.Option(help="Write the HTML page here.")] = None,
    today: TodayOpt = None, workspace: WorkspaceOpt = None,
) -> None:
    """The micro-teach card for a change (default: reports/cards/<cycle>.pdf and .html)."""
    from workbench.briefs.card import card_html, card_pdf

    day = _day(today)
    with refusals():
        ws = _ws(workspace)
        if pdf is None and html is None:
            pdf = ws.reports / "cards" / f"{cycle}.pdf"
            html = pdf.with_suffix(".html")
        if pdf is not None:
            card_pdf(ws, cycle, pdf, today=day)
            typer.echo(f"Micro-teach card (PDF): {pdf}")
        if html is not None:
            card_html(ws, cycle, html, today=day)
            typer.echo(f"Micro-teach card (HTML): {html}")


@learning_app.command("monthly")
def learning_monthly(
    month: Annotated[str, typer.Option(help="YYYY-MM.")],
    cycle: Annotated[str, typer.Option(help="Cycle to tell (default: the month's latest).")] = "",
    out: Annotated[Path | None, typer.Option(help="HTML file to write.")] = None,
    workspace: WorkspaceOpt = None, db: DbOpt = None,
) -> None:
    """Render the monthly learning brief notebook with papermill to printable HTML."""
    from workbench.briefs.monthly import month_bounds, render_monthly

    with refusals():
        ws = _ws(workspace, db)
        month_bounds(month)
        target = out or ws.reports / "monthly" / f"learning-brief-{month}.html"
        render_monthly(ws, month, target.resolve(), cycle=cycle)
    typer.echo(f"Monthly learning brief: {target}")


@learning_app.command("results")
def learning_results(workspace: WorkspaceOpt = None) -> None:
    """Recall results per team (never per person)."""
    from workbench.services.learning import team_results

    with refusals():
        rows = team_results(_ws(workspace))
    if not rows:
        typer.echo("No team has had a recall quiz yet.")
    for r in rows:
        share = "-" if r["right_share"] is None else f"{float(str(r['right_share'])):.0%}"
        typer.echo(f"{r['team']:16} {r['sessions']} session(s), {r['asked']} asked, {share} right, "
                   f"last {r['last'] or '-'}")


def rollup(
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    today: TodayOpt = None, workspace: WorkspaceOpt = None, db: DbOpt = None,
) -> None:
    """The leaders' roll-up: key risk, walkrounds, themes, signals, predictions, scores."""
    from workbench.services.rollup import rollup as build
    from workbench.services.rollup import rollup_data

    if fmt not in ("text", "json"):
        typer.echo(f"Refused: --format '{fmt}' must be text or json", err=True)
        raise typer.Exit(1)
    with refusals():
        data = rollup_data(build(_ws(workspace, db), _day(today)))
    if fmt == "json":
        typer.echo(json.dumps(data, indent=2, default=str))
        return
    _rollup_text(data)


def _rollup_text(d: dict[str, Any]) -> None:
    echo = typer.echo
    echo(f"Leaders' roll-up for {d['today']}\n")
    echo(f"KEY RISK: {d['key_risk']['text']}\n  ({d['key_risk']['why']})\n")
    echo("What have we changed due to recent reviews, and what is in the way?")
    for e in d["walkrounds"]:
        echo(f"  {e['date']} {e['ward'] or 'service'} ({e['by']}): {e['changed']}"
             f"{' In the way: ' + e['in_the_way'] if e['in_the_way'] else ''}")
    echo("\nWards and themes:")
    for t in d["themes"]:
        echo(f"  {t['ward_name']:28} {t['theme_name']:24} {t['state']}")
    unusual = [s for s in d["signals"] if str(s["variation"]).startswith("special_cause")]
    echo(f"\nSignals this week: {len(unusual)} unusual of {len(d['signals'])} charts")
    for s in unusual:
        word = "better" if s["variation"].endswith("improvement") else \
            "worse" if s["variation"].endswith("concern") else "unusual"
        echo(f"  {s['ward']:28} {s['measure']}: {word}")
    echo("\nPredictions held (confirmed / refuted / unclear):")
    for p in d["predictions"]:
        echo(f"  {p['ward_name']:28} {p['confirmed']} / {p['refuted']} / {p['unclear']}")
    echo("\nProgress scores (suggested; confirmed by):")
    for s in d["scores"]:
        got = f"; confirmed {s['confirmed']} by {s['confirmed_by']}" if s["confirmed"] else ""
        echo(f"  {s['ward_name']:28} {s['suggested']} {s['words']}{got}")
    echo("\nPitfalls:")
    for p in d["pitfalls"] or [{"message": "none found"}]:
        echo(f"  - {p['message']}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to *app*."""
    app.command("brief")(brief)
    app.add_typer(action_app, name="action")
    app.add_typer(review_app, name="review")
    app.add_typer(learning_app, name="learning")
    app.command("rollup")(rollup)
