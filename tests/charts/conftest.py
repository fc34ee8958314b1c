"""Fixtures for chart tests (helpers live in ``chart_helpers.py``, put on the path here)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from chart_helpers import (  # noqa: E402
    CHANGE_DAY,
    FakeResult,
    i_chart_points,
    p_chart_points,
    phases_of,
    ward_frame,
)


@pytest.fixture
def p_result() -> FakeResult:
    """A two-phase p chart result ending in special cause improvement, passing its target."""
    points = p_chart_points()
    summary = {"variation": "special_cause_improvement", "assurance": "consistent_pass",
               "warnings": []}
    return FakeResult(points, phases_of(points), summary)


@pytest.fixture
def i_result() -> FakeResult:
    """A one-phase i chart on integer x, common cause, no target."""
    points = i_chart_points()
    return FakeResult(points, phases_of(points),
                      {"variation": "common_cause", "assurance": None, "warnings": []})


@pytest.fixture(scope="session")
def wards() -> pd.DataFrame:
    """The long frame behind the real-engine fixtures."""
    return ward_frame()


@pytest.fixture(scope="session")
def real_result(wards: pd.DataFrame) -> Any:
    """``workbench.spc.analyse`` on one ward's p chart, two phases, with a target."""
    from workbench.spc import analyse

    one = wards[(wards.ward == "Ward A") & (wards.measure == "falls_risk")]
    return analyse(one, chart="p", x="date", y="numerator", n="denominator",
                   phase_starts=[CHANGE_DAY], target=0.7)


@pytest.fixture(scope="module")
def chart(real_result: Any) -> Any:
    """The Making Data Count chart of :func:`real_result`, titled, with a change and a target."""
    from workbench.charts import spc_chart

    return spc_chart(real_result, title="Falls risk assessed within 6 hours",
                     subtitle="Share of admissions", change_label="Checklist at handover",
                     target=0.7)


@pytest.fixture(scope="session")
def real_many(wards: pd.DataFrame) -> Any:
    """``workbench.spc.analyse_many`` over ward x measure."""
    from workbench.spc import analyse_many

    return analyse_many(wards, by=["ward", "measure"], chart="p", x="date", y="numerator",
                        n="denominator", phase_starts=[CHANGE_DAY], target=0.7)
