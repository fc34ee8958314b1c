"""The facilitator's whole journey through the forms, in Chromium, on a fresh demo workspace.

Pick a theme (step 1) -> size the baseline (step 2) -> plan the change (step 3) -> the ward's
daily counts on its board -> check (step 4) -> decide (adopt, early, with the reason the form
asks for) -> spread to a second ward.  After each step the records (``pdsa/``, read with the
workbench's own readers) and the store (observations in SQLite) hold exactly what was typed,
nothing else changed, and no page showed an error dialog, a failed request, a console or script
error, or a traceback.  A screenshot of every step lands in ``test-artifacts/journey/``.

The demo's counts end on 22 Nov 2026; Ward 12 Older People has only a decided test and counts
both measures the plan needs (a process measure and a balancing one), and the Learning
Disability Liaison team has no test.  The other browser tests use other wards, so sharing their
server changes nothing here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import ARTIFACTS, PAGE_TIMEOUT, Watch
from workbench.catalogue import load_catalogue
from workbench.services.cycles import get_cycle
from workbench.services.detect import size_baseline
from workbench.services.observations import series
from workbench.services.pick import picks
from workbench.services.wards import get_ward
from workbench.store.workspace import resolve_workspace

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WARD = "sh-w12"  # demo: Ward 12 Older People, one decided test, none running
NEXT = "sh-ldl"  # demo: Learning Disability Liaison, no test yet
THEME = "fragmented_records"
IDEA = "summary_within_24h"
MEASURE = "summary_sent_24h"  # process, counted daily: discharges "out of" a denominator
BALANCING = "staff_minutes_per_discharge"  # balancing, counted daily: minutes, no denominator
SHOTS = ARTIFACTS / "journey"
TODAY = dt.date.today()
START = TODAY - dt.timedelta(days=3)  # the test began three days ago...
COUNTS = {START + dt.timedelta(days=k): row for k, row in enumerate(
    [(7, 9, 22.5), (8, 10, 18), (9, 9, 20)])}
"""...and the ward typed each of those days' counts on its board: summaries sent within 24 hours
out of discharges, and staff minutes per discharge."""


@dataclass
class Journey:
    """The page, the workspace and the problems seen so far, step by step."""

    page: Any
    base: str
    ws: Any
    db_file: Path
    watch: Watch
    step: int = 0

    def goto(self, path: str, selector: str) -> None:
        self.page.goto(self.base + path)
        self.page.wait_for_selector(selector, timeout=PAGE_TIMEOUT)

    def done(self, name: str) -> None:
        """Screenshot the step and fail on anything the page did wrong."""
        self.step += 1
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.wait_for_timeout(300)  # the widgets' last redraw
        self.page.screenshot(path=str(SHOTS / f"{self.step:02d}-{name}.png"), full_page=True)
        problems = self.watch.look()
        assert not problems, f"step {name}:\n" + "\n".join(problems)

    def message(self, selector: str, words: str) -> str:
        """Wait until the form's message line says *words*; its text."""
        try:
            self.page.wait_for_function(
                "([sel, words]) => (document.querySelector(sel)?.innerText || '')"
                ".includes(words)", arg=[selector, words], timeout=PAGE_TIMEOUT)
        except Exception as exc:
            said = self.page.locator(selector).all_inner_texts()
            raise AssertionError(f"{selector} never said {words!r}; it says {said}") from exc
        return str(self.page.inner_text(selector))

    def records(self) -> dict[str, str]:
        """Every file under ``pdsa/`` with a digest of its bytes (to see what a step wrote)."""
        root = self.ws.pdsa
        return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(root.rglob("*")) if p.is_file()}

    def observations(self) -> list[tuple[Any, ...]]:
        """Every stored observation row, in the order stored (the store is append-only)."""
        with sqlite3.connect(self.db_file) as con:
            return [tuple(r) for r in con.execute(
                "select ward, measure, date, value, denominator, source, entered_by, version "
                "from observations order by id")]


