"""The monthly learning brief: one behaviour change, the story from a cycle, what changed, the
chart and the next test.

The seed: "use a monthly learning brief tied to one behaviour change".  The brief is a notebook
(``notebooks/monthly_brief.ipynb``) so the same page opens in JupyterLab, serves in Voila and
renders under papermill; :func:`render_monthly` runs it and writes printable HTML.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from workbench.briefs.page import Page, Section, bold, line, page_html
from workbench.domain.errors import NotFoundError, ValidationFailed
from workbench.domain.records import Cycle, CycleStatus
from workbench.store.workspace import Workspace, repository_root, resolve_workspace


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """First and last day of ``"YYYY-MM"``."""
    if not re.fullmatch(r"\d{4}-\d{2}", month.strip()):
        raise ValidationFailed([f"month: '{month}' is not a month; write it as YYYY-MM, e.g. 2026-10"])
    year, mon = (int(x) for x in month.strip().split("-"))
    if not 1 <= mon <= 12:
        raise ValidationFailed([f"month: '{month}' has no month {mon}; use 01 to 12"])
    first = dt.date(year, mon, 1)
    nxt = dt.date(year + (mon == 12), mon % 12 + 1, 1)
    return first, nxt - dt.timedelta(days=1)


def pick_cycle(ws: Workspace, month: str, cycle: str = "") -> Cycle:
    """The cycle the month's brief tells: the one named, else the latest decided that month,
    else the latest decided before the month ended, else the latest running."""
    from workbench.services.cycles import get_cycle, list_cycles

    if cycle.strip():
        return get_cycle(ws, cycle.strip())
    first, last = month_bounds(month)
    cycles = list_cycles(ws)

    def decided_on(c: Cycle) -> dt.date:
        return (c.act.decided_on if c.act and c.act.decided_on else c.end) or c.start

    decided = sorted((c for c in cycles if c.status == CycleStatus.DECIDED
                      and decided_on(c) <= last), key=lambda c: (decided_on(c), c.id))
    adopted = [c for c in decided if c.act and c.act.decision.value == "adopt"
               and decided_on(c) >= first]
    this_month = [c for c in decided if decided_on(c) >= first]
    running = [c for c in cycles if c.status == CycleStatus.RUNNING and c.start <= last]
    pool = adopted or this_month or decided or running
    if not pool:
        raise NotFoundError(f"no decided or running cycle by the end of {month}; name a cycle "
                            "or run a test first")
    return pool[-1]


def monthly_page(ws: Workspace, month: str, cycle: str = "", *,
                 render_chart: bool = True) -> Page:
    """The month's learning brief as a :class:`Page`."""
    from workbench.briefs.onepage import chart_part
    from workbench.catalogue import load_catalogue
    from workbench.services.register import findings_for_cycle
    from workbench.services.wards import get_ward

    first, last = month_bounds(month)
    c = pick_cycle(ws, month, cycle)
    cat = load_catalogue()
    ward = get_ward(ws, c.ward)
    idea = cat.change_ideas[c.change_idea].text if c.change_idea in cat.change_ideas \
        else c.change_idea
    from workbench.services import verdict_words as vw
    from workbench.services.judgement import judge_cycle

    judged = judge_cycle(ws, c.id, as_of=min(last, dt.date.today()))  # nothing after the month
    chart = chart_part(ws, c, render=render_chart, judgement=judged)
    behaviour = [line(bold("This month's one change: "), idea),
                 line(bold("On: "), f"{ward.name}, {ward.site}. ", bold("Led by: "), c.owner)]
    story = []
    for review, finding in findings_for_cycle(ws, c)[:2]:
        story.append(line(bold(f"The review ({review.type}): "), finding.text))
    if not story:
        theme = cat.theme(c.theme)
        story.append(line(bold(f"Why ({theme.name}): "), theme.looks_like.rstrip(".") + "."))
    story.append(line(bold("What we set out to do: "), c.objective))
    parent = _parent(ws, c)
    if parent is not None and parent.act is not None:
        story.append(line(bold("Before this: "), f"we tested \u201c{parent.title or parent.id}"
                          f"\u201d and decided to {parent.act.decision.value}: {parent.act.reason}"))
    story += [line(bold(f"{e.date:%d %b}: "), e.note) for e in c.do_log[:4]]
    if c.study and c.study.surprises:
        story.append(line(bold("What surprised us: "), c.study.surprises))
    changed = [line(bold(f"{a.verdict.value.capitalize()}: "), f"{a.question} {a.evidence}")
               for a in (c.study.answers if c.study else [])]
    changed.append(line(bold(f"On the chart ({vw.TEST_HEADING.lower()}) "), chart.words + "."))
    changed += [line(bold("Chart: "), vw.prediction_line(p)) for p in judged.predictions]
    changed += [line(bold(vw.disagreement_line(d))) for d in judged.disagreements]
    if c.act:
        changed.append(line(bold(f"Decision: {c.act.decision.value}. "), c.act.reason))
    if c.act and c.act.next_cycle:
        nxt = f"The next test is {c.act.next_cycle}."
    elif c.spread:
        nxt = "; ".join(f"spread to {s.ward} from {s.date:%d %b %Y} ({s.status})" for s in c.spread)
    elif c.status == CycleStatus.RUNNING:
        nxt = f"The test runs until {c.end:%d %b %Y}; check the chart weekly." if c.end else \
            "The test is running; check the chart weekly."
    elif c.act and c.act.decision.value == "adopt":
        nxt = ("Keep it in daily work and watch the chart to see it holds; plan its spread to the "
               "next ward in small steps.")
    else:
        nxt = "Pick the next change from the same theme and test it for two weeks."
    from workbench.services.learning import questions_for_cycle

    letters = "ABCD"
    quiz = []
    for i, q in enumerate(questions_for_cycle(c), start=1):
        quiz.append(line(bold(f"{i}. {q.prompt}")))
        quiz += [line(f"{letters[j]}. {x}") for j, x in enumerate(q.choices)]
    answers = "; ".join(f"{i} = {letters[q.answer]}"
                        for i, q in enumerate(questions_for_cycle(c), start=1))
    quiz.append(line(bold("Answers: "), answers))
    return Page(
        kicker=f"Monthly learning brief \u00b7 {first:%B %Y}",
        title=c.title or idea,
        meta=line(bold("Five-minute slot: "), "read this at the team meeting, then ask the "
                  "recall questions."),
        sections=[Section("One behaviour change", behaviour),
                  Section("The story from the cycle", story),
                  Section("What changed", changed, chart=True),
                  Section("The next test", [line(nxt)], keep=True),
                  Section("Five-minute recall: ask the team", quiz)],
        footer=(f"Learning brief for {first:%B %Y} (to {last:%d %b %Y}), from workbench cycle "
                f"{c.id}. Share wins and near misses in the staff room. No patient data."),
        chart_png=chart.png, chart_alt="SPC chart", chart_note=chart.note)


