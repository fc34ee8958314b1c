"""The summary table: every ward x measure on one row, exceptions first.

Variation and assurance (Making Data Count), the latest value, mean, limits, target and "data
up to", each measure at its grain (:mod:`workbench.spc.grain`, with the overrides and targets
of ``pdsa/measures.yaml``), so the table, the board and the charts agree.  Built vectorised:
one read of the store, one SPC run per measure and change date (not per series), so 40 wards x
6 measures x 2 years is a fraction of a second (``benchmarks/bench_summary_table.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from workbench.catalogue import load_catalogue
from workbench.domain.records import CycleStatus
from workbench.domain.settings import MeasureSettings
from workbench.services.cycles import list_cycles
from workbench.services.freshness import freshness
from workbench.services.targets import target_on
from workbench.services.wards import list_wards
from workbench.spc import analyse_many
from workbench.spc.assurance import assurance_of
from workbench.spc.grain import aggregate_many, caption, choose_grains, period_start
from workbench.store.settings import load_settings
from workbench.store.workspace import Workspace

COLUMNS = ("site", "ward", "ward_name", "measure", "measure_name", "improvement", "chart",
           "grain", "caption", "variation", "assurance", "latest", "latest_period", "mean",
           "lcl", "ucl", "target", "data_up_to", "stale", "stale_words", "exception",
           "exception_words")

EXCEPTIONS = (
    ("special_cause_concern", "Getting worse"),
    ("consistent_fail", "Will miss the target"),
    ("stale", "Counts out of date"),
    ("special_cause_improvement", "Getting better"),
    ("special_cause_neutral", "Unusual change"),
    ("inconsistent", "Might miss the target"),
    ("none", ""),
)
"""Order of the rows: the exception each row shows first, most urgent first."""

VARIATION_FILTERS = {"concern": ("special_cause_concern",),
                     "improvement": ("special_cause_improvement",),
                     "neutral": ("special_cause_neutral_high", "special_cause_neutral_low"),
                     "common": ("common_cause",)}
"""Words a filter takes for variation, and the point types each covers."""


def _change_dates(ws: Workspace, today: dt.date) -> dict[tuple[str, str], dt.date]:
    """Where each ward x measure's chart splits: its last change started by *today*."""
    out: dict[tuple[str, str], dt.date] = {}
    for c in list_cycles(ws):  # oldest start first: later changes win
        if c.status == CycleStatus.PLANNED or c.change_date > today:
            continue
        for m in c.measures:
            out[(c.ward, m)] = c.change_date
    return out


def _exception(variation: object, assurance: object, stale: bool) -> int:
    v, a = str(variation), str(assurance)
    if v == "special_cause_concern":
        return 0
    if a == "consistent_fail":
        return 1
    if stale:
        return 2
    if v == "special_cause_improvement":
        return 3
    if v.startswith("special_cause_neutral"):
        return 4
    if a == "inconsistent":
        return 5
    return 6


