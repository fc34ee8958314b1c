"""Judge a cycle (or a ward's measures) as of a day: the one answer every surface reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from workbench.catalogue import load_catalogue
from workbench.domain.catalogue import Measure
from workbench.domain.records import Cycle, CycleStatus
from workbench.services import verdict_words as vw
from workbench.services.judgement import rules as r
from workbench.services.judgement.model import (
    CycleJudgement,
    MeasureVerdict,
    WardJudgement,
    WardMeasure,
    Window,
)
from workbench.services.judgement.points import points_short
from workbench.services.judgement.predictions import disagreements, read_prediction, recommend
from workbench.store.workspace import Workspace

_RATES = ("p", "pp", "u", "up")


def test_end(cycle: Cycle) -> dt.date:
    """The test's last day: the day before ``end`` (a 14-day test from ``start``)."""
    end = cycle.end or cycle.start + dt.timedelta(days=14)
    return end - dt.timedelta(days=1)


def _level(values: np.ndarray, dens: np.ndarray, measure: Measure) -> float | None:
    if values.size == 0:
        return None
    if measure.chart.value in _RATES:
        den = float(np.nansum(dens))
        return float(np.nansum(values)) / den if den > 0 else None
    return float(np.nanmean(values))


def _baseline_rows(dates: np.ndarray, baseline_from: dt.date | None,
                   until: np.datetime64) -> tuple[np.ndarray, int]:
    """Rows of a frozen analysis: the baseline (from *baseline_from*, before *until*), then
    every point from *until* on; and how many of them are the baseline."""
    in_base = dates < until
    if baseline_from is not None:
        in_base &= dates >= np.datetime64(baseline_from, "ns")
    rows = np.concatenate([np.flatnonzero(in_base), np.flatnonzero(dates >= until)])
    return rows, int(in_base.sum())


def _frozen(measure: Measure, data: pd.DataFrame, rows: np.ndarray, b: int,
            improvement: str) -> Any:
    """The SPC analysis of *rows* with the limits of their first *b* (the baseline) frozen."""
    from workbench.spc import analyse

    return analyse(data.take(rows), chart=measure.chart.value, x="date", y="value",
                   n="denominator", improvement=improvement, freeze=b)


def judge_window(measure: Measure, data: pd.DataFrame, baseline_from: dt.date | None,
                 start: dt.date, last: dt.date, *, complete: bool,
                 baseline_until: dt.date | None = None,
                 runs_to: dt.date | None = None, with_chance: bool = True,
                 memo: dict[Any, Any] | None = None) -> MeasureVerdict:
    """The rules of :mod:`.rules` on the points from *start* to *last* against the baseline.

    Parameters
    ----------
    measure : Measure
    data : DataFrame
        ``date, value, denominator`` up to as-of, in date order.
    baseline_from : date or None
        First day of the baseline (None: all points before *start*).
    start, last : date
        The window's first and last day (inclusive).
    complete : bool
        Whether the window has ended (as-of on or after its last day): only then can "no
        unusual change" be said.
    baseline_until : date, optional
        The day the baseline stops (exclusive; default *start*): the change date when the
        window is the time since the test.
    runs_to : date, optional
        The window's planned last day, named while it is still running.
    with_chance : bool
        Compute the chance figure of a call (False for the "held since" reading).
    memo : dict, optional
        Holds the frozen analysis between calls on the same *data* and baseline.
    """
    dates = data["date"].to_numpy(dtype="datetime64[ns]")
    t0, t1 = np.datetime64(start, "ns"), np.datetime64(last, "ns")
    until = np.datetime64(baseline_until or start, "ns")
    rows, b = _baseline_rows(dates, baseline_from, until)
    in_test = (dates >= t0) & (dates <= t1)
    t = int(in_test.sum())
    values = data["value"].to_numpy(dtype=float)
    dens = data["denominator"].to_numpy(dtype=float)
    common: dict[str, Any] = {"measure": measure.id, "name": measure.name,
                              "window": Window(start, last),
                              "improvement": measure.improvement.value,
                              "test_mean": _level(values[in_test], dens[in_test], measure)}
    if b < r.MIN_BASELINE_POINTS:
        return MeasureVerdict(verdict="too_early", direction=None, test_points=t,
                              baseline_points=b, chance=None,
                              rule=f"only {b} point{'s' if b != 1 else ''} before the change; "
                                   f"{r.MIN_BASELINE_POINTS} are needed to set the limits",
                              **common)
    key = (measure.id, id(data), baseline_from, baseline_until or start)
    if memo is not None and key in memo:
        lines, centre = memo[key]
    else:
        # the limits are frozen, so one analysis serves the test window and the time since
        pts = _frozen(measure, data, rows, b, "neutral").points
        lines = {"date": dates[rows[b:]],
                 **{c: pts[c].to_numpy(dtype=float)[b:] for c in ("y", "cl", "lcl", "ucl")}}
        centre = float(pts["cl"].iloc[0])
        if memo is not None:
            memo[key] = (lines, centre)
    if t == 0:
        return MeasureVerdict(verdict="too_early", direction=None, test_points=0,
                              baseline_points=b, chance=None, baseline_centre=centre,
                              rule="no counts in the test window yet", **common)
    keep = (lines["date"] >= t0) & (lines["date"] <= t1)
    got = r.fire(lines["y"][keep], lines["cl"][keep], lines["lcl"][keep], lines["ucl"][keep])
    direction = None
    if got.up and got.down:  # rare: keep the side with more evidence
        direction = "up" if (got.beyond_up, got.run_up) >= (got.beyond_down, got.run_down) \
            else "down"
    elif got.up or got.down:
        direction = "up" if got.up else "down"
    if direction is not None:
        beyond = got.beyond_up if direction == "up" else got.beyond_down
        run = got.run_up if direction == "up" else got.run_down
        parts = []
        if beyond >= r.RULES.beyond_n:
            parts.append(vw.beyond_words(beyond, direction))
        if run >= r.RULES.shift_n:
            parts.append(vw.run_words(run, direction))
        better = "down" if measure.improvement.value == "decrease" else "up"
        verdict = "improved" if direction == better else "worse"
        return MeasureVerdict(verdict=verdict, direction=direction, test_points=t,
                              baseline_points=b, chance=r.chance(b, t) if with_chance else None,
                              baseline_centre=centre,
                              rule=" and ".join(parts), **common)
    if complete and t >= r.MIN_TEST_POINTS:
        return MeasureVerdict(verdict="no_change", direction=None, test_points=t,
                              baseline_points=b, chance=None, baseline_centre=centre,
                              rule=f"within the limits set before the change ({t} test points, "
                                   f"{b} before)", **common)
    # a finished test short of points says what the plan form said (judgement.points)
    need = f"; {points_short(t)}" if complete else \
        f" so far; the test runs to {runs_to or last:%d %b %Y}"
    return MeasureVerdict(verdict="too_early", direction=None, test_points=t, baseline_points=b,
                          chance=None, baseline_centre=centre,
                          rule=f"no unusual change in {t} test point{'s' if t != 1 else ''}"
                               f"{need}", **common)


