"""Leaders' outputs: ``workbench brief``, ``learning`` and ``rollup``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from workbench.cli.common import DbOpt, TodayOpt, WorkspaceOpt, refusals
from workbench.cli.common import day as _day
from workbench.cli.common import open_workspace as _ws

learning_app = typer.Typer(help="Micro-teach cards, the monthly brief and team recall.",
                           no_args_is_help=True)
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


def judgement_text(c: dict[str, Any], indent: str = "") -> str:
    """A cycle's judgement (its JSON) as text, in the judgement's own words."""
    from workbench.services import verdict_words as vw

    lines = [f"{c['cycle']} ({c['ward_name']}, {c['status']}, data to {c['as_of']}): "
             f"{vw.RECOMMENDATION_WORDS[c['recommendation']]}. {c['reason']}"]
    for m in c["measures"]:
        mv = _Obj(m)
        lines.append(f"  {vw.test_line(mv)}")
        if m.get("since"):
            lines.append(f"  {vw.since_line(mv)}")
    for p in c["predictions"]:
        lines.append(f"  - {vw.prediction_line(_Obj(p))}")
    for x in c["disagreements"]:
        lines.append(f"  ! {vw.disagreement_line(_Obj(x))}")
    return "\n".join(indent + line for line in lines)


class _Obj:
    """Attribute access over a judgement's JSON, for the words module."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.__dict__.update(data)
        if isinstance(data.get("since"), dict):
            self.since = _Obj(data["since"])


def _summary_text(rows: list[dict[str, Any]]) -> None:
    """The summary table's exceptions, one line each (the rest counted)."""
    from workbench.charts.summary import number

    shown = [r for r in rows if r["exception_words"]]
    typer.echo(f"Every ward's measures, most urgent first: {len(shown)} of {len(rows)} "
               "to look at")
    for r in shown:
        old = f"; {r['stale_words']}" if r.get("stale") else ""
        typer.echo(f"  {r['exception_words']:22} {r['ward_name']:26} {r['measure_name']}: "
                   f"latest {number(r['latest'], r['chart'])}, mean "
                   f"{number(r['mean'], r['chart'])}, data up to {r['data_up_to']}{old}")
    typer.echo("")


def _rollup_text(d: dict[str, Any]) -> None:
    echo = typer.echo
    echo(f"Leaders' roll-up for {d['today']}\n")
    for line in d.get("skipped_records", []):
        echo(line)
    echo(f"KEY RISK: {d['key_risk']['text']}\n  ({d['key_risk']['why']})\n")
    _summary_text(d.get("summary", []))
    echo("What have we changed due to recent reviews, and what is in the way?")
    for e in d["walkrounds"]:
        echo(f"  {e['date']} {e['ward'] or 'service'} ({e['by']}): {e['changed']}"
             f"{' In the way: ' + e['in_the_way'] if e['in_the_way'] else ''}")
    echo("\nWards and themes:")
    for t in d["themes"]:
        echo(f"  {t['ward_name']:28} {t['theme_name']:24} {t['state']}")
    echo("\nSpread in steps (each adopted change, ward by ward):")
    for c in d.get("spread", []):
        echo(f"  {c['change']}")
        for w in c["wards"]:
            held = f"; {w['held_words']}" if w["held_words"] else ""
            echo(f"    {w['step'] + 1}. {w['ward_name']:26} {w['status']:9} "
                 f"{w['verdict_words']}{held}")
    from workbench.charts.words import variation_icon

    unusual = [s for s in d["signals"] if str(s["variation"]).startswith("special_cause")]
    echo(f"\nWhere each process is now: {len(unusual)} unusual of {len(d['signals'])} charts")
    for s in unusual:
        echo(f"  {s['ward']:28} {s['measure']}: {variation_icon(s['variation'], None).plain}")
    echo("\nDid the change work? (each test of change)")
    for c in d.get("cycles", []):
        echo(judgement_text(c, indent="  "))
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
    app.add_typer(learning_app, name="learning")
    app.command("rollup")(rollup)
