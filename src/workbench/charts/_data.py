"""Turn SPC results into plain frames and JSON-safe records for Vega-Lite.

Only the contract columns of ``workbench.spc`` results are used, so a chart works with any
engine version that keeps the contract, and with hand-made frames in tests.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd

from workbench.charts.errors import ChartError

XKind = Literal["temporal", "quantitative", "ordinal"]

#: Columns a chart needs, and the optional ones it draws when present.
REQUIRED = ("x", "y")
LINE_COLUMNS = ("cl", "lcl", "ucl", "lcl_2s", "ucl_2s")
SUMMARY_COLUMNS = ("variation", "assurance", "warnings")


def points_of(result: object) -> pd.DataFrame:
    """The points table of a result (``.points``) or a points DataFrame itself.

    Raises
    ------
    ChartError
        When there is no points table or it lacks ``x`` or ``y``.
    """
    points = result if isinstance(result, pd.DataFrame) else getattr(result, "points", None)
    if not isinstance(points, pd.DataFrame):
        raise ChartError(
            "Cannot chart this: expected an SPC result from workbench.spc.analyse (with a "
            f".points table) or a points DataFrame, got {type(result).__name__}."
        )
    missing = [c for c in REQUIRED if c not in points.columns]
    if missing:
        raise ChartError(
            f"The points table has no {', '.join(missing)} column(s); it has "
            f"{', '.join(map(str, points.columns))}. Pass the result of workbench.spc.analyse."
        )
    return points


def summary_of(result: object, points: pd.DataFrame) -> dict[str, Any]:
    """The summary dict of a single-series result, or one derived from its points."""
    summary = getattr(result, "summary", None)
    if isinstance(summary, pd.DataFrame):
        if len(summary) != 1:
            raise ChartError(
                f"This result holds {len(summary)} series; spc_chart draws one. Use "
                "small_multiples(...) or icon_table(...), or filter to one series first."
            )
        summary = summary.iloc[0].to_dict()
    if isinstance(summary, Mapping):
        return dict(summary)
    return {"variation": last_point_type(points), "assurance": None, "warnings": []}


def last_point_type(points: pd.DataFrame) -> str | None:
    """The last plotted point's ``point_type`` (None when there is none or no such column)."""
    if "point_type" not in points.columns:
        return None
    valid = points[pd.to_numeric(points["y"], errors="coerce").notna()]
    if valid.empty:
        return None
    value = valid["point_type"].iloc[-1]
    return None if pd.isna(value) else str(value)


def signal_side(points: pd.DataFrame, variation: object, improvement: object = None) -> str | None:
    """``"high"`` or ``"low"``: which way a special cause variation points.

    Making Data Count draws improvement as ``H`` when higher is better and ``L`` when lower is
    better (concern the other way round), whatever side of the centre the last point lies on
    (a trend can cross it).  The engine's ``direction`` column of the last plotted point says
    it when present; else the direction comes from ``improvement`` (``"increase"`` or
    ``"decrease"``); else it is read from the special cause points of the last phase (are its
    improvement points mostly above or below the centre?).
    """
    kind = str(variation)
    if kind not in ("special_cause_improvement", "special_cause_concern"):
        return None
    if "direction" in points.columns:
        valid = points[pd.to_numeric(points["y"], errors="coerce").notna()]
        if not valid.empty and str(valid["direction"].iloc[-1]) in ("high", "low"):
            return str(valid["direction"].iloc[-1])
    better = str(getattr(improvement, "value", improvement) or "").lower()
    if better not in ("increase", "decrease"):
        better = _infer_direction(points) or ""
    if better not in ("increase", "decrease"):
        return None
    higher_is_better = better == "increase"
    is_improvement = kind == "special_cause_improvement"
    return "high" if higher_is_better == is_improvement else "low"


def _infer_direction(points: pd.DataFrame) -> str | None:
    if "cl" not in points.columns or "point_type" not in points.columns:
        return None
    frame = points
    if "phase" in points.columns and not points.empty:
        frame = points[points["phase"] == points["phase"].iloc[-1]]
    above = pd.to_numeric(frame["y"], errors="coerce") > pd.to_numeric(frame["cl"], errors="coerce")
    below = pd.to_numeric(frame["y"], errors="coerce") < pd.to_numeric(frame["cl"], errors="coerce")
    good = frame["point_type"] == "special_cause_improvement"
    bad = frame["point_type"] == "special_cause_concern"
    votes = int((good & above).sum() + (bad & below).sum()) - int(
        (good & below).sum() + (bad & above).sum()
    )
    if votes == 0:
        return None
    return "increase" if votes > 0 else "decrease"