def _frames(ws: Workspace, ward: str, measures: list[str],
            as_of: dt.date | None) -> dict[str, pd.DataFrame]:
    from workbench.services.observations import measure_frames

    return measure_frames(ws, ward, measures, end=as_of)


def started_cycles(cycles: list[Cycle], measure: str, day: dt.date) -> list[Cycle]:
    """Cycles that changed *measure* by *day* (planned ones have not started), by start."""
    return [c for c in cycles if measure in c.measures and c.start <= day
            and c.status != CycleStatus.PLANNED]


def _baseline_from(cycle: Cycle, cycles: list[Cycle], measure: str,
                   data: pd.DataFrame) -> dt.date | None:
    """The baseline starts at the previous change to this measure on the ward, when that
    leaves enough points; else it is every point before the change."""
    earlier = [c for c in started_cycles(cycles, measure, cycle.start) if c.start < cycle.start
               and c.id != cycle.id]
    if not earlier:
        return None
    since = earlier[-1].start
    n = int(((data["date"] >= pd.Timestamp(since)) &
             (data["date"] < pd.Timestamp(cycle.start))).sum())
    return since if n >= 2 * r.MIN_BASELINE_POINTS else None


def frozen_analysis(measure: Measure, data: pd.DataFrame, cycle: Cycle,
                    cycles: list[Cycle]) -> Any:
    """The analysis the test verdict reads, for drawing: the same baseline (from the previous
    change to this measure, or every point before the change), its centre and limits frozen
    and carried through the test and the time since.  ``None`` when the baseline is too short
    to set limits (the verdict says "too early" then).

    Returns
    -------
    SPCResult or None
        Points from the baseline's first day on, coloured by the measure's better direction.
    """
    rows, b = _baseline_rows(data["date"].to_numpy(dtype="datetime64[ns]"),
                             _baseline_from(cycle, cycles, measure.id, data),
                             np.datetime64(cycle.start, "ns"))
    if b < r.MIN_BASELINE_POINTS:
        return None
    return _frozen(measure, data, rows, b, measure.improvement.value)


At = tuple[Any, str, dt.date, Any]
"""(workspace, ward id, day, measure settings): where a current-phase reading is taken."""

