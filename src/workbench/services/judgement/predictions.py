"""Each prediction against its measure's verdict, the recommendation, and the team's record."""

from __future__ import annotations

import re
from typing import Any

from workbench.services import verdict_words as vw
from workbench.services.judgement.model import Disagreement, MeasureVerdict, PredictionResult

_ONE_SIDED = {
    "no_rise": re.compile(r"\b(not|won't|no|never)\b.{0,20}\b(rise|increase|go up|grow|higher)"
                          r"|\bstay(s)? (low|down)\b", re.I),
    "no_fall": re.compile(r"\b(not|won't|no|never)\b.{0,20}\b(fall|drop|decrease|go down|lower)"
                          r"|\bstay(s)? (high|up)\b", re.I),
}
TEAM_FOR_CHART = {"held": "confirmed", "did_not_hold": "refuted"}


def _better(improvement: str) -> str:
    return "down" if improvement == "decrease" else "up"


def _moved(mv: MeasureVerdict) -> str:
    if mv.direction is None:
        return vw.verdict_words(mv)
    word = "rose" if mv.direction == "up" else "fell"
    return f"{word} ({vw.verdict_words(mv)})"


def _direction_result(expect: str, mv: MeasureVerdict) -> str:
    d = mv.direction
    if expect == "rise":
        hit, miss = d == "up", d == "down"
    elif expect == "fall":
        hit, miss = d == "down", d == "up"
    elif expect == "no_rise":
        hit, miss = d == "down", d == "up"
    elif expect == "no_fall":
        hit, miss = d == "up", d == "down"
    else:  # no_change
        hit, miss = False, d is not None
    if hit:
        return "held"
    if miss:
        return "did_not_hold"
    if mv.verdict == "too_early":
        return "too_early"
    # no signal over a complete window
    return "held" if expect in ("no_rise", "no_fall", "no_change") else "did_not_hold"


def _level_result(expect: str, level: float, mv: MeasureVerdict) -> str:
    if mv.verdict == "too_early" or mv.test_mean is None:
        return "too_early"
    ok = mv.test_mean >= level if expect == "at_least" else mv.test_mean <= level
    return "held" if ok else "did_not_hold"


def read_prediction(q: Any, mv: MeasureVerdict | None, proportion: bool) -> PredictionResult:
    """The chart's reading of one prediction (a :class:`~workbench.domain.records.Question`)."""
    expect, level = q.expect, q.level
    if mv is None or expect is None:
        return PredictionResult(q.question, q.measure, expect, level, "unclear",
                                "No measure or expectation is tied to this prediction; judge it "
                                "from the team's notes (or set its measure and expect).")
    window = f"{mv.test_points} test point{'s' if mv.test_points != 1 else ''}"
    if expect in ("at_least", "at_most"):
        result = _level_result(expect, float(level), mv)
        if mv.test_mean is None:
            got = "no counts in the test window yet"
        else:
            got = f"{vw.level_words(mv.test_mean, proportion)} over {window}"
        evidence = (f"{mv.name}: {got}; predicted {vw.expect_words(expect, level, proportion)}"
                    f"{' (test not finished)' if result == 'too_early' else ''}.")
        return PredictionResult(q.question, q.measure, expect, level, result, evidence)
    result = _direction_result(expect, mv)
    evidence = f"{mv.name}: {_moved(mv)} over {window}; predicted {vw.expect_words(expect)}."
    note = ""
    if expect == "no_change":
        for meant, pattern in _ONE_SIDED.items():
            if pattern.search(q.prediction) and _direction_result(meant, mv) != result:
                note = (f"The record says 'no_change' but the prediction reads "
                        f"\u201c{q.prediction}\u201d; read as '{vw.expect_words(meant)}' it "
                        f"{vw.CHART_FOR_TEAM[_direction_result(meant, mv)]}. Set expect to "
                        f"{meant} (or no_change) in the plan to say which was meant.")
                result = "unclear"
                break
    return PredictionResult(q.question, q.measure, expect, level, result, evidence, note)


def recommend(results: list[PredictionResult]) -> tuple[str, str]:
    """Adopt (all held), adapt (some held), abandon (none held) or too early.

    A prediction too early to judge never counts as failed: while any is too early, it is too
    early to decide.  Unclear predictions are left to the team and not counted.
    """
    if any(r.result == "too_early" for r in results):
        early = sum(r.result == "too_early" for r in results)
        n = len(results)
        return "too_early", (f"{early} of {n} prediction{'s' if n != 1 else ''} "
                             "cannot be judged yet: keep "
                             "the test running and check again at the next check date.")
    judged = [r for r in results if r.result in ("held", "did_not_hold")]
    if not judged:
        return "too_early", ("The chart cannot judge these predictions (no measure or "
                             "expectation is tied to them): decide from the team's study.")
    held = sum(r.result == "held" for r in judged)
    n = len(judged)
    of = f"{held} of {n} prediction{'s' if n != 1 else ''} the chart can judge held"
    if held == len(judged):
        return "adopt", f"Every prediction held ({of}): adopt the change and plan its spread."
    if held:
        return "adapt", f"Some predictions held ({of}): adapt the change and test again."
    return "abandon", f"No prediction held ({of}): abandon the change, or rethink it."


def disagreements(cycle: Any, results: list[PredictionResult],
                  recommendation: str) -> list[Disagreement]:
    """Where the team's recorded study or decision and the chart's reading differ."""
    out: list[Disagreement] = []
    answers = {a.question: a.verdict.value for a in cycle.study.answers} if cycle.study else {}
    for r in results:
        team = answers.get(r.question)
        chart = TEAM_FOR_CHART.get(r.result)
        if team in ("confirmed", "refuted") and chart is not None and team != chart:
            out.append(Disagreement(r.question, vw.TEAM_WORDS[team], vw.CHART_FOR_TEAM[r.result]))
    if cycle.act is not None and recommendation != "too_early" and \
            cycle.act.decision.value != recommendation:
        out.append(Disagreement("Decision", cycle.act.decision.value, recommendation))
    return out
