"""Checks on single cells: dates, text cells (length, formulas, patient data).

Work is done once per *distinct* cell value (``pandas.factorize``) and broadcast back to the
rows, so a million-row file with a few thousand distinct dates costs a few thousand parses.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from workbench.store.pii import find_in_text

MAX_CELL = 200
EARLIEST = dt.date(2000, 1, 1)

_MONTHS = {m: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")], start=1) for m in names}
_ISO = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?)?$")
_DMY = re.compile(r"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})$")
_DMY2 = re.compile(r"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{2})$")
_D_MON_Y = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[ \-]([A-Za-z]{3,9})\.?[ \-,]+(\d{4})$")
_MON_D_Y = re.compile(r"^([A-Za-z]{3,9})\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$")

DATE_FIX = "Write dates as yyyy-mm-dd (e.g. 2026-03-14) or day-first dd/mm/yyyy (14/03/2026)."


@dataclass(frozen=True)
class DateResult:
    """The outcome of parsing one distinct date text."""

    date: dt.date | None
    why: str = ""
    fix: str = ""
    slash_ambiguous: bool = False  # dd/mm with both parts <= 12: ambiguous if the file looks US
    us_looking: bool = False


def parse_date(text: str, today: dt.date) -> DateResult:
    """Parse one date cell: ISO or unambiguous UK day-first; refuse the rest with a reason.

    Parameters
    ----------
    text : str
        The cell, already stripped.
    today : date
        Dates after this are in the future and refused.

    Returns
    -------
    DateResult
    """
    if text == "":
        return DateResult(None, "the date is empty", "Fill in the date of the count.")
    found = _match(text)
    if isinstance(found, DateResult):
        return found
    y, m, d, ambiguous = found
    try:
        value = dt.date(y, m, d)
    except ValueError:
        return DateResult(None, "this date does not exist", "Check the day and month. " + DATE_FIX)
    if value > today:
        return DateResult(None, f"the date is in the future (today is {today.isoformat()})",
                          "Counts can only be recorded for today or earlier; check the year.")
    if value < EARLIEST:
        return DateResult(None, f"the date is before {EARLIEST.year}",
                          "Check the year; the store holds recent ward counts.")
    return DateResult(value, slash_ambiguous=ambiguous)


def _match(text: str) -> tuple[int, int, int, bool] | DateResult:
    if m := _ISO.match(text):
        return int(m[1]), int(m[2]), int(m[3]), False
    if m := _DMY.match(text):
        d, mo, y = int(m[1]), int(m[3]), int(m[4])
        if mo > 12 and d <= 12:
            return DateResult(None, f"this looks like a US month-first date ({d} as month, "
                              f"{mo} as day)", "Write it day-first (dd/mm/yyyy) or as yyyy-mm-dd.",
                              us_looking=True)
        return y, mo, d, d <= 12 and mo <= 12 and d != mo
    if _DMY2.match(text):
        return DateResult(None, "a two-digit year is ambiguous",
                          "Write the year in full: dd/mm/yyyy or yyyy-mm-dd.")
    if m := _D_MON_Y.match(text):
        month = _MONTHS.get(m[2].lower())
        if month is not None:
            return int(m[3]), month, int(m[1]), False
    if m := _MON_D_Y.match(text):
        month = _MONTHS.get(m[1].lower())
        if month is not None:
            return int(m[3]), month, int(m[2]), False
    return DateResult(None, "this is not a date the import understands", DATE_FIX)


@dataclass(frozen=True)
class CellIssue:
    """Why a text cell is refused before its column's own checks run."""

    why: str
    fix: str
    patient_data: bool = False


def text_issue(text: str, *, scan: bool = True) -> CellIssue | None:
    """Patient data, over-long text or a spreadsheet formula in one cell (``None`` if fine).

    Parameters
    ----------
    text : str
        The cell.
    scan : bool
        Run the patient-data scan (skipped for cells already known to be plain numbers).
    """
    if scan:
        found = find_in_text(text)
        if found:
            return CellIssue(f"the cell looks like it holds {' and '.join(found)} (value not shown)",
                             "Remove patient-identifiable data; the store holds counts only.",
                             patient_data=True)
    if len(text) > MAX_CELL:
        return CellIssue(f"the cell is {len(text)} characters long (at most {MAX_CELL})",
                         "Put only the ward id, measure id, date or number in this cell.")
    if text.startswith("="):
        return CellIssue("the cell holds a spreadsheet formula",
                         "Replace formulas with their values (Paste Special > Values) and save.")
    return None
