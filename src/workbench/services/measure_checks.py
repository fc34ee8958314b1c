"""One measure on its SPC chart: the phase split at a change, and what happened since it.

The common piece of the cycle check (:mod:`workbench.services.checks`), the board's views
(:mod:`workbench.services.views`) and the judgement (:mod:`workbench.services.judgement`); it
reads nothing but the frame it is given, so all three can import it without importing each
other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from workbench.domain.catalogue import Measure
from workbench.spc import SPCResult, analyse


@dataclass(frozen=True)
class MeasureCheck:
    """One measure of a cycle or ward on an SPC chart.

    Attributes
    ----------
    measure : Measure
        The catalogue entry (name, definition, chart, direction).
    data : DataFrame
        ``date, value, denominator`` as stored.
    result : SPCResult or None
        The chart's analysis (phase split at the change date); None without data.
    change_date : date or None
        Where the phase splits.
    points_after : int
        Observations since the change.
    signal_after : str or None
        ``up``, ``down``, ``both`` or ``none``: special cause since the change against the
        baseline limits; None when it was not asked for (``measure_check(..., judge=False)``,
        as ward summaries do).
    """

    measure: Measure
    data: pd.DataFrame
    result: SPCResult | None
    change_date: dt.date | None
    points_after: int = 0
    signal_after: str | None = "none"

    @property
    def variation(self) -> str | None:
        """The last point's type (Making Data Count variation icon)."""
        return None if self.result is None else self.result.summary.get("variation")

    @property
    def assurance(self) -> str | None:
        """Assurance against a target, when there is one."""
        return None if self.result is None else self.result.summary.get("assurance")


def _signal_after(data: pd.DataFrame, measure: Measure, change: pd.Timestamp) -> tuple[int, str]:
    before = int((data["date"] < change).sum())
    after = int(len(data) - before)
    if before < 2 or after == 0:
        return after, "none"
    frozen = analyse(data, chart=measure.chart.value, x="date", y="value", n="denominator",
                     improvement="neutral", freeze=before)
    late = frozen.points[data["date"].to_numpy() >= change.to_datetime64()]
    types = set(late["point_type"].astype(str))
    up = "special_cause_neutral_high" in types
    down = "special_cause_neutral_low" in types
    return after, "both" if up and down else "up" if up else "down" if down else "none"


def measure_check(measure: Measure, data: pd.DataFrame, change: dt.date | None,
                  target: float | None = None, *, judge: bool = True) -> MeasureCheck:
    """Analyse one measure's data, splitting the phase at *change* when data lies both sides.

    With *judge* (the default) the points since the change are also tested against the limits
    set before it (a second analysis, with the baseline frozen): what a prediction's verdict
    needs.  A ward summary only draws the chart and leaves ``signal_after`` None.
    """
    if data.empty:
        return MeasureCheck(measure, data, None, change)
    ts = pd.Timestamp(change) if change else None
    split = ts is not None and (data["date"] < ts).any() and (data["date"] >= ts).any()
    starts = [data.loc[data["date"] >= ts, "date"].iloc[0]] if split and ts is not None else None
    result = analyse(data, chart=measure.chart.value, x="date", y="value", n="denominator",
                     improvement=measure.improvement.value, phase_starts=starts, target=target)
    if not (split and ts is not None):
        return MeasureCheck(measure, data, result, change, 0, "none" if judge else None)
    if not judge:
        after = int((data["date"] >= ts).sum())
        return MeasureCheck(measure, data, result, change, after, None)
    after, signal = _signal_after(data, measure, ts)
    return MeasureCheck(measure, data, result, change, after, signal)



__all__ = ["MeasureCheck", "measure_check"]
