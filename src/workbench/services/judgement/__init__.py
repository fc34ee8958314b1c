"""Did the change work?  One judgement, in the services layer, that every surface reads.

Two questions are kept apart:

* **did the test change the measure?** — the test window's points against the limits of the
  baseline before the change, frozen: ``improved``, ``worse``, ``no_change`` or ``too_early``,
  with the rule that fired, the points used and the chance of such a call with no real change;
* **where is the process now?** — the Making Data Count variation and assurance icons of the
  current phase.

Each prediction is read against its measure (``held``, ``did_not_hold``, ``too_early``,
``unclear``), and the cycle gets ``adopt``, ``adapt``, ``abandon`` or ``too_early``.  The team's
recorded study and decision stay the record; any disagreement is listed beside them.  Words for
all of it live in :mod:`workbench.services.verdict_words`.
"""

from workbench.services.judgement.core import (
    frozen_analysis,
    judge_all,
    judge_cycle,
    judge_ward,
    judge_window,
    test_end,
)
from workbench.services.judgement.model import (
    EXPECTS,
    RECOMMENDATIONS,
    RESULTS,
    VERDICTS,
    CycleJudgement,
    Disagreement,
    MeasureVerdict,
    PredictionResult,
    WardJudgement,
    WardMeasure,
    Window,
)
from workbench.services.judgement.rules import RULES, RuleSet, chance

__all__ = ["EXPECTS", "RECOMMENDATIONS", "RESULTS", "RULES", "VERDICTS", "CycleJudgement",
           "Disagreement", "MeasureVerdict", "PredictionResult", "RuleSet", "WardJudgement",
           "WardMeasure", "Window", "chance", "frozen_analysis", "judge_all", "judge_cycle", "judge_ward", "judge_window",
           "test_end"]
