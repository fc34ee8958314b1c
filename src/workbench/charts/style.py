"""Colours, shapes and sizes in the NHS "Making Data Count" style, kept in one place.

The colours themselves are named in :mod:`workbench.domain.palette` (shared with the pages);
this module says which colour each part of a chart takes.

The colours are Making Data Count's: blue for improvement, orange for concern, purple for
neither (neutral direction) and grey for common cause.  Every point type also has its own shape,
so colour is never the only cue.
"""

from __future__ import annotations

from typing import Final

from workbench.domain import palette as nhs

IMPROVEMENT: Final = nhs.MDC_IMPROVEMENT
CONCERN: Final = nhs.MDC_CONCERN
NEUTRAL: Final = nhs.MDC_NEUTRAL
COMMON: Final = nhs.MDC_COMMON

#: Lines: data line, centre line, process limits, 2-sigma lines, phase rules, target.
DATA_LINE: Final = nhs.MDC_DATA_LINE
CENTRE_LINE: Final = nhs.MDC_CENTRE_LINE
LIMIT_LINE: Final = nhs.MDC_LIMIT_LINE
TWO_SIGMA_LINE: Final = nhs.MDC_TWO_SIGMA_LINE
PHASE_RULE: Final = nhs.NHS_BLUE
TARGET_LINE: Final = nhs.NHS_RED
TEXT: Final = nhs.NHS_BLACK
MUTED_TEXT: Final = nhs.NHS_DARK_GREY
GRID: Final = nhs.NHS_FAINT_GREY
TEST_FILL: Final = nhs.NHS_BLUE

#: Point type -> marker colour.
POINT_COLOURS: Final[dict[str, str]] = {
    "common_cause": COMMON,
    "special_cause_improvement": IMPROVEMENT,
    "special_cause_concern": CONCERN,
    "special_cause_neutral_high": NEUTRAL,
    "special_cause_neutral_low": NEUTRAL,
}

#: Point type -> Vega marker shape (the second cue besides colour).
POINT_SHAPES: Final[dict[str, str]] = {
    "common_cause": "circle",
    "special_cause_improvement": "square",
    "special_cause_concern": "diamond",
    "special_cause_neutral_high": "triangle-up",
    "special_cause_neutral_low": "triangle-down",
}

#: Point types in legend order.
POINT_TYPES: Final[tuple[str, ...]] = tuple(POINT_COLOURS)

#: Variation icon key -> badge colour.
VARIATION_COLOURS: Final[dict[str, str]] = {
    "common_cause": COMMON,
    "improvement_high": IMPROVEMENT,
    "improvement_low": IMPROVEMENT,
    "improvement": IMPROVEMENT,
    "concern_high": CONCERN,
    "concern_low": CONCERN,
    "concern": CONCERN,
    "neutral_high": NEUTRAL,
    "neutral_low": NEUTRAL,
    "unknown": COMMON,
}

#: Assurance icon key -> badge colour.
ASSURANCE_COLOURS: Final[dict[str, str]] = {
    "consistent_pass": IMPROVEMENT,
    "consistent_fail": CONCERN,
    "inconsistent": COMMON,
    "none": COMMON,
}

FONT: Final = nhs.FONT
