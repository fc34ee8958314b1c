"""The leaders' roll-up page: sections in plain words, and (in Voila) the walkround and score forms.

Sections: the one key risk; "what have we changed due to recent reviews, and what is getting in
the way?" (the walkround log); the action log's state; wards x themes; this week's signals;
each team's prediction track record; progress scores; pitfalls.  The same HTML renders under
papermill (a static report) and in Voila, where two small forms add a walkround entry and
confirm a progress score.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from workbench.domain import palette as nhs
from workbench.services.progress import SCORE_WORDS
from workbench.services.rollup import Rollup
from workbench.store.workspace import Workspace, resolve_workspace
from workbench.ui.style import markup, style_tag, table_html

STATE_COLOURS = {"active": nhs.NHS_BLUE, "spread": nhs.NHS_GREEN, "adopted": nhs.NHS_AQUA_GREEN,
                 "adapted": nhs.NHS_WARM_YELLOW, "abandoned": nhs.NHS_MID_GREY}



def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _count(n: int, noun: str) -> str:
    """``1 action``, ``3 actions``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _table(headers: list[str], rows: list[list[str]], css: str) -> str:
    """A table of plain headers and ready-made HTML cells."""
    return table_html(headers, [[markup(c) for c in r] for r in rows], css)


def _themes(r: Rollup) -> str:
    m = r.matrix
    if m.empty:
        return '<p class="muted">No tests of change yet.</p>'
    wards = list(dict.fromkeys(m["ward_name"]))
    themes = list(dict.fromkeys(m["theme_name"]))
    cell = {(w, t): s for w, t, s in zip(m["ward_name"], m["theme_name"], m["state"], strict=True)}
    rows = [[f"<strong>{_e(w)}</strong>", *[
        f'<span class="wb-state wb-state-{_e(cell[(w, t)])}" style="background:'
        f'{STATE_COLOURS[cell[(w, t)]]}">{_e(cell[(w, t)])}</span>' if (w, t) in cell else ""
        for t in themes]] for w in wards]
    return _table(["Ward", *themes], rows, "wb-rollup-themes")


def _signals(r: Rollup) -> str:
    s = r.signals
    if s.empty:
        return '<p class="muted">No counts stored yet, so no signals to read.</p>'
    unusual = s[s["variation"].astype(str).str.startswith("special_cause")]
    quiet = len(s) - len(unusual)
    lead = (f"<p>{_count(len(unusual), 'unusual reading')} this week; "
            f"{_count(quiet, 'chart')} {'shows' if quiet == 1 else 'show'} only the usual ups "
            "and downs.</p>")
    if unusual.empty:
        return lead
    from workbench.charts import icon_table, static_html

    improvement = dict(zip(unusual["measure"], unusual["improvement"], strict=True))
    chart = icon_table(unusual[["ward", "measure", "variation", "assurance", "warnings"]],
                       improvement=improvement, title=None, cell_width=150, cell_height=100)
    return lead + static_html(chart, css_class="wb-rollup-icons")


def _summary(r: Rollup) -> str:
    """The summary table (every ward x measure, exceptions first), as on the landing page."""
    from workbench.charts.summary import SUMMARY_CSS, summary_table_html

    t = r.summary
    if t.empty:
        return '<p class="muted">No counts stored yet, so no measures to sum up.</p>'
    urgent = int((t["exception"] <= 2).sum())
    lead = (f"<p>{_count(urgent, 'measure')} of {len(t)} {'needs' if urgent == 1 else 'need'} "
            "a look (getting worse, will miss its target, or counts out of date); they come "
            "first. Circles: variation (H/L unusual high or low, \u2013 usual ups and downs) and "
            "target (P will hit it, F will miss it, ? might or might not).</p>")
    first, rest = t[t["exception"] < 6], t[t["exception"] >= 6]
    rest_html = (f"<details><summary>The other {_count(len(rest), 'measure')}: usual ups and "
                 "downs, no target to judge</summary>" + summary_table_html(rest, css=False)
                 + "</details>") if not rest.empty else ""
    shown = summary_table_html(first, css=False) if not first.empty else \
        '<p class="muted">Nothing unusual on any ward.</p>'
    return (lead + SUMMARY_CSS + '<div class="wb-rollup-summary">' + shown + rest_html
            + "</div>")


