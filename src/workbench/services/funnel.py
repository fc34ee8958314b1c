"""Which wards stand out on one measure? A funnel plot across wards over a period.

Each ward's counts over the period are totalled (numerator and denominator), the all-ward
value is the centre, and the limits narrow as a ward's denominator grows (see
:mod:`workbench.spc.funnel`).  Only proportion (p chart) and rate (u chart) measures can be
compared this way.  Every surface (page, notebook, CLI) reads :func:`ward_funnel` and words the
wards outside the limits with :func:`outside_table`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from workbench.catalogue import load_catalogue
from workbench.domain.catalogue import ChartType, Measure
from workbench.domain.errors import WorkbenchError
from workbench.spc.funnel import ADJUSTMENTS, FunnelResult, funnel
from workbench.store.workspace import Workspace

__all__ = ["ADJUSTMENTS", "ADJUST_WORDS", "WardFunnel", "funnel_measures", "outside_table",
           "ward_funnel"]

PROPORTION_CHARTS = (ChartType.P, ChartType.PP)
RATE_CHARTS = (ChartType.U, ChartType.UP)

ADJUST_WORDS = {
    "none": "no allowance for extra variation between wards",
    "multiplicative": "widened by the extra variation between wards (phi)",
    "additive": "widened by a between-ward spread (tau squared)",
}

WHERE_WORDS = {
    "above 99.8%": "above the 99.8% limit: higher than chance alone would explain",
    "below 99.8%": "below the 99.8% limit: lower than chance alone would explain",
    "above 95%": "above the 95% limit only: worth a look, may still be chance",
    "below 95%": "below the 95% limit only: worth a look, may still be chance",
}


@dataclass(frozen=True)
class WardFunnel:
    """A funnel plot of one measure across wards.

    Attributes
    ----------
    measure : Measure
    start, end : date
        The period totalled (both days included).
    result : FunnelResult
        ``result.groups["group"]`` holds the ward names; ``ward_ids`` maps them back.
    ward_ids : dict
        Ward name -> ward id.
    """

    measure: Measure
    start: dt.date
    end: dt.date
    result: FunnelResult
    ward_ids: dict[str, str]

    @property
    def kind(self) -> str:
        """``proportion`` or ``rate``."""
        return self.result.kind

    def period_text(self) -> str:
        """The period in plain words (``1 Sep 2026 to 22 Nov 2026``)."""
        return f"{self.start.day} {self.start:%b %Y} to {self.end.day} {self.end:%b %Y}"


def funnel_kind(measure: Measure) -> str:
    """``proportion`` or ``rate`` for a measure that a funnel plot can show.

    Raises
    ------
    WorkbenchError
        The measure is a count, time or score (no denominator to compare wards fairly).
    """
    if measure.chart in PROPORTION_CHARTS:
        return "proportion"
    if measure.chart in RATE_CHARTS:
        return "rate"
    raise WorkbenchError(f"'{measure.name}' is not a proportion or a rate, so wards cannot be "
                         "compared on a funnel plot; pick a measure counted out of a "
                         "denominator (see `workbench measures`).")


def funnel_measures() -> list[Measure]:
    """Catalogue measures a funnel plot can show (proportions and rates), in catalogue order."""
    return [m for m in load_catalogue().measures.values()
            if m.chart in PROPORTION_CHARTS + RATE_CHARTS]


def ward_funnel(ws: Workspace, measure_id: str, *, as_of: dt.date | None = None,
                start: dt.date | None = None, weeks: int = 12, adjust: str = "none",
                wards: list[str] | None = None) -> WardFunnel:
    """Total each ward's counts for one measure over a period and compare them on a funnel.

    Parameters
    ----------
    ws : Workspace
    measure_id : str
        A proportion or rate measure.
    as_of : date, optional
        Last day of the period (default: the last day with a stored count of the measure).
        Nothing after it is read.
    start : date, optional
        First day of the period (default: *weeks* weeks before *as_of*, plus a day).
    weeks : int
        Length of the default period.
    adjust : {"none", "multiplicative", "additive"}
        Overdispersion adjustment of the limits.
    wards : list of str, optional
        Ward ids to compare (default: every ward with counts in the period).

    Returns
    -------
    WardFunnel

    Raises
    ------
    WorkbenchError
        Unknown measure or ward; a measure that is not a proportion or rate; fewer than two
        wards with counts in the period; a period that ends before it starts.
    """
    from workbench.services.observations import long_frame
    from workbench.services.wards import list_wards

    measure = load_catalogue().measure(measure_id)
    kind = funnel_kind(measure)
    if adjust not in ADJUSTMENTS:
        raise WorkbenchError(f"adjustment '{adjust}' is not known; use one of "
                             f"{', '.join(ADJUSTMENTS)}")
    if weeks < 1:
        raise WorkbenchError("the period must be at least one week long")
    end = as_of
    if end is None:
        frame = long_frame(ws, wards=wards, measures=[measure_id])
        if frame.empty:
            raise WorkbenchError(f"no counts are stored for '{measure.name}' yet, so there is "
                                 "nothing to compare.")
        end = pd.Timestamp(frame["date"].max()).date()
    first = start or end - dt.timedelta(weeks=weeks) + dt.timedelta(days=1)
    if first > end:
        raise WorkbenchError(f"the period starts ({first.isoformat()}) after it ends "
                             f"({end.isoformat()}); give a start on or before the end")
    frame = long_frame(ws, wards=wards, measures=[measure_id], start=first, end=end)
    totals = frame.groupby("ward", sort=True)[["value", "denominator"]].sum()
    totals = totals[totals["denominator"] > 0]
    if len(totals) < 2:
        raise WorkbenchError(f"'{measure.name}' has counts from {len(totals)} ward(s) between "
                             f"{first.isoformat()} and {end.isoformat()}; a funnel plot needs at "
                             "least two wards.")
    names = {w.id: w.name for w in list_wards(ws)}
    labels = [names.get(w, w) for w in totals.index]
    data = pd.DataFrame({"group": labels, "numerator": totals["value"].to_numpy(),
                         "denominator": totals["denominator"].to_numpy()})
    result = funnel(data, kind=kind, adjust=adjust)
    return WardFunnel(measure, first, end, result,
                      dict(zip(labels, totals.index.astype(str), strict=True)))


def outside_table(f: WardFunnel) -> pd.DataFrame:
    """The wards outside the limits, in plain words, furthest out first.

    Returns
    -------
    DataFrame
        ``ward, ward_id, value, denominator, where`` (``value`` as a percentage for a
        proportion, per unit of the denominator for a rate); empty when every ward is inside.
    """
    g = f.result.groups
    out = g[g["outside"] != ""].copy()
    out = out.reindex(out["z"].abs().sort_values(ascending=False).index)
    scale = 100.0 if f.kind == "proportion" else 1.0
    return pd.DataFrame({"ward": out["group"].to_numpy(),
                         "ward_id": [f.ward_ids[x] for x in out["group"]],
                         "value": (out["value"] * scale).round(2).to_numpy(),
                         "denominator": out["denominator"].to_numpy(),
                         "where": [WHERE_WORDS[x] for x in out["outside"]]},
                        columns=["ward", "ward_id", "value", "denominator", "where"])
