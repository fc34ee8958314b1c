"""Published textbook examples (Montgomery, Introduction to Statistical Quality Control).

Textbook limits are printed to 2 or 4 decimals after rounding the centre, so they are compared
with a tolerance of that size; the exact values are also checked against the formula.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from workbench.spc import analyse

# Montgomery, "Introduction to Statistical Quality Control", c chart example: nonconformities in
# 26 successive samples of 100 printed circuit boards.  Published: c-bar = 19.85, UCL = 33.22,
# LCL = 6.48; samples 6 and 20 are outside; without them c-bar = 19.67, UCL = 32.97, LCL = 6.36.
# (The data sum to 516 = 26 x 19.846 and 472 = 24 x 19.667, which confirms the transcription.)
BOARDS = [21, 24, 16, 12, 15, 5, 28, 20, 31, 25, 20, 24, 16, 19, 10, 17, 13, 22, 18, 39, 30, 24,
          16, 19, 17, 15]

# Montgomery, p chart example: frozen orange juice concentrate cans, 30 samples of n = 50,
# number of nonconforming cans.  Published: p-bar = 0.2313, UCL = 0.4102, LCL = 0.0524; samples
# 15 and 23 are above the UCL and have assignable causes; the revised limits without them are
# p-bar = 0.2150, UCL = 0.3893, LCL = 0.0407.  (347 / 1500 = 0.2313 and 301 / 1400 = 0.2150.)
CANS = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22, 8, 10, 5, 13, 11, 20, 18, 24, 15,
        9, 12, 7, 13, 9, 6]


@pytest.mark.parametrize("profile", ["mdc", "anhoej"])
def test_montgomery_c_chart_circuit_boards(profile: str) -> None:
    df = pd.DataFrame({"date": range(1, 27), "value": BOARDS})
    r = analyse(df, chart="c", profile=profile)
    p = r.points
    assert p["cl"].iloc[0] == pytest.approx(19.85, abs=0.005)
    assert p["ucl"].iloc[0] == pytest.approx(33.22, abs=0.01)
    assert p["lcl"].iloc[0] == pytest.approx(6.48, abs=0.005)
    cbar = 516 / 26
    assert p["ucl"].iloc[0] == pytest.approx(cbar + 3 * math.sqrt(cbar), rel=1e-12)
    assert p.index[p["outside_limits"]].tolist() == [5, 19]  # samples 6 and 20
    revised = analyse(df, chart="c", profile=profile, exclude=[6, 20])
    q = revised.points
    assert q["cl"].iloc[0] == pytest.approx(19.67, abs=0.005)
    assert q["ucl"].iloc[0] == pytest.approx(32.97, abs=0.005)
    assert q["lcl"].iloc[0] == pytest.approx(6.36, abs=0.005)
    assert q.index[q["outside_limits"]].tolist() == [5, 19]  # still drawn and tested


@pytest.mark.parametrize("profile", ["mdc", "anhoej"])
def test_montgomery_p_chart_orange_juice_cans(profile: str) -> None:
    df = pd.DataFrame({"date": range(1, 31), "value": CANS, "denominator": 50})
    r = analyse(df, chart="p", profile=profile)
    p = r.points
    assert p["cl"].iloc[0] == pytest.approx(0.2313, abs=5e-5)
    assert p["ucl"].iloc[0] == pytest.approx(0.4102, abs=1e-4)
    assert p["lcl"].iloc[0] == pytest.approx(0.0524, abs=1e-4)
    assert (p.index[p["outside_limits"]] + 1).tolist() == [15, 23]
    revised = analyse(df, chart="p", profile=profile, exclude=[15, 23])
    q = revised.points
    assert q["cl"].iloc[0] == pytest.approx(0.2150, abs=5e-5)
    assert q["ucl"].iloc[0] == pytest.approx(0.3893, abs=1e-4)
    assert q["lcl"].iloc[0] == pytest.approx(0.0407, abs=1e-4)
    pbar = 301 / 1400
    assert q["ucl"].iloc[0] == pytest.approx(pbar + 3 * math.sqrt(pbar * (1 - pbar) / 50),
                                             rel=1e-12)
    assert revised.phases["n_obs"].iloc[0] == 28
