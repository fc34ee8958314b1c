"""Funnel plots: compare wards on one proportion or rate, with limits that narrow as size grows.

The method is Spiegelhalter's (2005, "Funnel plots for comparing institutional performance",
Statistics in Medicine 24:1185-1202) as NHS-R's FunnelPlotR implements it:

* the centre is the all-ward value (total numerator over total denominator);
* each ward is put on a variance-stabilising scale: ``asin(sqrt(p))`` with standard error
  ``1 / (2 sqrt(n))`` for a proportion (FunnelPlotR's "PR"), ``sqrt(r)`` with standard error
  ``1 / (2 sqrt(n))`` for a rate per unit of exposure (Spiegelhalter 2005, Table I, Poisson
  rate, on the square-root scale as in FunnelPlotR's "CQC" method);
* limits are ``target +/- z * s`` on that scale, turned back (``sin(.)**2`` or ``(.)**2``),
  with ``z`` = 1.959964 (95%) and 3.090232 (99.8%);
* overdispersion: the z-scores are winsorised at 10% each end (numpy's linear quantiles, the
  same as R's default type 7 that FunnelPlotR uses), ``phi = mean(z_w**2)``; then either
  **multiplicative** (``s**2 * phi``, only when ``phi > 1``) or **additive** random effects
  (``s**2 + tau**2``, with the DerSimonian-Laird style ``tau**2 = (I phi - (I - 1)) /
  (sum w - sum w**2 / sum w)``, ``w = 1 / s**2``, and 0 when ``I phi < I - 1``).

Pure numpy/pandas: no I/O, no charting.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from workbench.domain.errors import SPCInputError

Kind = Literal["proportion", "rate"]
Adjust = Literal["none", "multiplicative", "additive"]

Z95 = 1.959964
"""Two-sided 95% normal quantile, as FunnelPlotR writes it."""
Z998 = 3.090232
"""Two-sided 99.8% normal quantile, as FunnelPlotR writes it."""

KINDS: tuple[str, ...] = ("proportion", "rate")
ADJUSTMENTS: tuple[str, ...] = ("none", "multiplicative", "additive")

COLUMNS = ["group", "numerator", "denominator", "value", "z", "lower95", "upper95", "lower998",
           "upper998", "outside"]


@dataclass(frozen=True)
class FunnelResult:
    """A funnel plot's numbers.

    Attributes
    ----------
    kind : {"proportion", "rate"}
    adjust : {"none", "multiplicative", "additive"}
        The overdispersion adjustment used for the limits.
    target : float
        The all-ward value (total numerator / total denominator): the centre line.
    phi : float
        Dispersion ratio from the winsorised z-scores (1 means none beyond chance).
    tau2 : float
        Between-ward variance on the transformed scale (additive random effects).
    groups : DataFrame
        One row per ward: ``group, numerator, denominator, value, z`` (the unadjusted z-score
        on the transformed scale), the ward's own 95% and 99.8% limits, and ``outside``:
        ``""``, ``"above 95%"``, ``"below 95%"``, ``"above 99.8%"`` or ``"below 99.8%"``.
    """

    kind: str
    adjust: str
    target: float
    phi: float
    tau2: float
    groups: pd.DataFrame

    def limits(self, denominators: np.ndarray | list[float]) -> pd.DataFrame:
        """The funnel's limits at each denominator (for drawing the curves).

        Returns
        -------
        DataFrame
            ``denominator, target, lower95, upper95, lower998, upper998``.
        """
        n = np.asarray(denominators, dtype=float)
        if (n <= 0).any():
            raise SPCInputError("funnel limits need denominators above zero")
        out = pd.DataFrame({"denominator": n, "target": self.target})
        for name, z in (("95", Z95), ("998", Z998)):
            lo, hi = _limits(self.kind, self.target, n, z, self._scale())
            out[f"lower{name}"], out[f"upper{name}"] = lo, hi
        return out

    def _scale(self) -> tuple[float, float]:
        """(multiplier of s**2, addition to s**2) for the chosen adjustment."""
        if self.adjust == "multiplicative":
            return (max(1.0, self.phi), 0.0)
        if self.adjust == "additive":
            return (1.0, self.tau2)
        return (1.0, 0.0)


def _to_scale(kind: str, value: np.ndarray | float) -> np.ndarray:
    v = np.asarray(value, dtype=float)
    return np.arcsin(np.sqrt(v)) if kind == "proportion" else np.sqrt(v)


def _from_scale(kind: str, y: np.ndarray) -> np.ndarray:
    if kind == "proportion":
        return np.sin(np.clip(y, 0.0, math.pi / 2)) ** 2
    return np.clip(y, 0.0, None) ** 2


def _limits(kind: str, target: float, n: np.ndarray, z: float,
            scale: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    mult, add = scale
    s2 = 1.0 / (4.0 * n)
    half = z * np.sqrt(s2 * mult + add)
    centre = _to_scale(kind, target)
    return _from_scale(kind, centre - half), _from_scale(kind, centre + half)


def winsorised_phi(z: np.ndarray, trim: float = 0.1) -> float:
    """Dispersion ratio: the mean of the squared z-scores after winsorising *trim* each end.

    Quantiles are numpy's linear ones (R's type 7, as FunnelPlotR's ``winsorisation``).
    """
    z = np.asarray(z, dtype=float)
    lo, hi = np.quantile(z, [trim, 1.0 - trim])
    return float(np.mean(np.clip(z, lo, hi) ** 2))


def dl_tau2(phi: float, s: np.ndarray) -> float:
    """Between-ward variance (DerSimonian-Laird style, as Spiegelhalter 2005 and FunnelPlotR).

    ``tau2 = (I phi - (I - 1)) / (sum w - sum w**2 / sum w)`` with ``w = 1 / s**2``; zero when
    ``I phi < I - 1`` (no overdispersion).
    """
    s = np.asarray(s, dtype=float)
    count = len(s)
    if count == 0 or count * phi < count - 1:
        return 0.0
    w = 1.0 / s**2
    return max(0.0, (count * phi - (count - 1)) / (w.sum() - (w**2).sum() / w.sum()))


def _check(frame: pd.DataFrame, kind: str, adjust: str, trim: float) -> None:
    if kind not in KINDS:
        raise SPCInputError(f"funnel kind '{kind}' is not known; use one of {', '.join(KINDS)}")
    if adjust not in ADJUSTMENTS:
        raise SPCInputError(f"overdispersion adjustment '{adjust}' is not known; use one of "
                            f"{', '.join(ADJUSTMENTS)}")
    if not 0.0 <= trim < 0.5:
        raise SPCInputError("winsorising must trim between 0 and 0.5 of each end")
    if frame.empty:
        raise SPCInputError("a funnel plot needs at least one ward with data")
    for i, row in enumerate(frame.itertuples(index=False)):
        num, den, group = float(row.numerator), float(row.denominator), row.group
        if not (math.isfinite(num) and math.isfinite(den)):
            raise SPCInputError(f"row {i + 1} ({group}): numerator and denominator must be numbers")
        if den <= 0:
            raise SPCInputError(f"row {i + 1} ({group}): the denominator must be above zero")
        if num < 0:
            raise SPCInputError(f"row {i + 1} ({group}): the numerator cannot be negative")
        if kind == "proportion" and num > den:
            raise SPCInputError(f"row {i + 1} ({group}): a proportion's numerator ({num:g}) "
                                f"cannot exceed its denominator ({den:g})")
    if float(frame["numerator"].sum()) <= 0 and kind == "rate":
        raise SPCInputError("every ward has a count of zero: there is no rate to compare")


def funnel(frame: pd.DataFrame, *, kind: str = "proportion", adjust: str = "none",
           group: str = "group", numerator: str = "numerator", denominator: str = "denominator",
           trim: float = 0.1) -> FunnelResult:
    """Funnel-plot numbers for one measure across groups (wards).

    Parameters
    ----------
    frame : DataFrame
        One row per group with its total numerator and denominator over the period.
    kind : {"proportion", "rate"}
        ``proportion``: numerator <= denominator (a p chart's measure); ``rate``: events per
        unit of exposure (a u chart's measure).
    adjust : {"none", "multiplicative", "additive"}
        Overdispersion adjustment of the limits (Spiegelhalter 2005): none, phi (multiplies
        the variance when phi > 1) or tau**2 (adds a between-ward variance).
    group, numerator, denominator : str
        Column names.
    trim : float
        Winsorising at each end before phi is estimated (FunnelPlotR's default 10%).

    Returns
    -------
    FunnelResult

    Raises
    ------
    SPCInputError
        Unknown kind or adjustment, no rows, non-numeric values, a denominator of zero or less,
        a negative numerator, or a proportion above one; the message names the row.
    """
    data = pd.DataFrame({"group": frame[group].astype(str).to_numpy(),
                         "numerator": pd.to_numeric(frame[numerator], errors="coerce"),
                         "denominator": pd.to_numeric(frame[denominator], errors="coerce")})
    _check(data, kind, adjust, trim)
    num = data["numerator"].to_numpy(dtype=float)
    den = data["denominator"].to_numpy(dtype=float)
    target = float(num.sum() / den.sum())
    value = num / den
    s = 1.0 / (2.0 * np.sqrt(den))
    z = (_to_scale(kind, value) - _to_scale(kind, target)) / s
    phi = winsorised_phi(z, trim) if len(z) else 1.0
    tau2 = dl_tau2(phi, s)
    result = FunnelResult(kind, adjust, target, phi, tau2, pd.DataFrame(columns=COLUMNS))
    lim = result.limits(den)
    out = pd.DataFrame({"group": data["group"], "numerator": num, "denominator": den,
                        "value": value, "z": z})
    for col in ("lower95", "upper95", "lower998", "upper998"):
        out[col] = lim[col].to_numpy()
    outside = np.where(value > out["upper998"], "above 99.8%",
                       np.where(value < out["lower998"], "below 99.8%",
                                np.where(value > out["upper95"], "above 95%",
                                         np.where(value < out["lower95"], "below 95%", ""))))
    out["outside"] = outside
    return FunnelResult(kind, adjust, target, phi, tau2, out[COLUMNS])
