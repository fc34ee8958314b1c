"""The landing page: every ward (a link to its board), the active tests, this week's signals.

``notebooks/home.ipynb`` calls :func:`warm_up` before the request and :func:`show` after it, so
the page always reflects the counts saved up to the moment it is opened.  CSS classes:
``wb-home``, ``wb-ward-list``, ``wb-ward-link`` (one per ward, ``data-ward=<id>``),
``wb-active-cycles``, ``wb-signals-week``, ``wb-icon-table``.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from workbench.ui.safe import show_page
from workbench.ui.style import style_tag

BOARD_URL = "board.ipynb"
"""The board notebook, relative to ``/voila/render/home.ipynb``."""

PENDING = ('<p class="wb-signals-week wb-pending">Reading every ward\'s charts for unusual '
           'changes this week\u2026</p>')
"""The signals section while it is being worked out."""

SIGNAL_DAYS = 7
"""A signal counts as "this week" when the series' last count is at most this many days old."""



@dataclass
class HomeData:
    """What the landing page shows, gathered from the services."""

    today: dt.date
    wards: list[Any]
    cycles: list[Any]
    signals: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    pending: bool = False
    """True while the signals are still being worked out (the page fills them in)."""
    parents: dict[str, Any] = field(default_factory=dict)
    """Cycle id to the cycle it spreads from and that cycle's ward name (spread changes)."""
    table: Any = None
    """The summary table of every ward (``services.summary_table``), once it is worked out."""


def gather(ws: Any, today: dt.date, site: str = "", *, signals: bool = True) -> HomeData:
    """Wards, active cycles and this week's special-cause signals (per ward and measure).

    The signals are the rows of the summary table (:func:`workbench.services.summary_table.
    summary_table`, the same reading as every ward's board chart) that show an unusual change
    and were counted in the last :data:`SIGNAL_DAYS` days; the table itself is kept in
    ``HomeData.table`` for the page's summary panel, so it is worked out once.
    ``signals=False`` leaves both out (``HomeData.pending``): the quick part of the page,
    shown while they are worked out.
    """
    import pandas as pd

    from workbench.domain.errors import WorkbenchError
    from workbench.services.cycles import ACTIVE, list_cycles
    from workbench.services.skipped import skipped_lines
    from workbench.services.spreading import spread_from
    from workbench.services.summary_table import summary_table
    from workbench.services.wards import list_wards

    every = list_wards(ws)
    wards = [w for w in every if not site or w.site == site]
    ids = {w.id for w in wards}
    cycles = [c for c in list_cycles(ws) if c.status in ACTIVE and c.ward in ids]
    data = HomeData(today, wards, cycles, problems=skipped_lines(ws))
    ward_names = {w.id: w.name for w in every}
    data.parents = {c.id: (p, ward_names.get(p.ward, p.ward)) for c in cycles
                    if (p := spread_from(ws, c)) is not None}
    data.pending = not signals
    if not signals:
        return data
    try:
        data.table = summary_table(ws, today=today)
    except WorkbenchError as exc:
        data.problems.append(f"Could not read the wards' charts: {exc}")
        return data
    since = pd.Timestamp(today - dt.timedelta(days=SIGNAL_DAYS))
    rows = data.table[data.table["ward"].isin(ids)]
    for r in rows.itertuples(index=False):
        if r.variation is None or pd.isna(r.variation) or r.variation == "common_cause":
            continue
        if pd.isna(r.data_up_to) or pd.Timestamp(r.data_up_to) < since:
            continue
        data.signals.append({"ward": r.ward, "measure": r.measure, "variation": r.variation,
                             "assurance": None if pd.isna(r.assurance) else r.assurance,
                             "improvement": r.improvement})
    return data


