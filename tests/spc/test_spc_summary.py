"""Variation, assurance and warnings."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from workbench.spc import analyse

# i chart, mdc: mean 5, MR-bar 10 -> limits -21.6 and 31.6 (hand calculation)
Y = [0.0, 10] * 7


def summary(y: list[float] = Y, **kw) -> dict:
    df = pd.DataFrame({"date": range(1, len(y) + 1), "value": y})
    return analyse(df, chart=kw.pop("chart", "i"), **kw).summary


@pytest.mark.parametrize(
    ("improvement", "target", "expected"),
    [("increase", 40.0, "consistent_fail"),
     ("decrease", 40.0, "consistent_pass"),
     ("increase", -30.0, "consistent_pass"),
     ("decrease", -30.0, "consistent_fail"),
     ("increase", 20.0, "inconsistent"),
     ("decrease", 31.6, "inconsistent"),
     ("neutral", 40.0, None),
     ("increase", None, None)])
def test_assurance(improvement: str, target: float | None, expected: str | None) -> None:
    s = summary(improvement=improvement, target=target)
    assert s["assurance"] == expected
    assert s["ucl"] == pytest.approx(5 + 26.6, rel=1e-12)


def test_assurance_uses_the_last_phase() -> None:
    y = [100.0, 110] * 7 + Y
    s = summary(y, target=40.0, phase_starts=[15])
    assert s["assurance"] == "consistent_fail" and s["n_phases"] == 2


def test_assurance_without_limits_is_inconsistent() -> None:
    assert summary([3.0] * 14, target=10.0)["assurance"] == "inconsistent"
    assert summary(Y, chart="run", target=10.0)["assurance"] == "inconsistent"


def test_variation_is_the_last_points_type() -> None:
    assert summary(Y + [50.0])["variation"] == "special_cause_improvement"
    assert summary(Y + [50.0], improvement="decrease")["variation"] == "special_cause_concern"
    assert summary(Y + [-50.0], improvement="neutral")["variation"] == \
        "special_cause_neutral_low"
    assert summary(Y)["variation"] == "common_cause"
    # a missing last value: the last point with a value speaks
    assert summary(Y + [50.0, math.nan])["variation"] == "special_cause_improvement"


def test_warnings() -> None:
    assert summary(Y)["warnings"] == []
    short = summary([1.0, 3, 2, 4, 3])["warnings"]
    assert len(short) == 1 and "phase 1 has 5 points (fewer than 13)" in short[0]
    assert summary([1.0, 3, 2, 4, 3], profile="anhoej")["warnings"] == [
        "phase 1 has 5 useful observations (fewer than 10): the runs analysis has little power"]
    two = summary(Y + [1.0, 3, 2], phase_starts=[15])["warnings"]
    assert len(two) == 1 and two[0].startswith("phase 2 has 3 points")
    flat = summary([2.0] * 14, profile="anhoej")["warnings"]
    assert any("no limits" in w for w in flat)
    assert any("no useful observations" in w for w in flat)


def test_summary_reports_last_phase_lines_and_runs_verdict() -> None:
    s = summary(list(range(20)), profile="anhoej", chart="run")
    assert s["runs_signal"] is True
    assert s["cl"] == 9.5 and s["lcl"] is None and s["ucl"] is None
    assert s["chart"] == "run" and s["profile"] == "anhoej"
