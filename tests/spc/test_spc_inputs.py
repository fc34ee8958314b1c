"""Refused input: SPCInputError naming the point and the fix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.domain.errors import SPCInputError, WorkbenchError
from workbench.spc import analyse, analyse_many


def df(y, n=None, x=None) -> pd.DataFrame:
    data = {"date": x if x is not None else list(range(1, len(y) + 1)), "value": y}
    if n is not None:
        data["denominator"] = n
    return pd.DataFrame(data)


@pytest.mark.parametrize(
    ("kwargs", "frame", "message"),
    [({"chart": "pie"}, df([1, 2]), "unknown chart 'pie'"),
     ({"profile": "nhs"}, df([1, 2]), "unknown profile 'nhs'"),
     ({"improvement": "up"}, df([1, 2]), "unknown improvement direction 'up'"),
     ({"freeze": 0}, df([1, 2]), "freeze must be a whole number"),
     ({"freeze": 2.5}, df([1, 2]), "freeze must be a whole number"),
     ({"shift_n": 1}, df([1, 2]), "shift_n must be"),
     ({"target": "high"}, df([1, 2]), "target 'high' is not a number"),
     ({"y": "count"}, df([1, 2]), "column(s) 'count' not in the data"),
     ({"phase_starts": [7]}, df([1, 2]), "phase start(s) 7 not found among the x values"),
     ({"exclude": [9]}, df([1, 2]), "exclude value(s) 9 not found"),
     ({}, df([1, "two", 3]), "row 2 (x = 2): value value 'two' is not a number"),
     ({}, df([1, np.inf]), "row 2 (x = 2): value value is infinite"),
     ({"chart": "p"}, df([1, 2]), "column(s) 'denominator' not in the data"),
     ({"chart": "p"}, df([1, 2], [5, 0]), "row 2 (x = 2): the denominator ('denominator') is 0"),
     ({"chart": "u"}, df([1, 2], [5, -1]), "must be positive"),
     ({"chart": "p"}, df([1, 2], [5, np.nan]), "row 2 (x = 2): the denominator"),
     ({"chart": "p"}, df([1, 6], [5, 5]), "row 2 (x = 2): numerator 6 is larger than"),
     ({"chart": "pp"}, df([1, 6], [5, 5]), "numerator 6 is larger than denominator 5"),
     ({"chart": "t"}, df([1, 0]), "row 2 (x = 2): time between events is 0"),
     ({"chart": "c"}, df([1, -2]), "counts cannot be negative"),
     ({}, df([1, 2], x=[1, 1]), "row 2 (x = 1): x repeats the x of row 1"),
     ({}, df([1, 2], x=[1, None]), "row 2: x ('date') is empty"),
     ({}, df([1, 2], x=[1, "b"]), "mix types"),
     ({}, df([]), "no rows")])
def test_bad_input_is_refused_with_a_useful_message(kwargs, frame, message) -> None:
    with pytest.raises(SPCInputError) as info:
        analyse(frame, **kwargs)
    assert message in str(info.value)
    assert isinstance(info.value, WorkbenchError)


def test_dates_are_named_plainly_in_messages() -> None:
    frame = df([1, "x"], x=pd.to_datetime(["2024-03-01", "2024-03-02"]))
    with pytest.raises(SPCInputError, match=r"row 2 \(x = 2024-03-02\)"):
        analyse(frame)


def test_missing_values_and_blank_text_are_allowed() -> None:
    r = analyse(df([1, None, " ", 4, "5"]), chart="i")
    assert r.points["y"].isna().tolist() == [False, True, True, False, False]
    p = analyse(df([1, np.nan, 3], [5, np.nan, 5]), chart="p")
    assert p.points["y"].isna().tolist() == [False, True, False]


def test_non_dataframe_and_bad_by() -> None:
    with pytest.raises(SPCInputError, match="expected a pandas DataFrame"):
        analyse([1, 2, 3])  # type: ignore[arg-type]
    frame = df([1, 2]).assign(ward=["a", None])
    with pytest.raises(SPCInputError, match="row 2 \\(x = 2\\): the series column 'ward'"):
        analyse_many(frame, by="ward")
    with pytest.raises(SPCInputError, match="by must name"):
        analyse_many(frame, by=[])
    with pytest.raises(SPCInputError, match="by column\\(s\\) phase clash with result columns"):
        analyse_many(frame.assign(phase=1), by=["phase"])


def test_denominator_is_not_needed_for_charts_without_one() -> None:
    r = analyse(df([1, 2, 3]), chart="c", n="missing_column")
    assert r.points["n"].isna().all()
