"""Plain words for point types, variation and assurance: the one place the mapping lives.

Two registers are kept side by side:

* ``label`` -- the Making Data Count term analysts know ("Improvement -- high", "Common cause",
  "Consistently passes target");
* ``plain`` -- what a ward team reads on the board, without jargon ("Getting better -- unusual
  high", "No unusual change", "Will hit the target").

Icons (the letter inside a badge and its colour) are resolved here too, so a chart, a table and
an HTML report always say the same thing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

from workbench.charts import style

#: Per-point words, used in chart legends and tooltips.
POINT_WORDS: Final[dict[str, str]] = {
    "common_cause": "Usual ups and downs",
    "special_cause_improvement": "Unusual: getting better",
    "special_cause_concern": "Unusual: getting worse",
    "special_cause_neutral_high": "Unusual: high",
    "special_cause_neutral_low": "Unusual: low",
}

#: Variation key -> (badge letter, Making Data Count label, plain words).
_VARIATION: Final[dict[str, tuple[str, str, str]]] = {
    "common_cause": ("", "Common cause", "No unusual change"),
    "improvement_high": ("H", "Improvement \u2014 high", "Getting better \u2014 unusual high"),
    "improvement_low": ("L", "Improvement \u2014 low", "Getting better \u2014 unusual low"),
    "improvement": ("!", "Improvement", "Getting better \u2014 unusual"),
    "concern_high": ("H", "Concern \u2014 high", "Getting worse \u2014 unusual high"),
    "concern_low": ("L", "Concern \u2014 low", "Getting worse \u2014 unusual low"),
    "concern": ("!", "Concern", "Getting worse \u2014 unusual"),
    "neutral_high": ("H", "Neither \u2014 high", "Unusual high (neither better nor worse)"),
    "neutral_low": ("L", "Neither \u2014 low", "Unusual low (neither better nor worse)"),
    "unknown": ("?", "Not enough data", "Not enough data yet"),
}

#: Assurance key -> (badge letter, Making Data Count label, plain words).
_ASSURANCE: Final[dict[str, tuple[str, str, str]]] = {
    "consistent_pass": ("P", "Consistently passes target", "Will hit the target"),
    "consistent_fail": ("F", "Consistently fails target", "Will miss the target"),
    "inconsistent": ("?", "Inconsistent \u2014 may pass or fail", "Might or might not hit the target"),
    "none": ("", "No target", "No target set"),
}


@dataclass(frozen=True)
class Icon:
    """What one badge shows.

    Attributes
    ----------
    kind : str
        ``"variation"`` or ``"assurance"``.
    key : str
        Icon key, e.g. ``"improvement_high"`` or ``"consistent_pass"``.
    letter : str
        Letter drawn inside the circle; empty for common cause (a flat line) and no target.
    colour : str
        Hex colour of the ring and letter.
    label : str
        Making Data Count term.
    plain : str
        Words for a ward team.
    """

    kind: str
    key: str
    letter: str
    colour: str
    label: str
    plain: str


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(math.isnan(value))  # type: ignore[arg-type]
    except TypeError:
        return False


def point_words(point_type: object) -> str:
    """Plain words for one point's type (common cause words for unknown or missing types)."""
    return POINT_WORDS.get(str(point_type), POINT_WORDS["common_cause"])


def variation_key(point_type: object, side: str | None = None) -> str:
    """Icon key for a variation (the last point's ``point_type``).

    Parameters
    ----------
    point_type : str or None
        One of the contract's point types; missing gives ``"unknown"``.
    side : {"high", "low"} or None
        Whether the last point lies above or below the centre line; it picks the ``H``/``L``
        letter for improvement and concern.  Without it those show ``!``.

    Returns
    -------
    str
        A key of the variation mapping.
    """
    if _missing(point_type):
        return "unknown"
    kind = str(point_type)
    if kind == "common_cause":
        return "common_cause"
    if kind == "special_cause_neutral_high":
        return "neutral_high"
    if kind == "special_cause_neutral_low":
        return "neutral_low"
    base = {"special_cause_improvement": "improvement", "special_cause_concern": "concern"}.get(kind)
    if base is None:
        return "unknown"
    return f"{base}_{side}" if side in ("high", "low") else base


def assurance_key(assurance: object) -> str:
    """Icon key for an assurance value (missing or unknown gives ``"none"``)."""
    if _missing(assurance):
        return "none"
    key = str(assurance)
    return key if key in _ASSURANCE else "none"


def variation_icon(point_type: object, side: str | None = None) -> Icon:
    """The variation badge for a point type (see :func:`variation_key`)."""
    key = variation_key(point_type, side)
    letter, label, plain = _VARIATION[key]
    return Icon("variation", key, letter, style.VARIATION_COLOURS[key], label, plain)


def assurance_icon(assurance: object) -> Icon:
    """The assurance badge for ``consistent_pass``, ``consistent_fail``, ``inconsistent`` or None."""
    key = assurance_key(assurance)
    letter, label, plain = _ASSURANCE[key]
    return Icon("assurance", key, letter, style.ASSURANCE_COLOURS[key], label, plain)
