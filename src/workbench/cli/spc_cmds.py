"""``workbench spc``: run the SPC engine on a CSV file and print the points table."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from workbench.cli.common import refusals


class OutputFormat(StrEnum):
    """How the result is printed."""

    csv = "csv"
    json = "json"


_DAY_FIRST = "%d/%m/%Y"


def _locate(file: Path, workspace: Path | None) -> Path:
    """*file* as given, or inside *workspace* when it is relative and not found here."""
    if file.is_absolute() or file.exists() or workspace is None:
        return file
    inside = workspace / file
    return inside if inside.exists() else file


def _read(path: Path) -> Any:
    import pandas as pd

    from workbench.domain.errors import SPCInputError

    try:
        return pd.read_csv(path)
    except FileNotFoundError:
        raise SPCInputError(f"{path}: no such file; give the path of a CSV file") from None
    except IsADirectoryError:
        raise SPCInputError(f"{path}: is a folder; give the path of a CSV file") from None
    except pd.errors.EmptyDataError:
        raise SPCInputError(f"{path}: the file is empty; it needs a header row and data") \
            from None
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise SPCInputError(f"{path}: not a readable CSV file ({exc}); save it as UTF-8 CSV") \
            from None


def _date_format(values: Any) -> str | None:
    """The date format of a text column ("ISO8601" or day-first), or None if not dates."""
    import pandas as pd

    for fmt in ("ISO8601", _DAY_FIRST):
        try:
            pd.to_datetime(values, format=fmt)
        except (ValueError, TypeError):
            continue
        return fmt
    return None


def _parse_x(frame: Any, x: str, starts: list[str], exclude: list[str],
             ) -> tuple[Any, list[Any], list[Any]]:
    """Read the x column as dates when it looks like dates; convert the given x values alike."""
    import pandas as pd

    from workbench.domain.errors import SPCInputError

    if x not in frame.columns:
        return frame, list(starts), list(exclude)
    col = frame[x]
    if not (col.dtype == object or pd.api.types.is_string_dtype(col.dtype)):
        return frame, list(starts), list(exclude)
    fmt = _date_format(col.dropna())
    if fmt is None or col.dropna().empty:
        return frame, list(starts), list(exclude)
    frame = frame.assign(**{x: pd.to_datetime(col, format=fmt)})
    converted = []
    for label, values in (("--phase-start", starts), ("--exclude", exclude)):
        try:
            converted.append(list(pd.to_datetime(pd.Series(values, dtype=object), format=fmt)))
        except (ValueError, TypeError):
            raise SPCInputError(
                f"{label} {', '.join(values)}: not a date like the x column '{x}' "
                f"(expected {'YYYY-MM-DD' if fmt == 'ISO8601' else 'DD/MM/YYYY'})") from None
    return frame, converted[0], converted[1]


def _records(table: Any) -> list[dict[str, Any]]:
    """Rows as plain dicts: full-precision floats, None for missing, dates as ISO text."""
    import pandas as pd

    out = table.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col].dtype):
            stamps = out[col]
            midnight = stamps.isna() | (stamps == stamps.dt.normalize())
            fmt = "%Y-%m-%d" if bool(midnight.all()) else "%Y-%m-%dT%H:%M:%S"
            out[col] = stamps.dt.strftime(fmt)
    obj = out.astype(object).where(out.notna(), None)
    records: list[dict[str, Any]] = obj.to_dict(orient="records")
    return records


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return str(value)


def _at_grain(frame: Any, grain: str, chart: str, x: str, y: str, n: str) -> tuple[Any, str]:
    """The rows summed to *grain* (exactly, as the workbench's charts do) and the caption."""
    from workbench.domain.errors import SPCInputError
    from workbench.spc.grain import aggregate, caption, check_grain, partial_words

    chosen = check_grain(grain)
    if x not in frame.columns or not hasattr(frame[x], "dt"):
        raise SPCInputError(f"--grain needs dates in the x column '{x}'")
    out = aggregate(frame, chosen, chart=chart, x=x, y=y, n=n)
    return out, caption(chosen, chart, partial=partial_words(out, chosen, x=x))


def _draw(result: Any, path: Path, title: str, words: str | None, label_limits: bool,
          target: float | None) -> None:
    """The Making Data Count chart of *result*, written offline to *path*."""
    from workbench.charts import spc_spec
    from workbench.charts.export import chart_bytes

    spec = spc_spec(result, title=title, subtitle=[], caption=words, label_limits=label_limits,
                    target=target, y_format=".0%" if result.chart in ("p", "pp") else None)
    spec = {**spec, "config": {"view": {"stroke": None}}}
    data = chart_bytes(spec, path.suffix, title=title)
    try:
        path.write_bytes(data)
    except OSError as exc:
        from workbench.charts.errors import ChartError

        raise ChartError(f"{path}: cannot write the chart ({exc.strerror}); check the folder "
                         "exists and is writable") from None


def register(app: typer.Typer) -> None:
    """Add the ``spc`` command to *app*."""

    @app.command("spc")
    def spc(
        file: Annotated[Path, typer.Argument(help="CSV file, one row per point.")],
        chart: Annotated[str, typer.Option(
            "--chart", help="run, i (xmr), mr, p, u, c, pp, up, g or t.")],
        profile: Annotated[str, typer.Option(
            help="mdc (Making Data Count) or anhoej (qicharts2 conventions).")] = "mdc",
        x: Annotated[str, typer.Option("--x", help="Column of x values.")] = "date",
        y: Annotated[str, typer.Option("--y", help="Column of values (numerators).")] = "value",
        n: Annotated[str, typer.Option(
            "--n", help="Column of denominators (p, u, pp, up only).")] = "denominator",
        improvement: Annotated[str, typer.Option(
            help="increase, decrease or neutral.")] = "increase",
        phase_start: Annotated[list[str] | None, typer.Option(
            "--phase-start", help="x value where a new phase begins (repeatable).")] = None,
        freeze: Annotated[int | None, typer.Option(
            help="Leading points of each phase that set centre and limits.")] = None,
        exclude: Annotated[list[str] | None, typer.Option(
            "--exclude", help="x value left out of centre, limits and runs (repeatable).")] = None,
        target: Annotated[float | None, typer.Option(help="Target, for assurance.")] = None,
        screen: Annotated[bool, typer.Option(
            "--screen/--no-screen", help="Moving-range screening.")] = True,
        two_of_three_beyond_limits: Annotated[bool, typer.Option(
            "--two-of-three-beyond-limits/--nhsr-0-2-2",
            help="Count points beyond the limits in two-of-three (MDC 2023) or not (0.2.2).",
        )] = True,
        output: Annotated[OutputFormat, typer.Option(
            "--format", help="csv (points table) or json (points, phases, summary).",
        )] = OutputFormat.csv,
        workspace: Annotated[Path | None, typer.Option(
            "--workspace", "-w", envvar="WORKBENCH_HOME",
            help="A relative FILE not found here is looked for in this workspace folder.")] = None,
        grain: Annotated[str | None, typer.Option(
            help="Sum daily rows into weekly (Mon-Sun) or monthly points first.")] = None,
        chart_out: Annotated[Path | None, typer.Option(
            "--chart-out", help="Also draw the chart to this .svg, .png or .html file "
                                "(offline).")] = None,
        title: Annotated[str | None, typer.Option(help="Chart title (default: the file's "
                                                       "name).")] = None,
        label_limits: Annotated[bool, typer.Option(
            "--label-limits/--no-label-limits", help="Write centre and limits on the chart.")
        ] = True,
    ) -> None:
        """Run the SPC engine on a CSV file and print the points table."""
        with refusals():
            from workbench.spc import analyse

            frame = _read(_locate(file, workspace))
            frame, starts, excl = _parse_x(frame, x, phase_start or [], exclude or [])
            words = None
            if grain is not None:
                frame, words = _at_grain(frame, grain, chart, x, y, n)
            result = analyse(frame, chart=chart, profile=profile, x=x, y=y, n=n,
                             improvement=improvement, phase_starts=starts or None,
                             freeze=freeze, exclude=excl or None, target=target,
                             screen_outliers=screen,
                             two_of_three_beyond_limits=two_of_three_beyond_limits)
            if chart_out is not None:
                _draw(result, chart_out, title or file.stem.replace("_", " "), words,
                      label_limits, target)
                typer.echo(f"Chart written to {chart_out}", err=True)
            if output is OutputFormat.csv:
                result.points.to_csv(sys.stdout, index=False, lineterminator="\n")
                return
            doc = {"points": _records(result.points), "phases": _records(result.phases),
                   "summary": result.summary}
            typer.echo(json.dumps(doc, indent=1, default=_plain))
