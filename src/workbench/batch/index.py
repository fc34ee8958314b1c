"""The run's front page: every ward's status and report, then the summary table per site.

The table is :func:`workbench.services.summary_table.summary_table` read for the run's as-of
date (no count after it), drawn by :func:`workbench.charts.summary.summary_table_html`: one
section per site, exceptions first, the same table the landing page and the roll-up show.
The page is plain HTML with its own style: it fetches nothing.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.store.workspace import Workspace

STATUS_WORDS = {"ok": "Done", "failed": "Failed", "timeout": "Timed out", "missing": "Not run"}
_STATUS_ORDER = {"failed": 0, "timeout": 1, "missing": 2, "ok": 3}
_CSS = """body{font-family:Arial,"Liberation Sans",sans-serif;margin:1.2em 2em;color:#212b32;
max-width:1200px}h1{font-size:1.5em;margin:0 0 .2em}h2{color:#005eb8;font-size:1.15em;
border-bottom:1px solid #d8dde0;margin:1.2em 0 .4em}p{margin:.3em 0}
.wb-runs{border-collapse:collapse;font-size:.9rem}.wb-runs th,.wb-runs td{border:1px solid #d8dde0;
padding:.2em .5em;text-align:left;vertical-align:top}.wb-runs th{background:#e8edee}
.ok{color:#007f3b}.failed,.timeout{color:#d5281b;font-weight:bold}.missing{color:#768692}
.err{font-family:monospace;font-size:85%;color:#212b32;font-weight:normal}
.muted{color:#4c6272}.wb-index-failures{border-left:6px solid #d5281b;background:#fff4f2;
padding:.3em .8em;margin:.6em 0}.wb-index-failures ul{margin:.2em 0}.wb-index-key{font-size:.85rem;color:#4c6272}"""
REPORT_TITLES = {"01_pick_theme": "Step 1: pick a theme",
                 "02_size_baseline": "Step 2: size the baseline",
                 "03_run_change": "Step 3: plan and run a change",
                 "04_check_result": "Step 4: check the result and decide",
                 "monthly_brief": "Monthly learning brief"}
"""The step each notebook is, in the landing page's words (other notebooks: their name)."""
QUIET = 6
"""Summary-table rank of a row with nothing to look at (usual ups and downs, no target to judge
or one it will hit): a site's quiet rows wait behind one click, as in the roll-up, so a site's
block fits one screen."""
KEY = ("Each row is one measure on one ward, the most urgent first: getting worse, will miss "
       "its target, counts out of date, then getting better. Circles: variation (H/L: unusual "
       "high or low; \u2013: usual ups and downs) and target (P: will hit it, F: will miss it, "
       "?: might or might not). Hover a circle for its words. The measures with nothing unusual "
       "are one click away under each site.")
"""The words above each table that say how to read it."""


@dataclass(frozen=True)
class Icons:
    """The index's summary.

    Attributes
    ----------
    frame : DataFrame
        The :func:`workbench.services.summary_table.summary_table` rows of the run's wards.
    problems : dict
        Per ward, the message of anything that stopped its summary (e.g. no store).
    names : dict
        Ward id -> ward name.
    tests : dict
        Ward id -> the judgement's answer to *did the test change the measure?* for each
        measure of the ward's current test, in its words (the same lines every surface shows).
    """

    frame: pd.DataFrame
    problems: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    tests: dict[str, list[str]] = field(default_factory=dict)


def icon_summary(ws: Workspace, wards: list[str], as_of: dt.date | None = None) -> Icons:
    """The summary table of *wards* read for *as_of* (no count after it is read)."""
    from workbench.domain.errors import WorkbenchError
    from workbench.services.summary_table import COLUMNS, summary_table
    from workbench.services.wards import list_wards

    empty = pd.DataFrame(columns=list(COLUMNS))
    try:
        names = {w.id: w.name for w in list_wards(ws) if w.id in wards}
        table = summary_table(ws, today=as_of, wards=wards)
    except (WorkbenchError, OSError, ImportError) as exc:
        return Icons(empty, dict.fromkeys(wards, str(exc)))
    except Exception as exc:  # noqa: BLE001 - the index must still be written
        logging.getLogger(__name__).exception("summing up the batch run's measures")
        return Icons(empty, dict.fromkeys(wards, f"Could not sum up the measures ({exc})."))
    problems = {w: "not in the workspace's ward list" for w in wards if w not in names}
    return Icons(table, problems, names, _test_lines(ws, [w for w in wards if w in names], as_of))


def _test_lines(ws: Workspace, wards: list[str], as_of: dt.date | None) -> dict[str, list[str]]:
    """Each ward's current test, judged as of *as_of* and worded by the one wording module."""
    from workbench.domain.errors import WorkbenchError
    from workbench.services import verdict_words as vw
    from workbench.services.judgement import judge_all

    try:
        judged, _ = judge_all(ws, as_of=as_of, wards=wards)
    except WorkbenchError:
        return {}
    return {j.ward: [vw.test_line(m.test) for m in j.measures if m.test is not None]
            for j in judged}


def _esc(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _ward_rows(manifest: dict[str, Any], summary: Icons) -> str:
    """One row per ward (failures first): its status, any error, its current test's verdict
    and its report's links."""
    from workbench.services import verdict_words as vw

    wards = sorted(manifest["wards"].items(), key=lambda kv: (
        _STATUS_ORDER.get(kv[1].get("status", "missing"), 4), summary.names.get(kv[0], kv[0])))
    rows = []
    for ward, info in wards:
        status = info.get("status", "missing")
        links = []
        for kind in ("html", "ipynb"):
            if info.get(kind):
                href = html.escape(f"{info['folder']}/{info[kind]}", quote=True)
                links.append(f'<a href="{href}">{"report" if kind == "html" else "notebook"}</a>')
        notes = [info.get("error"), summary.problems.get(ward)]
        err = "".join(f'<div class="err">{_esc(n)}</div>' for n in notes if n)
        tests = "".join(f'<div class="wb-index-test">{_esc(t)}</div>'
                        for t in summary.tests.get(ward, [])) or \
            '<span class="muted">No test under way</span>'
        label = _esc(summary.names.get(ward) or ward)  # the ward's name; its id only if unknown
        rows.append(f'<tr data-ward="{_esc(ward)}"><td>{label}</td><td class="{_esc(status)}">'
                    f"{_esc(STATUS_WORDS.get(status, status))}{err}</td>"
                    f"<td>{tests}</td>"
                    f"<td>{' · '.join(links)}</td></tr>")
    return ('<table class="wb-runs"><thead><tr><th>Ward</th><th>Report</th>'
            f"<th>{_esc(vw.TEST_HEADING)}</th><th>Files</th></tr>"
            "</thead><tbody>" + "".join(rows) + "</tbody></table>")


def _failures(manifest: dict[str, Any], summary: Icons) -> str:
    """A line per ward whose report was not made, at the top of the page."""
    lines = []
    for ward, info in manifest["wards"].items():
        status = info.get("status", "missing")
        if status == "ok":
            continue
        name = summary.names.get(ward) or ward
        why = f": {info['error']}" if info.get("error") else ""
        lines.append(f'<li class="{_esc(status)}">{_esc(name)}: '
                     f"{_esc(STATUS_WORDS.get(status, status).lower())}{_esc(why)}</li>")
    if not lines:
        return ""
    return ('<div class="wb-index-failures"><p><strong>Reports not made</strong> (each ward\'s '
            "line is in the list at the end):</p><ul>" + "".join(lines) + "</ul></div>")


def _site_sections(summary: Icons, as_of: str) -> str:
    """The summary table, one section per site (sites with exceptions first)."""
    from workbench.charts.summary import SUMMARY_CSS, summary_table_html

    table = summary.frame
    if table.empty:
        return '<p class="muted">No measures to sum up for these wards.</p>'
    parts = [SUMMARY_CSS, f'<p class="wb-index-key">{_esc(KEY)}</p>']
    firsts = table.groupby("site", sort=False)["exception"].min().sort_values(kind="stable")
    for site in firsts.index:
        rows = table[table["site"] == site]
        urgent = int((rows["exception"] <= 2).sum())
        watch = int(((rows["exception"] > 2) & (rows["exception"] < QUIET)).sum())
        lead = (f"{urgent} of {len(rows)} measures need a look" if urgent else
                f"none of its {len(rows)} measures need a look")
        if watch:
            lead += (f", {watch} more to watch (getting better, an unusual change, or might "
                     "miss its target)")
        first, rest = rows[rows["exception"] < QUIET], rows[rows["exception"] >= QUIET]
        shown = summary_table_html(first, css=False) if not first.empty else \
            '<p class="muted">Nothing unusual on this site\'s wards.</p>'
        quiet = (f'<details class="wb-index-quiet"><summary>The other {len(rest)} '
                 f"measure{'s' if len(rest) != 1 else ''}: usual ups and downs</summary>"
                 f"{summary_table_html(rest, css=False)}</details>") if not rest.empty else ""
        parts.append(f'<section class="wb-index-site" data-site="{_esc(site)}">'
                     f"<h2>{_esc(site)}</h2><p class=\"muted\">{_esc(lead)}; counts up to "
                     f"{_esc(as_of)} at the latest.</p>{shown}{quiet}</section>")
    return "".join(parts)


def _started(created: object) -> str:
    """``2026-12-03T13:49:46+00:00`` as people write it: ``3 December 2026 at 13:49 UTC``."""
    try:
        when = dt.datetime.fromisoformat(str(created))
    except ValueError:
        return str(created)
    zone = " UTC" if when.utcoffset() == dt.timedelta(0) else ""
    return f"{when.day} {when:%B %Y} at {when:%H:%M}{zone}"


def index_html(manifest: dict[str, Any], summary: Icons, as_of: dt.date | None = None) -> str:
    """The run's ``index.html``: each ward's report (links relative to the run folder), then
    the summary table per site."""
    counts = pd.Series([i.get("status", "missing") for i in manifest["wards"].values()])
    tally = ", ".join(f"{n} {STATUS_WORDS.get(s, s).lower()}" for s, n in
                      counts.value_counts().items())
    name = str(manifest["notebook"])
    title = f"{REPORT_TITLES.get(name, name)}: every ward's report"
    day = as_of or dt.date.today()
    as_of_words = f"{day.day} {day:%B %Y}"
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{_esc(title)}</title><style>{_CSS}</style></head><body>"
            f"<h1>{_esc(title)}</h1><p>Started {_esc(_started(manifest.get('created')))}, "
            f"reading counts up to {_esc(as_of_words)}; "
            f"{len(manifest['wards'])} ward(s): {_esc(tally)}. "
            f"<span class=\"muted\">Run {_esc(manifest['run_id'])}</span></p>"
            + _failures(manifest, summary)
            + "<h2>Where each measure is now, most urgent first</h2>"
            + _site_sections(summary, as_of_words)
            + "<h2>Each ward's report</h2>" + _ward_rows(manifest, summary)
            + "</body></html>")


def write_index(folder: Path, manifest: dict[str, Any], ws: Workspace,
                as_of: dt.date | None = None,
                icons: Icons | None = None) -> Path:
    """Write ``index.html`` in the run folder (computing the summary unless given)."""
    summary = icons or icon_summary(ws, list(manifest["wards"]), as_of)
    path = folder / "index.html"
    path.write_text(index_html(manifest, summary, as_of), encoding="utf-8")
    return path
