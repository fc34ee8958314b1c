"""``workbench table``: the summary table of every ward x measure, exceptions first."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from workbench.cli.common import DbOpt, TodayOpt, WorkspaceOpt, day, refusals
from workbench.cli.common import open_workspace as _ws


def register(app: typer.Typer) -> None:
    """Add the ``table`` command to *app*."""

    @app.command("table")
    def table_cmd(
        site: Annotated[str | None, typer.Option(help="Only this site.")] = None,
        variation: Annotated[str | None, typer.Option(
            help="Only concern, improvement, neutral or common.")] = None,
        assurance: Annotated[str | None, typer.Option(
            help="Only consistent_pass, consistent_fail, inconsistent or none.")] = None,
        out: Annotated[Path | None, typer.Option(
            "--out", help="Write the table to a .csv, .html, .svg or .png file.")] = None,
        today: TodayOpt = None,
        workspace: WorkspaceOpt = None,
        db: DbOpt = None,
    ) -> None:
        """Every ward's measures with variation, assurance, latest, mean, limits and target."""
        from workbench.services.summary_table import filter_table, summary_table, table_csv

        when = day(today)
        with refusals():
            table = filter_table(summary_table(_ws(workspace, db), today=when), site=site,
                                 variation=variation, assurance=assurance)
            if out is None:
                typer.echo(table_csv(table), nl=False)
                return
            suffix = out.suffix.lower()
            if suffix not in (".csv", ".html", ".htm", ".svg", ".png"):
                from workbench.domain.errors import WorkbenchError

                raise WorkbenchError(f"cannot write the table as '{out.suffix or 'no extension'}'"
                                     ": end the file name in .csv, .html, .svg or .png")
            if suffix == ".csv":
                out.write_text(table_csv(table), "utf-8")
            else:
                from workbench.charts.export import write_chart
                from workbench.charts.summary import summary_table_html, summary_table_spec

                if suffix in (".html", ".htm"):
                    out.write_text("<!doctype html><meta charset='utf-8'>"
                                   f"<title>Summary of measures</title>"
                                   f"{summary_table_html(table)}", "utf-8")
                else:
                    title = f"Summary of measures{' - ' + site if site else ''}, {when:%-d %b %Y}"
                    write_chart(summary_table_spec(table, title=title), out, title=title)
        if out is not None:
            typer.echo(f"{len(table)} row(s) written to {out}")
