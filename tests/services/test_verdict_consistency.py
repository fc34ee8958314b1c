"""Every surface gives the same answer to "did the change work?", cycle by cycle, measure by measure.

For the demo workspace and for a planted one, the judgement is computed once
(:func:`judge_all`); then each surface is rendered through its own code — the ward board's
cards, the landing page's signals, step 4's summary, the batch index, the roll-up (text and
JSON, and its page), the one-page brief, the monthly brief and ``workbench cycle check`` (text and JSON) —
and each must show the judgement's own words (or carry its JSON) for every cycle and measure.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from workbench.services import verdict_words as vw
from workbench.services.judgement import CycleJudgement, WardJudgement, judge_all, judge_cycle
from workbench.store.workspace import Workspace, resolve_workspace

sys.path.insert(0, str(Path(__file__).parent))
import planted  # noqa: E402


def _text(page: str) -> str:
    return html.unescape(page)


def _cli(ws: Workspace, *args: str) -> str:
    from workbench.cli import _register, app

    if "brief" not in {c.name for c in app.registered_commands}:
        _register()
    res = CliRunner().invoke(app, [*args, "--workspace", str(ws.root)],
                             env={"WORKBENCH_DB": ws.db_url})
    assert res.exit_code == 0, res.stderr
    return res.stdout


def _step4(ws: Workspace, cycle: str, day: dt.date) -> str:
    from workbench.ui.steps.check import check_page

    page = check_page(workspace=str(ws.root), db=ws.db_url, cycle=cycle, as_of=day.isoformat(),
                      interactive=False)
    return _text(page.summary_html())


def _check_wards(ws: Workspace, wards: list[WardJudgement], day: dt.date) -> None:
    from workbench.batch.index import icon_summary, index_html
    from workbench.charts.words import variation_icon
    from workbench.ui.board.drawing import Drawing
    from workbench.ui.board.panels import signals_html
    from workbench.ui.landing import SIGNAL_DAYS, gather

    ids = [w.ward for w in wards]
    icons = icon_summary(ws, ids, day)
    manifest = {"notebook": "04_check_result", "run_id": "r", "created": "now",
                "wards": {w: {"status": "ok", "folder": w, "html": "r.html"} for w in ids}}
    index = _text(index_html(manifest, icons))
    landing = gather(ws, day)
    flagged = {(s["ward"], s["measure"]) for s in landing.signals}
    expected_flags = set()
    for w in wards:
        drawing = Drawing(ws, w.ward, day)
        cards = signals_html(drawing.summary, drawing.views)
        board = _text(cards)
        now = {v.check.measure.id: v.check.variation for v in drawing.views}  # the board's chart
        mine = icons.frame[icons.frame["ward"] == w.ward].set_index("measure")
        for m in w.measures:
            assert now[m.measure] == m.variation, ("board", w.ward, m.measure)
            if m.variation is not None:  # the card words the same reading ("Now: ...")
                card = cards.split(f'data-measure="{m.measure}"', 1)[1].split("wb-signal-", 1)[0]
                plain = html.escape(variation_icon(m.variation, None).plain)
                assert f"</span> {plain}" in card, ("board card", w.ward, m.measure)
            assert mine.loc[m.measure, "variation"] == m.variation, ("index", w.ward, m.measure)
            if m.test is not None:
                line = vw.test_line(m.test)
                assert line in board, ("board", w.ward, line)
                assert line in index, ("index", w.ward, line)
            if m.variation not in (None, "common_cause") and m.last_date is not None and \
                    m.last_date >= day - dt.timedelta(days=SIGNAL_DAYS):
                expected_flags.add((w.ward, m.measure))
    assert flagged == expected_flags


def _lines(j: CycleJudgement) -> list[str]:
    return [vw.test_line(m) for m in j.measures] + \
        [vw.since_line(m) for m in j.measures if m.since is not None]


def _check_cycles(ws: Workspace, cycles: list[CycleJudgement], day: dt.date) -> None:
    from workbench.briefs.monthly import monthly_page
    from workbench.briefs.onepage import brief_page
    from workbench.briefs.page import page_html
    from workbench.services.rollup import rollup
    from workbench.ui.rollup import sections_html

    rollup_page = _text(sections_html(ws, rollup(ws, day)))
    rollup_text = _cli(ws, "rollup", "--today", day.isoformat())
    rollup_json = json.loads(_cli(ws, "rollup", "--format", "json", "--today", day.isoformat()))
    by_id = {c["cycle"]: c for c in rollup_json["cycles"]}
    assert set(by_id) == {j.cycle.id for j in cycles}
    signals = {(s["ward_id"], s["measure_id"]): s["variation"] for s in rollup_json["signals"]}
    for j in cycles:
        cid = j.cycle.id
        data = json.loads(json.dumps(j.to_json()))
        assert by_id[cid] == data, ("rollup json", cid)
        check_json = json.loads(_cli(ws, "cycle", "check", cid, "--as-of", day.isoformat(),
                                     "--format", "json"))
        assert check_json == data, ("cycle check json", cid)
        check_text = _cli(ws, "cycle", "check", cid, "--as-of", day.isoformat())
        step4 = _step4(ws, cid, day)
        brief = _text(page_html(brief_page(ws, cid, today=day, render_chart=False)))
        for line in _lines(j):
            assert line in rollup_text, ("rollup text", cid, line)
            if line in (vw.test_line(m) for m in j.measures):
                assert line in rollup_page, ("rollup page", cid, line)
            assert line in check_text, ("cycle check text", cid, line)
            assert line in step4, ("step 4", cid, line)
        for m in j.measures:
            assert vw.test_line(m) in brief, ("one-page brief", cid, m.measure)
        for p in j.predictions:
            assert vw.prediction_line(p) in rollup_text and vw.prediction_line(p) in check_text
            assert vw.result_words(p.result) in step4
        for d in j.disagreements:
            line = vw.disagreement_line(d)
            assert line in step4 and line in brief and line in rollup_text, ("disagreement", cid)
        assert vw.recommendation_line(j) in step4 and vw.recommendation_line(j) in brief
        month = f"{day:%Y-%m}"
        monthly_day = min(dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
                          - dt.timedelta(days=1), dt.date.today())
        mj = judge_cycle(ws, cid, as_of=monthly_day)
        monthly = _text(page_html(monthly_page(ws, month, cid, render_chart=False)))
        main = mj.measure(next((q.measure for q in j.cycle.questions if q.measure),
                               j.cycle.measures[0]))
        assert main is not None and vw.test_line(main) in monthly, ("monthly", cid)
        for p in mj.predictions:
            assert vw.prediction_line(p) in monthly, ("monthly", cid, p.question)
    for (ward, measure), variation in signals.items():
        assert variation is not None, (ward, measure)


def _check(ws: Workspace, day: dt.date) -> None:
    wards, cycles = judge_all(ws, as_of=day)
    assert cycles, "the workspace has cycles to judge"
    _check_wards(ws, wards, day)
    _check_cycles(ws, cycles, day)
    by_ward = {(w.ward, m.measure): m.variation for w in wards for m in w.measures
               if m.last_date is not None}
    rollup = json.loads(_cli(ws, "rollup", "--format", "json", "--today", day.isoformat()))
    assert {(s["ward_id"], s["measure_id"]): s["variation"] for s in rollup["signals"]} == by_ward


@pytest.mark.slow
def test_every_surface_agrees_on_the_demo(tmp_path: Path) -> None:
    from workbench.demo import DEMO_END, build_demo

    ws = resolve_workspace(tmp_path / "demo")
    build_demo(ws)
    _check(ws, DEMO_END)


@pytest.mark.slow
def test_every_surface_agrees_on_a_planted_workspace(tmp_path: Path) -> None:
    p = planted.build(tmp_path / "ws", 6, 3, after_days=10)
    _check(p.ws, p.end + dt.timedelta(days=5))  # after the test: "since" lines too
    wards, cycles = judge_all(p.ws, as_of=p.end)
    verdicts: dict[str, Any] = {j.cycle.ward: j.measure(planted.PROCESS).verdict  # type: ignore[union-attr]
                                for j in cycles}
    assert all(verdicts[w] == "improved" for w in p.shifted)
