"""Helpers for chart tests: small hand-made SPC results with the contract's columns.

Charts only read the contract columns of ``workbench.spc`` results, so these frames stand in for
the engine where a test needs exact control (point types, phases, limits that vary per point).
The suite runs with ``--import-mode=importlib``; ``conftest.py`` puts this folder on the path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd


@dataclass
class FakeResult:
    """Shape of a ``workbench.spc.analyse`` result."""

    points: pd.DataFrame
    phases: pd.DataFrame
    summary: Any
    target: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def p_chart_points(seed: int = 3) -> pd.DataFrame:
    """28 daily proportions, a change on day 15, limits varying with n, a few special causes.

    Day 6 is below its lower limit (concern: higher is better); days 21-28 are a run above the
    new centre line (improvement).
    """
    rng = np.random.default_rng(seed)
    x = pd.date_range("2026-03-02", periods=28, freq="D")
    n = rng.integers(18, 40, size=28)
    p = np.where(np.arange(28) < 14, 0.55, 0.78)
    y = rng.binomial(n, p) / n
    late = list(range(20, 28))
    y[late] = [0.84, 0.86, 0.81, 0.9, 0.83, 0.88, 0.85, 0.87]
    y[5] = 0.15
    phase = np.where(np.arange(28) < 14, 1, 2)
    frame = pd.DataFrame({"x": x, "y": y, "n": n, "phase": phase})
    cl = frame.groupby("phase")["y"].transform("mean")
    sigma = np.sqrt(cl * (1 - cl) / n)
    frame["baseline"] = frame["phase"] == 1
    frame["include"] = True
    frame["cl"] = cl
    frame["lcl"] = (cl - 3 * sigma).clip(lower=0)
    frame["ucl"] = (cl + 3 * sigma).clip(upper=1)
    frame["lcl_2s"] = (cl - 2 * sigma).clip(lower=0)
    frame["ucl_2s"] = (cl + 2 * sigma).clip(upper=1)
    for col in ("outside_limits", "shift", "trend", "two_of_three", "signal"):
        frame[col] = False
    frame["point_type"] = "common_cause"
    frame.loc[5, ["outside_limits", "point_type"]] = [True, "special_cause_concern"]
    frame.loc[late, "shift"] = True
    frame.loc[late, "point_type"] = "special_cause_improvement"
    frame["signal"] = frame["point_type"] != "common_cause"
    return frame


def phases_of(points: pd.DataFrame) -> pd.DataFrame:
    """A phases table with the contract's columns (values are placeholders)."""
    g = points.groupby("phase")
    return pd.DataFrame({
        "phase": list(g.groups), "n_obs": g.size().to_numpy(), "n_useful": g.size().to_numpy(),
        "longest_run": 3, "longest_run_max": 7, "crossings": 6, "crossings_min": 4,
        "runs_signal": False, "cl": g["cl"].first().to_numpy(),
    })


@dataclass
class FakeMeasure:
    """Stands in for ``workbench.domain.catalogue.Measure`` (name, definition, unit)."""

    name: str = "Falls risk assessment done within 6 hours"
    definition: str = (
        "Patients admitted to the ward whose falls risk assessment was completed within six hours "
        "of arrival, out of all admissions that day."
    )
    unit: str = "share of admissions"
    is_proportion: bool = True
    improvement: str = "increase"


def i_chart_points() -> pd.DataFrame:
    """20 values of an i chart on integer x, one phase, all common cause."""
    rng = np.random.default_rng(1)
    y = rng.normal(20, 2, size=20)
    mr = np.abs(np.diff(y)).mean()
    points = pd.DataFrame({"x": np.arange(1, 21), "y": y, "n": np.nan, "phase": 1,
                           "baseline": True, "include": True, "cl": y.mean()})
    points["lcl"], points["ucl"] = y.mean() - 2.66 * mr, y.mean() + 2.66 * mr
    points["lcl_2s"], points["ucl_2s"] = y.mean() - 1.77 * mr, y.mean() + 1.77 * mr
    for col in ("outside_limits", "shift", "trend", "two_of_three", "signal"):
        points[col] = False
    points["point_type"] = "common_cause"
    return points


def ward_frame(seed: int = 7) -> pd.DataFrame:
    """Six weeks of daily counts for three wards and two measures; a change on day 29."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2026-02-02", periods=42, freq="D")
    frames = []
    for ward, lift in (("Ward A", 0.3), ("Ward B", 0.0), ("Ward C", -0.25)):
        for measure, base in (("falls_risk", 0.55), ("obs_on_time", 0.7)):
            n = rng.integers(20, 40, 42)
            p = np.where(np.arange(42) < 28, base, np.clip(base + lift, 0.05, 0.97))
            frames.append(pd.DataFrame({"ward": ward, "measure": measure, "date": dates,
                                        "numerator": rng.binomial(n, p), "denominator": n}))
    return pd.concat(frames, ignore_index=True)


CHANGE_DAY = pd.Timestamp("2026-03-02")


def layers(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Layers of a layered chart spec, by name."""
    return {layer["name"]: layer for layer in spec["layer"] if "name" in layer}


def mark_type(layer: dict[str, Any]) -> str:
    """The mark type of a layer (marks may be a string or an object)."""
    mark = layer["mark"]
    return mark if isinstance(mark, str) else mark["type"]


def dataset(spec: dict[str, Any], layer: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The inline rows a layer (or the top level) draws."""
    data = (layer or {}).get("data") or spec["data"]
    if "values" in data:
        return list(data["values"])
    return list(spec["datasets"][data["name"]])
