"""HTML panels of the board: header, the current test in one line, a plain-words card per measure.

Everything here formats what :func:`workbench.services.checks.ward_summary` computed; icons and
words come from :mod:`workbench.charts` so the board, charts and reports say the same thing.
"""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import urlencode

from workbench.domain.palette import MDC_COMMON
from workbench.services.checks import WardSummary
from workbench.services.measure_checks import MeasureCheck
from workbench.services.verdict_words import day_words
from workbench.services.views import MeasureView

HOME_URL = "home.ipynb"
"""The landing page, relative to ``/voila/render/board.ipynb``."""


def header_html(summary: WardSummary) -> str:
    """The ward's name, site and today's date, with the print button and a link home."""
    w = summary.ward
    return (
        '<div class="wb-board-header">'
        f'<div><h1 class="wb-board-title">{html.escape(w.name)}</h1>'
        f'<div class="wb-sub">{html.escape(w.site)} &middot; {html.escape(w.specialty)} '
        f'&middot; {day_words(summary.today)}</div></div>'
        '<div class="wb-board-actions">'
        f'<a class="wb-home-link" href="{HOME_URL}">All wards</a>'
        '<button type="button" class="wb-print" onclick="window.print()">Print this board</button>'
        '</div></div>'
    )


def parent_html(parent: Any, ward_name: str) -> str:
    """``spread from Discharge Lounge (how it went there)``: a spread cycle's link to its parent.

    The board and the landing page both say it this way.
    """
    href = html.escape("04_check_result.ipynb?" + urlencode({"cycle": parent.id}))
    return (f'<span class="wb-parent" data-parent="{html.escape(parent.id)}">spread from '
            f'{html.escape(ward_name)} (<a href="{href}">how it went there</a>)</span>')


def cycle_html(summary: WardSummary, change_text: str = "", parent: str = "") -> str:
    """The current test of change in one line: what, why, days left and the next check.

    *parent* is :func:`parent_html` for a change spread from another ward.
    """
    c = summary.current
    if c is None:
        return ('<div class="wb-board-cycle wb-none">No test of change is running on this ward '
                'right now.</div>')
    what = html.escape(c.title or change_text or c.change_idea.replace("_", " "))
    why = html.escape(c.objective.rstrip("."))
    status = {"planned": "Planned", "running": "Testing now",
              "studying": "Checking the result of"}.get(c.status.value, "Testing")
    when = []
    if summary.days_left is not None:
        when.append("last day of the test" if summary.days_left == 0
                    else f"{summary.days_left} day{'s' if summary.days_left != 1 else ''} left")
    if summary.next_check is not None:
        when.append(f"next check {day_words(summary.next_check)}")
    if c.status.value == "planned":
        when.append(f"starts {day_words(c.start)}")
    more = len(summary.active) - 1
    if more > 0:
        when.append(f"{more} more change{'s' if more > 1 else ''} planned or being checked")
    line = f'<span class="wb-when">{" &middot; ".join(when)}</span>' if when else ""
    origin = f" &middot; {parent}" if parent else ""
    return (f'<div class="wb-board-cycle" data-cycle="{html.escape(c.id)}">'
            f'<b>{status}:</b> {what}{origin} &mdash; <i>why:</i> {why}.{line}</div>')


def _icon(letter: str, colour: str, key: str, title: str) -> str:
    mark = letter or ("&ndash;" if key == "common_cause" else "")
    return (f'<span class="wb-icon wb-icon-{html.escape(key)}" title="{html.escape(title)}" '
            f'style="border-color:{colour};color:{colour}">{mark}</span>')


def icons_of(mc: MeasureCheck) -> dict[str, Any]:
    """The variation and assurance icons of one measure, as :func:`icon_frame` gives them."""
    from workbench.charts import icon_frame

    if mc.result is None:
        return {}
    frame = icon_frame(mc.result, improvement=mc.measure.improvement.value)
    return {} if frame.empty else dict(frame.iloc[0])


def last_words(mc: MeasureCheck, data: Any = None) -> str:
    """``Last count: Sun 22 Nov 2026 — 7 of 9`` (or that there is none yet).

    *data* (the daily counts) is read instead of ``mc.data`` when given: a check at a weekly
    grain holds weekly totals, while the last count is a day's.
    """
    data = mc.data if data is None else data
    if data.empty:
        return "No counts yet"
    row = data.iloc[-1]
    value = f"{float(row['value']):g}"
    den = row.get("denominator")
    if den is not None and den == den and mc.measure.needs_denominator:
        value += f" of {float(den):g}"
    return f"Last count: {day_words(row['date'].date())} \u2014 {value}"


