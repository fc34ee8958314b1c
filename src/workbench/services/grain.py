"""The grain a ward's measure is charted at, and its counts at that grain: one answer for all.

Charts, verdicts, briefs and exports call :func:`series_at_grain` so the same measure is
summed the same way everywhere.  The grain is the one set for the ward x measure in
``pdsa/measures.yaml`` (``workbench grain set``), else the rule of
:func:`workbench.spc.grain.choose_grain` (``docs/charts.md``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from workbench.catalogue import load_catalogue
from workbench.domain.catalogue import Measure
from workbench.domain.settings import MeasureSettings
from workbench.services.targets import grain_override
from workbench.spc.grain import Grain, aggregate, caption, choose_grain, partial_words
from workbench.store.settings import load_settings
from workbench.store.workspace import Workspace


@dataclass(frozen=True)
class SeriesGrain:
    """The grain of one ward x measure and the words that go with it.

    Attributes
    ----------
    grain : {"daily", "weekly", "monthly"}
    chosen_by : {"rule", "set"}
        ``set`` when a person chose it for this ward (``workbench grain set``).
    reason : str
        Why (the rule's sentence, or "set for this ward").
    caption : str
        What every chart prints: "weekly totals, Mon–Sun" (and a partial last period).
    """

    grain: Grain
    chosen_by: str
    reason: str
    caption: str


def _measure(measure: str | Measure) -> Measure:
    return measure if isinstance(measure, Measure) else load_catalogue().measure(measure)


def grain_of(settings: MeasureSettings, ward: str, measure: Measure,
             frame: pd.DataFrame) -> tuple[Grain, str, str]:
    """``(grain, chosen_by, reason)`` for *ward* x *measure* given its daily counts."""
    chart = measure.chart.value
    override = grain_override(settings, ward, measure.id)
    if override is not None and not (chart in ("g", "t") and override != "daily"):
        return override, "set", "set for this ward"
    choice = choose_grain(frame, chart=chart, frequency=measure.frequency.value)
    return choice.grain, "rule", choice.reason


def series_at_grain(ws: Workspace, ward: str, measure: str | Measure, frame: pd.DataFrame, *,
                    end: dt.date | None = None,
                    settings: MeasureSettings | None = None) -> tuple[pd.DataFrame, SeriesGrain]:
    """A ward's measure at its grain: ``(frame, grain)``.

    Parameters
    ----------
    ws : Workspace
    ward : str
    measure : str or Measure
    frame : DataFrame
        The daily counts as stored: ``date, value, denominator``.
    end : date, optional
        The last day the data covers (today, or an as-of date); a period running past it is
        partial.  Default: the last date counted.
    settings : MeasureSettings, optional
        Already-read settings (saves reading the file again for each measure).

    Returns
    -------
    (DataFrame, SeriesGrain)
        ``date`` (the first day of each period), ``value``, ``denominator``, ``period_end``,
        ``days`` and ``partial``, in date order; and the grain with its caption.
    """
    m = _measure(measure)
    settings = load_settings(ws) if settings is None else settings
    grain, by, reason = grain_of(settings, ward, m, frame)
    cols = [c for c in ("date", "value", "denominator") if c in frame.columns]
    out = aggregate(frame[cols], grain, chart=m.chart.value, end=end)
    words = caption(grain, m.chart.value, partial=partial_words(out, grain, x="date"))
    return out, SeriesGrain(grain, by, reason, words)


def grain_table(ws: Workspace, ward: str) -> list[dict[str, str]]:
    """Each of *ward*'s measures with its grain, who chose it, why, and the caption."""
    from workbench.services.observations import long_frame
    from workbench.services.wards import get_ward

    w = get_ward(ws, ward)
    settings = load_settings(ws)
    frame = long_frame(ws, wards=[ward])
    rows = []
    for mid in w.measures:
        m = _measure(mid)
        data = frame[frame["measure"] == mid]
        _, g = series_at_grain(ws, ward, m, data, settings=settings)
        rows.append({"measure": mid, "measure_name": m.name, "grain": g.grain,
                     "chosen_by": g.chosen_by, "reason": g.reason, "caption": g.caption})
    return rows
