"""Unit tests of the judgement: the test window, predictions, recommendation, chance, records.

Expected verdicts follow from how each series is made (a hand-built series or a planted effect
of known size); the rules are those of ``workbench.services.judgement.rules`` (two points beyond
a baseline limit, or nine in a row on one side of the baseline centre).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from workbench.catalogue import load_catalogue
from workbench.domain.errors import WorkbenchError
from workbench.domain.records import Question
from workbench.services import verdict_words as vw
from workbench.services.judgement import (
    MeasureVerdict,
    Window,
    chance,
    judge_cycle,
    judge_ward,
    judge_window,
)
from workbench.services.judgement.predictions import read_prediction, recommend

sys.path.insert(0, str(Path(__file__).parent))
import planted  # noqa: E402

START = dt.date(2026, 3, 1)


def series(base: list[float], test: list[float]) -> pd.DataFrame:
    values = base + test
    days = [START - dt.timedelta(days=len(base)) + dt.timedelta(days=k) for k in range(len(values))]
    return pd.DataFrame({"date": pd.to_datetime(days), "value": values,
                         "denominator": [float("nan")] * len(values)})


def test_a_run_above_the_frozen_centre_is_a_change_with_its_rule_and_chance() -> None:
    # Baseline alternates 10, 12 (centre 11, MR-bar 2, limits 11 +- 5.32); the test sits at 13:
    # inside the limits, 14 in a row above the centre -> the shift rule, direction up.
    measure = load_catalogue().measure("triage_minutes")  # i chart, lower is better
    data = series([10.0, 12.0] * 10, [13.0] * 14)
    mv = judge_window(measure, data, None, START, START + dt.timedelta(days=13), complete=True)
    assert (mv.verdict, mv.direction, mv.test_points, mv.baseline_points) == \
        ("worse", "up", 14, 20)
    assert mv.rule == "14 points in a row above the centre line set before the change"
    assert mv.chance == chance(20, 14) and 0 < mv.chance < 0.1
    assert "by chance" in vw.test_line(mv)


def test_no_signal_is_no_change_only_once_the_window_is_complete() -> None:
    measure = load_catalogue().measure("triage_minutes")
    data = series([10.0, 12.0] * 10, [12.0, 10.0] * 7)
    last = START + dt.timedelta(days=13)
    done = judge_window(measure, data, None, START, last, complete=True)
    running = judge_window(measure, data, None, START, last, complete=False)
    assert done.verdict == "no_change" and done.chance is None
    assert running.verdict == "too_early"
    few = judge_window(measure, series([10.0, 12.0] * 3, [12.0] * 14), None, START, last,
                       complete=True)
    assert few.verdict == "too_early" and "needed to set the limits" in few.rule


def _mv(verdict: str, direction: str | None, mean: float | None = 0.7) -> MeasureVerdict:
    return MeasureVerdict("m", "M", verdict, direction, 14, 30, "rule", None,
                          Window(START, START), test_mean=mean)


@pytest.mark.parametrize(("expect", "level", "mv", "result"), [
    ("rise", None, _mv("improved", "up"), "held"),
    ("rise", None, _mv("no_change", None), "did_not_hold"),
    ("rise", None, _mv("too_early", None), "too_early"),
    ("fall", None, _mv("worse", "up"), "did_not_hold"),
    ("no_rise", None, _mv("improved", "down"), "held"),  # a fall holds "they will not rise"
    ("no_rise", None, _mv("no_change", None), "held"),
    ("no_rise", None, _mv("worse", "up"), "did_not_hold"),
    ("no_fall", None, _mv("worse", "down"), "did_not_hold"),
    ("no_change", None, _mv("improved", "up"), "did_not_hold"),
    ("at_least", 0.75, _mv("improved", "up", 0.6), "did_not_hold"),  # rose, short of 75%
    ("at_least", 0.5, _mv("improved", "up", 0.6), "held"),
    ("at_most", 0.5, _mv("no_change", None, 0.6), "did_not_hold"),
    ("at_least", 0.5, _mv("too_early", None, 0.6), "too_early"),
])
def test_each_expectation_reads_its_measure(expect: str, level: float | None,
                                            mv: MeasureVerdict, result: str) -> None:
    q = Question(question="Q?", prediction="P", measure="m", expect=expect, level=level)
    assert read_prediction(q, mv, proportion=True).result == result


def test_an_old_no_change_that_reads_one_sided_is_flagged_not_failed() -> None:
    q = Question(question="Q?", prediction="They will not rise", measure="m", expect="no_change")
    got = read_prediction(q, _mv("improved", "down"), proportion=False)
    assert got.result == "unclear" and "no_rise" in got.note
    same = read_prediction(q, _mv("no_change", None), proportion=False)
    assert same.result == "held" and not same.note  # both readings agree


def test_older_words_are_read_as_the_new_ones() -> None:
    assert Question(question="Q", prediction="P", measure="m", expect="increase").expect == "rise"
    assert Question(question="Q", prediction="P", measure="m", expect="decrease").expect == "fall"


def _r(result: str) -> object:
    from workbench.services.judgement import PredictionResult

    return PredictionResult("q", "m", "rise", None, result, "e")


@pytest.mark.parametrize(("results", "rec"), [
    (["held", "too_early"], "too_early"),  # the case: too early never counts as failed
    (["held", "held", "unclear"], "adopt"),
    (["held", "did_not_hold"], "adapt"),
    (["did_not_hold", "did_not_hold"], "abandon"),
    (["unclear"], "too_early"),
])
def test_recommendation(results: list[str], rec: str) -> None:
    assert recommend([_r(x) for x in results])[0] == rec  # type: ignore[misc]


def test_chance_is_fixed_cached_and_falls_with_a_longer_baseline() -> None:
    a, b = chance(28, 14), chance(28, 14)
    assert a == b and a is not None and 0.01 < a < 0.08
    long = chance(84, 14)
    assert long is not None and long <= a
    assert chance(3, 14) is None
    assert vw.chance_words(1 / 9) == "about 1 in 9 by chance"


def test_planted_shifts_are_found_and_flat_wards_left_alone(tmp_path: Path) -> None:
    p = planted.build(tmp_path / "ws", 8, 4)
    for ward in p.shifted:
        j = judge_cycle(p.ws, f"{ward}-summary", as_of=p.end)
        assert j.measure(planted.PROCESS).verdict == "improved"
        assert j.predictions[0].result == "held"
    calls = [judge_cycle(p.ws, f"{w}-summary", as_of=p.end).measure(planted.PROCESS).verdict
             for w in p.flat]
    assert calls.count("no_change") >= len(p.flat) - 1  # chance ~1 in 26 per ward


def test_as_of_reads_nothing_after_the_day(tmp_path: Path) -> None:
    p = planted.build(tmp_path / "ws", 2, 1)
    day = p.change + dt.timedelta(days=5)
    w = judge_ward(p.ws, "w00", as_of=day)
    assert all(m.last_date is not None and m.last_date <= day for m in w.measures)
    j = judge_cycle(p.ws, "w00-summary", as_of=day)
    assert j.as_of == day and all(m.test_points == 6 for m in j.measures)  # change day + 5
    assert j.recommendation == "too_early"


def test_a_decided_cycle_is_judged_on_its_own_window_and_held_since(tmp_path: Path) -> None:
    p = planted.build(tmp_path / "ws", 2, 1, after_days=30)
    j = judge_cycle(p.ws, "w00-summary")
    mv = j.measure(planted.PROCESS)
    assert mv.test_points == 14 and mv.window.end == p.end - dt.timedelta(days=1)
    assert mv.since is not None and mv.since.test_points == 30 and mv.since.verdict == "improved"


def test_decide_stores_the_chart_reading_beside_the_team_record(tmp_path: Path) -> None:
    from workbench.services.cycles import get_cycle

    p = planted.build(tmp_path / "ws", 2, 1, decided=True)
    c = get_cycle(p.ws, "w00-summary")
    assert c.study is not None and c.study.chart_as_of == p.end
    assert [r.result for r in c.study.chart] == ["held", "held"]
    assert c.study.answers == [] and c.act is not None and c.act.decision.value == "adopt"


@pytest.mark.parametrize(("change", "field"), [
    ({"expect": "goes up"}, "expect"),
    ({"expect": "at_least"}, "level"),
    ({"measure": "bruising_prompt_use"}, "questions.0.measure"),
    ({"expect": "at_least", "level": 80}, "questions.0.level"),
])
def test_bad_predictions_are_refused_and_nothing_is_written(tmp_path: Path, change: dict,
                                                            field: str) -> None:
    from workbench.services.cycles import new_cycle

    p = planted.build(tmp_path / "ws", 1, 0)
    before = sorted((f.name, f.read_bytes()) for f in p.ws.cycles_dir.glob("*.yaml"))
    q = {"question": "Q?", "prediction": "P", "measure": planted.PROCESS, "expect": "rise",
         **change}
    with pytest.raises(WorkbenchError) as err:
        new_cycle(p.ws, {"id": "bad", "ward": "w00", "theme": "fragmented_records",
                         "change_idea": "same_day_gp_summary", "owner": "O", "objective": "O",
                         "start": planted.CHANGE, "measures": [planted.PROCESS, planted.OUTCOME],
                         "questions": [q], "active_reason": "test"})
    assert field in str(err.value)
    assert sorted((f.name, f.read_bytes()) for f in p.ws.cycles_dir.glob("*.yaml")) == before


def test_the_shipped_chance_table_is_what_the_engine_simulates() -> None:
    # The file is a cache: a few entries recomputed with the same engine and seed match exactly.
    from workbench.services.judgement import rules

    table = rules._table()
    assert len(table) == len(rules.BASELINE_GRID) * len(rules.TABLE_TESTS)
    for baseline, test in ((28, 14), (42, 9), (10, 3)):
        key = rules._key(rules.RULES, baseline, test)
        assert table[key] == rules._chance(rules.RULES, baseline, test)


def test_icons_taken_from_the_summary_table_are_the_ones_worked_out(demo_copy: Any) -> None:
    """The roll-up judges every ward with the summary table's current-phase icons
    (``now_from``) instead of working each out again; nothing it says may change.  A target
    makes assurance part of the comparison."""
    from workbench.services.judgement import judge_all
    from workbench.services.summary_table import summary_table
    from workbench.services.targets import set_target

    ws = demo_copy
    set_target(ws, "nh-ucc", "bruising_prompt_use", "80%", dt.date(2026, 9, 1))
    day = dt.date(2026, 12, 3)
    table = summary_table(ws, today=day)
    wards, cycles = judge_all(ws, as_of=day)
    fast_wards, fast_cycles = judge_all(ws, as_of=day, now_from=table)
    assert [w.to_json() for w in fast_wards] == [w.to_json() for w in wards]
    assert [c.to_json() for c in fast_cycles] == [c.to_json() for c in cycles]
    icons = {(w.ward, m.measure): (m.variation, m.assurance) for w in wards for m in w.measures}
    assert icons[("nh-ucc", "bruising_prompt_use")][1] is not None  # assurance was compared
    assert len(icons) == len(table)  # every row of the table was used
