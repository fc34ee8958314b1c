"""Across wards: ``workbench driver``, ``workbench funnel`` and ``workbench spread``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from workbench.cli.common import DbOpt, WorkspaceOpt, refusals
from workbench.cli.common import day as _day
from workbench.cli.common import open_workspace as _ws

FormatOpt = Annotated[str, typer.Option("--format", help="text or json.")]


def _check_format(fmt: str) -> None:
    if fmt not in ("text", "json"):
        typer.echo(f"Refused: --format '{fmt}' must be text or json", err=True)
        raise typer.Exit(1)


def driver(
    theme: Annotated[str, typer.Argument(help="Review theme id (see `workbench themes`).")],
    ward: Annotated[str | None, typer.Option("--ward", help="Ward id (default: every ward).")]
    = None,
    html: Annotated[Path | None, typer.Option("--html", help="Write a printable one-page "
                                                             "HTML file here.")] = None,
    fmt: FormatOpt = "text", workspace: WorkspaceOpt = None, db: DbOpt = None,
) -> None:
    """A theme's driver diagram: aim, drivers, change ideas (tried or not) and measures."""
    from workbench.services.driver import driver_data, driver_diagram

    _check_format(fmt)
    with refusals():
        d = driver_diagram(_ws(workspace, db), theme, ward=ward)
    if html is not None:
        from workbench.ui.driver import page_document

        html.parent.mkdir(parents=True, exist_ok=True)
        html.write_text(page_document(d), encoding="utf-8")
        typer.echo(f"Driver diagram written to {html}")
        return
    if fmt == "json":
        typer.echo(json.dumps(driver_data(d), indent=2))
        return
    echo = typer.echo
    echo(f"Driver diagram: {d.theme_name} ({d.ward.name if d.ward else 'every ward'})")
    echo(f"AIM: {d.aim} {d.aim_detail}")
    for p in d.primaries:
        echo(f"  PRIMARY: {p.text}")
        for s in p.secondaries:
            echo(f"    SECONDARY: {s.text}")
            for i in s.ideas:
                cycles = f" [{', '.join(i.cycles)}]" if i.cycles else ""
                echo(f"      CHANGE: {i.text} ({i.state_words}){cycles}")
                for m in i.measures:
                    echo(f"        MEASURE: {m.name} ({m.family})")
    if d.national:
        from workbench.services.national import ANSWERS_LEAD

        echo(f"{ANSWERS_LEAD}:")
        for n in d.national:
            echo(f"  - {n}")


def funnel(
    measure: Annotated[str, typer.Argument(help="A proportion or rate measure id.")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="Last day of the period "
                                                              "(YYYY-MM-DD).")] = None,
    weeks: Annotated[int, typer.Option("--weeks", help="Length of the period.")] = 12,
    adjust: Annotated[str, typer.Option("--adjust", help="none, multiplicative (phi) or "
                                                         "additive (tau squared).")] = "none",
    fmt: FormatOpt = "text", workspace: WorkspaceOpt = None, db: DbOpt = None,
) -> None:
    """Compare wards on one measure (funnel plot numbers) and name those outside the limits."""
    from workbench.services.funnel import ADJUST_WORDS, outside_table, ward_funnel

    _check_format(fmt)
    day = _day(as_of, "--as-of") if as_of else None
    with refusals():
        f = ward_funnel(_ws(workspace, db), measure, as_of=day, weeks=weeks, adjust=adjust)
    table = outside_table(f)
    if fmt == "json":
        groups = f.result.groups.assign(ward_id=[f.ward_ids[g] for g in f.result.groups["group"]])
        typer.echo(json.dumps({
            "measure": f.measure.id, "kind": f.kind, "start": f.start.isoformat(),
            "end": f.end.isoformat(), "adjust": f.result.adjust, "target": f.result.target,
            "phi": f.result.phi, "tau2": f.result.tau2,
            "wards": groups.rename(columns={"group": "ward"}).to_dict(orient="records"),
            "outside": table.to_dict(orient="records")}, indent=2))
        return
    scale, unit = (100.0, "%") if f.kind == "proportion" else (1.0, "")
    typer.echo(f"{f.measure.name}, {f.period_text()}: all wards {f.result.target * scale:.1f}"
               f"{unit}. Limits: {ADJUST_WORDS[f.result.adjust]} (phi {f.result.phi:.2f}).")
    for r in f.result.groups.itertuples():
        typer.echo(f"  {r.group:28} {r.value * scale:6.1f}{unit}  of {r.denominator:g}  "
                   f"95%: {r.lower95 * scale:.1f}-{r.upper95 * scale:.1f}  "
                   f"99.8%: {r.lower998 * scale:.1f}-{r.upper998 * scale:.1f}")
    if table.empty:
        typer.echo("Every ward is inside the limits.")
    for r in table.itertuples():
        typer.echo(f"OUTSIDE: {r.ward}: {r.where}")


def spread(
    cycle: Annotated[str | None, typer.Argument(help="An adopted cycle id (default: every "
                                                     "adopted change).")] = None,
    ward: Annotated[str | None, typer.Option("--ward", help="Only changes on or spread to "
                                                            "this ward.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Read verdicts as of this day "
                                                              "(YYYY-MM-DD).")] = None,
    fmt: FormatOpt = "text", workspace: WorkspaceOpt = None, db: DbOpt = None,
) -> None:
    """Where each adopted change has spread, ward by ward, with the verdict on each."""
    from workbench.services.spread import spread_data, spread_of, spread_tracker

    _check_format(fmt)
    day = _day(as_of, "--as-of") if as_of else None
    with refusals():
        ws = _ws(workspace, db)
        changes = [spread_of(ws, cycle, as_of=day)] if cycle else \
            spread_tracker(ws, as_of=day, ward=ward)
    data = [spread_data(c) for c in changes]
    if fmt == "json":
        typer.echo(json.dumps(data, indent=2))
        return
    if not data:
        typer.echo("No change has been adopted yet, so nothing has spread.")
    for c in data:
        typer.echo(f"{c['change']} ({c['cycle']})")
        for w in c["wards"]:
            held = f"; {w['held_words']}" if w["held_words"] else ""
            typer.echo(f"  {w['step'] + 1}. {w['ward_name']:26} from {w['date']} "
                       f"{w['status']:9} {w['verdict_words']}{held}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to *app*."""
    app.command("driver")(driver)
    app.command("funnel")(funnel)
    app.command("spread")(spread)