def test_html(test: Any) -> str:
    """The current test's verdict on one measure (the judgement's words), or nothing."""
    if test is None:
        return ""
    from workbench.services import verdict_words as vw

    since = vw.since_line(test)
    more = f'<div class="wb-since">{html.escape(since)}</div>' if since else ""
    return (f'<div class="wb-test" data-verdict="{html.escape(test.verdict)}">'
            f'<b>{html.escape(vw.TEST_HEADING)}</b> {html.escape(vw.test_line(test))}</div>{more}')


def _now_icon(now: Any, improvement: str) -> Any:
    """The variation badge of the judgement's *where is the process now?* reading."""
    from workbench.charts.words import variation_icon

    kind = str(now.variation)
    side = None
    if kind.endswith("improvement"):
        side = "high" if improvement == "increase" else "low"
    elif kind.endswith("concern"):
        side = "low" if improvement == "increase" else "high"
    return variation_icon(now.variation, side)


def signal_html(view: MeasureView, test: Any = None, now: Any = None) -> str:
    """One measure's card: name, variation icon and words, assurance against its target, the
    last count, a plain warning when the counts are out of date, and the current test's verdict
    on it when there is one.

    The variation is the judgement's *where is the process now?* (*now*, a
    :class:`~workbench.services.judgement.WardMeasure`) when given, so the card says what the
    landing page, the roll-up and the batch index say; the assurance is read against the
    measure's target at its grain.
    """
    from workbench.services import verdict_words as vw

    mc = view.check
    m = mc.measure
    icons = icons_of(mc)
    if now is not None and now.variation is not None:
        badge = _now_icon(now, m.improvement.value)
        icon = _icon(badge.letter, badge.colour, badge.key, badge.label)
        words = (f'<span class="wb-now" title="{html.escape(vw.NOW_HEADING)}">'
                 f'{html.escape(vw.NOW_SHORT)}</span> {html.escape(badge.plain)}')
        if icons.get("assurance"):
            words += f' &middot; {html.escape(icons["assurance_plain"])}'
    elif icons:
        icon = _icon(icons["variation_letter"], icons["variation_colour"],
                     icons["variation_icon"], icons["variation_label"])
        words = (f'<span class="wb-now" title="{html.escape(vw.NOW_HEADING)}">'
                 f'{html.escape(vw.NOW_SHORT)}</span> {html.escape(icons["variation_plain"])}')
        if icons.get("assurance"):
            words += f' &middot; {html.escape(icons["assurance_plain"])}'
    else:
        icon = _icon("?", MDC_COMMON, "unknown", "Not enough data")
        words = "Not enough data yet"
    target = (f'<div class="wb-target">Target {html.escape(view.target_words)}</div>'
              if view.target_words else "")
    stale = (f'<div class="wb-stale">{html.escape(view.fresh.words[:1].upper())}'
             f'{html.escape(view.fresh.words[1:])}: counts may be missing</div>'
             if view.fresh.stale and view.fresh.last is not None else "")
    return (f'<div class="wb-signal wb-signal-{m.id}" data-measure="{m.id}">{icon}<div>'
            f'<div class="wb-name">{html.escape(m.name)}</div>'
            f'<div class="wb-words">{words}</div>{target}'
            f'<div class="wb-last">{html.escape(last_words(mc, view.daily))}</div>'
            f'{stale}{test_html(test)}</div></div>')


def signals_html(summary: WardSummary, views: list[MeasureView]) -> str:
    """All the ward's measure cards in a row."""
    judged = getattr(summary, "judgement", None)
    now = {m.measure: m for m in judged.measures} if judged is not None else {}
    cards = "".join(signal_html(v, getattr(now.get(v.check.measure.id), "test", None),
                                now.get(v.check.measure.id)) for v in views)
    return f'<div class="wb-signals">{cards}</div>'


def board_chart(views: list[MeasureView], labels: dict[str, str] | None = None, *,
                whole: bool = False) -> Any:
    """All the ward's SPC charts in one Vega-Lite spec (two per row); None without data.

    One chart in one widget keeps the page to a single Vega view, which loads and updates fast.
    Each chart is at its measure's grain (captioned), shades the current test, labels its
    centre and limits, and shows its readable span unless *whole*.

    Parameters
    ----------
    views : list of MeasureView
    labels : dict, optional
        Measure id to the words at its change line (the change tested).
    whole : bool
        Draw the whole history instead of the readable span.
    """
    from workbench.charts import spc_spec
    from workbench.charts.multiples import grid

    charts = [spc_spec(v.check.result, measure=v.measure,
                       change_label=(labels or {}).get(v.measure.id), width=480, height=200,
                       caption=v.grain.caption, test_window=v.window, label_limits=True,
                       since=None if whole else v.since, target=v.target)
              for v in views if v.check.result is not None]
    if not charts:
        return None
    # each chart keeps its own colours and shapes for the point types it shows
    return grid(charts, columns=2, config={
        "view": {"stroke": None},
        "legend": {"orient": "bottom", "labelFontSize": 13, "titleFontSize": 13}})
