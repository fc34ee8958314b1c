"""How well the judgement answers "did the change work?": planted shifts found, false calls.

Run from the repository root::

    .venv/bin/python benchmarks/bench_verdict.py                # 400 wards per row
    .venv/bin/python benchmarks/bench_verdict.py --wards 200 --baseline 28

Each simulated ward records a proportion measure daily (``gp_same_day_summary``, a p chart,
denominators Poisson around *n* a day) for ``--baseline`` days before a change and 14 days of
test.  For each baseline level and denominator the script judges every ward with the
judgement's own function (:func:`workbench.services.judgement.judge_window`, the same call
``judge_cycle`` makes) and prints:

* ``found``: the share of wards with a planted rise of 30 percentage points at the change date
  that the judgement calls ``improved`` (goal: at least 90% where the baseline allows, i.e. a
  baseline of 70% or less and enough visits a day to see it);
* ``false``: the share of wards with no change at all called ``improved`` or ``worse``;
* ``stated``: the chance figure the judgement states for that many points (its ``chance``),
  which ``false`` should not exceed by more than the simulation's noise.

Then a planted workspace of 40 wards (20 with the +30-point rise, as in issue
12) is judged end to end with ``judge_all``, and the chance figure of a few candidate rule
sets is printed (why the judgement uses two points beyond a limit or a run of nine).  No
timing: this measures correctness.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

CHANGE = dt.date(2026, 9, 7)
TEST_DAYS = 14


def ward_frame(rng: np.random.Generator, base: float, shift: float, n: float,
               baseline: int) -> pd.DataFrame:
    """One ward's daily counts: *baseline* days at *base*, then 14 days at *base* + *shift*."""
    days = pd.date_range(pd.Timestamp(CHANGE) - pd.Timedelta(days=baseline),
                         periods=baseline + TEST_DAYS, freq="D")
    den = np.maximum(1, rng.poisson(n, size=len(days))).astype(float)
    p = np.where(days >= pd.Timestamp(CHANGE), min(base + shift, 1.0), base)
    return pd.DataFrame({"date": days, "value": rng.binomial(den.astype(int), p).astype(float),
                         "denominator": den})


def judge_many(wards: int, base: float, shift: float, n: float, baseline: int,
               seed: int) -> tuple[float, float | None]:
    """Share of wards called improved (shift > 0) or improved/worse (shift == 0); the chance."""
    from workbench.catalogue import load_catalogue
    from workbench.services.judgement import judge_window

    measure = load_catalogue().measure("gp_same_day_summary")
    rng = np.random.default_rng(seed)
    last = CHANGE + dt.timedelta(days=TEST_DAYS - 1)
    hits, stated = 0, None
    for _ in range(wards):
        mv = judge_window(measure, ward_frame(rng, base, shift, n, baseline), None, CHANGE,
                          last, complete=True)
        hits += mv.verdict == "improved" if shift > 0 else mv.verdict in ("improved", "worse")
        if mv.chance is not None:
            stated = mv.chance
    if stated is None:
        from workbench.services.judgement import chance

        stated = chance(baseline, TEST_DAYS)
    return hits / wards, stated


def planted_workspace() -> str:
    """The issue's scenario: 40 wards, 20 with a +30-point rise, judged end to end."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "services"))
    import planted

    from workbench.services.judgement import judge_all

    with tempfile.TemporaryDirectory() as tmp:
        p = planted.build(Path(tmp) / "ws", 40, 20)
        _, cycles = judge_all(p.ws, as_of=p.end)
        verdict = {j.cycle.ward: j.measure(planted.PROCESS).verdict for j in cycles}  # type: ignore[union-attr]
        found = sum(verdict[w] == "improved" for w in p.shifted)
        false = sum(verdict[w] in ("improved", "worse") for w in p.flat)
    return (f"planted workspace (40 wards, base 40%, ~12 a day, 42-day baseline): "
            f"{found} of {len(p.shifted)} rises found, {false} of {len(p.flat)} no-effect wards "
            "called improved or worse")


def rule_choices() -> None:
    """The chance figure of candidate rule sets for a 14-point test (the choice in docs)."""
    from workbench.services.judgement import RuleSet, chance

    print("chance of a call with no real change, 14 test points (XmR, frozen baseline):")
    print(f"{'rules':>40} {'28 before':>10} {'42 before':>10} {'84 before':>10}")
    for beyond, shift in ((1, 7), (1, 8), (2, 7), (2, 8), (2, 9)):
        rules = RuleSet(beyond, shift)
        cells = [chance(b, TEST_DAYS, rules) or 0.0 for b in (28, 42, 84)]
        name = f"{beyond}+ beyond a limit or a run of {shift}"
        print(f"{name:>40} " + " ".join(f"{c:>10.1%}" for c in cells))


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wards", type=int, default=400, help="wards per row")
    parser.add_argument("--baseline", type=int, default=42, help="baseline days")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    print(f"{args.wards} wards per row; baseline {args.baseline} days; 14-day daily test; "
          "rise of 30 percentage points")
    print(f"{'base':>5} {'n/day':>6} {'found':>7} {'false':>7} {'stated':>7}")
    for base in (0.2, 0.4, 0.6):
        for n in (5.0, 12.0, 30.0):
            found, _ = judge_many(args.wards, base, 0.30, n, args.baseline, args.seed)
            false, stated = judge_many(args.wards, base, 0.0, n, args.baseline, args.seed + 1)
            print(f"{base:>5.0%} {n:>6g} {found:>7.1%} {false:>7.1%} {stated or 0:>7.1%}")
    print(planted_workspace())
    rule_choices()


if __name__ == "__main__":
    main()
