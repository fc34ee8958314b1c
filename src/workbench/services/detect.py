"""Size the baseline: would the SPC chart show the hoped-for change inside a two-week test?

The question a team asks before it starts a test of change is not "is the change real?" but
"if it works as well as we hope, will the chart show it in time?".  This module answers by
simulation: many made-up series that behave like the ward's baseline and then move to the
hoped-for level are charted with the same engine the team will use (limits frozen at the
baseline), and the share of series that show an unusual improvement within the test window is the
chance of seeing the change (its *power*).  A fixed seed makes every answer repeatable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbench.catalogue import load_catalogue
from workbench.domain.catalogue import ChartType, Direction, Frequency, Measure
from workbench.domain.errors import NotFoundError, ValidationFailed
from workbench.spc import analyse_many
from workbench.store.workspace import Workspace

HORIZONS = (7, 14, 21, 28, 42, 56, 84)
"""Test lengths (days) tried when looking for the days needed."""

SEED = 20261126
"""Default random seed: the same inputs always give the same answer."""


@dataclass(frozen=True)
class Baseline:
    """What the ward's counts so far say about one measure.

    Attributes
    ----------
    ward, measure : str
        Ids.
    points : int
        Observations in the baseline.
    mean : float
        Proportion (p), rate per unit (u), mean count (c, g) or mean value (i, t).
    sd : float or None
        Standard deviation of the values (i and t charts).
    denominator : float or None
        Typical (median) denominator per point for p and u charts.
    per_day : float
        Points per day (1 for daily, 1/7 for weekly, the event rate for per-event measures).
    start, end : date or None
        First and last day of the baseline.
    """

    ward: str
    measure: str
    points: int
    mean: float
    sd: float | None
    denominator: float | None
    per_day: float
    start: dt.date | None
    end: dt.date | None


@dataclass(frozen=True)
class Detectability:
    """The chance that the chart shows the hoped-for change, and how long a test needs.

    Attributes
    ----------
    power : float
        Share of simulated tests whose chart shows an unusual improvement within ``days``.
    false_alarm : float
        Share of simulated tests with *no* real change that signal anyway.
    days_needed : int or None
        The shortest of :data:`HORIZONS` reaching ``goal`` (None: longer than the longest).
    by_days : dict
        Power for each test length tried.
    advice : list of str
        Plain-English advice: frequency, length, what to count.
    """

    chart: str
    direction: str
    baseline: float
    hoped: float
    days: int
    points_after: int
    baseline_points: int
    power: float
    false_alarm: float
    days_needed: int | None
    goal: float
    by_days: dict[int, float]
    simulations: int
    seed: int
    advice: list[str] = field(default_factory=list)


def baseline_of(ws: Workspace, ward: str, measure: str, *, as_of: dt.date | None = None,
                weeks: int | None = None) -> Baseline:
    """Summarise a measure's stored counts on a ward as a baseline.

    Parameters
    ----------
    ws : Workspace
    ward, measure : str
        Ward and measure ids.
    as_of : date, optional
        Last day to use (default: all stored data).
    weeks : int, optional
        Use only the last *weeks* weeks up to ``as_of``.

    Raises
    ------
    NotFoundError
        Unknown ward or measure, or no counts stored for the pair.
    """
    from workbench.services.observations import long_frame
    from workbench.services.wards import get_ward

    get_ward(ws, ward)
    spec = load_catalogue().measure(measure)
    frame = long_frame(ws, wards=[ward], measures=[measure], end=as_of).dropna(subset=["value"])
    if weeks and not frame.empty:
        frame = frame[frame["date"] > frame["date"].max() - pd.Timedelta(weeks=weeks)]
    if frame.empty:
        raise NotFoundError(f"no counts stored for measure '{measure}' on ward '{ward}'"
                            f"{' up to ' + as_of.isoformat() if as_of else ''}: record a few "
                            "weeks of counts (or a quick audit) before sizing the baseline.")
    values = frame["value"].to_numpy(dtype=float)
    dens = frame["denominator"].to_numpy(dtype=float)
    first, last = frame["date"].min().date(), frame["date"].max().date()
    span = max(1, (last - first).days + 1)
    per_day = {Frequency.DAILY: 1.0, Frequency.WEEKLY: 1 / 7, Frequency.MONTHLY: 1 / 30}.get(
        spec.frequency, len(frame) / span)
    den: float | None = None
    if spec.needs_denominator:
        ok = dens > 0
        mean = float(values[ok].sum() / dens[ok].sum()) if ok.any() else 0.0
        den = float(np.median(dens[ok])) if ok.any() else 1.0
    else:
        mean = float(values.mean())
    sd = float(values.std(ddof=1)) if len(values) > 1 and not spec.needs_denominator else None
    return Baseline(ward, measure, len(frame), mean, sd, den, per_day, first, last)


def default_hope(spec: Measure, base: Baseline) -> float:
    """A sensible hoped-for level when the team has not said: half the gap to perfect."""
    better = spec.improvement
    m = base.mean
    if spec.is_proportion:
        return m + (1 - m) / 2 if better != Direction.DECREASE else m / 2
    if spec.chart == ChartType.I:
        step = base.sd or abs(m) * 0.2 or 1.0
        return m - step if better == Direction.DECREASE else m + step
    return m * 0.6 if better == Direction.DECREASE else m * 1.5


def _simulate(chart: str, level: np.ndarray, den: float, sd: float, rng: np.random.Generator
              ) -> tuple[np.ndarray, np.ndarray]:
    """Values and denominators for a (sims, points) array of true levels."""
    shape = level.shape
    if chart in ("p", "pp"):
        n = np.maximum(1, rng.poisson(den, shape)).astype(float)
        return rng.binomial(n.astype(int), np.clip(level, 0, 1)).astype(float), n
    ones = np.ones(shape)
    if chart in ("u", "up"):
        n = np.maximum(1, rng.poisson(den, shape)).astype(float)
        return rng.poisson(level * n).astype(float), n
    if chart == "c":
        return rng.poisson(np.maximum(level, 0)).astype(float), ones
    if chart == "g":
        return (rng.geometric(1 / (1 + np.maximum(level, 1e-6))) - 1).astype(float), ones
    if chart == "t":
        return rng.exponential(np.maximum(level, 1e-6)), ones
    return rng.normal(level, sd), ones


def detectability(chart: str, baseline: float, hoped: float, *, denominator: float | None = None,
                  sd: float | None = None, per_day: float = 1.0, days: int = 14,
                  baseline_points: int = 28, goal: float = 0.8, simulations: int = 400,
                  seed: int = SEED) -> Detectability:
    """Chance that the SPC rules show an unusual improvement within *days* of the change.

    Parameters
    ----------
    chart : str
        The measure's chart (``p``, ``u``, ``c``, ``i``, ``g``, ``t``; others are treated as ``i``).
    baseline, hoped : float
        Level before the change and the level the team hopes for (same units as the chart).
    denominator : float, optional
        Typical denominator per point (p and u charts); default 10.
    sd : float, optional
        Spread of single values (i chart); default a fifth of the baseline.
    per_day : float
        Points per day (1 daily, 1/7 weekly).
    days : int
        Length of the test.
    baseline_points : int
        Points before the change that set the (frozen) limits.
    goal : float
        The chance the team wants (0.8 is usual).
    simulations : int
        Simulated tests per length; the answer is repeatable for a given *seed*.

    Raises
    ------
    ValidationFailed
        For a hoped level equal to the baseline, impossible proportions or non-positive sizes.
    """
    problems = []
    if hoped == baseline:
        problems.append("hoped: the hoped-for level equals the baseline; say how much better "
                        "you hope the change makes it")
    if chart in ("p", "pp") and not (0 <= baseline <= 1 and 0 <= hoped <= 1):
        problems.append("hoped: proportions must lie between 0 and 1 (e.g. 0.8 for 80%)")
    if days < 1 or per_day <= 0 or baseline_points < 2 or simulations < 10:
        problems.append("days: the test needs at least one day, and the baseline two points")
    if problems:
        raise ValidationFailed(problems)
    direction = "increase" if hoped > baseline else "decrease"
    den = float(denominator or 10.0)
    spread = float(sd) if sd and sd > 0 else max(abs(baseline) * 0.2, 1e-3)
    horizons = sorted({*HORIZONS, days})
    after = {h: max(1, int(round(h * per_day))) for h in horizons}
    total = baseline_points + max(after.values())
    rng = np.random.default_rng(seed)
    level = np.full((simulations, total), float(baseline))
    level[:, baseline_points:] = hoped
    values, dens = _simulate(chart, level, den, spread, rng)
    null_v, null_n = _simulate(chart, np.full((simulations, baseline_points + after[days]),
                                              float(baseline)), den, spread, rng)
    blocks = [(values[:, :baseline_points + after[h]], dens[:, :baseline_points + after[h]])
              for h in horizons] + [(null_v, null_n)]
    frames = []
    for k, (v, n) in enumerate(blocks):
        sims, pts = v.shape
        frames.append(pd.DataFrame({
            "key": np.repeat(np.arange(sims) + k * simulations, pts),
            "t": np.tile(np.arange(pts), sims), "value": v.ravel(), "denominator": n.ravel()}))
    long = pd.concat(frames, ignore_index=True)
    kind = chart if chart in ("p", "pp", "u", "up", "c", "g", "t") else "i"
    res = analyse_many(long, by="key", chart=kind, x="t", y="value", n="denominator",
                       improvement=direction, freeze=baseline_points)
    pts = res.points
    hit = (long["t"].to_numpy() >= baseline_points) & \
        (pts["point_type"].astype(str).to_numpy() == "special_cause_improvement")
    per_block = pd.Series(hit).groupby(long["key"].to_numpy()).any()
    rates = per_block.groupby(per_block.index // simulations).mean()
    by_days = {h: float(rates.iloc[i]) for i, h in enumerate(horizons)}
    needed = next((h for h in horizons if by_days[h] >= goal), None)
    det = Detectability(kind, direction, float(baseline), float(hoped), days, after[days],
                        baseline_points, by_days[days], float(rates.iloc[-1]), needed, goal,
                        by_days, simulations, seed)
    return _advise(det, per_day, den)


def _pct(x: float) -> str:
    return f"{x:.0%}"


def _advise(det: Detectability, per_day: float, den: float) -> Detectability:
    advice = []
    if per_day < 0.5:
        advice.append(f"This measure is counted about once every {round(1 / per_day)} days, so "
                      f"a {det.days}-day test gives only {det.points_after} point(s). The chart "
                      "needs about 7 points after the change to show a shift: count it daily "
                      "(a tally on the board at each shift change) or plan a longer test.")
    else:
        advice.append(f"Counted daily, a {det.days}-day test gives {det.points_after} points "
                      "after the change: enough for the chart's rules to work.")
    if det.power >= det.goal:
        advice.append(f"If the change works as hoped, the chart has a good chance "
                      f"({_pct(det.power)}) of showing it within {det.days} days.")
    else:
        longer = (f"Plan about {det.days_needed} days to reach {_pct(det.goal)}."
                  if det.days_needed else
                  f"Even {max(det.by_days)} days would not reach {_pct(det.goal)}.")
        advice.append(f"If the change works as hoped, the chart shows it within {det.days} days "
                      f"only {_pct(det.power)} of the time. {longer} Or hope for a bigger "
                      "effect, or count more patients each day (all shifts, both bays).")
    if det.chart in ("p", "pp") and den < 10:
        advice.append(f"With about {den:g} patients a day, each day's percentage jumps a lot; "
                      "that makes small improvements hard to see. Count every eligible "
                      "patient, not a sample.")
    advice.append(f"Even with no real change, the rules flag an improvement by chance in about "
                  f"{_pct(det.false_alarm)} of {det.days}-day tests: judge the change on the "
                  "chart and the team's notes together.")
    return Detectability(**{**det.__dict__, "advice": advice})


@dataclass(frozen=True)
class Sizing:
    """A measure's baseline on a ward and the chance of seeing the hoped-for change."""

    measure: Measure
    baseline: Baseline
    detect: Detectability


def size_baseline(ws: Workspace, ward: str, measure: str, *, hoped: float | None = None,
                  days: int = 14, as_of: dt.date | None = None, weeks: int | None = 8,
                  goal: float = 0.8,
                  simulations: int = 400, seed: int = SEED) -> Sizing:
    """The baseline of *measure* on *ward* and the chance a *days*-day test shows *hoped*.

    Parameters
    ----------
    hoped : float, optional
        The level hoped for after the change (default :func:`default_hope`).
    weeks : int, optional
        Weeks of counts before ``as_of`` that make the baseline (default 8; None: all).
    Other parameters as :func:`baseline_of` and :func:`detectability`.
    """
    spec = load_catalogue().measure(measure)
    base = baseline_of(ws, ward, measure, as_of=as_of, weeks=weeks)
    target = default_hope(spec, base) if hoped is None else float(hoped)
    points = int(min(max(base.points, 8), 28))
    det = detectability(spec.chart.value, base.mean, target, denominator=base.denominator,
                        sd=base.sd, per_day=base.per_day, days=days, baseline_points=points,
                        goal=goal, simulations=simulations, seed=seed)
    return Sizing(spec, base, det)