Now = dict[str, tuple[Any, Any]]
"""Measure id -> (variation, assurance) of the current phase, shared by one day's readings."""


def _now(measure: Measure, data: pd.DataFrame, change: dt.date | None,
         cache: Now | None = None, at: At | None = None) -> tuple[Any, Any]:
    """Making Data Count variation and assurance of the current phase (split at *change*).

    With *at* (the workspace, the ward, the day and the measure settings) the reading is the
    one the board's chart shows: at the measure's grain, with the target in force
    (:func:`workbench.services.views.grain_check`); without it, on the daily counts.
    """
    if cache is not None and measure.id in cache:
        return cache[measure.id]
    if at is not None:
        from workbench.services.views import grain_check

        ws, ward, day, settings = at
        mc = grain_check(ws, ward, measure, data, change, day, settings=settings)[0]
    else:
        from workbench.services.measure_checks import measure_check

        mc = measure_check(measure, data, change, judge=False)
    got = (mc.variation, mc.assurance)
    if cache is not None:
        cache[measure.id] = got
    return got


def _judge_measure(measure: Measure, data: pd.DataFrame, cycle: Cycle, cycles: list[Cycle],
                   day: dt.date, now: Now | None = None, at: At | None = None) -> MeasureVerdict:
    last = min(test_end(cycle), day)
    base_from = _baseline_from(cycle, cycles, measure.id, data)
    memo: dict[Any, Any] = {}
    mv = judge_window(measure, data, base_from, cycle.start, last,
                      complete=day >= test_end(cycle), runs_to=test_end(cycle), memo=memo)
    started = started_cycles(cycles, measure.id, day)
    variation, assurance = _now(measure, data, started[-1].start if started else None, now, at)
    since = None
    after = test_end(cycle) + dt.timedelta(days=1)
    if day >= after and (data["date"] >= pd.Timestamp(after)).any():
        s = judge_window(measure, data, base_from, after, day, complete=True,
                         baseline_until=cycle.start, with_chance=False, memo=memo)
        since = replace(s, window=Window(after, day))
    return replace(mv, variation=variation, assurance=assurance, since=since)


def _at(ws: Workspace, ward: str, day: dt.date) -> At:
    """Where the current-phase readings of *ward* are taken on *day* (its measure settings)."""
    from workbench.store.settings import load_settings

    return (ws, ward, day, load_settings(ws))


def _as_of(frames: dict[str, pd.DataFrame], as_of: dt.date | None) -> dt.date:
    if as_of is not None:
        return as_of
    last = max((f["date"].max() for f in frames.values() if not f.empty), default=None)
    return last.date() if last is not None else dt.date.today()


def _judge(cycle: Cycle, ward_name: str, frames: dict[str, pd.DataFrame],
           cycles: list[Cycle], day: dt.date, now: Now | None = None,
           at: At | None = None) -> CycleJudgement:
    cat = load_catalogue()
    measures = [_judge_measure(cat.measure(m), frames[m], cycle, cycles, day, now, at)
                for m in cycle.measures if m in cat.measures]
    by_id = {m.measure: m for m in measures}
    preds = [read_prediction(q, by_id.get(q.measure) if q.measure else None,
                             bool(q.measure in cat.measures and cat.measures[q.measure].is_proportion))
             for q in cycle.questions]
    rec, reason = recommend(preds)
    team = {a.question: a.verdict.value for a in cycle.study.answers} if cycle.study else {}
    return CycleJudgement(cycle, ward_name, day, measures, preds, rec, reason, team,
                          cycle.act.decision.value if cycle.act else None,
                          disagreements(cycle, preds, rec))


def judge_cycle(ws: Workspace, cycle_id: str, *, as_of: dt.date | None = None) -> CycleJudgement:
    """Did the change work? The cycle's test judged as of *as_of* (no data after it is read).

    Parameters
    ----------
    ws : Workspace
    cycle_id : str
    as_of : date, optional
        The last day read (default: the last day with data).

    Returns
    -------
    CycleJudgement
        Per measure: the test window (start to the day before ``end``, cut at as-of) against
        the frozen baseline, the rule, the points and the chance figure, plus where the process
        is now and, after the test, whether the gain held; per prediction its result; the
        recommendation; the team's record and any disagreement with it.
    """
    from workbench.services.cycles import get_cycle, list_cycles
    from workbench.services.wards import get_ward

    cycle = get_cycle(ws, cycle_id)
    ward = get_ward(ws, cycle.ward)
    frames = _frames(ws, cycle.ward, list(cycle.measures), as_of)
    day = _as_of(frames, as_of)
    return _judge(cycle, ward.name, frames, list_cycles(ws, ward=cycle.ward), day,
                  at=_at(ws, cycle.ward, day))