def summary_table(ws: Workspace, *, today: dt.date | None = None,
                  wards: Sequence[str] | None = None) -> pd.DataFrame:
    """Every ward x measure with its icons, numbers and freshness, exceptions first.

    Parameters
    ----------
    ws : Workspace
    today : date, optional
        The day the table is read for (targets in force, freshness); default today.
    wards : sequence of str, optional
        Only these wards (default all).

    Returns
    -------
    DataFrame
        The :data:`COLUMNS`: ``latest`` is the last point at the measure's grain (a proportion
        for p charts), ``latest_period`` its first day, ``mean``/``lcl``/``ucl`` the current
        phase's centre and the last point's limits, ``target`` the target in force today,
        ``data_up_to`` the last day counted, ``exception`` the rank that orders the rows
        (:data:`EXCEPTIONS`) and ``exception_words`` its words.
    """
    from workbench.services.observations import long_frame

    day = today or dt.date.today()
    cat = load_catalogue()
    all_wards = [w for w in list_wards(ws) if wards is None or w.id in wards]
    pairs = pd.DataFrame([(w.site, w.id, w.name, m) for w in all_wards for m in w.measures
                          if m in cat.measures], columns=["site", "ward", "ward_name", "measure"])
    if pairs.empty:
        return pd.DataFrame(columns=list(COLUMNS))
    frame = long_frame(ws, wards=[w.id for w in all_wards], end=day)
    frame = frame[frame["measure"].isin(list(cat.measures))]
    # categories: every group-by below factorises two small sets instead of 100,000s of strings
    frame = frame.assign(ward=frame["ward"].astype("category"),
                         measure=frame["measure"].astype("category"))
    settings = load_settings(ws)
    changes = _change_dates(ws, day)
    by = ["ward", "measure"]
    charts = {k: m.chart.value for k, m in cat.measures.items()}
    kind = frame["measure"].map(charts).astype(str)
    often = frame["measure"].map({k: m.frequency.value for k, m in cat.measures.items()}) \
        .astype(str)
    grain_parts = [choose_grains(g, by, chart=str(c), frequency=str(f))
                   for (c, f), g in frame.groupby([kind, often], sort=False, observed=True)]
    grains = pd.concat(grain_parts, ignore_index=True) if grain_parts else \
        pd.DataFrame(columns=[*by, "grain", "reason", "typical"])
    for i, (ward, mid) in enumerate(zip(grains["ward"], grains["measure"], strict=True)):
        entry = settings.find(str(ward), str(mid))
        if entry is not None and entry.grain is not None and \
                cat.measures[str(mid)].chart.value not in ("g", "t"):
            grains.loc[i, ["grain", "reason"]] = [entry.grain, "set for this ward"]
    parts = []
    for chart, group in frame.groupby(kind, sort=False, observed=True):
        periods = aggregate_many(group, by, grains, chart=str(chart), end=day)
        periods = periods[periods["ward"].notna()]
        pairs_here = periods[by].drop_duplicates()
        pairs_here = pairs_here.assign(__change=pd.to_datetime(pd.Series(
            [changes.get((str(w), str(m))) for w, m in
             zip(pairs_here["ward"], pairs_here["measure"], strict=True)],
            index=pairs_here.index, dtype=object)))
        starts = periods[by].merge(pairs_here, on=by, how="left")["__change"]
        starts.index = periods.index
        # at a weekly or monthly grain the phase starts with the period holding the change
        for g in ("weekly", "monthly"):
            sel = (periods["grain"] == g) & starts.notna()
            if sel.any():
                starts[sel] = period_start(starts[sel], g)
        better = periods["measure"].map({k: m.improvement.value for k, m in
                                         cat.measures.items()}).astype(str)
        keys = [better, starts.fillna(pd.Timestamp(0))]
        for (improvement, change), sub in periods.groupby(keys, sort=False, observed=True):
            after = sub["date"][sub["date"] >= change]
            # the first period on or after the change, as measure_check splits a single series
            phase = None if change == pd.Timestamp(0) or after.empty else [after.min()]
            result = analyse_many(sub, by=by, chart=str(chart), x="date", y="value",
                                  n="denominator", improvement=str(improvement),
                                  phase_starts=phase)
            points = result.points
            last = points[["ward", "measure", "x", "y"]][points["y"].notna()] \
                .drop_duplicates(["ward", "measure"], keep="last")
            parts.append(result.summary[["ward", "measure", "variation", "cl", "lcl", "ucl"]]
                         .merge(last, on=["ward", "measure"], how="left"))
    rows = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["ward", "measure", "variation", "cl", "lcl", "ucl", "x", "y"])
    rows = _finish(rows, grains, settings, day)
    table = pairs.merge(rows, on=["ward", "measure"], how="left")
    counted = frame.groupby(["ward", "measure"], sort=False, observed=True)["date"].max()
    table["data_up_to"] = [_date(counted.get((w, m))) for w, m in
                           zip(table["ward"], table["measure"], strict=True)]
    table["measure_name"] = table["measure"].map(lambda x: cat.measures[x].name)
    table["improvement"] = table["measure"].map(lambda x: cat.measures[x].improvement.value)
    table["chart"] = table["measure"].map(lambda x: cat.measures[x].chart.value)
    for col in ("variation", "assurance", "grain", "caption", "latest_period", "data_up_to",
                "target", "latest", "mean", "lcl", "ucl"):
        if col not in table.columns:
            table[col] = None
    fresh = [freshness(d if isinstance(d, dt.date) else None,
                       _expected(cat.measures[mid], g), day)
             for d, mid, g in zip(table["data_up_to"], table["measure"],
                                  table["grain"].fillna("daily"), strict=True)]
    table["stale"] = [f.stale for f in fresh]
    table["stale_words"] = [f.words for f in fresh]
    table["exception"] = [_exception(v, a, s) for v, a, s in
                          zip(table["variation"], table["assurance"], table["stale"], strict=True)]
    table["exception_words"] = table["exception"].map(lambda i: EXCEPTIONS[i][1])
    table = table.sort_values(["exception", "site", "ward_name", "measure_name"], kind="stable")
    return table[list(COLUMNS)].reset_index(drop=True)


