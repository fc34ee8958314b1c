"""The batch index: each ward's report and failure, then the summary table per site.

Real demo workspace in SQLite (``demo_ws``); the manifest is written here by hand in the shape
the runner writes (``run.json``), so no notebook is executed.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pandas as pd

from workbench.batch.index import icon_summary, index_html, write_index
from workbench.demo import DEMO_END
from workbench.services.summary_table import summary_table
from workbench.store.workspace import Workspace

WARDS = ["nh-ucc", "sh-dl", "nh-ed"]
AS_OF = DEMO_END - dt.timedelta(days=28)


def _manifest(wards: list[str]) -> dict[str, object]:
    info: dict[str, dict[str, object]] = {
        w: {"folder": w, "status": "ok", "ipynb": "04_check_result.ipynb",
            "html": "04_check_result.html"} for w in wards}
    info[wards[1]] = {"folder": wards[1], "status": "failed",
                      "error": "The report stopped at cell 3: no counts for this ward"}
    return {"notebook": "04_check_result", "run_id": "20261203T120000Z-04_check_result",
            "created": "2026-12-03T12:00:00+00:00", "wards": info}


def _rows(page: str) -> list[tuple[str, str, int]]:
    """(site section, ward, exception rank) of every summary row, in page order."""
    out = []
    for section in re.findall(r'<section class="wb-index-site" data-site="([^"]*)">(.*?)</section>',
                              page, re.S):
        site, body = section
        for exc, ward in re.findall(r'<tr class="wb-exc-(\d)"[^>]*data-ward="([^"]*)"', body):
            out.append((site, ward, int(exc)))
    return out


def test_index_shows_the_summary_table_per_site_exceptions_first(demo_ws: Workspace,
                                                                  tmp_path) -> None:
    wards = WARDS  # two sites: North Hospital (nh-*) and South Hospital (sh-*)
    manifest = _manifest(wards)
    path = write_index(tmp_path, manifest, demo_ws, AS_OF)
    page = path.read_text(encoding="utf-8")
    expected = summary_table(demo_ws, today=AS_OF, wards=wards)
    rows = _rows(page)
    # every ward x measure of the service's table is on the page once, in its site's section
    assert sorted((s, w) for s, w, _ in rows) == sorted(zip(expected["site"], expected["ward"],
                                                            strict=True))
    assert {s for s, _, _ in rows} == {"North Hospital", "South Hospital"}
    for site in set(expected["site"]):
        ranks = [e for s, _, e in rows if s == site]
        assert ranks == sorted(ranks), f"{site}: exceptions first"
    # the old line list is gone: no per-ward bullet lists of measures
    assert "<ul><li><b>" not in page
    # the report links and the failure line stay
    assert f'href="{wards[0]}/04_check_result.html"' in page
    assert f'href="{wards[0]}/04_check_result.ipynb"' in page
    assert "The report stopped at cell 3" in page
    top = page.index("Reports not made")
    assert top < page.index('class="wb-index-site"'), "failures are said before the table"
    # offline: nothing fetched
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=[\"']?(https?:)?//", page)
    assert "http" not in page


def test_index_reads_no_count_after_the_runs_as_of_date(demo_ws: Workspace) -> None:
    from workbench.services.observations import long_frame

    counted = pd.to_datetime(long_frame(demo_ws, wards=WARDS)["date"]).max().date()
    assert counted > AS_OF, "the demo has counts after the as-of date, so this test can fail"
    summary = icon_summary(demo_ws, WARDS, AS_OF)
    last = max(d for d in summary.frame["data_up_to"] if d is not None)
    assert last <= AS_OF
    page = index_html(_manifest(WARDS), summary, AS_OF)
    assert f"{AS_OF.day} {AS_OF:%B %Y}" in page
    later = {f"{d.day} {d:%b %Y}" for d in pd.date_range(AS_OF + dt.timedelta(days=1), counted)}
    shown = set(re.findall(r'<td class="wb-num">(\d{1,2} \w{3} \d{4})', page))
    assert shown and not (shown & later), "no 'data up to' after the as-of date"


def test_index_names_a_ward_it_could_not_sum_up(demo_ws: Workspace) -> None:
    summary = icon_summary(demo_ws, ["nh-ucc", "no-such-ward"], AS_OF)
    page = index_html(_manifest(["nh-ucc", "no-such-ward"]), summary, AS_OF)
    assert "no-such-ward" in page and "not in the workspace" in page
    assert set(summary.frame["ward"]) == {"nh-ucc"}


def test_index_keeps_quiet_measures_one_click_away_and_names_wards(demo_ws: Workspace,
                                                                   tmp_path) -> None:
    """A site's block shows the measures to look at; the ones with nothing unusual (rank 6 of
    the summary table's order) sit in one ``<details>`` after them.  Wards are named, never
    shown by their code, and the page says which step it reports in words."""
    path = write_index(tmp_path, _manifest(WARDS), demo_ws, AS_OF)
    page = path.read_text(encoding="utf-8")
    expected = summary_table(demo_ws, today=AS_OF, wards=WARDS)
    assert (expected["exception"] == 6).any() and (expected["exception"] < 6).any(), \
        "the demo has quiet and unquiet measures, so this test can fail"
    for site, body in re.findall(
            r'<section class="wb-index-site" data-site="([^"]*)">(.*?)</section>', page, re.S):
        shown, _, quiet = body.partition('<details class="wb-index-quiet">')
        mine = expected[expected["site"] == site]
        assert sorted(int(e) for e in re.findall(r'<tr class="wb-exc-(\d)"', shown)) == \
            sorted(int(e) for e in mine["exception"] if e < 6)
        assert [int(e) for e in re.findall(r'<tr class="wb-exc-(\d)"', quiet)] == \
            [6] * int((mine["exception"] == 6).sum())
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))  # the words, without attributes
    for ward in WARDS:
        assert ward not in text, f"the ward code {ward} is shown where its name belongs"
    assert "Step 4: check the result and decide: every ward's report" in text
    assert "Started 3 December 2026 at 12:00 UTC" in text
