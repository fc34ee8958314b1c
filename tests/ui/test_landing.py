"""The landing page's quick part (wards, tests under way, spread links) and its filled-in part."""

from __future__ import annotations

import datetime as dt

from workbench.services import decisions
from workbench.services.spreading import spread
from workbench.ui import landing


def test_the_quick_part_has_the_wards_and_tests_and_says_the_signals_are_coming(files_ws) -> None:
    day = dt.date(2026, 11, 22)
    quick = landing.gather(files_ws, day, signals=False)
    assert quick.pending and quick.signals == []
    markup = landing.page_html(quick)
    assert landing.PENDING in markup
    assert markup.count('class="wb-ward-link"') == 12
    assert 'data-cycle="dl-high-risk-bundle"' in markup


def test_a_spread_test_is_linked_to_the_test_it_came_from(files_ws) -> None:
    decisions.decide(files_ws, "dl-high-risk-bundle", "adopt", "Returns fell",
                  on=dt.date(2026, 11, 27))
    from workbench.services.wards import list_wards, save_wards

    # the next ward must count what the test measured before the change can spread to it
    extra = ["bundle_use", "unplanned_returns_7d", "discharge_delay_hours"]
    save_wards(files_ws, [w.model_copy(update={"measures": [*w.measures, *extra]})
                          if w.id == "nh-ed" else w for w in list_wards(files_ws)])
    spread(files_ws, "dl-high-risk-bundle", "nh-ed", dt.date(2026, 12, 7),
                  today=dt.date(2026, 12, 3))
    markup = landing.page_html(landing.gather(files_ws, dt.date(2026, 12, 3), signals=False))
    row = markup.split('data-cycle="dl-high-risk-bundle-nh-ed"', 1)[1].split("</tr>", 1)[0]
    assert "spread from Discharge Lounge" in row
    assert 'href="04_check_result.ipynb?cycle=dl-high-risk-bundle"' in row