def _cycles(r: Rollup) -> str:
    """Each cycle's judgement, in the judgement's words (as ``workbench cycle check``)."""
    from workbench.services import verdict_words as vw

    if not r.cycles:
        return '<p class="muted">No test of change has started yet.</p>'
    rows = []
    for j in r.cycles:
        tests = "<br>".join(_e(vw.test_line(m)) for m in j.measures)
        preds = "<br>".join(_e(vw.prediction_line(p)) for p in j.predictions)
        worth = "<br>".join(_e(vw.disagreement_line(d)) for d in j.disagreements)
        rows.append([_e(f"{j.ward_name}: {j.cycle.title or j.cycle.id}"), tests, preds,
                     _e(vw.RECOMMENDATION_WORDS[j.recommendation]), worth])
    return _table(["Test of change", vw.TEST_HEADING, "Predictions", "Chart suggests",
                   "Team and chart differ"], rows, "wb-rollup-cycles")


def _actions(ws: Workspace, r: Rollup) -> str:
    from workbench.services.actions import action_log

    views = action_log(ws, r.today)
    if not views:
        return '<p class="muted">No actions in the log yet (<code>workbench action new</code>).</p>'
    counts: dict[str, int] = {}
    for v in views:
        counts[v.action.status.value] = counts.get(v.action.status.value, 0) + 1
    summary = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in sorted(counts.items()))
    rows = [[_e(v.action.id), _e(v.action.text), _e(v.action.owner), _e(v.action.due.isoformat()),
             _e(v.action.status.value.replace("_", " ")),
             "<br>".join(_e(f.message) for f in v.flags)] for v in views]
    return f"<p>{_count(len(views), 'action')}: {_e(summary)}.</p>" + _table(
        ["Action", "What", "Owner", "Due", "Status", "Flags"], rows, "wb-rollup-actions")


def _spread(r: Rollup) -> str:
    from workbench.ui.spread import rollup_section

    return rollup_section(r.spread)


def sections_html(ws: Workspace, r: Rollup) -> str:
    """Every section of the roll-up as one HTML fragment (with its style)."""
    from workbench.services.wards import list_wards

    names = {w.id: w.name for w in list_wards(ws)}
    log_rows = [[_e(e.date.isoformat()), _e(names.get(e.ward, e.ward)), _e(e.by), _e(e.changed),
                 _e(e.in_the_way)]
                for e in sorted(r.log.entries, key=lambda e: e.date, reverse=True)]
    walk = _table(["Date", "Ward", "Who", "What we changed", "What is in the way"], log_rows,
                  "wb-rollup-log") if log_rows else '<p class="muted">No walkrounds logged yet.</p>'
    preds = _table(["Team", "Confirmed", "Refuted", "Unclear", "Total"],
                   [[_e(x) for x in row[1:]] for row in r.predictions.itertuples(index=False)],
                   "wb-rollup-predictions") if not r.predictions.empty else \
        '<p class="muted">No studied cycles yet.</p>'
    score_rows = [[_e(s["ward_name"]), f"{s['suggested']:.1f} ({_e(SCORE_WORDS[s['suggested']])})",
                   _e(s["why"]), "" if s["confirmed"] is None or s["confirmed"] != s["confirmed"]
                   else f"{s['confirmed']:.1f}", _e(s["confirmed_by"]), _e(s["confirmed_on"])]
                  for s in r.scores.to_dict(orient="records")]
    pits = "".join(f"<li>{_e(f.message)}</li>" for f in r.pitfalls) or "<li>None found.</li>"
    parts = [
        style_tag(), '<div class="wb-rollup">',
        "<h1>Leaders' roll-up: what we changed after recent reviews</h1>",
        f'<p class="muted">Across every ward, for {r.today:%A %d %B %Y}.</p>',
        *[f'<p class="wb-skipped muted">{_e(line)}</p>' for line in r.skipped],
        "<h2>The one key risk for the next governance meeting</h2>",
        f'<div class="wb-rollup-risk"><p><strong>{_e(r.key_risk.text)}</strong></p>'
        f'<p class="muted">{_e(r.key_risk.why)}</p></div>',
        "<h2>Every ward's measures, most urgent first</h2>", _summary(r),
        "<h2>What have we changed due to recent reviews, and what is getting in the way?</h2>",
        walk, "<h2>The action log (one tracker, tied to the PSIRF plan)</h2>", _actions(ws, r),
        "<h2>Wards and themes</h2>", _themes(r),
        "<h2>Spread in steps: where each adopted change has gone</h2>", _spread(r),
        "<h2>Signals this week: where is each process now?</h2>", _signals(r),
        "<h2>Did the change work?</h2>", _cycles(r),
        "<h2>How often each team's predictions held</h2>", preds,
        "<h2>Progress scores (suggested from the evidence, confirmed by a person)</h2>",
        _table(["Ward", "Suggested", "Why", "Confirmed", "By", "On"], score_rows,
               "wb-rollup-scores"),
        '<h2>Pitfalls to watch</h2><ul class="wb-rollup-pitfalls">' + pits + "</ul>", "</div>"]
    return "\n".join(parts)


