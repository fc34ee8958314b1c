"""Export the action log for the trust's PSIRF tracker: one tracker, not a parallel list.

Every cell is neutralised for spreadsheets (text starting with = + - @ gets a leading quote),
with the same rule as the observation export.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from workbench.catalogue import load_catalogue
from workbench.domain.errors import WorkbenchError
from workbench.services.actions import action_log
from workbench.services.guards import is_overdue
from workbench.store.exporter import neutralise_cell as neutralise
from workbench.store.workspace import Workspace

__all__ = ["TRACKER_COLUMNS", "export_csv", "export_xlsx", "neutralise", "tracker_rows"]

TRACKER_COLUMNS = ("ID", "Source", "Source ref", "PSIRF priority", "Theme", "Action", "Strength",
                   "Owner", "Verifier", "Due", "Status", "Overdue", "Linked cycle", "Measure",
                   "Follow-up check", "Evidence", "Verified by", "Flags")


def tracker_rows(ws: Workspace, today: dt.date) -> list[dict[str, str]]:
    """The action log as rows for the trust's PSIRF tracker (every cell neutralised)."""
    cat = load_catalogue()
    rows = []
    for v in action_log(ws, today):
        a = v.action
        theme = cat.themes[a.theme].name if a.theme in cat.themes else a.theme
        cells = [a.id, a.source, a.source_ref, a.psirf_priority, theme, a.text, a.strength.value,
                 a.owner, a.verifier, a.due.isoformat(), a.status.value,
                 "Yes" if is_overdue(a, today) else "No", a.cycle or "", a.measure or "",
                 a.follow_up_check, a.evidence, a.verified_by,
                 " | ".join(f.message for f in v.flags)]
        rows.append({c: neutralise(x) for c, x in zip(TRACKER_COLUMNS, cells, strict=True)})
    return rows


def export_csv(ws: Workspace, path: Path | None, today: dt.date) -> str:
    """Write the tracker CSV to *path* (or only return it when *path* is None)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(TRACKER_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(tracker_rows(ws, today))
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(buffer.getvalue(), "utf-8")
    return buffer.getvalue()


def export_xlsx(ws: Workspace, path: Path, today: dt.date) -> Path:
    """Write the tracker as an XLSX workbook (one sheet, header frozen, text cells)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    if sheet is None:  # pragma: no cover - a new workbook always has one sheet
        raise WorkbenchError("could not create the tracker sheet")
    sheet.title = "PSIRF actions"
    sheet.append(list(TRACKER_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in tracker_rows(ws, today):
        sheet.append([row[c] for c in TRACKER_COLUMNS])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = {"Action": 50, "Evidence": 50, "Flags": 60, "Follow-up check": 30}
    for i, name in enumerate(TRACKER_COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(1, i).column_letter].width = widths.get(name, 16)
    sheet.freeze_panes = "A2"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path