@pytest.fixture
def journey(guarded: Any, server: Any) -> Any:
    ws = resolve_workspace(server.workspace, server.db)
    guarded.page.set_viewport_size({"width": 1600, "height": 2400})  # whole pages in the shots
    with Watch(guarded.page) as watch:
        yield Journey(guarded.page, guarded.base, ws, server.workspace / "data" /
                      "workbench.sqlite", watch)


def fill_plan(page: Any, measure_names: list[str]) -> dict[str, str]:
    """Step 3's plan form, filled as a facilitator would; what was typed.

    Kept in one place: the plan form's measure list and questions are being reworked, and this
    is the only part of the journey that knows the form's fields.
    """
    typed = {"title": "Discharge summary sent on the day",
             "owner": "Discharge coordinator",
             "objective": "Every discharge summary reaches the GP within a day.",
             "question": "Will summaries go within 24 hours?",
             "prediction": "Nine in ten will",
             "because": "The summary is written before the patient leaves"}
    page.fill(".wb-plan-title input", typed["title"])
    page.fill(".wb-plan-owner input", typed["owner"])
    page.fill(".wb-plan-objective textarea", typed["objective"])
    page.fill(".wb-plan-start input", START.isoformat())
    page.fill(".wb-plan-end input", (START + dt.timedelta(days=14)).isoformat())
    # measures counted daily, whatever the options' labels add after their names
    labels = page.eval_on_selector(
        ".wb-plan-measures select",
        "(s, names) => names.map(n => [...s.options].find(o => !o.disabled && "
        "o.text.replace(/\\u00a0/g, ' ').startsWith(n))?.text.replace(/\\u00a0/g, ' '))",
        measure_names)
    assert all(labels), f"the plan form does not offer all of {measure_names}: {labels}"
    page.select_option(".wb-plan-measures select", label=labels)
    page.fill(".wb-plan-q1-question input", typed["question"])
    page.fill(".wb-plan-q1-prediction input", typed["prediction"])
    page.fill(".wb-plan-q1-because input", typed["because"])
    page.select_option(".wb-plan-q1-measure select", label=measure_names[0])
    page.click("button.wb-plan-save")
    return typed


