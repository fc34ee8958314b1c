"""What the judgement returns: a verdict per measure, a result per prediction, one recommendation.

``CycleJudgement.to_json()`` carries the contract keys of ``docs/verdict.md`` (extra keys are
allowed and marked there).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

VERDICTS = ("improved", "worse", "no_change", "too_early")
RESULTS = ("held", "did_not_hold", "too_early", "unclear")
RECOMMENDATIONS = ("adopt", "adapt", "abandon", "too_early")
EXPECTS = ("rise", "fall", "no_rise", "no_fall", "no_change", "at_least", "at_most")


@dataclass(frozen=True)
class Window:
    """The days a verdict reads: ``start`` to ``end`` inclusive (None without any data)."""

    start: dt.date
    end: dt.date

    def to_json(self) -> dict[str, str]:
        """ISO dates."""
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


@dataclass(frozen=True)
class MeasureVerdict:
    """*Did the test change the measure?* and *where is the process now?* for one measure.

    Attributes
    ----------
    measure, name : str
        Catalogue id and name.
    verdict : str
        ``improved``, ``worse``, ``no_change`` or ``too_early``.
    direction : str or None
        ``up`` or ``down`` when a rule fired (``improved``/``worse`` say which way is better).
    test_points, baseline_points : int
        Points in the test window (start to end, cut at as-of) and in the frozen baseline.
    rule : str
        The rule that fired, or why there is no call, in plain words.
    chance : float or None
        How often the rules call a change on that many points with no real change (only with
        ``improved``/``worse``).
    window : Window
        The test window's days.
    test_mean, baseline_centre : float or None
        The test window's level (rate over the window for p/u charts, else the mean) and the
        baseline centre line.
    variation, assurance : str or None
        *Where is the process now?*: Making Data Count icons of the current phase.
    since : MeasureVerdict or None
        For a finished test with points after it: the same rules on the points since the test
        (still better than before = the gain held).
    """

    measure: str
    name: str
    verdict: str
    direction: str | None
    test_points: int
    baseline_points: int
    rule: str
    chance: float | None
    window: Window
    test_mean: float | None = None
    baseline_centre: float | None = None
    improvement: str = "increase"
    variation: str | None = None
    assurance: str | None = None
    since: MeasureVerdict | None = None

    def to_json(self) -> dict[str, Any]:
        """Contract keys (measure, verdict, test_points, baseline_points, rule, chance) + more."""
        return {"measure": self.measure, "name": self.name, "verdict": self.verdict,
                "direction": self.direction, "test_points": self.test_points,
                "baseline_points": self.baseline_points, "rule": self.rule,
                "chance": self.chance, "window": self.window.to_json(),
                "test_mean": self.test_mean, "baseline_centre": self.baseline_centre,
                "improvement": self.improvement,
                "now": {"variation": self.variation, "assurance": self.assurance},
                "since": None if self.since is None else self.since.to_json()}


@dataclass(frozen=True)
class PredictionResult:
    """The chart's reading of one prediction.

    Attributes
    ----------
    question : str
        The question as the team wrote it.
    measure : str or None
        The one measure it is tied to.
    expect : str or None
        ``rise``, ``fall``, ``no_rise``, ``no_fall``, ``no_change``, ``at_least``, ``at_most``.
    level : float or None
        The level of ``at_least``/``at_most``.
    result : str
        ``held``, ``did_not_hold``, ``too_early`` or ``unclear``.
    evidence : str
        Plain words: what the chart showed.
    note : str
        Anything about how the record was read (e.g. an older, ambiguous ``no_change``).
    """

    question: str
    measure: str | None
    expect: str | None
    level: float | None
    result: str
    evidence: str
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        """Contract keys (question, measure, expect, result, evidence) + level and note."""
        return {"question": self.question, "measure": self.measure, "expect": self.expect,
                "level": self.level, "result": self.result, "evidence": self.evidence,
                "note": self.note}


@dataclass(frozen=True)
class Disagreement:
    """Where the chart's reading and the team's record differ (both are shown)."""

    what: str
    team: str
    chart: str

    def to_json(self) -> dict[str, str]:
        """Plain data."""
        return {"what": self.what, "team": self.team, "chart": self.chart}


@dataclass(frozen=True)
class CycleJudgement:
    """Did the change work? One cycle, as of one day.

    Attributes
    ----------
    cycle : Cycle
        The record as stored (never changed by the judgement).
    ward_name : str
    as_of : date
        The last day of data read.
    measures : list of MeasureVerdict
        In the cycle's order.
    predictions : list of PredictionResult
        In the cycle's order.
    recommendation : str
        ``adopt``, ``adapt``, ``abandon`` or ``too_early``.
    reason : str
        Why, in plain words.
    team_results : dict
        Question -> the team's recorded verdict (``confirmed``/``refuted``/``unclear``).
    team_decision : str or None
        The team's recorded decision.
    disagreements : list of Disagreement
    """

    cycle: Any
    ward_name: str
    as_of: dt.date
    measures: list[MeasureVerdict]
    predictions: list[PredictionResult]
    recommendation: str
    reason: str
    team_results: dict[str, str] = field(default_factory=dict)
    team_decision: str | None = None
    disagreements: list[Disagreement] = field(default_factory=list)

    def measure(self, measure_id: str) -> MeasureVerdict | None:
        """The verdict of one measure (None when the cycle does not have it)."""
        return next((m for m in self.measures if m.measure == measure_id), None)

    def to_json(self) -> dict[str, Any]:
        """The contract object: cycle, as_of, measures, predictions, recommendation, team."""
        c = self.cycle
        return {"cycle": c.id, "as_of": self.as_of.isoformat(),
                "measures": [m.to_json() for m in self.measures],
                "predictions": [p.to_json() for p in self.predictions],
                "recommendation": self.recommendation,
                "team": {"results": dict(self.team_results), "decision": self.team_decision},
                "ward": c.ward, "ward_name": self.ward_name, "status": c.status.value,
                "test_window": {"start": c.start.isoformat(),
                                "end": (c.end or c.start).isoformat()},
                "reason": self.reason,
                "disagreements": [d.to_json() for d in self.disagreements]}


@dataclass(frozen=True)
class WardMeasure:
    """One measure of a ward, as of one day: where it is now, and its current test's verdict.

    Attributes
    ----------
    measure, name : str
    variation, assurance : str or None
        Making Data Count icons of the current phase (split at the latest change).
    last_date : date or None
        The last day with a count (up to as-of).
    cycle : str or None
        The latest started cycle testing this measure (up to as-of).
    test : MeasureVerdict or None
        That cycle's verdict on this measure.
    """

    measure: str
    name: str
    variation: str | None
    assurance: str | None
    last_date: dt.date | None
    cycle: str | None = None
    test: MeasureVerdict | None = None


@dataclass(frozen=True)
class WardJudgement:
    """Every measure of a ward as of one day (for the board, landing page and batch index)."""

    ward: str
    ward_name: str
    as_of: dt.date
    measures: list[WardMeasure]

    def to_json(self) -> dict[str, Any]:
        """Plain data."""
        return {"ward": self.ward, "ward_name": self.ward_name, "as_of": self.as_of.isoformat(),
                "measures": [{"measure": m.measure, "name": m.name, "variation": m.variation,
                              "assurance": m.assurance,
                              "last_date": m.last_date.isoformat() if m.last_date else None,
                              "cycle": m.cycle,
                              "test": None if m.test is None else m.test.to_json()}
                             for m in self.measures]}
