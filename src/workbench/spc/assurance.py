"""Making Data Count assurance: where a target lies against the process limits (SPC.md).

One rule, used by the engine's summary and by anything that applies a different target to
each series (the summary table): with a target and a non-neutral direction, a target beyond
the upper limit fails when higher is better and passes when lower is better, a target beyond
the lower limit the reverse, anything else (missing limits too) is inconsistent.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def assurance_of(target: Any, lcl: Any, ucl: Any, improvement: str) -> np.ndarray:
    """Assurance per series: ``consistent_pass``, ``consistent_fail``, ``inconsistent`` or None.

    Parameters
    ----------
    target, lcl, ucl : float or array-like
        Targets (NaN or None: no target) and the last phase's limits, broadcast together.
    improvement : {"increase", "decrease", "neutral"}

    Returns
    -------
    ndarray of object
        None where there is no target, or everywhere for a neutral direction.
    """
    t = np.asarray(target, dtype=float)
    lo = np.asarray(lcl, dtype=float)
    hi = np.asarray(ucl, dtype=float)
    t, lo, hi = np.broadcast_arrays(t, lo, hi)
    out = np.full(t.shape, None, dtype=object)
    if improvement == "neutral":
        return out
    above, below = t > hi, t < lo
    if improvement == "decrease":
        above, below = below, above
    words = np.where(above, "consistent_fail",
                     np.where(below, "consistent_pass", "inconsistent")).astype(object)
    has = ~np.isnan(t)
    out[has] = words[has]
    return out