def test_the_facilitators_journey_from_pick_to_spread(journey: Journey) -> None:
    j, page, ws = journey, journey.page, journey.ws
    cat = load_catalogue()
    ward, nxt = get_ward(ws, WARD), get_ward(ws, NEXT)
    measure = cat.measure(MEASURE)

    # 1. pick: the theme and change idea, recorded in pdsa/picks.yaml
    before = j.records()
    j.goto(f"/voila/render/01_pick_theme.ipynb?ward={WARD}", "button.wb-pick-save")
    page.select_option(".wb-pick-theme select", label=cat.themes[THEME].name)
    page.select_option(".wb-pick-idea select", label=cat.change_ideas[IDEA].text)
    page.fill(".wb-pick-by input", "Practice educator")
    page.fill(".wb-pick-note input", "GPs hear of discharges days late")
    page.click("button.wb-pick-save")
    said = j.message(".wb-pick-message", "Recorded")
    assert cat.themes[THEME].name in said and IDEA not in said, said  # names, not ids
    assert picks(ws, WARD)[-1] == {"ward": WARD, "theme": THEME, "change_idea": IDEA,
                                   "date": TODAY.isoformat(), "by": "Practice educator",
                                   "note": "GPs hear of discharges days late"}
    after = j.records()
    assert {k for k in after if before.get(k) != after[k]} == {"picks.yaml"}
    plan_href = page.get_attribute(".wb-pick-link a", "href")
    j.done("pick")

    # 2. baseline: works out the chance of seeing the change; saves nothing
    before, stored = j.records(), j.observations()
    j.goto(f"/voila/render/02_size_baseline.ipynb?ward={WARD}", "button.wb-size-run")
    page.select_option(".wb-size-measure select", label=measure.name)
    page.fill(".wb-size-hoped input", "90%")
    page.fill(".wb-size-days input", "14")
    page.click("button.wb-size-run")
    j.message(".wb-size-message", "Worked out")
    # the page's figure is the service's, for the same ward, measure, hope and length
    sized = size_baseline(ws, WARD, MEASURE, hoped=0.9, days=14)
    result = page.inner_text(".wb-size-result")
    assert f"within 14 days: {sized.detect.power:.0%}" in result, result
    assert (j.records(), j.observations()) == (before, stored)
    j.done("baseline")

    # 3. plan: step 1's link opens the plan form with the choice filled in
    assert plan_href is not None
    cycles = ws.pdsa / "cycles"
    existing = {p.name for p in cycles.glob("*.yaml")}
    j.goto(f"/voila/render/{plan_href}", "button.wb-plan-save")
    chosen = "s => s.options[s.selectedIndex]?.text.replace(/\\u00a0/g, ' ')"
    assert page.eval_on_selector(".wb-plan-theme select", chosen) == cat.themes[THEME].name
    assert page.eval_on_selector(".wb-plan-idea select", chosen) == cat.change_ideas[IDEA].text
    typed = fill_plan(page, [measure.name, cat.measure(BALANCING).name])
    j.message(".wb-plan-message", "Saved cycle")
    new = [p for p in cycles.glob("*.yaml") if p.name not in existing]
    assert len(new) == 1, new
    cycle = get_cycle(ws, new[0].stem)
    assert (cycle.ward, cycle.theme, cycle.change_idea) == (WARD, THEME, IDEA)
    assert (cycle.title, cycle.owner, cycle.objective) == (typed["title"], typed["owner"],
                                                           typed["objective"])
    assert (cycle.start, cycle.end, cycle.status.value) == (START, START + dt.timedelta(14),
                                                            "running")
    assert set(cycle.measures) == {MEASURE, BALANCING}
    q = cycle.questions[0]
    assert (q.question, q.prediction, q.because, q.measure) == (
        typed["question"], typed["prediction"], typed["because"], MEASURE)
    j.done("plan")

    # 3b. the test's own page: a note in the daily log shows in its table at once
    page.click(".wb-plan-message a")
    page.wait_for_selector("button.wb-log-save", timeout=PAGE_TIMEOUT)
    page.fill(".wb-log-note textarea", "Summary template added to the discharge checklist")
    page.click("button.wb-log-save")
    j.message(".wb-log-message", "1 note")
    note = "Summary template added to the discharge checklist"
    assert note in page.inner_text(".wb-log-table")
    assert [e.note for e in get_cycle(ws, cycle.id).do_log] == [note]
    j.done("log")

    # 4. daily counts on the ward's board, one day at a time
    before_obs = {m: series(ws, WARD, m) for m in (MEASURE, BALANCING)}
    stored = j.observations()
    j.goto(f"/voila/render/board.ipynb?ward={WARD}", "button.wb-counts-save")
    value = f".wb-counts-value-{MEASURE} input"
    for day, (num, den, minutes) in COUNTS.items():
        page.fill(".wb-counts-date input", day.isoformat())
        page.fill(".wb-counts-by input", "Nurse in charge")
        page.fill(value, str(num))
        page.fill(f".wb-counts-denominator-{MEASURE} input", str(den))
        page.fill(f".wb-counts-value-{BALANCING} input", str(minutes))
        page.click("button.wb-counts-save")
        said = j.message(".wb-counts-message", f"{day:%a} {day.day} {day:%b %Y}")
        assert "Saved 2 counts for" in said, said
        assert page.input_value(value) == ""
    after_obs = {m: series(ws, WARD, m) for m in (MEASURE, BALANCING)}
    for m, frame in after_obs.items():
        assert len(frame) == len(before_obs[m]) + len(COUNTS), m
    got = {m: [(r.date.date(), r.value, r.denominator) for r in
               f[f["date"].dt.date.isin(list(COUNTS))].itertuples()]
           for m, f in after_obs.items()}
    assert got[MEASURE] == [(d, float(n), float(m)) for d, (n, m, _) in COUNTS.items()]
    assert [(d, v) for d, v, _ in got[BALANCING]] == [(d, float(x)) for d, (_, _, x) in
                                                     COUNTS.items()]
    assert all(den != den for _, _, den in got[BALANCING])  # NaN: no denominator
    # and nothing else went into the store: two rows a day, from the form, by whom it says
    assert j.observations()[len(stored):] == [
        row for d, (n, m, x) in COUNTS.items() for row in (
            (WARD, MEASURE, d.isoformat(), n, m, "form", "Nurse in charge", 1),
            (WARD, BALANCING, d.isoformat(), x, None, "form", "Nurse in charge", 1))]
    j.done("counts")

    # 5. check: step 4 for the test reads the counts just typed, and saves nothing by itself
    before, stored = j.records(), j.observations()
    j.goto(f"/voila/render/04_check_result.ipynb?cycle={cycle.id}", "button.wb-decide-save")
    text = page.inner_text("body")
    assert typed["title"] in text and ward.name in text
    last = max(COUNTS)
    assert f"data up to {last:%a} {last.day} {last:%b %Y}" in text  # the last day typed
    assert (j.records(), j.observations()) == (before, stored)
    j.done("check")

    # 6. decide: adopt three days in; the form asks why the team decides before the end
    page.locator(".wb-decide-choice button", has_text="Adopt").click()
    page.fill(".wb-decide-reason textarea", "Summaries went on the day from day one.")
    page.fill(".wb-decide-by input", "Ward 12 team")
    assert page.locator(".wb-decide-early input").is_visible()
    page.fill(".wb-decide-early input", "The template is on the checklist now")
    page.click("button.wb-decide-save")
    j.message(".wb-decide-message", "Decision recorded")
    decided = get_cycle(ws, cycle.id)
    assert decided.status.value == "decided" and decided.act is not None
    assert (decided.act.decision.value, decided.act.reason, decided.act.decided_by,
            decided.act.decided_on) == ("adopt", "Summaries went on the day from day one.",
                                        "Ward 12 team", TODAY)
    assert decided.history[-1].reason == "decided early: The template is on the checklist now"
    assert decided.study is not None
    assert [r.question for r in decided.study.chart] == [typed["question"]]
    j.done("decide")

    # 7. spread to a second ward: its own test there, linked to this one
    page.select_option(".wb-spread-ward select", label=nxt.name)
    page.fill(".wb-spread-owner input", "Liaison nurse lead")
    page.click("button.wb-spread-save")
    j.message(".wb-spread-message", f"Spread to {nxt.name}")
    source = get_cycle(ws, cycle.id)
    step = source.spread[-1]
    assert (step.ward, step.date) == (NEXT, TODAY) and step.cycle
    child = get_cycle(ws, step.cycle)
    assert (child.ward, child.parent_cycle, child.owner, child.start) == (
        NEXT, cycle.id, "Liaison nurse lead", TODAY)
    assert (child.theme, child.change_idea, child.measures) == (THEME, IDEA, cycle.measures)
    assert [x.question for x in child.questions] == [typed["question"]]
    j.done("spread")

    # the receiving ward's board and the landing page show it, linked to its parent
    j.goto(f"/voila/render/board.ipynb?ward={NEXT}", ".wb-board-cycle")
    line = page.locator(".wb-board-cycle")
    assert line.get_attribute("data-cycle") == child.id
    assert f"spread from {ward.name}" in line.inner_text()
    assert page.get_attribute(".wb-board-cycle .wb-parent a", "href") == \
        f"04_check_result.ipynb?cycle={cycle.id}"
    j.done("next-board")
    j.goto("/", ".wb-active-cycles")
    row = page.locator(f".wb-active-cycles tr[data-cycle='{child.id}']")
    assert row.count() == 1 and nxt.name in row.inner_text()
    assert row.locator(f".wb-parent[data-parent='{cycle.id}']").count() == 1
    j.done("landing")
