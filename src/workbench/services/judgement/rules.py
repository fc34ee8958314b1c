"""The rules that judge a test window, and how often they fire by chance.

A test is judged on its own points against the centre and limits of the baseline before the
change, frozen (Making Data Count's advice not to recalculate limits until there is evidence of
a change).  Two rules, both within the test window only:

* **beyond the limits**: at least :data:`BEYOND_N` test points beyond the same baseline limit;
* **shift**: at least :data:`SHIFT_N` test points in a row on the same side of the baseline
  centre (a point on the centre, or a missing one, breaks the run).

One point beyond the limits or a run of seven (the usual Making Data Count pair) fires on about
one no-change 14-point test in five with a four-week baseline (21%); these two fire on 4.0%
(2.9% with six weeks of baseline) and still find a rise of 30 percentage points in a two-week
daily test 96-100% of the time with a dozen or more cases a day (``docs/verdict.md``,
``benchmarks/bench_verdict.py``).

:func:`chance` states that rate for the baseline and test lengths at hand: the same engine
(:func:`workbench.spc.analyse_many`, frozen limits) on simulated series with no change, with a
fixed seed, cached per rule set and lengths.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

BEYOND_N = 2
"""Test points beyond the same baseline limit that call a change."""

SHIFT_N = 9
"""Test points in a row on one side of the baseline centre that call a change."""

MIN_TEST_POINTS = SHIFT_N
"""Test points needed before "no unusual change" can be said (a shift could have shown)."""

MIN_BASELINE_POINTS = 10
"""Baseline points needed to set limits worth judging against."""

SIMULATIONS = 4000
"""Simulated no-change series per chance figure."""

SEED = 20261203
"""Fixed seed: the same lengths always give the same chance figure."""

BASELINE_GRID = (10, 12, 14, 16, 20, 24, 28, 35, 42, 56, 70, 84, 112)
"""Baselines are simulated at the longest of these lengths not above the real one (a shorter
baseline fires more often, so the stated chance never understates)."""


@dataclass(frozen=True)
class RuleSet:
    """The rules a test is judged by (see the module docstring)."""

    beyond_n: int = BEYOND_N
    shift_n: int = SHIFT_N

    def words(self) -> str:
        """The rule set in plain words."""
        return (f"{self.beyond_n} or more points beyond the limits set before the change, or "
                f"{self.shift_n} or more in a row on one side of its centre line")


RULES = RuleSet()


@dataclass(frozen=True)
class Firing:
    """What the rules found in one test window.

    Attributes
    ----------
    up, down : bool
        A rule fired above (below) the baseline centre.
    beyond_up, beyond_down : int
        Test points above the upper (below the lower) baseline limit.
    run_up, run_down : int
        Longest run of test points above (below) the baseline centre.
    """

    up: bool
    down: bool
    beyond_up: int
    beyond_down: int
    run_up: int
    run_down: int


def _longest(side: np.ndarray) -> np.ndarray:
    """Longest run of True along the last axis, per row."""
    best = np.zeros(side.shape[0], dtype=int)
    current = np.zeros(side.shape[0], dtype=int)
    for k in range(side.shape[1]):
        current = np.where(side[:, k], current + 1, 0)
        best = np.maximum(best, current)
    return best


def fire_many(v: np.ndarray, cl: np.ndarray, lcl: np.ndarray, ucl: np.ndarray,
              rules: RuleSet = RULES) -> tuple[np.ndarray, ...]:
    """Apply *rules* to many test windows at once (rows are windows, columns test points).

    Missing values (NaN) are never beyond a limit and break a run.  Missing limits never fire.

    Returns
    -------
    tuple of ndarray
        ``up, down, beyond_up, beyond_down, run_up, run_down`` per row.
    """
    with np.errstate(invalid="ignore"):
        above_ucl = np.nan_to_num(v, nan=-np.inf) > np.nan_to_num(ucl, nan=np.inf)
        below_lcl = np.nan_to_num(v, nan=np.inf) < np.nan_to_num(lcl, nan=-np.inf)
        high = np.nan_to_num(v, nan=-np.inf) > np.nan_to_num(cl, nan=np.inf)
        low = np.nan_to_num(v, nan=np.inf) < np.nan_to_num(cl, nan=-np.inf)
    b_up, b_down = above_ucl.sum(axis=1), below_lcl.sum(axis=1)
    r_up, r_down = _longest(high), _longest(low)
    up = (b_up >= rules.beyond_n) | (r_up >= rules.shift_n)
    down = (b_down >= rules.beyond_n) | (r_down >= rules.shift_n)
    return up, down, b_up, b_down, r_up, r_down


def fire(v: np.ndarray, cl: np.ndarray, lcl: np.ndarray, ucl: np.ndarray,
         rules: RuleSet = RULES) -> Firing:
    """Apply *rules* to one test window (arrays of the test points, in date order)."""
    rows = [np.asarray(a, dtype=float).reshape(1, -1) for a in (v, cl, lcl, ucl)]
    up, down, b_up, b_down, r_up, r_down = fire_many(rows[0], rows[1], rows[2], rows[3], rules)
    return Firing(bool(up[0]), bool(down[0]), int(b_up[0]), int(b_down[0]), int(r_up[0]),
                  int(r_down[0]))


@lru_cache(maxsize=256)
def _chance(rules: RuleSet, baseline: int, test: int) -> float:
    import pandas as pd

    from workbench.spc import analyse_many

    rng = np.random.default_rng(SEED + 1000 * baseline + test)
    total = baseline + test
    y = rng.normal(size=(SIMULATIONS, total))
    frame = pd.DataFrame({"s": np.repeat(np.arange(SIMULATIONS), total),
                          "date": np.tile(np.arange(total), SIMULATIONS), "value": y.ravel()})
    pts = analyse_many(frame, by=["s"], chart="i", x="date", y="value", n=None,
                       improvement="neutral", freeze=baseline).points

    def tail(col: str) -> np.ndarray:
        return pts[col].to_numpy(dtype=float).reshape(SIMULATIONS, total)[:, baseline:]

    up, down, *_ = fire_many(y[:, baseline:], tail("cl"), tail("lcl"), tail("ucl"), rules)
    return float((up | down).mean())


TABLE_FILE = "chance_table.json"
"""The chance figures of :data:`RULES` computed ahead (:func:`write_table`), for every grid
baseline and 1-28 test points, so a fresh kernel need not simulate; other rule sets and lengths
are simulated on first use."""

TABLE_TESTS = range(1, 29)


def _key(rules: RuleSet, baseline: int, test: int) -> str:
    return f"{rules.beyond_n},{rules.shift_n},{baseline},{test}"


@lru_cache(maxsize=1)
def _table() -> dict[str, float]:
    import json
    from importlib import resources

    try:
        text = resources.files(__package__).joinpath(TABLE_FILE).read_text("utf-8")
    except (FileNotFoundError, OSError):
        return {}
    data = json.loads(text)
    return {str(k): float(v) for k, v in data.get("chance", {}).items()}


def build_table(rules: RuleSet = RULES) -> dict[str, object]:
    """Simulate every grid baseline and :data:`TABLE_TESTS` length (what the file holds)."""
    return {"rules": rules.words(), "simulations": SIMULATIONS, "seed": SEED,
            "chance": {_key(rules, b, t): _chance(rules, b, t)
                       for b in BASELINE_GRID for t in TABLE_TESTS}}


def chance(baseline: int, test: int, rules: RuleSet = RULES) -> float | None:
    """How often *rules* call a change (either way) on *test* points with no real change.

    Simulated with the SPC engine on an XmR chart (normal data, limits frozen on *baseline*
    points, Making Data Count settings), :data:`SIMULATIONS` series, fixed seed; cached.
    The baseline length is rounded down to :data:`BASELINE_GRID`.

    Returns
    -------
    float or None
        A probability; None when there are too few points to judge at all.
    """
    if baseline < BASELINE_GRID[0] or test < 1:
        return None
    grid = max(b for b in BASELINE_GRID if b <= baseline)
    known = _table().get(_key(rules, grid, int(test)))
    return known if known is not None else _chance(rules, grid, int(test))


def write_table() -> str:
    """Regenerate the table file next to this module (after changing the rules or the grid)::

        .venv/bin/python -c "from workbench.services.judgement.rules import write_table; write_table()"
    """
    import json
    from pathlib import Path

    out = Path(__file__).with_name(TABLE_FILE)
    out.write_text(json.dumps(build_table(), indent=0, sort_keys=True) + "\n", encoding="utf-8")
    _table.cache_clear()
    return str(out)
