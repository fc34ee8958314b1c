"""``workbench themes`` and ``workbench measures``: the catalogue."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from workbench.cli.common import WorkspaceOpt


class Format(StrEnum):
    """Output formats."""

    TEXT = "text"
    JSON = "json"


FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="text for people, json for scripts.")]


def themes(
    fmt: FormatOpt = Format.TEXT,
    ideas: Annotated[bool, typer.Option("--ideas", help="List each theme's change ideas too.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """The eight review themes: what each looks like in care, and the practical fix."""
    from workbench.catalogue import load_catalogue

    cat = load_catalogue()
    use = _usage(workspace)
    if fmt == Format.JSON:
        out = []
        for t in cat.themes.values():
            item = t.model_dump(mode="json")
            item["change_ideas"] = [c.model_dump(mode="json") for c in cat.ideas_for(t.id)]
            item["measures"] = [m.id for m in cat.measures_for(t.id)]
            item["cycles_in_workspace"] = use["themes"].get(t.id, [])
            out.append(item)
        typer.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    for t in cat.themes.values():
        typer.echo(f"{t.name}  [{t.id}]")
        typer.echo(f"  Looks like: {t.looks_like}")
        typer.echo(f"  Practical fix: {t.practical_fix}")
        if use["themes"].get(t.id):
            typer.echo(f"  Cycles here: {', '.join(use['themes'][t.id])}")
        if ideas:
            for c in cat.ideas_for(t.id):
                typer.echo(f"    - {c.text}  [{c.id}]")
        typer.echo("")


def measures(
    fmt: FormatOpt = Format.TEXT,
    theme: Annotated[str | None, typer.Option(help="Only measures for this theme id.")] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """The measures library: definition, numerator, denominator, chart and direction."""
    from workbench.catalogue import load_catalogue
    from workbench.cli.common import refusals

    cat = load_catalogue()
    use = _usage(workspace)
    with refusals():
        items = cat.measures_for(cat.theme(theme).id) if theme else list(cat.measures.values())
    if fmt == Format.JSON:
        typer.echo(json.dumps([{**m.model_dump(mode="json"),
                                "wards_in_workspace": use["measures"].get(m.id, [])}
                               for m in items], indent=2, ensure_ascii=False))
        return
    for m in items:
        typer.echo(f"{m.name}  [{m.id}]  {m.family.value}, {m.chart.value} chart, "
                   f"{m.improvement.value} is better, {m.frequency.value}")
        typer.echo(f"  {m.definition}")
        den = f" / {m.denominator}" if m.denominator else f" ({m.unit})"
        typer.echo(f"  Counts: {m.numerator}{den}")
        if m.balancing:
            typer.echo(f"  Balance with: {cat.measures[m.balancing].name} [{m.balancing}]")
        if use["measures"].get(m.id):
            typer.echo(f"  Tracked here by: {', '.join(use['measures'][m.id])}")
        typer.echo("")


def _usage(workspace: Path | None) -> dict[str, dict[str, list[str]]]:
    """Which cycles use each theme and which wards track each measure, in the workspace."""
    from workbench.cli.common import refusals
    from workbench.services.cycles import list_cycles
    from workbench.services.wards import list_wards
    from workbench.store.workspace import resolve_workspace

    themes: dict[str, list[str]] = {}
    measures: dict[str, list[str]] = {}
    with refusals():
        ws = resolve_workspace(workspace)
        for c in list_cycles(ws):
            themes.setdefault(c.theme, []).append(c.id)
        for w in list_wards(ws):
            for m in w.measures:
                measures.setdefault(m, []).append(w.id)
    return {"themes": themes, "measures": measures}


def register(app: typer.Typer) -> None:
    """Add the catalogue commands to *app*."""
    app.command("themes")(themes)
    app.command("measures")(measures)
