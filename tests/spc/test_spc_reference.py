"""Cross-checks against published output of the reference implementation.

NHSRplotthedots' own test snapshots (tests/testthat/_snaps/ptd_spc_standard.md and ptd_spc.md in
the nhs-r-community/NHSRplotthedots repository) print the XmR limits for R's
``set.seed(123); rnorm(20)``: mean 0.142, lpl -3.01, upl 3.29, all 20 points common cause; split
into two facets of 10: 0.0746 / -2.60 / 2.75 and 0.209 / -3.28 / 3.70; with a target of 0.5 the
assurance is computed (inside the limits: inconsistent).  The values of ``rnorm(20)`` under seed
123 are R's well-known sequence, to 8 decimals.
"""

from __future__ import annotations

import pandas as pd
import pytest

from workbench.spc import analyse, analyse_many

RNORM_123 = [-0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499,
             0.46091621, -1.26506123, -0.68685285, -0.44566197, 1.22408180, 0.35981383,
             0.40077145, 0.11068272, -0.55584113, 1.78691314, 0.49785048, -1.96661716,
             0.70135590, -0.47279141]


def test_nhsrplotthedots_snapshot_single_series() -> None:
    df = pd.DataFrame({"date": pd.date_range("2020-01-01", periods=20), "value": RNORM_123})
    r = analyse(df, chart="i", profile="mdc", target=0.5)
    assert r.summary["cl"] == pytest.approx(0.142, abs=5e-4)
    assert r.summary["lcl"] == pytest.approx(-3.01, abs=5e-3)
    assert r.summary["ucl"] == pytest.approx(3.29, abs=5e-3)
    assert (r.points["point_type"] == "common_cause").all()
    assert r.summary["variation"] == "common_cause"
    assert r.summary["assurance"] == "inconsistent"
    # a rebase on the first date (the snapshot's rebase = '2020-01-01') changes nothing
    same = analyse(df, chart="i", phase_starts=["2020-01-01"])
    assert same.phases["phase"].tolist() == [1]
    assert same.summary["ucl"] == r.summary["ucl"]


def test_nhsrplotthedots_snapshot_two_facets() -> None:
    df = pd.DataFrame({"date": list(range(1, 11)) * 2, "f": [0] * 10 + [1] * 10,
                       "value": RNORM_123})
    s = analyse_many(df, by="f", chart="i").summary
    assert s["cl"].tolist() == pytest.approx([0.0746, 0.209], abs=5e-4)
    assert s["lcl"].tolist() == pytest.approx([-2.60, -3.28], abs=5e-3)
    assert s["ucl"].tolist() == pytest.approx([2.75, 3.70], abs=5e-3)
    assert (s["variation"] == "common_cause").all()