def ward_measures(ward: Any, cycles: list[Cycle]) -> list[str]:
    """The measures :func:`ward_from_frames` needs: the ward's and its cycles'."""
    cat = load_catalogue()
    wanted = [m for m in ward.measures if m in cat.measures]
    extra = [m for c in cycles for m in c.measures if m not in wanted and m in cat.measures]
    return list(dict.fromkeys(wanted + extra))


def ward_from_frames(ward: Any, cycles: list[Cycle], frames: dict[str, pd.DataFrame],
                     day: dt.date, now: Now | None = None,
                     judged: dict[str, CycleJudgement] | None = None,
                     at: At | None = None) -> WardJudgement:
    """:func:`judge_ward` on frames already read (up to *day*, every :func:`ward_measures`).

    *now* holds (and collects) each measure's current-phase icons already computed for the
    same day and data; *judged* the cycle judgements made (and collects those it makes).
    """
    cat = load_catalogue()
    now = {} if now is None else now
    judged = {} if judged is None else judged
    out = []
    for m in [m for m in ward.measures if m in cat.measures]:
        data = frames[m]
        started = started_cycles(cycles, m, day)
        variation, assurance = _now(cat.measure(m), data,
                                    started[-1].start if started else None, now, at)
        test = None
        if started:
            c = started[-1]
            if c.id not in judged:
                judged[c.id] = _judge(c, ward.name, frames, cycles, day, now, at)
            test = judged[c.id].measure(m)
        last = None if data.empty else data["date"].iloc[-1].date()
        out.append(WardMeasure(m, cat.measure(m).name, variation, assurance, last,
                               started[-1].id if started else None, test))
    return WardJudgement(ward.id, ward.name, day, out)


def judge_ward(ws: Workspace, ward_id: str, *, as_of: dt.date | None = None) -> WardJudgement:
    """Every measure of a ward as of *as_of* (default today): where it is now, and the verdict
    of the latest started cycle testing it.  No data after *as_of* is read."""
    from workbench.services.cycles import list_cycles
    from workbench.services.wards import get_ward

    ward = get_ward(ws, ward_id)
    day = as_of or dt.date.today()
    cycles = list_cycles(ws, ward=ward_id)
    frames = _frames(ws, ward_id, ward_measures(ward, cycles), day)
    return ward_from_frames(ward, cycles, frames, day, at=_at(ws, ward_id, day))


def _now_from(table: pd.DataFrame | None, ward: str) -> Now:
    """A ward's current-phase icons as the summary table gives them (rows with a reading)."""
    if table is None or table.empty:
        return {}
    rows = table[table["ward"] == ward]
    return {str(m): (v, None if pd.isna(a) else a)
            for m, v, a in zip(rows["measure"], rows["variation"], rows["assurance"], strict=True)
            if isinstance(v, str)}


def judge_all(ws: Workspace, *, as_of: dt.date | None = None,
              wards: list[str] | None = None,
              now_from: pd.DataFrame | None = None) -> tuple[list[WardJudgement],
                                                          list[CycleJudgement]]:
    """Every ward (or those named) and every cycle started by *as_of*, reading each ward once.

    Parameters
    ----------
    ws : Workspace
    as_of : date, optional
        The day judged (default today).
    wards : list of str, optional
        Only these wards.
    now_from : DataFrame, optional
        The summary table for the same day
        (:func:`workbench.services.summary_table.summary_table`).  Each ward x measure's
        *where is the process now?* icons are taken from it instead of being worked out a
        second time: the table reads the same analysis
        (:func:`workbench.services.views.grain_check`), vectorised.

    Returns
    -------
    tuple
        Ward judgements in ward order; cycle judgements by start date.
    """
    from workbench.services.cycles import list_cycles
    from workbench.services.wards import list_wards

    day = as_of or dt.date.today()
    all_cycles = list_cycles(ws)
    ward_out: list[WardJudgement] = []
    cycle_out: list[CycleJudgement] = []
    for ward in list_wards(ws):
        if wards is not None and ward.id not in wards:
            continue
        cycles = [c for c in all_cycles if c.ward == ward.id]
        frames = _frames(ws, ward.id, ward_measures(ward, cycles), day)
        now: Now = _now_from(now_from, ward.id)
        judged: dict[str, CycleJudgement] = {}
        at = _at(ws, ward.id, day)
        ward_out.append(ward_from_frames(ward, cycles, frames, day, now, judged, at))
        cycle_out += [judged.get(c.id) or _judge(c, ward.name, frames, cycles, day, now, at)
                      for c in cycles if c.start <= day]
    cycle_out.sort(key=lambda j: (j.cycle.start, j.cycle.id))
    return ward_out, cycle_out
