"""The vectorised engine against a slow, loop-by-loop reading of SPC.md written independently here.

The oracle below shares no code with the engine: plain Python lists and loops, one phase at a
time, each rule written as "is there a window containing this point that ...".  Hypothesis feeds
both random series (ties, points on the centre, missing values, phases, exclusions, freeze,
every chart, both profiles, every option) and every column must agree: lines to 1e-9 relative,
flags and runs statistics exactly.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

from workbench.spc import analyse

NAN = math.nan


def _mean(xs: list[float]) -> float:
    return sum(xs) / len(xs) if xs else NAN


def _median(xs: list[float]) -> float:
    if not xs:
        return NAN
    s = sorted(xs)
    return (s[(len(s) - 1) // 2] + s[len(s) // 2]) / 2


def _amr(seq: list[float], screen: bool) -> float:
    mrs = [abs(b - a) for a, b in zip(seq, seq[1:], strict=False)
           if not (math.isnan(a) or math.isnan(b))]
    m = _mean(mrs)
    if screen and mrs:
        m = _mean([r for r in mrs if r < 3.267 * m])
    return m


def _lines(chart, profile, v, y, n, base, screen):
    """Centre and per-point lines of one phase (lists over the phase's points).

    ``base`` lists the phase positions that are baseline and included (missing values too).
    """
    k = len(v)
    vals = [v[i] for i in base if not math.isnan(v[i])]
    if chart == "run":
        return [_median(vals)] * k, *([[NAN] * k] * 4)
    if chart in ("i", "t"):
        w = [x ** (1 / 3.6) for x in v] if chart == "t" else v
        cl = _mean([w[i] for i in base if not math.isnan(w[i])])
        mdc = profile == "mdc" and chart == "i"
        amr = _amr([w[i] if mdc else w[i] - cl for i in base], screen)
        if mdc:
            out = [cl, cl - 2.66 * amr, cl + 2.66 * amr, cl - 2 * (2.66 / 3) * amr,
                   cl + 2 * (2.66 / 3) * amr]
        else:
            s = amr / 1.128
            out = [cl, cl - 3 * s, cl + 3 * s, cl - 2 * s, cl + 2 * s]
        if chart == "t":
            out = [x ** 3.6 if not (math.isnan(x) or x < 0) else (0.0 if j in (1, 3) else NAN)
                   for j, x in enumerate(out)]
        return [[x] * k for x in out]
    if chart == "mr":
        cl = _mean(vals)
        zero = NAN if math.isnan(cl) else 0.0
        return [cl] * k, [zero] * k, [3.267 * cl] * k, [zero] * k, [2.178 * cl] * k
    if chart == "c":
        cl = _mean(vals)
        sd = [math.sqrt(cl) if cl == cl else NAN] * k
        m = [cl] * k
    elif chart == "g":
        mean = _mean(vals)
        sd = [math.sqrt(mean * (mean + 1)) if mean == mean else NAN] * k
        m = [mean] * k
    else:
        num = [y[i] for i in base if not math.isnan(v[i])]
        den = [n[i] for i in base if not math.isnan(v[i])]
        cl = sum(num) / sum(den) if den else NAN
        m = [cl] * k
        sd = [math.sqrt(cl * (1 - cl) / n[i]) if chart in ("p", "pp") else math.sqrt(cl / n[i])
              for i in range(k)]
        if chart in ("pp", "up"):
            z = [(v[i] - cl) / sd[i] if sd[i] else NAN for i in range(k)]
            sz = _amr([z[i] for i in base], screen) / 1.128
            sd = [s * sz for s in sd]
    lo = [max(a - 3 * s, 0.0) if not math.isnan(a - 3 * s) else NAN for a, s in zip(m, sd, strict=True)]
    lo2 = [max(a - 2 * s, 0.0) if not math.isnan(a - 2 * s) else NAN for a, s in zip(m, sd, strict=True)]
    hi = [a + 3 * s for a, s in zip(m, sd, strict=True)]
    hi2 = [a + 2 * s for a, s in zip(m, sd, strict=True)]
    if chart in ("p", "pp"):
        hi = [min(h, 1.0) if not math.isnan(h) else NAN for h in hi]
        hi2 = [min(h, 1.0) if not math.isnan(h) else NAN for h in hi2]
    centre = [_median(vals)] * k if chart == "g" else m
    return centre, lo, hi, lo2, hi2


def _gt(a: float, b: float) -> bool:
    return not (math.isnan(a) or math.isnan(b)) and a > b


def _flags(v, cl, lcl, ucl, lcl2, ucl2, inc, kw):
    k = len(v)
    ok = [inc[i] and not math.isnan(v[i]) for i in range(k)]
    out = [_gt(v[i], ucl[i]) or _gt(lcl[i], v[i]) for i in range(k)]
    beyond = [_gt(v[i], ucl2[i]) or _gt(lcl2[i], v[i]) for i in range(k)]
    close = [beyond[i] and not out[i] for i in range(k)]
    counted = [ok[i] and ((beyond[i] or out[i]) if kw["two_of_three_beyond_limits"]
                          else close[i]) for i in range(k)]
    side = [(1 if v[i] > cl[i] else -1 if v[i] < cl[i] else 0) if ok[i] and not math.isnan(cl[i])
            else 0 for i in range(k)]
    shift, trend, two = [False] * k, [False] * k, [False] * k
    inner, first = [0] * k, [0] * k  # direction of a trend the point is inside / starts
    s, t = kw["shift_n"], kw["trend_n"]
    for a in range(k - s + 1):
        w = side[a:a + s]
        if w[0] != 0 and all(x == w[0] for x in w):
            for i in range(a, a + s):
                shift[i] = True
    for a in range(k - t + 1):
        if not all(ok[i] for i in range(a, a + t)):
            continue
        steps = {(v[i + 1] > v[i]) - (v[i + 1] < v[i]) for i in range(a, a + t - 1)}
        if steps in ({1}, {-1}):
            d = steps.pop()
            first[a] = first[a] or d
            for i in range(a, a + t):
                trend[i] = True
            for i in range(a + 1, a + t):
                inner[i] = d
    tdir = [inner[i] or first[i] for i in range(k)]
    for a in range(k - 2):
        w = side[a:a + 3]
        if w[0] != 0 and w[0] == w[1] == w[2] and sum(counted[a:a + 3]) >= 2:
            for i in range(a, a + 3):
                two[i] = two[i] or counted[i]
    rule, direction = [], []
    for i in range(k):
        if out[i]:
            rule.append("outside_limits")
            direction.append(1 if _gt(v[i], ucl[i]) else -1)
        elif trend[i]:
            rule.append("trend")
            direction.append(tdir[i])
        elif two[i] or shift[i]:
            rule.append("two_of_three" if two[i] else "shift")
            direction.append(side[i])
        else:
            rule.append("")
            direction.append(0)
    return close, out, trend, two, shift, rule, direction


def _runs(v, cl, inc):
    sides = [1 if v[i] > cl[i] else -1 for i in range(len(v))
             if inc[i] and not math.isnan(v[i]) and not math.isnan(cl[i]) and v[i] != cl[i]]
    n = len(sides)
    if not n:
        return n, None, None, None, None
    runs, longest, cur = 1, 1, 1
    for a, b in zip(sides, sides[1:], strict=False):
        cur = cur + 1 if a == b else 1
        runs += a != b
        longest = max(longest, cur)
    return n, longest, round(math.log2(n)) + 3, runs - 1, int(stats.binom.ppf(0.05, n - 1, 0.5))


def oracle(y, n, phase, inc, chart, kw):
    """Expected columns for one series sorted by x."""
    rows, phases = [], []
    for p in sorted(set(phase)):
        ix = [i for i in range(len(y)) if phase[i] == p]
        yy, nn, ii = [y[i] for i in ix], [n[i] for i in ix], [inc[i] for i in ix]
        if chart == "mr":
            v = [NAN] + [abs(b - a) for a, b in zip(yy, yy[1:], strict=False)]
        elif chart in ("p", "u", "pp", "up"):
            v = [a / b if not math.isnan(a) else NAN for a, b in zip(yy, nn, strict=True)]
        else:
            v = list(yy)
        frozen = kw["freeze"] or len(ix)
        base = [j for j in range(len(ix)) if j < frozen and ii[j]]
        cl, lcl, ucl, lcl2, ucl2 = _lines(chart, kw["profile"], v, yy, nn, base,
                                          kw["screen_outliers"])
        flags = _flags(v, cl, lcl, ucl, lcl2, ucl2, ii, kw)
        runs = _runs(v, cl, ii)
        phases.append((sum(ii), *runs))
        for j in range(len(ix)):
            rows.append((v[j], cl[j], lcl[j], ucl[j], lcl2[j], ucl2[j],
                         *(f[j] for f in flags)))
    return rows, phases


@st.composite
def series(draw: st.DrawFn):
    length = draw(st.integers(1, 40))
    chart = draw(st.sampled_from(["run", "i", "mr", "p", "u", "c", "pp", "up", "g", "t"]))
    top = draw(st.sampled_from([0, 1, 2, 9]))  # small ranges give ties and constant runs
    ys = draw(st.lists(st.one_of(st.integers(0, top).map(float), st.just(NAN)),
                       min_size=length, max_size=length))
    extra = draw(st.lists(st.integers(1, 6), min_size=length, max_size=length))
    y = [a + 0.5 if chart == "t" and not math.isnan(a) else a for a in ys]
    n = [NAN if math.isnan(a) else a + b for a, b in zip(ys, extra, strict=True)]
    xs = list(range(1, length + 1))
    kw = {
        "profile": draw(st.sampled_from(["mdc", "anhoej"])),
        "phase_starts": draw(st.lists(st.sampled_from(xs), max_size=2, unique=True)),
        "exclude": draw(st.lists(st.sampled_from(xs), max_size=3, unique=True)),
        "freeze": draw(st.one_of(st.none(), st.integers(1, 12))),
        "screen_outliers": draw(st.booleans()),
        "two_of_three_beyond_limits": draw(st.booleans()),
        "shift_n": draw(st.integers(2, 8)),
        "trend_n": draw(st.integers(3, 8)),
    }
    return chart, y, n, kw


def _close(a: float, b: float) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(series())
def test_engine_matches_the_loop_oracle(case) -> None:
    chart, y, n, kw = case
    frame = pd.DataFrame({"date": range(1, len(y) + 1), "value": y, "denominator": n})
    res = analyse(frame, chart=chart, **kw)
    starts = sorted(s for s in kw["phase_starts"] if s > 1)
    phase = [1 + sum(x >= s for s in starts) for x in frame["date"]]
    inc = [x not in kw["exclude"] for x in frame["date"]]
    rows, phases = oracle(y, n, phase, inc, chart, kw)
    p = res.points
    cols = ["y", "cl", "lcl", "ucl", "lcl_2s", "ucl_2s"]
    got = p[cols].to_numpy()
    for i, row in enumerate(rows):
        for j, name in enumerate(cols):
            assert _close(float(got[i, j]), row[j]), (i, name, got[i, j], row[j])
        close, out, trend, two, shift, rule, direction = row[6:]
        assert (p["close_to_limits"].iloc[i], p["outside_limits"].iloc[i], p["trend"].iloc[i],
                p["two_of_three"].iloc[i], p["shift"].iloc[i]) == (close, out, trend, two, shift), i
        assert p["rule"].iloc[i] == rule, i
        assert p["direction"].iloc[i] == {1: "high", -1: "low", 0: ""}[direction], i
    ph = res.phases
    assert len(ph) == len(phases)
    for k, (n_obs, n_useful, longest, lmax, cross, cmin) in enumerate(phases):
        assert ph["n_obs"].iloc[k] == n_obs and ph["n_useful"].iloc[k] == n_useful
        for name, value in (("longest_run", longest), ("longest_run_max", lmax),
                            ("crossings", cross), ("crossings_min", cmin)):
            got_value = ph[name].iloc[k]
            assert (got_value is pd.NA) if value is None else got_value == value, (k, name)
        expect = bool(n_useful) and (longest > lmax or cross < cmin) and chart != "mr"
        assert bool(ph["runs_signal"].iloc[k]) == expect


def test_oracle_can_fail() -> None:
    """The comparison is not vacuous: the oracle and the engine disagree when options differ."""
    y = [1.0, 2, 3, 4, 5, 6, 7, 3, 3, 3]
    kw = {"profile": "mdc", "freeze": None, "screen_outliers": True,
          "two_of_three_beyond_limits": True, "shift_n": 7, "trend_n": 7}
    rows, _ = oracle(y, [NAN] * 10, [1] * 10, [True] * 10, "i", kw)
    assert [r[8] for r in rows] == [True] * 7 + [False] * 3
    engine = analyse(pd.DataFrame({"date": range(1, 11), "value": y}), chart="i", trend_n=8)
    assert not engine.points["trend"].any()
    assert np.isclose(rows[0][3], engine.points["ucl"].iloc[0])
