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
    """

    def __init__(self, ws: Any, today: dt.date, site: str = "") -> None:
        import ipywidgets as widgets

        from workbench.services.summary_table import summary_table

        self.today = today
        self.table = summary_table(ws, today=today)
        sites = sorted(str(s) for s in self.table["site"].dropna().unique())
        wide = {"description_width": "initial"}
        self.site = widgets.Dropdown(options=[("All sites", ""), *[(s, s) for s in sites]],
                                     value=site if site in sites else "", description="Site",
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
        self.render()

    def shown(self) -> Any:
        """The rows the filters keep."""
        from workbench.services.summary_table import filter_table

        return filter_table(self.table, site=self.site.value or None,
                            variation=self.variation.value or None,
                            assurance=self.assurance.value or None)

    def render(self) -> None:
        """Redraw the table and the CSV link for the current filters."""
        from workbench.charts.summary import summary_table_html
        from workbench.services.summary_table import table_csv

        rows = self.shown()
        flagged = int((rows["exception"] < 6).sum()) if len(rows) else 0
        self.count.value = (f'<p class="wb-hint">{len(rows)} measure(s) shown; {flagged} need a '
                            "look (listed first).</p>")
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
