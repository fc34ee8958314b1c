"""The summary table as a page panel: filters, the table (exceptions first) and exports.

For the landing page and the roll-up (the lead wires it in): ``SummaryPanel(ws, today).widget``.
The table is built once by :func:`workbench.services.summary_table.summary_table`; the filters
only re-render the HTML.  CSS classes: ``wb-summary-panel``, ``wb-summary-site``,
``wb-summary-variation``, ``wb-summary-assurance``, ``wb-summary-table``, ``wb-summary-csv``,
``wb-summary-png``, ``wb-summary-png-link``, ``wb-summary-count``.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
from typing import Any

VARIATIONS = [("Any variation", ""), ("Getting worse", "concern"),
              ("Getting better", "improvement"), ("Unusual change", "neutral"),
              ("Usual ups and downs", "common")]
ASSURANCES = [("Any target result", ""), ("Will miss the target", "consistent_fail"),
              ("Might or might not hit it", "inconsistent"),
              ("Will hit the target", "consistent_pass"), ("No target", "none")]


def _link(data: bytes, mime: str, name: str, text: str, css: str) -> str:
    encoded = base64.b64encode(data).decode("ascii")
    return (f'<a class="{css}" download="{html.escape(name)}" '
            f'href="data:{mime};base64,{encoded}">{html.escape(text)}</a>')


class SummaryPanel:
    """Filters, the summary table and its exports, for one workspace and day.

    Parameters
    ----------
    ws : Workspace
    today : date
    site : str, optional
        The site selected at first ("" for all).
    table : DataFrame or None, optional
        The summary table when the page has it already; ``None`` shows "Reading…" until
        :meth:`fill` gives it (the landing page works it out in the background). Without the
        argument the panel works it out now.
    """

    def __init__(self, ws: Any, today: dt.date, site: str = "", table: Any = ...) -> None:
        import ipywidgets as widgets

        from workbench.services.summary_table import summary_table

        self.today = today
        self.chosen_site = site
        self.table = summary_table(ws, today=today) if table is ... else table
        wide = {"description_width": "initial"}
        self.site = widgets.Dropdown(options=[("All sites", "")], value="", description="Site",
                                     style=wide)
        self.site.add_class("wb-summary-site")
        self.variation = widgets.Dropdown(options=VARIATIONS, value="", description="Variation",
                                          style=wide)
        self.variation.add_class("wb-summary-variation")
        self.assurance = widgets.Dropdown(options=ASSURANCES, value="", description="Target",
                                          style=wide)
        self.assurance.add_class("wb-summary-assurance")
        self.count = widgets.HTML()
        self.count.add_class("wb-summary-count")
        self.html = widgets.HTML()
        self.html.add_class("wb-summary-table")
        self.csv = widgets.HTML()
        self.csv.add_class("wb-summary-csv")
        self.png_button = widgets.Button(description="Picture for a board paper (PNG)",
                                         layout=widgets.Layout(width="20rem"))
        self.png_button.add_class("wb-summary-png")
        self.png_button.on_click(lambda _b: self.make_png())
        self.png = widgets.HTML()
        self.png.add_class("wb-summary-png-link")
        for w in (self.site, self.variation, self.assurance):
            w.observe(lambda _c: self.render(), names="value")
        self.widget = widgets.VBox([
            widgets.HTML("<h2>All measures, exceptions first</h2>"),
            widgets.HBox([self.site, self.variation, self.assurance]), self.count, self.html,
            widgets.HBox([self.csv, self.png_button, self.png])])
        self.widget.add_class("wb-summary-panel")
        if self.table is None:
            self.count.value = ('<p class="wb-hint wb-pending">Reading every ward\'s measures'
                                '\u2026</p>')
        else:
            self.fill(self.table)

    def fill(self, table: Any) -> None:
        """Show *table* (the summary table), with its sites in the site filter."""
        self.table = table
        sites = sorted(str(s) for s in table["site"].dropna().unique())
        self.site.options = [("All sites", ""), *[(s, s) for s in sites]]
        self.site.value = self.chosen_site if self.chosen_site in sites else ""
        self.render()

    def failed(self, words: str) -> None:
        """Say in place of the table that it could not be read (*words* already escaped)."""
        self.count.value = f"<p class='wb-message wb-message-error'>{words}</p>"

    def shown(self) -> Any:
        """The rows the filters keep (none while the table is being read)."""
        from workbench.services.summary_table import COLUMNS, filter_table

        if self.table is None:
            import pandas as pd

            return pd.DataFrame(columns=list(COLUMNS))

        return filter_table(self.table, site=self.site.value or None,
                            variation=self.variation.value or None,
                            assurance=self.assurance.value or None)

    def render(self) -> None:
        """Redraw the table and the CSV link for the current filters."""
        from workbench.charts.summary import summary_table_html
        from workbench.services.summary_table import table_csv

        if self.table is None:
            return
        rows = self.shown()
        flagged = int((rows["exception"] < 6).sum()) if len(rows) else 0
        shown = f"{len(rows)} measure{'' if len(rows) == 1 else 's'} shown"
        look = f"{flagged} needs a look" if flagged == 1 else f"{flagged} need a look"
        self.count.value = f'<p class="wb-hint">{shown}; {look} (listed first).</p>'
        self.html.value = summary_table_html(rows)
        self.csv.value = _link(table_csv(rows).encode("utf-8"), "text/csv",
                               f"measures-{self.today.isoformat()}.csv",
                               "Download as a spreadsheet (CSV)", "wb-summary-csv-link")
        self.png.value = ""

    def make_png(self) -> None:
        """Draw the shown rows as a PNG (offline) and offer it as a download."""
        from workbench.charts.render import to_png
        from workbench.charts.summary import summary_table_spec

        site = self.site.value
        title = f"Summary of measures{' - ' + site if site else ''}, {self.today:%-d %b %Y}"
        data = to_png(summary_table_spec(self.shown(), title=title))
        self.png.value = _link(data, "image/png", f"measures-{self.today.isoformat()}.png",
                               "Download the picture", "wb-summary-png-download")
