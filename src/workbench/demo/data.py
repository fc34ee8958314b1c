"""Deterministic demo counts: 26 weeks per ward and measure, with the changes' effects."""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np
import pandas as pd

from workbench.catalogue import load_catalogue
from workbench.demo.wards import BASELINE, EFFECTS, WARDS
from workbench.domain.catalogue import ChartType, Frequency

WEEKS = 26


def _rng(*parts: str) -> np.random.Generator:
    digest = hashlib.sha256("|".join(parts).encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


def _params(ward: str, measure: str, day: dt.date) -> tuple[float, ...]:
    current = BASELINE[measure]
    for w, m, since, new in EFFECTS:
        if w == ward and m == measure and day >= dt.date.fromisoformat(since):
            current = new
    return current


def _days(start: dt.date, end: dt.date, frequency: Frequency) -> list[dt.date]:
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    if frequency == Frequency.WEEKLY:
        return [d for d in days if d.weekday() == 0]
    if frequency == Frequency.MONTHLY:
        return [d for d in days if d.day == 1]
    return days


def _series(ward: str, measure: str, start: dt.date, end: dt.date) -> list[tuple]:
    cat = load_catalogue()
    spec = cat.measure(measure)
    rng = _rng(ward, measure)
    rows: list[tuple] = []
    if spec.frequency == Frequency.PER_EVENT:
        day, last = start, start
        while True:
            gap = int(rng.geometric(0.22 if spec.chart == ChartType.G else 1 / 9.0))
            day = day + dt.timedelta(days=max(1, gap))
            if day > end:
                return rows
            if spec.chart == ChartType.G:
                rows.append((day, float(rng.geometric(_params(ward, measure, day)[0]) - 1), None))
            else:
                rows.append((day, float((day - last).days), None))
            last = day
    for day in _days(start, end, spec.frequency):
        if rng.random() < 0.02:  # a day nobody entered: left missing, as on a real ward
            continue
        par = _params(ward, measure, day)
        if spec.chart == ChartType.P:
            n = max(1, int(rng.poisson(par[0])))
            rows.append((day, float(rng.binomial(n, par[1])), float(n)))
        elif spec.chart == ChartType.U:
            den = round(float(par[0] * rng.uniform(0.85, 1.15)), 2)
            rows.append((day, float(rng.poisson(par[1] * den)), den))
        elif spec.chart == ChartType.C:
            rows.append((day, float(rng.poisson(par[0])), None))
        else:
            rows.append((day, round(max(0.1, float(rng.normal(par[0], par[1]))), 1), None))
    return rows


def demo_observations(end: dt.date) -> pd.DataFrame:
    """Every demo observation, sorted by ward, measure and date.

    Parameters
    ----------
    end : date
        The last day of the 26 weeks.

    Returns
    -------
    DataFrame
        Columns ``ward, measure, date, value, denominator`` (denominator missing for counts).
    """
    start = end - dt.timedelta(weeks=WEEKS) + dt.timedelta(days=1)
    records = []
    for ward, _name, _site, _spec, measures in WARDS:
        for measure in measures:
            for day, value, den in _series(ward, measure, start, end):
                records.append((ward, measure, day.isoformat(), value, den))
    frame = pd.DataFrame(records, columns=["ward", "measure", "date", "value", "denominator"])
    return frame.sort_values(["ward", "measure", "date"], kind="stable").reset_index(drop=True)


def to_csv_text(frame: pd.DataFrame) -> str:
    """The demo CSV exactly as written to ``data/demo/observations.csv``."""
    lines = ["ward,measure,date,value,denominator"]
    for row in frame.itertuples(index=False):
        den = "" if row.denominator is None or pd.isna(row.denominator) else f"{row.denominator:g}"
        lines.append(f"{row.ward},{row.measure},{row.date},{row.value:g},{den}")
    return "\n".join(lines) + "\n"