def _expected(measure: object, grain: str) -> str:
    from workbench.services.views import expected_every

    return expected_every(measure, grain)  # type: ignore[arg-type]


def _finish(rows: pd.DataFrame, grains: pd.DataFrame, settings: MeasureSettings,
            day: dt.date) -> pd.DataFrame:
    """Grain, target and assurance for every ward x measure row of the SPC summaries."""
    cat = load_catalogue()
    rows = rows.merge(grains[["ward", "measure", "grain"]], on=["ward", "measure"], how="left")
    rows["grain"] = rows["grain"].fillna("daily")
    targets = [target_on(settings, str(w), str(m), day)
               for w, m in zip(rows["ward"], rows["measure"], strict=True)]
    rows["target"] = np.array([np.nan if t is None else t.value for t in targets], dtype=float)
    better = rows["measure"].map(lambda x: cat.measures[x].improvement.value).to_numpy()
    rows["assurance"] = None
    for direction in ("increase", "decrease"):
        sel = better == direction
        if sel.any():
            rows.loc[sel, "assurance"] = assurance_of(
                rows.loc[sel, "target"].to_numpy(dtype=float),
                rows.loc[sel, "lcl"].to_numpy(dtype=float),
                rows.loc[sel, "ucl"].to_numpy(dtype=float), direction)
    rows["caption"] = [caption(g, cat.measures[m].chart.value)
                       for g, m in zip(rows["grain"], rows["measure"], strict=True)]
    rows["latest_period"] = [_date(v) for v in rows["x"]]
    return rows.rename(columns={"y": "latest", "cl": "mean"}).drop(columns=["x"])


def _date(value: object) -> dt.date | None:
    if value is None or (isinstance(value, float) and np.isnan(value)) or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def filter_table(table: pd.DataFrame, *, site: str | None = None, variation: str | None = None,
                 assurance: str | None = None) -> pd.DataFrame:
    """The rows of one site, one kind of variation (:data:`VARIATION_FILTERS`) and/or one
    assurance (``consistent_pass``, ``consistent_fail``, ``inconsistent`` or ``none``)."""
    keep = pd.Series(True, index=table.index)
    if site:
        keep &= table["site"] == site
    if variation:
        keep &= table["variation"].isin(VARIATION_FILTERS.get(variation, (variation,)))
    if assurance:
        keep &= (table["assurance"].isna() if assurance == "none"
                 else table["assurance"] == assurance)
    return table[keep].reset_index(drop=True)


def table_csv(table: pd.DataFrame) -> str:
    """The table as CSV for a spreadsheet: plain columns, proportions as numbers (0.85)."""
    cols = ["site", "ward", "ward_name", "measure", "measure_name", "grain", "variation",
            "assurance", "latest", "latest_period", "mean", "lcl", "ucl", "target",
            "data_up_to", "stale_words", "exception_words"]
    text: str = table[cols].to_csv(index=False, lineterminator="\n")
    return text
