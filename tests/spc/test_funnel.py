"""Funnel-plot limits (Spiegelhalter 2005; NHS-R FunnelPlotR's method), checked by hand.

Sources named per test:

* Spiegelhalter DJ (2005) "Funnel plots for comparing institutional performance", Statistics in
  Medicine 24:1185-1202: the all-unit target, the normal approximation ``p0 +/- z sqrt(p0 (1 -
  p0) / n)`` (Table I), multiplicative (phi) and additive (tau**2) overdispersion.
* FunnelPlotR (NHS-R community), R/od_adjustment.R and R/calculate_limits.R: the arcsine
  square-root scale for proportions with ``s = 1 / (2 sqrt(n))``, winsorising z-scores at 10%
  each end, ``phi = mean(z_w**2)``, ``tau2 = (I phi - (I - 1)) / (sum w - sum w**2 / sum w)``
  and limits ``sin(asin(sqrt(target)) +/- z sqrt(s**2 + tau2))**2`` with z = 1.959964 / 3.090232.

Every expected number below is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.domain.errors import SPCInputError
from workbench.spc.funnel import Z95, Z998, dl_tau2, funnel, winsorised_phi

# Ten wards of 100 patients each; 150 events in all, so the all-ward proportion is 0.15.
NUMS = [5, 10, 10, 15, 15, 15, 20, 20, 25, 15]
TEN = pd.DataFrame({"group": [f"w{i}" for i in range(10)], "numerator": NUMS,
                    "denominator": [100] * 10})


def test_z_quantiles_are_the_normal_ones() -> None:
    from scipy.stats import norm

    assert Z95 == pytest.approx(norm.ppf(0.975), abs=1e-6)    # two-sided 95%
    assert Z998 == pytest.approx(norm.ppf(0.999), abs=1e-6)   # two-sided 99.8%


def test_unadjusted_proportion_limits_by_hand() -> None:
    # Two wards: 10/100 and 30/200 ... with 50/300 more: total 90/600, target p0 = 0.15.
    frame = pd.DataFrame({"group": ["a", "b", "c"], "numerator": [10, 30, 50],
                          "denominator": [100, 200, 300]})
    r = funnel(frame, kind="proportion")
    assert r.target == pytest.approx(0.15)
    # asin(sqrt(0.15)) = 0.3976994; for n = 100, s = 1/(2*10) = 0.05
    # 95%:   sin(0.3976994 -/+ 1.959964*0.05)**2 = sin(0.2997012)**2, sin(0.4956976)**2
    #        = 0.0871636, 0.2262386
    # 99.8%: sin(0.3976994 -/+ 3.090232*0.05)**2 = 0.0579836, 0.2751746
    lim = r.limits([100, 200]).set_index("denominator")
    assert lim.loc[100, "lower95"] == pytest.approx(0.0871636, abs=1e-6)
    assert lim.loc[100, "upper95"] == pytest.approx(0.2262386, abs=1e-6)
    assert lim.loc[100, "lower998"] == pytest.approx(0.0579836, abs=1e-6)
    assert lim.loc[100, "upper998"] == pytest.approx(0.2751746, abs=1e-6)
    # n = 200: s = 1/(2*sqrt(200)) = 0.0353553; 95%: sin(0.3976994 -/+ 0.0692952)**2
    assert lim.loc[200, "lower95"] == pytest.approx(0.1040275, abs=1e-6)
    assert lim.loc[200, "upper95"] == pytest.approx(0.2026843, abs=1e-6)
    # ward a: 0.10 sits inside 0.0871636..0.2262386
    assert r.groups.set_index("group").loc["a", "outside"] == ""


def test_large_denominators_agree_with_spiegelhalters_normal_approximation() -> None:
    # Spiegelhalter (2005) Table I: p0 +/- z sqrt(p0 (1 - p0) / n).  The arcsine scale is the
    # variance-stabilised form of the same limits, so they meet as n grows.
    frame = pd.DataFrame({"group": ["a", "b"], "numerator": [150, 450],
                          "denominator": [1000, 3000]})
    r = funnel(frame)
    n = 20000.0
    lim = r.limits([n]).iloc[0]
    half = Z95 * math.sqrt(0.15 * 0.85 / n)   # 1.959964 * 0.0025249 = 0.0049487
    assert lim["lower95"] == pytest.approx(0.15 - half, abs=5e-5)
    assert lim["upper95"] == pytest.approx(0.15 + half, abs=5e-5)


def test_phi_and_tau2_by_hand() -> None:
    # z_i = (asin(sqrt(p_i)) - asin(sqrt(0.15))) / 0.05:
    #   p = 0.05 -> -3.443720; 0.10 -> -1.518977; 0.15 -> 0; 0.20 -> 1.318964; 0.25 -> 2.517987
    # sorted: -3.443720, -1.518977, -1.518977, 0, 0, 0, 0, 1.318964, 1.318964, 2.517987
    # 10% and 90% linear quantiles (R type 7): position 0.9 and 8.1 of 0..9
    #   lo = -3.443720 + 0.9 * (-1.518977 + 3.443720) = -1.711452
    #   hi =  1.318964 + 0.1 * ( 2.517987 - 1.318964) =  1.438866
    # winsorised squares: 1.711452**2 + 2 * 1.518977**2 + 2 * 1.318964**2 + 1.438866**2
    #   = 2.929067 + 4.614584 + 3.479332 + 2.070336 = 13.093319 -> phi = 1.3093319
    r = funnel(TEN, kind="proportion", adjust="additive")
    assert r.phi == pytest.approx(1.3093317, abs=1e-6)
    # w = 1/s**2 = 400 for each ward: sum w = 4000, sum w**2 / sum w = 1.6e6 / 4000 = 400
    # tau2 = (10 * 1.3093317 - 9) / (4000 - 400) = 4.093317 / 3600 = 0.00113703
    assert r.tau2 == pytest.approx(0.0011370326, abs=1e-9)
    # additive 95% at n = 100: sqrt(0.0025 + 0.0011370) = 0.0603078
    #   sin(0.3976994 -/+ 1.959964 * 0.0603078)**2 = 0.0761061, 0.2433630
    lim = r.limits([100]).iloc[0]
    assert lim["lower95"] == pytest.approx(0.0761061, abs=1e-6)
    assert lim["upper95"] == pytest.approx(0.2433630, abs=1e-6)


def test_multiplicative_adjustment_by_hand() -> None:
    r = funnel(TEN, kind="proportion", adjust="multiplicative")
    # 95% at n = 100: s * sqrt(phi) = 0.05 * sqrt(1.3093317) = 0.0572130
    #   sin(0.3976994 -/+ 1.959964 * 0.0572130)**2 = 0.0793541, 0.2381763
    lim = r.limits([100]).iloc[0]
    assert lim["lower95"] == pytest.approx(0.0793541, abs=1e-6)
    assert lim["upper95"] == pytest.approx(0.2381763, abs=1e-6)
    # the ward at 0.05 is below the unadjusted 99.8% limit (0.0579836) and, with phi, below
    # the 95% limit only: sin(0.3976994 - 3.090232 * 0.0572130)**2 = 0.0488...
    plain = funnel(TEN).groups.set_index("group")
    adj = r.groups.set_index("group")
    assert plain.loc["w0", "outside"] == "below 99.8%"
    assert adj.loc["w0", "outside"] == "below 95%"


def test_no_overdispersion_gives_no_tau_and_phi_below_one_does_not_narrow() -> None:
    # every ward at the target: every z is 0, phi = 0 < 1, tau2 = 0 (I phi < I - 1)
    same = pd.DataFrame({"group": list("abc"), "numerator": [10, 20, 30],
                         "denominator": [100, 200, 300]})
    r = funnel(same, adjust="multiplicative")
    assert r.phi == 0.0 and r.tau2 == 0.0
    plain = funnel(same).limits([100])
    pd.testing.assert_frame_equal(r.limits([100]), plain)
    assert dl_tau2(0.5, np.array([0.05, 0.05, 0.05])) == 0.0


def test_rate_limits_by_hand() -> None:
    # 4 events in 2.0 (thousand bed days), 10 in 5.0, 6 in 3.0: target rate 20 / 10 = 2.0
    frame = pd.DataFrame({"group": list("abc"), "numerator": [4, 10, 6],
                          "denominator": [2.0, 5.0, 3.0]})
    r = funnel(frame, kind="rate")
    assert r.target == pytest.approx(2.0)
    # square-root scale: sqrt(2) = 1.4142136; t = 5 -> s = 1/(2 sqrt 5) = 0.2236068
    # 95%: 1.959964 * 0.2236068 = 0.4382613
    #      (1.4142136 - 0.4382613)**2 = 0.9759523**2 = 0.9524829
    #      (1.4142136 + 0.4382613)**2 = 1.8524749**2 = 3.4316633
    lim = r.limits([5.0]).iloc[0]
    assert lim["lower95"] == pytest.approx(0.9524829, abs=1e-6)
    assert lim["upper95"] == pytest.approx(3.4316633, abs=1e-6)


def test_winsorised_phi_matches_numpy_quantiles() -> None:
    z = np.array([-3.0, -1.0, 0.0, 1.0, 5.0])
    # 10%/90% quantiles of 5 values (R type 7): positions 0.4 and 3.6 of 0..4
    #   lo = -3 + 0.4 * (-1 + 3) = -2.2;  hi = 1 + 0.6 * (5 - 1) = 3.4
    # winsorised: -2.2, -1, 0, 1, 3.4 -> squares 4.84 + 1 + 0 + 1 + 11.56 = 18.4 -> phi = 3.68
    assert winsorised_phi(z) == pytest.approx(3.68)


@pytest.mark.parametrize(("frame", "needle"), [
    (pd.DataFrame({"group": ["a"], "numerator": [5], "denominator": [0]}), "row 1 (a)"),
    (pd.DataFrame({"group": ["a", "b"], "numerator": [5, 12], "denominator": [10, 10]}),
     "row 2 (b): a proportion's numerator (12) cannot exceed"),
    (pd.DataFrame({"group": ["a"], "numerator": ["many"], "denominator": [10]}), "numbers"),
    (pd.DataFrame({"group": [], "numerator": [], "denominator": []}), "at least one ward"),
])
def test_bad_input_names_the_row(frame: pd.DataFrame, needle: str) -> None:
    with pytest.raises(SPCInputError, match=needle.replace("(", r"\(").replace(")", r"\)")):
        funnel(frame)


def test_unknown_adjustment_is_refused() -> None:
    with pytest.raises(SPCInputError, match="multiplicative"):
        funnel(TEN, adjust="phi-ish")


@settings(max_examples=60, deadline=None)
@given(p0=st.floats(0.01, 0.99), n=st.floats(1.0, 5000.0), shrink=st.floats(0.05, 0.95),
       kind=st.sampled_from(["proportion", "rate"]),
       adjust=st.sampled_from(["none", "multiplicative", "additive"]))
def test_limits_widen_as_the_denominator_falls(p0: float, n: float, shrink: float, kind: str,
                                               adjust: str) -> None:
    frame = pd.DataFrame({"group": ["a", "b", "c", "d"],
                          "numerator": [p0 * 100, p0 * 50, min(100.0, p0 * 120), p0 * 80],
                          "denominator": [100.0, 100.0, 100.0, 100.0]})
    r = funnel(frame, kind=kind, adjust=adjust)
    big, small = r.limits([n]).iloc[0], r.limits([n * shrink]).iloc[0]
    for level in ("95", "998"):
        assert small[f"upper{level}"] >= big[f"upper{level}"] - 1e-12
        assert small[f"lower{level}"] <= big[f"lower{level}"] + 1e-12
        assert (small[f"upper{level}"] - small[f"lower{level}"]) >= \
            (big[f"upper{level}"] - big[f"lower{level}"]) - 1e-12