def _day(text: str) -> dt.date:
    """The day the roll-up is read for (empty: today); a wrong date is refused in words."""
    from workbench.ui.steps._common import parse_date

    return parse_date(text, "today") or dt.date.today()


def forms(ws: Workspace, today: dt.date, refresh: Any) -> Any:
    """Two small forms: log a walkround, and confirm a ward's progress score."""
    import ipywidgets as widgets

    from workbench.services import rollup as svc
    from workbench.services.wards import list_wards
    from workbench.ui.safe import Notice, guarded

    wards = [(w.name, w.id) for w in list_wards(ws)]
    notice = Notice("wb-rollup-message")
    ward = widgets.Dropdown(options=[("(whole service)", ""), *wards], description="Ward")
    who = widgets.Text(description="Who", placeholder="your role, e.g. Deputy chief nurse")
    changed = widgets.Textarea(description="Changed", placeholder="What have we changed due to "
                               "recent reviews?")
    in_way = widgets.Textarea(description="In the way", placeholder="What is getting in the way?")
    risk = widgets.Text(description="Key risk", placeholder="(optional) the one risk to raise")
    save = widgets.Button(description="Log the walkround", button_style="primary")
    for w, css in ((ward, "ward"), (who, "who"), (changed, "changed"), (in_way, "in-the-way"),
                   (risk, "risk"), (save, "save")):
        w.add_class(f"wb-rollup-walk-{css}")

    @guarded("logging a walkround", notice)
    def on_save(_: Any) -> None:
        svc.add_walkround(ws, {"date": today, "ward": ward.value, "by": who.value,
                               "changed": changed.value, "in_the_way": in_way.value,
                               "key_risk": risk.value})
        changed.value = in_way.value = risk.value = ""
        refresh()
        notice.ok("Walkround logged. Thank you: the teams will see it on the roll-up.")

    save.on_click(on_save)
    sward = widgets.Dropdown(options=wards, description="Ward")
    score = widgets.Dropdown(options=[(f"{k:.1f} {v}", k) for k, v in SCORE_WORDS.items()],
                             description="Score")
    by = widgets.Text(description="By", placeholder="your role, e.g. Chief nurse")
    confirm = widgets.Button(description="Confirm the score", button_style="primary")
    for w, css in ((sward, "ward"), (score, "score"), (by, "by"), (confirm, "save")):
        w.add_class(f"wb-rollup-score-{css}")

    def suggest(_: Any = None) -> None:
        if sward.value:
            score.value = svc.suggest_score(ws, sward.value)[0]

    sward.observe(suggest, names="value")
    suggest()

    @guarded("confirming a progress score", notice)
    def on_confirm(_: Any) -> None:
        svc.confirm_score(ws, sward.value, float(score.value), by.value, on=today)
        refresh()
        notice.ok(f"Score {score.value:.1f} confirmed for {sward.label}.")

    confirm.on_click(on_confirm)
    walk = widgets.VBox([widgets.HTML("<h3>Log this week's walkround</h3>"), ward, who, changed,
                         in_way, risk, save])
    conf = widgets.VBox([widgets.HTML("<h3>Confirm a progress score</h3>"), sward, score, by,
                         confirm])
    box = widgets.VBox([widgets.HBox([walk, conf]), notice.widget])
    box.add_class("wb-rollup-forms")
    return box


WAITING = ('<div class="wb-rollup"><h1>Leaders\' roll-up: what we changed after recent reviews'
           '</h1><p class="muted wb-rollup-waiting">Reading every ward\'s charts, actions and '
           'walkrounds\u2026 the sections appear here in a moment.</p></div>')
