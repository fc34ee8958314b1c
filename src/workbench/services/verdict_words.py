"""The words every surface uses for "did the change work?": one module, one wording.

The board, the landing page, step 4, the batch report and index, the roll-up, the one-page and
monthly briefs and ``workbench cycle check`` all word a verdict, a prediction's result, the
chance figure and a disagreement with the team's record through these functions, so the same
judgement reads the same everywhere.  (The Making Data Count icons of *where the process is now*
keep their words in :mod:`workbench.charts.words`.)
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final


def day_words(day: dt.date) -> str:
    """``Thu 26 Nov 2026``: a date as ward staff read it (pages, refusals, the test's days)."""
    return f"{day:%a} {day.day} {day:%b %Y}"


TEST_HEADING: Final = "Did the test change the measure?"
NOW_HEADING: Final = "Where is the process now?"
NOW_SHORT: Final = "Now:"
"""Before the Making Data Count icon words where space is short (the board's cards)."""

VERDICT_WORDS: Final[dict[str, str]] = {
    "improved": "improved",
    "worse": "got worse",
    "no_change": "no unusual change",
    "too_early": "too early to say",
}

NEUTRAL_WORDS: Final[dict[str, str]] = {
    "up": "rose (neither better nor worse)",
    "down": "fell (neither better nor worse)",
}

RESULT_WORDS: Final[dict[str, str]] = {
    "held": "Held",
    "did_not_hold": "Did not hold",
    "too_early": "Too early to say",
    "unclear": "Unclear",
}

RECOMMENDATION_WORDS: Final[dict[str, str]] = {
    "adopt": "Adopt the change",
    "adapt": "Adapt it and test again",
    "abandon": "Abandon it",
    "too_early": "Too early to decide",
}

TEAM_WORDS: Final[dict[str, str]] = {"confirmed": "confirmed", "refuted": "refuted",
                                     "unclear": "unclear"}
"""The team's recorded study verdicts, as recorded."""

CHART_FOR_TEAM: Final[dict[str, str]] = {"held": "held", "did_not_hold": "did not hold",
                                         "too_early": "too early", "unclear": "unclear"}

EXPECT_WORDS: Final[dict[str, str]] = {
    "rise": "rise", "fall": "fall", "no_rise": "no rise", "no_fall": "no fall",
    "no_change": "no change", "at_least": "at least", "at_most": "at most",
}


def chance_words(chance: float | None) -> str:
    """``about 1 in 9 by chance`` (empty without a figure)."""
    if chance is None:
        return ""
    if chance <= 0.01:
        return "less than 1 in 100 by chance"
    return f"about 1 in {max(2, round(1 / chance))} by chance"


def level_words(level: float | None, proportion: bool) -> str:
    """A level in the measure's unit: ``80%`` (``58.6%``) for a proportion, else the number
    rounded to two decimals."""
    if level is None:
        return ""
    return f"{round(level * 100, 1):g}%" if proportion else f"{round(level, 2):g}"


def expect_words(expect: str | None, level: float | None = None, proportion: bool = False) -> str:
    """``rise``, ``no rise``, ``at least 80%`` ... (``not stated`` without an expectation)."""
    if not expect:
        return "not stated"
    words = EXPECT_WORDS.get(expect, expect)
    return f"{words} {level_words(level, proportion)}" if expect in ("at_least", "at_most") \
        else words


def verdict_words(mv: Any) -> str:
    """The verdict alone: ``improved``, ``got worse``, ``no unusual change``, ``too early``."""
    if mv.improvement == "neutral" and mv.direction in NEUTRAL_WORDS:
        return NEUTRAL_WORDS[mv.direction]
    return VERDICT_WORDS[mv.verdict]


def test_line(mv: Any) -> str:
    """One measure's answer to *did the test change the measure?*, the same on every surface.

    ``Summaries sent: improved — 9 points in a row above ... (about 1 in 26 by chance)``.
    """
    chance = chance_words(mv.chance)
    tail = f"{mv.rule}; {chance}" if chance else mv.rule
    return f"{mv.name}: {verdict_words(mv)} \u2014 {tail}"


def since_line(mv: Any) -> str:
    """Whether a finished test's gain held since (empty when there is nothing to say)."""
    s = mv.since
    if s is None:
        return ""
    words = {"improved": "still better than before the change",
             "worse": "worse than before the change",
             "no_change": "back within the usual range from before the change",
             "too_early": "too few points since the test to say"}[s.verdict]
    if mv.improvement == "neutral" and s.direction in NEUTRAL_WORDS:
        words = NEUTRAL_WORDS[s.direction]
    return f"{mv.name} since the test ({s.test_points} points): {words}"


def result_words(result: str) -> str:
    """``Held``, ``Did not hold``, ``Too early to say``, ``Unclear``."""
    return RESULT_WORDS[result]


def prediction_line(p: Any) -> str:
    """``Will summaries reach the GP the same day? — Held: <evidence>``."""
    note = f" {p.note}" if p.note else ""
    return f"{p.question} \u2014 {RESULT_WORDS[p.result]}: {p.evidence}{note}"


def disagreement_line(d: Any) -> str:
    """``team: refuted · chart: held — worth a second look`` (with what it is about)."""
    return f"{d.what}: team: {d.team} \u00b7 chart: {d.chart} \u2014 worth a second look"


def recommendation_line(j: Any) -> str:
    """``Recommendation: Adapt it and test again. <reason>``."""
    return f"Recommendation: {RECOMMENDATION_WORDS[j.recommendation]}. {j.reason}"


def beyond_words(count: int, side: str) -> str:
    """``2 points above the upper limit``."""
    where = "above the upper limit" if side == "up" else "below the lower limit"
    return f"{count} point{'s' if count != 1 else ''} {where} set before the change"


def run_words(count: int, side: str) -> str:
    """``9 points in a row above the centre line``."""
    where = "above" if side == "up" else "below"
    return f"{count} points in a row {where} the centre line set before the change"


__all__ = ["CHART_FOR_TEAM", "EXPECT_WORDS", "NOW_HEADING", "NOW_SHORT", "RECOMMENDATION_WORDS",
           "RESULT_WORDS", "TEAM_WORDS", "TEST_HEADING", "VERDICT_WORDS", "beyond_words",
           "chance_words", "disagreement_line", "expect_words", "level_words",
           "prediction_line", "recommendation_line", "result_words", "run_words", "since_line",
           "test_line", "verdict_words"]
