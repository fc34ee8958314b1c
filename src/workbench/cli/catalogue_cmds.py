"""``workbench themes`` and ``workbench measures``: the catalogue."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer


class Format(StrEnum):
    """Output formats."""

    TEXT = "text"
    JSON = "json"


FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="text for people, json for scripts.")]


def themes(
    fmt: FormatOpt = Format.TEXT,
    ideas: Annotated[bool, typer.Option("--ideas", help="List each theme's change ideas too.")] = False,
) -> None:
    """The eight review themes: what each looks like in care, and the practical fix."""
    from workbench.catalogue import load_catalogue

    cat = load_catalogue()
    if fmt == Format.JSON:
        out = []
        for t in cat.themes.values():
            item = t.model_dump(mode="json")
            item["change_ideas"] = [c.model_dump(mode="json") for c in cat.ideas_for(t.id)]
            item["measures"] = [m.id for m in cat.measures_for(t.id)]
            out.append(item)
        typer.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    for t in cat.themes.values():
        typer.echo(f"{t.name}  [{t.id}]")
        typer.echo(f"  Looks like: {t.looks_like}")
        typer.echo(f"  Practical fix: {t.practical_fix}")
        if ideas:
            for c in cat.ideas_for(t.id):
                typer.echo(f"    - {c.text}  [{c.id}]")
        typer.echo("")


def measures(
    fmt: FormatOpt = Format.TEXT,
    theme: Annotated[str | None, typer.Option(help="Only measures for this theme id.")] = None,
) -> None:
    """The measures library: definition, numerator, denominator, chart and direction."""
    from workbench.catalogue import load_catalogue
    from workbench.cli.common import refusals

    cat = load_catalogue()
    with refusals():
        items = cat.measures_for(cat.theme(theme).id) if theme else list(cat.measures.values())
    if fmt == Format.JSON:
        typer.echo(json.dumps([m.model_dump(mode="json") for m in items], indent=2,
                              ensure_ascii=False))
        return
    for m in items:
        typer.echo(f"{m.name}  [{m.id}]  {m.family.value}, {m.chart.value} chart, "
                   f"{m.improvement.value} is better, {m.frequency.value}")
        typer.echo(f"  {m.definition}")
        den = f" / {m.denominator}" if m.denominator else f" ({m.unit})"
        typer.echo(f"  Counts: {m.numerator}{den}")
        if m.balancing:
            typer.echo(f"  Balance with: {cat.measures[m.balancing].name} [{m.balancing}]")
        typer.echo("")


def register(app: typer.Typer) -> None:
    """Add the catalogue commands to *app*."""
    app.command("themes")(themes)
    app.command("measures")(measures)
