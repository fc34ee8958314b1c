"""Funnel plot across wards on the demo: per-ward totals, the as-of cut and plain refusals."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from workbench.domain.errors import WorkbenchError
from workbench.services.funnel import funnel_measures, outside_table, ward_funnel
from workbench.store.workspace import Workspace


@pytest.fixture
def ws(demo_copy: Workspace) -> Workspace:
    """A fresh copy of the demo workspace (tests/conftest.py)."""
    return demo_copy


def _csv_totals(ws: Workspace, measure: str, start: str, end: str) -> pd.DataFrame:
    """Totals straight from the demo CSV (not through the store): the independent answer."""
    raw = pd.read_csv(ws.data / "demo" / "observations.csv")
    raw = raw[(raw["measure"] == measure) & (raw["date"] >= start) & (raw["date"] <= end)]
    return raw.groupby("ward")[["value", "denominator"]].sum()


def test_totals_per_ward_match_the_counts_and_honour_as_of(ws: Workspace) -> None:
    f = ward_funnel(ws, "bruising_prompt_use", as_of=dt.date(2026, 11, 1), weeks=4)
    assert (f.start, f.end) == (dt.date(2026, 10, 5), dt.date(2026, 11, 1))
    expected = _csv_totals(ws, "bruising_prompt_use", "2026-10-05", "2026-11-01")
    got = f.result.groups.assign(ward=[f.ward_ids[g] for g in f.result.groups["group"]])
    got = got.set_index("ward").sort_index()
    assert list(got.index) == ["cm-miu", "nh-ed", "nh-ucc"]
    assert got["numerator"].tolist() == expected["value"].tolist()
    assert got["denominator"].tolist() == expected["denominator"].tolist()
    # the centre is the all-ward proportion: total numerator over total denominator
    assert f.result.target == pytest.approx(expected["value"].sum() / expected["denominator"].sum())


def test_wards_are_named_and_the_outliers_worded(ws: Workspace) -> None:
    f = ward_funnel(ws, "bruising_prompt_use", as_of=dt.date(2026, 11, 22))
    assert set(f.result.groups["group"]) == {"Urgent Care Centre", "Minor Injuries Unit",
                                             "Emergency Department"}
    table = outside_table(f)
    # Urgent Care adopted the prompt in August; over these 12 weeks it sits far above the others
    top = table.iloc[0]
    assert top["ward"] == "Urgent Care Centre" and top["where"].startswith("above the 99.8%")
    # with the additive allowance for between-ward spread, no ward is outside
    wide = ward_funnel(ws, "bruising_prompt_use", as_of=dt.date(2026, 11, 22), adjust="additive")
    assert wide.result.tau2 > 0 and outside_table(wide).empty


def test_counts_and_times_are_refused_in_plain_words(ws: Workspace) -> None:
    with pytest.raises(WorkbenchError, match="not a proportion or a rate"):
        ward_funnel(ws, "triage_minutes")
    with pytest.raises(WorkbenchError, match="needs at least two wards"):
        ward_funnel(ws, "huddle_compliance")  # only the Urgent Care Centre counts it
    with pytest.raises(WorkbenchError, match="adjustment 'wide' is not known"):
        ward_funnel(ws, "bruising_prompt_use", adjust="wide")
    assert {m.chart.value for m in funnel_measures()} <= {"p", "pp", "u", "up"}