def _ward_list(data: HomeData) -> str:
    testing: dict[str, list[str]] = {}
    for c in data.cycles:
        testing.setdefault(c.ward, []).append(c.title or c.change_idea.replace("_", " "))
    sites: dict[str, list[Any]] = {}
    for w in data.wards:
        sites.setdefault(w.site, []).append(w)
    parts = []
    for site, wards in sites.items():
        items = []
        for w in wards:
            href = f"{BOARD_URL}?ward={quote(w.id)}"
            note = ""
            if w.id in testing:
                note += f'<div class="wb-testing">Testing: {html.escape("; ".join(testing[w.id]))}</div>'
            items.append(f'<li><a class="wb-ward-link" data-ward="{html.escape(w.id)}" '
                         f'href="{href}">{html.escape(w.name)}</a>'
                         f'<div class="wb-testing">{html.escape(w.specialty)}</div>{note}</li>')
        parts.append(f"<h3>{html.escape(site)}</h3><ul class='wb-ward-list'>{''.join(items)}</ul>")
    return "".join(parts) or "<p>No wards yet: run <code>workbench demo</code> or add wards to " \
                             "<code>pdsa/wards.yaml</code>.</p>"


def _cycles_table(data: HomeData) -> str:
    from workbench.services.verdict_words import day_words
    from workbench.ui.board.panels import parent_html

    if not data.cycles:
        return "<p>No tests of change are planned or running.</p>"
    names = {w.id: w.name for w in data.wards}
    rows = []
    for c in data.cycles:
        end = c.end or c.start + dt.timedelta(days=14)
        left = c.days_left(data.today) if c.status.value == "running" else None
        when = f"{day_words(c.start)} to {day_words(end)}"
        if left == 0:
            when += " (last day)"
        elif left is not None:
            when += f" ({left} day{'s' if left != 1 else ''} left)"
        parent = data.parents.get(c.id)
        origin = "<br>" + parent_html(*parent) if parent is not None else ""
        status = {"planned": "Planned", "running": "Running",
                  "studying": "Checking the result"}.get(c.status.value, c.status.value)
        rows.append(f'<tr data-cycle="{html.escape(c.id)}"><td>'
                    f'<a href="{BOARD_URL}?ward={quote(c.ward)}">'
                    f'{html.escape(names.get(c.ward, c.ward))}</a></td>'
                    f'<td>{html.escape(c.title or c.change_idea)}{origin}</td>'
                    f'<td>{html.escape(c.objective)}</td><td>{status}</td><td>{when}</td></tr>')
    return ('<table class="wb-active-cycles"><thead><tr><th>Ward</th><th>Change tested</th>'
            '<th>Why</th><th>Stage</th><th>When</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def _signals(data: HomeData) -> str:
    import pandas as pd

    from workbench.catalogue import load_catalogue
    from workbench.charts import icon_table, static_html

    if data.pending:
        return PENDING
    if not data.signals:
        return ('<p class="wb-signals-week">No ward shows an unusual change this week: every '
                'chart is within its usual ups and downs.</p>')
    cat = load_catalogue()
    frame = pd.DataFrame(data.signals)
    measures = sorted(set(frame["measure"]))
    chart = icon_table(frame, row="ward", column="measure",
                       improvement={m: cat.measures[m].improvement.value for m in measures},
                       row_names={w.id: w.name for w in data.wards},
                       column_names={m: cat.measures[m].name for m in measures},
                       title=None, cell_width=170, cell_height=96)
    figure = static_html(chart, css_class="wb-icon-table")
    n = len(frame)
    counted = f"{n} chart shows" if n == 1 else f"{n} charts show"
    return (f'<div class="wb-signals-week"><p>{counted} an unusual change in the last '
            f'{SIGNAL_DAYS} days. Blank cells have nothing unusual.</p>{figure}</div>')


def top_html(data: HomeData) -> str:
    """The page's first part: its title, the day, and every ward as a link to its board."""
    from workbench.services.verdict_words import day_words

    return (
        f'{style_tag()}<div class="wb-home wb-home-page"><h1>Ward improvement boards</h1>'
        f'<div class="wb-sub">{day_words(data.today)} &middot; pick your ward to see its charts '
        'and enter today\'s counts</div>'
        f'<h2>Wards</h2><nav class="wb-ward-nav">{_ward_list(data)}</nav></div>')


def signals_html(data: HomeData) -> str:
    """The part worked out last: which wards' charts show an unusual change this week."""
    return f'<h2>Which wards show a signal this week</h2>{_signals(data)}'


def rest_html(data: HomeData) -> str:
    """The tests under way, the links for facilitators, ward teams and leaders, and any files
    that could not be read."""
    problems = "".join(f"<p class='wb-message wb-message-error'>{html.escape(p)}</p>"
                       for p in data.problems)
    return (
        f'<div class="wb-home"><h2>Tests of change under way</h2>{_cycles_table(data)}{problems}'
        '<h2>For facilitators</h2><div class="wb-steps">'
        '<a href="01_pick_theme.ipynb">1. Pick a theme</a>'
        '<a href="02_size_baseline.ipynb">2. Size the baseline</a>'
        '<a href="03_run_change.ipynb">3. Plan and run a change</a>'
        '<a href="04_check_result.ipynb">4. Check the result and decide</a></div>'
        '<h2>For ward teams</h2><div class="wb-steps">'
        '<a href="quiz.ipynb">Five-minute recall quiz</a></div>'
        '<h2>For leaders</h2><div class="wb-steps">'
        '<a href="rollup.ipynb">Roll-up across wards</a></div></div>')


def page_html(data: HomeData) -> str:
    """The whole landing page as HTML (no scripts): :func:`top_html`, :func:`signals_html` and
    :func:`rest_html` in the order the page shows them."""
    return (f'{top_html(data)}<div class="wb-home">{signals_html(data)}</div>'
            f'{rest_html(data)}')


def warm_up(workspace: str = "") -> None:
    """Import what the page needs before the request and, in a preheated kernel, rehearse its
    reading once (:mod:`workbench.ui.rehearsal`; nothing is kept)."""
    import ipywidgets  # noqa: F401
    import pandas  # noqa: F401

    from workbench.catalogue import load_catalogue
    from workbench.charts import icon_table, static_html  # noqa: F401
    from workbench.services import summary_table  # noqa: F401
    from workbench.store.db import preload

    load_catalogue()
    preload()  # the store's SQLAlchemy
    from workbench.ui import rehearsal

    rehearsal.rehearse("the landing page", _rehearse, workspace=workspace)


def _rehearse(ws: Any, ward: Any, today: dt.date) -> None:
    """The landing page's reading and drawing, whole, for the warm-up."""
    page_html(gather(ws, today))


def show(*, workspace: str = "", today: str = "", site: str = "", db: str = "") -> Any:
    """Show the landing page; a plain message if it fails.

    The wards (:func:`top_html`) and the tests under way with the page's links
    (:func:`rest_html`) are shown as plain HTML, which the browser draws before any widget: a
    ward's link works as soon as the page appears.  This week's signals (:func:`signals_html`,
    class ``wb-home``) and the summary table below the links are widgets: under Voila they are
    worked out once in a background thread and filled in.

    Returns
    -------
    ipywidgets.Widget
        The summary table's part of the page (the notebook shows it last), or the error box.
    """
    def build() -> Any:
        import ipywidgets as widgets
        from IPython.display import display

        from workbench.ui.board.page import _today, workspace_of
        from workbench.ui.progressive import browser_ready, in_background
        from workbench.ui.query import in_voila
        from workbench.ui.safe import log_exception, plain_message
        from workbench.ui.steps._common import show as show_html
        from workbench.ui.summary_panel import SummaryPanel

        ws = workspace_of(workspace, db)
        day = _today(today)
        later = in_voila()  # send the wards at once, fill in the signals (progressive fill)
        data = gather(ws, day, site, signals=not later)
        signals = widgets.HTML(signals_html(data))
        signals.add_class("wb-home")
        panel = SummaryPanel(ws, day, site, table=None if later else data.table)
        show_html(top_html(data))
        display(signals)
        show_html(rest_html(data))
        if not later:
            return panel.widget

        def done(full: HomeData) -> None:
            new = [p for p in full.problems if p not in data.problems]
            signals.value = signals_html(full) + "".join(
                f"<p class='wb-message wb-message-error'>{html.escape(p)}</p>" for p in new)
            panel.fill(full.table)

        def failed(exc: BaseException) -> None:
            log_exception("reading this week's signals for the landing page", exc)
            sorry = html.escape(f"Could not read this week's signals. {plain_message(exc)}")
            signals.value = signals.value.replace(
                PENDING, f"<p class='wb-message wb-message-error'>{sorry}</p>")
            panel.failed(sorry)

        ready = browser_ready()
        box = widgets.VBox([panel.widget, ready])
        in_background(lambda: gather(ws, day, site), done, failed, name="home-signals",
                      ready=ready, page=[signals, box])
        return box

    return show_page("the list of wards", build)
