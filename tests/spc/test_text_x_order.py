"""Text x values keep the order they are given in; they are not sorted alphabetically.

Found in review: "Week 10" sorted before "Week 2", so a phase start at "Week 11" split the
series in the wrong places.  Hand check: 20 weeks, change at week 11 -> phases 1 x10 then 2 x10.
"""

from __future__ import annotations

import pandas as pd

from workbench.spc import analyse, analyse_many

WEEKS = [f"Week {i}" for i in range(1, 21)]
VALUES = [5, 6, 5, 7, 6, 5, 6, 7, 5, 6, 9, 10, 9, 11, 10, 9, 10, 11, 10, 9]


def test_text_x_keeps_input_order_for_phases() -> None:
    frame = pd.DataFrame({"week": WEEKS, "value": VALUES})
    result = analyse(frame, chart="i", x="week", y="value", phase_starts=["Week 11"])
    assert result.points["phase"].tolist() == [1] * 10 + [2] * 10
    # Phase 1 centre is the mean of the first ten values: 58 / 10.
    assert result.phases["cl"].iloc[0] == 5.8


def test_text_x_trend_follows_input_order() -> None:
    # Seven rising values in input order form a trend; alphabetical order would scramble them.
    frame = pd.DataFrame({"week": WEEKS[:12], "value": [5, 5, 5, 5, 5, 1, 2, 3, 4, 5, 6, 7]})
    result = analyse(frame, chart="i", x="week", y="value", screen_outliers=False)
    assert result.points["trend"].tolist()[5:12] == [True] * 7


def test_ordered_categorical_uses_its_categories() -> None:
    cats = pd.CategoricalDtype(["Jan", "Feb", "Mar", "Apr"], ordered=True)
    frame = pd.DataFrame({"month": pd.Series(["Mar", "Jan", "Apr", "Feb"], dtype=cats),
                          "value": [3.0, 1.0, 4.0, 2.0]})
    result = analyse(frame, chart="run", x="month", y="value", phase_starts=["Mar"])
    assert result.points["phase"].tolist() == [2, 1, 2, 1]


def test_many_series_with_text_x() -> None:
    frame = pd.DataFrame({"ward": ["a"] * 20 + ["b"] * 20, "week": WEEKS * 2,
                          "value": VALUES + VALUES[::-1]})
    many = analyse_many(frame, by="ward", chart="i", x="week", y="value", phase_starts=["Week 11"])
    assert many.points["phase"].tolist() == ([1] * 10 + [2] * 10) * 2
