"""The funnel page: which wards stand out on one measure, and which are outside the limits.

Reads :func:`workbench.services.funnel.ward_funnel` and words the wards outside the limits with
:func:`~workbench.services.funnel.outside_table`.  Under Voila a measure list and a switch for
the overdispersion adjustment redraw the page; a papermill report shows the static page.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from workbench.store.workspace import Workspace, resolve_workspace
from workbench.ui.style import style_tag, table_html


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def page_html(ws: Workspace, measure: str, *, as_of: dt.date | None, weeks: int,
              adjust: str) -> str:
    """The funnel plot and the table of wards outside the limits, as one HTML fragment."""
    from workbench.charts import static_html
    from workbench.charts.funnel import funnel_chart
    from workbench.services.funnel import ADJUST_WORDS, outside_table, ward_funnel

    f = ward_funnel(ws, measure, as_of=as_of, weeks=weeks, adjust=adjust)
    m = f.measure
    percent = f.kind == "proportion"
    unit = "%" if percent else f" per {m.denominator or 'unit'}"
    chart = funnel_chart(f.result, title=f"{m.name}, {f.period_text()}",
                         x_title=m.denominator or "Denominator",
                         y_title=f"{m.name} ({'%' if percent else 'rate'})",
                         improvement=m.improvement.value, percent=percent)
    centre = f.result.target * (100 if percent else 1)
    table = outside_table(f)
    if table.empty:
        rows = '<p class="wb-funnel-none">Every ward is inside the limits: the differences ' \
               "between wards are no bigger than chance would give.</p>"
    else:
        rows = table_html(("Ward", "Value", m.denominator or "Denominator", "Where"),
                          [(r.ward, f"{r.value:g}{unit}", f"{r.denominator:g}", r.where)
                           for r in table.itertuples()], "wb-funnel-outside")
    return "\n".join([
        style_tag(), '<div class="wb-funnel">',
        f"<h2>{_e(m.name)}: how the wards compare</h2>",
        f'<p class="muted">{_e(m.definition)} All wards together: {centre:.1f}{_e(unit)}. '
        f"Period: {_e(f.period_text())}. Limits: {_e(ADJUST_WORDS[f.result.adjust])}"
        f" (phi {f.result.phi:.2f}).</p>",
        static_html(chart, css_class="wb-funnel-chart"),
        "<h2>Wards outside the limits</h2>", rows,
        '<p class="muted">A ward outside the 99.8% limits differs from the others by more than '
        "chance. Ask what is different there before judging: case mix, how the count is taken, "
        "or a change that worked.</p>", "</div>"])


def build(ws: Workspace, measure: str, as_of: dt.date | None, weeks: int, adjust: str) -> Any:
    """The interactive page: a measure list, the adjustment switch and the page below them."""
    import ipywidgets as widgets

    from workbench.services.funnel import ADJUSTMENTS, funnel_measures
    from workbench.ui.safe import Notice, guarded

    pick = widgets.Dropdown(options=[(m.name, m.id) for m in funnel_measures()], value=measure,
                            description="Measure")
    switch = widgets.ToggleButtons(options=[("No allowance", "none"),
                                            ("Widen by phi", "multiplicative"),
                                            ("Add between-ward spread", "additive")],
                                   value=adjust if adjust in ADJUSTMENTS else "none",
                                   style={"button_width": "auto"})
    body = widgets.HTML()
    notice = Notice("wb-funnel-message")
    pick.add_class("wb-funnel-measure")
    switch.add_class("wb-funnel-adjust")
    body.add_class("wb-funnel-body")

    @guarded("drawing the funnel plot", notice)
    def redraw(_: Any = None) -> None:
        notice.clear()
        body.value = page_html(ws, pick.value, as_of=as_of, weeks=weeks, adjust=switch.value)

    pick.observe(redraw, names="value")
    switch.observe(redraw, names="value")
    redraw()
    box = widgets.VBox([widgets.HBox([pick, switch]), notice.widget, body])
    box.add_class("wb-funnel-root")
    return box


def show(measure: str = "bruising_prompt_use", *, workspace: str = "", db: str = "",
         as_of: str = "", weeks: int | str = 12, adjust: str = "none",
         interactive: bool | None = None) -> None:
    """Display the funnel page in a notebook; a plain message instead of a traceback on failure.

    Parameters
    ----------
    measure : str
        A proportion or rate measure id.
    workspace, db : str
        Workspace folder and database URL (empty: environment or the repository's demo).
    as_of : str
        ISO date: the last day of the period (empty: the last stored count).
    weeks : int
        Length of the period.
    adjust : {"none", "multiplicative", "additive"}
        Overdispersion adjustment of the limits.
    interactive : bool, optional
        Show the measure list and switch (default: only under Voila).
    """
    from IPython.display import HTML, display

    from workbench.ui.query import in_voila
    from workbench.ui.safe import show_page

    live = in_voila() if interactive is None else interactive

    def page() -> Any:
        from workbench.ui.steps._common import parse_date

        ws = resolve_workspace(workspace or None, db or None)
        day = parse_date(as_of, "as_of")
        if live:
            return build(ws, measure, day, int(weeks), adjust)
        return HTML(page_html(ws, measure, as_of=day, weeks=int(weeks), adjust=adjust))

    display(show_page("the funnel plot", page))