_SHORT_PHASE = re.compile(r"^phase (\d+) has (\d+) points \(fewer than (\d+)\): "
                          r"treat its limits as provisional$")


def _plain_warning(text: str) -> str:
    """An engine warning in ward words ("phase 2 ... provisional" says what it means)."""
    short = _SHORT_PHASE.match(text.strip())
    if short is None:
        return f"{text[:1].upper()}{text[1:]}"
    phase, points, needed = (int(g) for g in short.groups())
    where = ("at the start of the chart" if phase == 1 else
             "since the change" if phase == 2 else f"since change {phase - 1}")
    count = f"{points} count{'s' if points != 1 else ''}"
    return (f"Only {count} {where}: the limits there are a first estimate until there are "
            f"{needed}.")


def warning_lines(warnings: object) -> list[str]:
    """The summary's warnings as plain sentences (empty when there are none)."""
    if warnings is None or isinstance(warnings, float):
        return []
    items = [warnings] if isinstance(warnings, str) else list(warnings)  # type: ignore[call-overload]
    return [_plain_warning(str(w)) for w in items if str(w).strip()]


def x_kind(values: pd.Series) -> XKind:
    """How to scale the x values: dates, numbers or ordered categories."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return "temporal"
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return "quantitative"
    return "ordinal"


def normalise_x(values: pd.Series) -> pd.Series:
    """Dates stay dates (time zones dropped to local wall time); ISO date strings become dates."""
    if pd.api.types.is_datetime64_any_dtype(values):
        if getattr(values.dt, "tz", None) is not None:
            return values.dt.tz_localize(None)
        return values
    if values.dtype == object or pd.api.types.is_string_dtype(values):
        try:
            return pd.to_datetime(values, format="ISO8601")
        except (ValueError, TypeError):
            return values
    return values


def plot_frame(points: pd.DataFrame, words: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The columns a chart reads, from the points, with missing ones filled.

    ``x``, ``y``, ``phase`` (default 1), the limit columns (default missing) and ``point_type``
    (default common cause); with *words* also ``point_words`` (the plain words of each type,
    common cause's for an unknown one).  The engine's other columns stay out of the chart's
    data.  Built in one go from arrays: a chart is drawn for every ward of a batch run.
    """
    size = len(points)
    cols: dict[str, Any] = {
        "x": normalise_x(points["x"]).to_numpy(),
        "y": pd.to_numeric(points["y"], errors="coerce").to_numpy(dtype=float, na_value=np.nan),
        "phase": points["phase"].to_numpy() if "phase" in points.columns else np.ones(size, int),
    }
    kinds = (points["point_type"].astype(object).to_numpy() if "point_type" in points.columns
             else np.full(size, None, dtype=object))
    missing = pd.isna(kinds)
    kinds = np.array(["common_cause" if gone else str(k) for k, gone in zip(kinds, missing, strict=True)],
                     dtype=object)
    cols["point_type"] = kinds
    if words is not None:
        other = words["common_cause"]
        cols["point_words"] = np.array([words.get(k, other) for k in kinds], dtype=object)
    for col in LINE_COLUMNS:
        cols[col] = (pd.to_numeric(points[col], errors="coerce")
                     .to_numpy(dtype=float, na_value=np.nan)
                     if col in points.columns else np.full(size, np.nan))
    return pd.DataFrame(cols)


def phase_starts(frame: pd.DataFrame, kind: XKind) -> pd.DataFrame:
    """One row per phase boundary: ``at`` (where the separator is drawn) and ``phase``.

    Dates and numbers put the separator half-way between the last point of one phase and the
    first of the next; ordered categories put it on the first point of the new phase.
    """
    phase = frame["phase"].astype(str).to_numpy()
    xs, phases = frame["x"], frame["phase"]
    rows = []
    for i in np.flatnonzero(phase[1:] != phase[:-1]) + 1:  # rows whose phase is new
        prev, cur = xs.iloc[i - 1], xs.iloc[i]
        at = prev + (cur - prev) / 2 if kind != "ordinal" else cur
        rows.append({"at": at, "phase": phases.iloc[i]})
    return pd.DataFrame(rows, columns=["at", "phase"])


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-safe records: dates as ISO strings, missing values as null, numbers rounded to 7
    decimal places (pandas' ``double_precision``; the charts show at most 4 significant digits
    of a rate or a count)."""
    zoned = [col for col, dtype in frame.dtypes.items() if isinstance(dtype, pd.DatetimeTZDtype)]
    out = frame.copy() if zoned else frame
    for col in zoned:
        out[col] = out[col].dt.tz_localize(None)
    text = out.to_json(orient="records", date_format="iso", date_unit="s", default_handler=str,
                       double_precision=7)
    loaded: list[dict[str, Any]] = json.loads(text)
    return loaded
