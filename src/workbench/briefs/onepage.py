"""The one-page brief for a cycle: why, the change, the owner, the measure and its chart, the
dates and the next check.  HTML for screens, exactly one A4 PDF page for the wall.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.briefs.page import Page, Section, bold, line, save_html
from workbench.domain.catalogue import Measure
from workbench.domain.errors import WorkbenchError
from workbench.domain.records import Cycle, CycleStatus
from workbench.store.workspace import Workspace


@dataclass(frozen=True)
class ChartPart:
    """The chart of a cycle's main measure, ready to print."""

    png: bytes | None
    measure_id: str
    words: str
    note: str


def main_measure(cycle: Cycle) -> str:
    """The measure the brief charts: the first question's measure, else the first measure."""
    linked = [q.measure for q in cycle.questions if q.measure]
    return linked[0] if linked else cycle.measures[0]


def chart_part(ws: Workspace, cycle: Cycle, *, width: int = 620, height: int = 210,
               render: bool = True, as_of: dt.date | None = None,
               judgement: Any = None) -> ChartPart:
    """Analyse the cycle's main measure and render its SPC chart as PNG (None without data).

    ``words`` is the judgement's verdict on the test for that measure (the same words as
    every other surface); no data after *as_of* is read.
    """
    from workbench.catalogue import load_catalogue
    from workbench.services import verdict_words as vw
    from workbench.services.checks import check_cycle
    from workbench.services.judgement import judge_cycle

    mid = main_measure(cycle)
    measure = load_catalogue().measure(mid)
    try:
        judged = judgement or judge_cycle(ws, cycle.id, as_of=as_of)
        check = check_cycle(ws, cycle.id, as_of=judged.as_of)
    except WorkbenchError as exc:
        return ChartPart(None, mid, "No counts can be read yet.", f"Chart not drawn: {exc}")
    mc = next((m for m in check.measures if m.measure.id == mid), None)
    if mc is None or mc.result is None:
        return ChartPart(None, mid, "No counts recorded yet.",
                         "The chart appears once the ward records its counts.")
    mv = judged.measure(mid)
    words = vw.test_line(mv) if mv is not None else "no reading"
    weekly = weekly_frame(mc.data, measure, cycle.change_date)
    every = "week (weeks start on the change's weekday)" if weekly is not None else \
        measure.frequency.value.replace("_", " ") + " count"
    note = (f"Each dot is the {measure.unit} for one {every}; the line splits where the change "
            f"started ({cycle.change_date:%d %b %Y}). Data to {check.as_of:%d %b %Y}.")
    png = None
    if render:
        from workbench.charts import spc_spec, to_png
        from workbench.services.measure_checks import measure_check

        result = mc.result if weekly is None else \
            measure_check(measure, weekly, cycle.change_date).result
        chart = spc_spec(result if result is not None else mc.result, measure=measure,
                          change_label="Change started", width=width, height=height, notes=False)
        png = to_png(chart, scale=2.0)
    return ChartPart(png, mid, words, note)


