"""The summary panel: filters re-render the table; CSV and PNG downloads carry the rows."""

from __future__ import annotations

import base64
import datetime as dt
import re

from workbench.ui.summary_panel import SummaryPanel


def _rows(panel: SummaryPanel) -> int:
    return panel.html.value.count("<tr class=")


def test_filters_and_exports(demo_ws) -> None:
    panel = SummaryPanel(demo_ws, dt.date(2026, 12, 3))
    total = len(panel.table)
    assert _rows(panel) == total and f"{total} measures shown;" in panel.count.value
    panel.site.value = "North Hospital"
    north = int((panel.table["site"] == "North Hospital").sum())
    assert _rows(panel) == north and 0 < north < total
    assert 'data-site="South Hospital"' not in panel.html.value
    panel.assurance.value = "none"
    assert 'data-assurance="consistent' not in panel.html.value
    csv = base64.b64decode(re.search(r"base64,([^\"]+)", panel.csv.value).group(1)).decode()
    assert len(csv.strip().splitlines()) == _rows(panel) + 1  # header + rows shown
    panel.make_png()
    png = base64.b64decode(re.search(r"base64,([^\"]+)", panel.png.value).group(1))
    assert png.startswith(b"\x89PNG")


def test_a_panel_given_no_table_says_it_is_reading_then_fills_with_the_site_kept(demo_ws) -> None:
    from workbench.services.summary_table import summary_table

    day = dt.date(2026, 12, 3)
    panel = SummaryPanel(demo_ws, day, "North Hospital", table=None)
    assert "Reading every ward" in panel.count.value and _rows(panel) == 0
    assert [v for _label, v in panel.site.options] == [""]  # no sites until the table is read
    table = summary_table(demo_ws, today=day)
    panel.fill(table)
    north = int((table["site"] == "North Hospital").sum())
    assert panel.site.value == "North Hospital" and _rows(panel) == north
    assert f"{north} measures shown;" in panel.count.value
