"""``workbench review``: the review register and the trace from findings to change."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from workbench.cli.common import WorkspaceOpt, refusals
from workbench.cli.common import open_workspace as _ws

review_app = typer.Typer(help="The review register and the trace from findings to change.",
                         no_args_is_help=True)


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
    if t.national:
        from workbench.services.national import ANSWERS_LEAD

        lead = ANSWERS_LEAD if t.cycles else "A change here would answer these national themes"
        typer.echo(f"    {lead}:")
        for line in t.national:
            typer.echo(f"      - {line}")


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


def register(app: typer.Typer) -> None:
    """Add the ``review`` command group to *app*."""
    app.add_typer(review_app, name="review")
