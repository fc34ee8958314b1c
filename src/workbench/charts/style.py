"""Colours, shapes and sizes in the NHS "Making Data Count" style, kept in one place.

The colours are Making Data Count's: blue for improvement, orange for concern, purple for
neither (neutral direction) and grey for common cause.  Every point type also has its own shape,
so colour is never the only cue.
"""

from __future__ import annotations

from typing import Final

IMPROVEMENT: Final = "#289de0"
CONCERN: Final = "#fab428"
NEUTRAL: Final = "#361475"
COMMON: Final = "#7B7D7D"

#: Lines: data line, centre line, process limits, 2-sigma lines, phase rules, target.
DATA_LINE: Final = "#5c5f61"
CENTRE_LINE: Final = "#231f20"
LIMIT_LINE: Final = "#6d6e71"
TWO_SIGMA_LINE: Final = "#b8b9ba"
PHASE_RULE: Final = "#005eb8"  # NHS blue
TARGET_LINE: Final = "#d5281b"  # NHS red
TEXT: Final = "#212b32"  # NHS text black
MUTED_TEXT: Final = "#4c6272"  # NHS secondary text

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

FONT: Final = "Arial, Liberation Sans, DejaVu Sans, sans-serif"