def weekly_frame(data: pd.DataFrame, measure: Measure, change: dt.date) -> pd.DataFrame | None:
    """Daily counts as weekly values for print (None when the data is not daily or is short).

    Weeks start on the change's weekday, so the phase split falls between two weeks.  Rates
    and counts are summed (numerator and denominator); times and scores are averaged.  A
    short last week is dropped for plain counts, which would otherwise look low.
    """
    if measure.frequency.value != "daily" or len(data) < 42:
        return None
    frame = data.copy()
    frame["date"] = pd.to_datetime(frame["date"])
    start = pd.Timestamp(change)
    frame["week"] = start + pd.to_timedelta(((frame["date"] - start).dt.days // 7) * 7, unit="D")
    grouped = frame.groupby("week", sort=True)
    summed = measure.chart.value in ("p", "pp", "u", "up", "c")
    values = grouped["value"].sum() if summed else grouped["value"].mean()
    out = pd.DataFrame({"date": values.index, "value": values.to_numpy()})
    out["denominator"] = grouped["denominator"].sum(min_count=1).to_numpy() \
        if measure.needs_denominator else float("nan")
    days = grouped["date"].nunique().to_numpy()
    if measure.chart.value == "c" and days[-1] < 7:
        out = out.iloc[:-1]
    return out.reset_index(drop=True)


def _dates(cycle: Cycle, today: dt.date) -> tuple[str, str]:
    from workbench.services.checks import next_check_date

    end = cycle.end or cycle.start + dt.timedelta(days=14)
    span = f"{cycle.start:%d %b %Y} to {end:%d %b %Y}"
    if cycle.status == CycleStatus.RUNNING:
        nxt = next_check_date(cycle, today)
        return span, f"weekly check on {nxt:%a %d %b %Y}; result check at the end, {end:%d %b %Y}"
    if cycle.status == CycleStatus.PLANNED:
        return span, f"the test starts on {cycle.start:%d %b %Y}; first check a week later"
    if cycle.status == CycleStatus.STUDYING:
        return span, "now: study the result and decide adopt, adapt or abandon"
    act = cycle.act
    if act and act.next_cycle:
        return span, f"decided ({act.decision.value}); next test: {act.next_cycle}"
    if cycle.spread:
        step = cycle.spread[-1]
        return span, f"decided ({act.decision.value if act else ''}); spreading to {step.ward} " \
                     f"from {step.date:%d %b %Y} ({step.status})"
    return span, f"decided ({act.decision.value if act else ''}); check it holds at the next " \
                 "monthly review"


def brief_page(ws: Workspace, cycle_id: str, *, today: dt.date | None = None,
               render_chart: bool = True) -> Page:
    """Gather the one-page brief for *cycle_id* as a printable :class:`Page`."""
    from workbench.catalogue import load_catalogue
    from workbench.services.cycles import get_cycle
    from workbench.services.register import findings_for_cycle
    from workbench.services.wards import get_ward

    cat = load_catalogue()
    cycle = get_cycle(ws, cycle_id)
    ward = get_ward(ws, cycle.ward)
    day = today or dt.date.today()
    theme = cat.theme(cycle.theme)
    idea = cat.change_ideas[cycle.change_idea].text if cycle.change_idea in cat.change_ideas \
        else cycle.change_idea
    from workbench.services import verdict_words as vw
    from workbench.services.judgement import judge_cycle

    judged = judge_cycle(ws, cycle_id, as_of=today)
    chart = chart_part(ws, cycle, render=render_chart, judgement=judged)
    measure = cat.measure(chart.measure_id)
    why = [line(bold(f"{theme.name}: "), theme.looks_like.rstrip(".") + ".")]
    by_review: dict[str, list[str]] = {}
    titles: dict[str, str] = {}
    for review, finding in findings_for_cycle(ws, cycle):
        by_review.setdefault(review.id, []).append(finding.text)
        titles[review.id] = f"{review.type} {review.id}, {review.title}"
    for rid, texts in by_review.items():
        why.append(line(bold(f"{titles[rid]}: "), " ".join(texts)))
    if cycle.psirf_ref:
        why.append(line("Part of the PSIRF plan: ", bold(cycle.psirf_ref)))
    change = [line(bold("Change: "), idea), line(bold("Aim: "), cycle.objective)]
    if cycle.scope:
        change.append(line(bold("Scope: "), cycle.scope))
    meas = [line(bold(f"{measure.name}: "), measure.definition),
            line(bold(f"{vw.TEST_HEADING} "), chart.words + ".")]
    meas += [line(vw.test_line(m) + ".") for m in judged.measures if m.measure != measure.id]
    verdicts = judged.team_results
    predictions = [line(bold(f"{i}. {q.question} "), f"We predict: {q.prediction}. ",
                        bold(f"[team: {verdicts[q.question]}] ") if q.question in verdicts else "",
                        f"Chart: {vw.result_words(p.result)}.")
                   for i, (q, p) in enumerate(zip(cycle.questions, judged.predictions,
                                                  strict=True), start=1)]
    predictions += [line(bold(vw.disagreement_line(d))) for d in judged.disagreements]
    predictions.append(line(bold(vw.recommendation_line(judged))))
    span, nxt = _dates(cycle, day)
    when = [line(bold("Test runs: "), span), line(bold("Next: "), nxt)]
    if cycle.act:
        when.append(line(bold(f"Decision ({cycle.act.decision.value}): "), cycle.act.reason))
    team = f" with {', '.join(cycle.team)}" if cycle.team else ""
    return Page(
        kicker=f"One-page brief \u00b7 {ward.name}, {ward.site} \u00b7 {cycle.status.value}",
        title=cycle.title or idea,
        meta=line(bold("Dates: "), f"{span}.  ", bold("Cycle: "), f"{cycle.id}.  ",
                  bold("Owner: "), f"{cycle.owner}{team}."),
        sections=[Section("Why: the review finding behind it", why),
                  Section("The change", change),
                  Section("The measure", meas, chart=True),
                  Section("What we predicted", predictions),
                  Section("Dates and the next check", when, keep=True)],
        footer=(f"Printed {day:%d %b %Y} from workbench (pdsa/cycles/{cycle.id}.yaml). "
                "Counts only: no patient-identifiable data. Learning, not blame."),
        chart_png=chart.png, chart_alt=f"SPC chart of {measure.name}", chart_note=chart.note)


def brief_html(ws: Workspace, cycle_id: str, path: Path | None = None, *,
               today: dt.date | None = None) -> str:
    """The brief as a printable HTML document (written to *path* when given)."""
    return save_html(brief_page(ws, cycle_id, today=today), path)


def brief_pdf(ws: Workspace, cycle_id: str, path: Path | None = None, *,
              today: dt.date | None = None) -> bytes:
    """The brief as exactly one A4 PDF page (written to *path* when given)."""
    from workbench.briefs.pdf import page_pdf

    return page_pdf(brief_page(ws, cycle_id, today=today), path)