"""What the roll-up shows at once (after the stylesheet), while its sections are worked out
(progressive fill)."""


def build(ws: Workspace, today: dt.date, *, interactive: bool, defer: bool = False) -> Any:
    """The roll-up page: an HTML widget, plus the forms when *interactive*.

    Parameters
    ----------
    defer : bool
        Send the page with its title at once and fill in the sections from a background
        thread (Voila: the page shows while the figures are worked out).
    """
    import threading

    import ipywidgets as widgets

    from workbench.services import rollup as svc
    from workbench.ui import rehearsal
    from workbench.ui.progressive import browser_ready, in_background
    from workbench.ui.safe import log_exception, plain_message

    ready_made = rehearsal.kept("rollup", ws, today) if defer else None
    if ready_made is not None:  # worked out in the warm kernel, from the same data
        defer = False
    page = widgets.HTML(value=style_tag() + WAITING if defer else
                        ready_made or sections_html(ws, svc.rollup(ws, today)))
    page.add_class("wb-rollup-page")

    refreshed = threading.Event()  # a form's save has shown newer figures than the first read

    def refresh() -> None:
        page.value = sections_html(ws, svc.rollup(ws, today))
        refreshed.set()

    def show(markup: str) -> None:
        if not refreshed.is_set():  # never put the first, older reading over a save's
            page.value = markup

    def failed(exc: BaseException) -> None:
        log_exception("working out the leaders' roll-up", exc)
        page.value = (f"{style_tag()}<div class='wb-rollup'><p class='wb-page-error'>"
                      f"Could not show the roll-up. {_e(plain_message(exc))}</p></div>")

    children = [page, forms(ws, today, refresh)] if interactive else [page]
    ready = browser_ready() if defer else None
    box = widgets.VBox([*children, ready] if ready is not None else children)
    box.add_class("wb-rollup-root")
    if defer:
        in_background(lambda: sections_html(ws, svc.rollup(ws, today)), show, failed,
                      name="rollup", ready=ready, page=box)
    return box


def warm_up(workspace: str = "") -> None:
    """Import what the roll-up needs before the request and, in a preheated kernel, rehearse
    its reading once (:mod:`workbench.ui.rehearsal`; nothing is kept, so the page is never
    stale)."""
    import altair  # noqa: F401
    import ipywidgets  # noqa: F401
    import pandas  # noqa: F401

    from workbench.catalogue import load_catalogue
    from workbench.services import rollup, summary_table  # noqa: F401
    from workbench.store.db import preload

    load_catalogue()
    preload()
    from workbench.ui import rehearsal

    rehearsal.rehearse("the leaders' roll-up", _rehearse, workspace=workspace)


def _rehearse(ws: Workspace, ward: Any, today: dt.date) -> None:
    """The roll-up's reading and drawing (its icon table starts vl-convert), for the warm-up.

    The page reads no address, so what the warm-up works out is what the request would: it is
    kept with a digest of the data it was read from (taken first), and the page shows it if
    that data is unchanged when the request comes (:func:`workbench.ui.rehearsal.kept`).
    """
    from workbench.services.rollup import rollup
    from workbench.store.fingerprint import fingerprint
    from workbench.ui import rehearsal

    digest = fingerprint(ws)
    rehearsal.keep("rollup", ws, today, digest, sections_html(ws, rollup(ws, today)))


def show(*, workspace: str = "", today: str = "", db: str = "",
         interactive: bool | None = None) -> None:
    """Display the roll-up in a notebook; a plain message instead of a traceback on failure.

    Parameters
    ----------
    workspace, db : str
        Workspace folder and database URL (empty: environment or the repository's demo).
    today : str
        ISO date the roll-up is read for (empty: today).
    interactive : bool, optional
        Show the forms (default: only under Voila).  Papermill reports show static HTML.
    """
    from IPython.display import HTML, display

    from workbench.ui.query import in_voila
    from workbench.ui.safe import show_page

    live = in_voila() if interactive is None else interactive

    def page() -> Any:
        ws = resolve_workspace(workspace or None, db or None)
        day = _day(today)
        if live:
            return build(ws, day, interactive=True, defer=in_voila())
        from workbench.services.rollup import rollup

        return HTML(sections_html(ws, rollup(ws, day)))

    display(show_page("the leaders' roll-up", page))
