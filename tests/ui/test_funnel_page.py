"""The funnel page's HTML: the chart as inline SVG with every ward labelled, and the table."""

from __future__ import annotations

import datetime as dt

from workbench.store.workspace import Workspace
from workbench.ui.funnel import page_html


def test_funnel_page_labels_every_ward_and_lists_the_outliers(demo_ws: Workspace) -> None:
    text = page_html(demo_ws, "bruising_prompt_use", as_of=dt.date(2026, 11, 22), weeks=12,
                     adjust="none")
    assert '<figure class="wb-funnel-chart"><svg' in text
    for ward in ("Urgent Care Centre", "Minor Injuries Unit", "Emergency Department"):
        assert ward in text
    assert 'class="wb-funnel-outside"' in text and "above the 99.8% limit" in text
    wide = page_html(demo_ws, "bruising_prompt_use", as_of=dt.date(2026, 11, 22), weeks=12,
                     adjust="additive")
    assert "Every ward is inside the limits" in wide and "between-ward spread" in wide
