"""Detectability: the simulated chance that the SPC rules show a hoped-for change in time."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.domain.errors import NotFoundError, ValidationFailed
from workbench.services.detect import HORIZONS, detectability, size_baseline
from workbench.store.workspace import Workspace, resolve_workspace


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    from workbench.demo import build_demo

    root = tmp_path_factory.mktemp("detect") / "ws"
    space = resolve_workspace(root, db=f"sqlite:///{root / 'data' / 'workbench.sqlite'}")
    build_demo(space)
    return space


def test_same_seed_same_answer() -> None:
    a = detectability("p", 0.4, 0.6, denominator=8, simulations=200, seed=7)
    b = detectability("p", 0.4, 0.6, denominator=8, simulations=200, seed=7)
    assert a == b
    assert set(a.by_days) == set(HORIZONS) | {14}


def test_power_grows_with_effect_time_and_denominator() -> None:
    small = detectability("p", 0.4, 0.5, denominator=8, simulations=300)
    big = detectability("p", 0.4, 0.8, denominator=8, simulations=300)
    many = detectability("p", 0.4, 0.5, denominator=60, simulations=300)
    assert big.power > small.power and many.power > small.power
    assert small.by_days[84] > small.by_days[7]
    assert 0 <= small.false_alarm < 0.35


def test_a_large_shift_on_an_i_chart_is_nearly_always_seen() -> None:
    d = detectability("i", 50.0, 35.0, sd=5.0, simulations=200)
    assert d.direction == "decrease" and d.power > 0.95 and d.days_needed == 7


def test_days_needed_matches_the_table() -> None:
    d = detectability("c", 4.0, 3.0, simulations=200)
    reached = [h for h in sorted(d.by_days) if d.by_days[h] >= d.goal]
    assert d.days_needed == (reached[0] if reached else None)
    assert any("Plan about" in a or "good chance" in a or "Even" in a for a in d.advice)


def test_weekly_counts_get_frequency_advice() -> None:
    d = detectability("p", 0.4, 0.6, denominator=20, per_day=1 / 7, simulations=100)
    assert d.points_after == 2
    assert "count it daily" in d.advice[0]


@pytest.mark.parametrize(("baseline", "hoped", "field"), [(0.4, 0.4, "hoped"),
                                                          (0.4, 1.4, "between 0 and 1")])
def test_refuses_impossible_hopes(baseline: float, hoped: float, field: str) -> None:
    with pytest.raises(ValidationFailed, match=field):
        detectability("p", baseline, hoped)


def test_size_baseline_on_the_demo(ws: Workspace) -> None:
    sz = size_baseline(ws, "nh-ed", "sepsis_screen_first_hour", hoped=0.85, simulations=100)
    assert 0 < sz.baseline.mean < 1 and sz.baseline.denominator and sz.baseline.per_day == 1
    assert sz.baseline.points <= 8 * 7
    assert sz.detect.hoped == 0.85 and 0 <= sz.detect.power <= 1
    default = size_baseline(ws, "nh-ed", "time_to_senior_review", simulations=100)
    assert default.detect.hoped < default.baseline.mean, "lower is better for time to review"


def test_size_baseline_refuses_unknowns(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="unknown measure"):
        size_baseline(ws, "nh-ed", "sepsis_screen")
    with pytest.raises(NotFoundError, match="no counts stored"):
        size_baseline(ws, "nh-ed", "bundle_use")
    with pytest.raises(NotFoundError, match="unknown ward"):
        size_baseline(ws, "nh-xx", "bundle_use")
