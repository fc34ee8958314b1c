"""Property: any valid rows survive export -> import unchanged (CSV exact; no database needed)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from store_helpers import C_MEASURE, I_MEASURE, P_MEASURE

from workbench.catalogue import load_catalogue
from workbench.store.exporter import export_frame
from workbench.store.importer import validate_table
from workbench.store.readers import TableReader
from workbench.store.validate import Rules

TODAY = dt.date(2026, 6, 30)


@st.composite
def rows(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(1, 25))
    days = draw(st.lists(st.integers(0, 3000), min_size=n, max_size=n, unique=True))
    out = []
    for d in days:
        measure = draw(st.sampled_from([P_MEASURE, C_MEASURE, I_MEASURE]))
        if measure == P_MEASURE:
            den = float(draw(st.integers(1, 10_000)))
            value, denominator = float(draw(st.integers(0, int(den)))), den
        elif measure == C_MEASURE:
            value, denominator = float(draw(st.integers(0, 10**9))), float("nan")
        else:
            value = draw(st.floats(0, 1e12, allow_nan=False, allow_infinity=False))
            denominator = float("nan")
        out.append(("W7B", measure, pd.Timestamp(TODAY - dt.timedelta(days=d)), value,
                    denominator))
    return pd.DataFrame(out, columns=["ward", "measure", "date", "value", "denominator"])


@settings(max_examples=40, deadline=None)
@given(rows())
def test_export_then_import_is_exact(frame: pd.DataFrame) -> None:
    rules = Rules(("W7B", "ED"), load_catalogue().measures, TODAY)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.csv"
        export_frame(frame, path, "csv")
        back = validate_table(TableReader(path), rules, str(path))
    back = back.drop(columns="row")
    back["date"] = back["date"].astype("datetime64[ns]")
    expected = frame.assign(date=frame["date"].astype("datetime64[ns]"))
    pd.testing.assert_frame_equal(back.reset_index(drop=True), expected, check_exact=True,
                                  check_dtype=False)
