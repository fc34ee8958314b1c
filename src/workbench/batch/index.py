"""The run's front page: every ward with its status, its report and its icon summary."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.store.workspace import Workspace

STATUS_WORDS = {"ok": "Done", "failed": "Failed", "timeout": "Timed out", "missing": "Not run"}
_CSS = """body{font-family:Arial,sans-serif;margin:2em;color:#212b32}
table{border-collapse:collapse}th,td{border:1px solid #d8dde0;padding:.35em .6em;text-align:left;
vertical-align:top}th{background:#e8edee}.ok{color:#007f3b}.failed,.timeout{color:#d5281b}
.missing{color:#768692}ul{margin:0;padding-left:1.1em}.err{font-family:monospace;font-size:90%}"""


@dataclass(frozen=True)
class Icons:
    """The index's icon summary.

    Attributes
    ----------
    frame : DataFrame
        The :func:`workbench.charts.icon_frame` table plus ``name`` (the measure's name).
    problems : dict
        Per ward, the message of anything that stopped its summary (e.g. no store).
    names : dict
        Ward id -> ward name.
    """

    frame: pd.DataFrame
    problems: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)


def icon_summary(ws: Workspace, wards: list[str], as_of: dt.date | None = None) -> Icons:
    """Variation and assurance words per ward and measure (as on each ward's board), and the
    current test's verdict in the judgement's words; no data after *as_of* is read."""
    from workbench.charts import icon_frame
    from workbench.domain.errors import WorkbenchError
    from workbench.services import verdict_words as vw
    from workbench.services.checks import ward_summary

    rows: list[dict[str, Any]] = []
    problems: dict[str, str] = {}
    better: dict[str, str] = {}
    names: dict[str, str] = {}
    wards_named: dict[str, str] = {}
    for ward in wards:
        try:
            board = ward_summary(ws, ward, today=as_of)
        except (WorkbenchError, OSError, ImportError) as exc:
            problems[ward] = str(exc)
            continue
        except Exception as exc:  # noqa: BLE001 - the index must still be written
            problems[ward] = f"{type(exc).__name__}: {exc}"
            continue
        judged = board.judgement
        tests = {m.measure: m.test for m in judged.measures} if judged is not None else {}
        for mc in board.measures:
            better[mc.measure.id] = mc.measure.improvement.value
            names[mc.measure.id] = mc.measure.name
            test = tests.get(mc.measure.id)
            rows.append({"ward": ward, "measure": mc.measure.id, "variation": mc.variation,
                         "assurance": mc.assurance, "warnings": [],
                         "test": vw.test_line(test) if test is not None else ""})
        wards_named[ward] = board.ward.name
    if not rows:
        return Icons(pd.DataFrame(columns=["ward", "measure", "name"]), problems, wards_named)
    frame = icon_frame(pd.DataFrame(rows), row="ward", column="measure", improvement=better)
    frame["name"] = frame["measure"].map(names)
    tests = {(r["ward"], r["measure"]): r["test"] for r in rows}
    frame["test"] = [tests.get((w, m), "") for w, m in zip(frame["ward"], frame["measure"],
                                                          strict=True)]
    return Icons(frame, problems, wards_named)


def _esc(value: object) -> str:
    return html.escape("" if value is None else str(value))


def index_html(manifest: dict[str, Any], summary: Icons) -> str:
    """The run's ``index.html``: one row per ward, links relative to the run folder."""
    rows = []
    icons, problems = summary.frame, summary.problems
    for ward, info in manifest["wards"].items():
        status = info.get("status", "missing")
        links = []
        for kind in ("html", "ipynb"):
            if info.get(kind):
                href = html.escape(f"{info['folder']}/{info[kind]}", quote=True)
                links.append(f'<a href="{href}">{"report" if kind == "html" else "notebook"}</a>')
        mine = icons[icons["ward"] == ward] if not icons.empty else icons
        items = "".join(
            f"<li><b>{_esc(r['name'])}</b>: {_esc(r['variation_plain'])}; "
            f"{_esc(r['assurance_plain'])}"
            + (f"<br><small>Test: {_esc(r['test'])}</small>" if r.get("test") else "")
            + "</li>" for _, r in mine.iterrows())
        icon_cell = f"<ul>{items}</ul>" if items else _esc(problems.get(ward, "no measures"))
        err = f'<div class="err">{_esc(info.get("error"))}</div>' if info.get("error") else ""
        name = summary.names.get(ward, "")
        label = f"{_esc(name)}<br><small>{_esc(ward)}</small>" if name else _esc(ward)
        rows.append(f"<tr><td>{label}</td><td class=\"{_esc(status)}\">"
                    f"{_esc(STATUS_WORDS.get(status, status))}{err}</td>"
                    f"<td>{' · '.join(links)}</td><td>{icon_cell}</td></tr>")
    counts = pd.Series([i.get("status", "missing") for i in manifest["wards"].values()])
    tally = ", ".join(f"{n} {STATUS_WORDS.get(s, s).lower()}" for s, n in
                      counts.value_counts().items())
    title = f"{manifest['notebook']} for every ward"
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{_esc(title)}</title><style>{_CSS}</style></head><body>"
            f"<h1>{_esc(title)}</h1><p>Run {_esc(manifest['run_id'])}, started "
            f"{_esc(manifest.get('created'))}; "
            f"{len(manifest['wards'])} ward(s): {_esc(tally)}.</p>"
            "<table><thead><tr><th>Ward</th><th>Status</th><th>Files</th>"
            "<th>Where each measure is now (variation; assurance) and its test</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table></body></html>")


def write_index(folder: Path, manifest: dict[str, Any], ws: Workspace,
                as_of: dt.date | None = None,
                icons: Icons | None = None) -> Path:
    """Write ``index.html`` in the run folder (computing the icon summary unless given)."""
    summary = icons or icon_summary(ws, list(manifest["wards"]), as_of)
    path = folder / "index.html"
    path.write_text(index_html(manifest, summary), encoding="utf-8")
    return path