def _parent(ws: Workspace, cycle: Cycle) -> Cycle | None:
    from workbench.services.cycles import get_cycle, list_cycles

    if cycle.parent_cycle:
        try:
            return get_cycle(ws, cycle.parent_cycle)
        except NotFoundError:
            return None
    earlier = [c for c in list_cycles(ws) if c.act and c.act.next_cycle == cycle.id]
    return earlier[-1] if earlier else None


def show_monthly(workspace: str = "", month: str = "", cycle: str = "", db: str = "") -> None:
    """Display the month's brief in a notebook (used by ``notebooks/monthly_brief.ipynb``)."""
    from IPython.display import HTML, display

    ws = resolve_workspace(workspace or None, db or None)
    month = month or f"{dt.date.today():%Y-%m}"
    display(HTML(page_html(monthly_page(ws, month, cycle), standalone=False)))


def notebook_path() -> Path:
    """Where ``monthly_brief.ipynb`` lives (the repository's ``notebooks/`` folder)."""
    root = repository_root()
    path = (root or Path.cwd()) / "notebooks" / "monthly_brief.ipynb"
    if not path.exists():
        raise NotFoundError(f"no notebook at {path}; run from a workbench checkout")
    return path


def render_monthly(ws: Workspace, month: str, out: Path, *, cycle: str = "",
                   notebook: Path | None = None) -> Path:
    """Run the monthly brief notebook with papermill and write printable HTML to *out*.

    Returns
    -------
    Path
        The HTML file (the executed notebook is written beside it as ``.ipynb``).
    """
    import nbformat
    import papermill as pm
    from nbconvert import HTMLExporter

    month_bounds(month)
    out.parent.mkdir(parents=True, exist_ok=True)
    executed = out.with_suffix(".ipynb")
    pm.execute_notebook(str(notebook or notebook_path()), str(executed), progress_bar=False,
                        parameters={"workspace": str(ws.root), "db": ws.db_url, "month": month,
                                    "cycle": cycle}, cwd=str(out.parent))
    nb = nbformat.read(executed, as_version=4)
    exporter = HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nb)
    body = re.sub(r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>", "", body)
    body = re.sub(r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>", "", body)
    out.write_text(body, "utf-8")
    return out
