"""Patient-data guard: refuse text, columns and numbers that look patient-identifiable.

The store holds counts, never people.  This module spots the identifiers that most often slip
into ward spreadsheets and free-text notes:

* NHS numbers: 10 digits (``9434765919`` or ``943 476 5919``) that pass the modulus-11 check;
* dates of birth: a birth cue (``DOB``, ``D.O.B.``, ``date of birth``, ``born``) followed by a
  date (``DOB 12/03/2019``, ``born 12 March 2019``); a plain date without a cue is fine;
* UK postcodes (``LS1 4AP``), using the real list of postcode areas so that ``Ward 7B`` or
  ``Bay B1 2nd floor`` do not trip it;
* column names that name identifiers (NHS number, patient name, DOB, address, postcode,
  hospital number / MRN).

Messages say *what* was found and *where*, never the value itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from workbench.domain.errors import PatientDataError

NHS_NUMBER = "an NHS number (10 digits passing the NHS check digit)"
DATE_OF_BIRTH = "a date of birth"
POSTCODE = "a UK postcode"

_FIX = ("Patient-identifiable data must not be stored in the workbench: remove it (use a role, "
        "a bed-free description or an anonymised reference) and try again.")

_NHS_RE = re.compile(r"(?<![\d.,])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d])")

_MONTHS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
           r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_DATE = (r"(?:\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{4}-\d{1,2}-\d{1,2}"
         rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}\.?,?\s+\d{{2,4}}"
         rf"|{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})")
_DOB_RE = re.compile(
    r"(?:\bd\.?\s?o\.?\s?b\b\.?|\bdate\s+of\s+birth\b|\bbirth\s*date\b|\bborn\b(?:\s+on)?"
    r"|\bbirthday\b)[\s:=\-\u2013,(]{0,6}" + _DATE,
    re.IGNORECASE,
)

_AREAS = ("AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL "
          "DN DT DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT "
          "KW KY L LA LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG "
          "RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD "
          "WF WN WR WS WV YO ZE").split()
_AREA_ALT = "|".join(sorted(_AREAS, key=len, reverse=True))
_POSTCODE_RE = re.compile(
    rf"\b(?:{_AREA_ALT})\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{{2}}\b", re.IGNORECASE
)
_ORDINAL = re.compile(r"\d(?:st|nd|rd|th)$", re.IGNORECASE)

_COLUMN_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("an NHS number", re.compile(r"\bnhs\b|\bnhs ?(?:no|num|number|id)\b|\bchi(?: number| no)?$")),
    ("a patient name", re.compile(
        r"^(?:patient|first|last|sur|given|family|full|fore|middle|child|mother|father|maiden)?"
        r" ?names?$|\b(?:surname|forename|firstname|lastname|fullname|patient ?name)s?\b")),
    ("a date of birth", re.compile(r"\bdob\b|\bd o b\b|\bdate of birth\b|\bbirth ?(?:date|day)\b")),
    ("an address", re.compile(r"\baddress(?:es)?\b|\baddr\b|\bstreet\b")),
    ("a postcode", re.compile(r"\bpost ?codes?\b|\bpostal code\b|\bzip(?: code)?\b")),
    ("a hospital number / MRN", re.compile(
        r"\bmrn\b|\bhosp(?:ital)? ?(?:no|num|number|id)\b|\bmedical record\b|\bpatient ?(?:id|no|"
        r"number|ref)\b|\bcase ?note (?:no|number)\b|\bunit (?:no|number)\b|\bpas (?:no|number|id)\b"
    )),
)


def nhs_check_digit_ok(digits: str) -> bool:
    """True when a 10-digit string passes the NHS number modulus-11 check.

    Parameters
    ----------
    digits : str
        Exactly ten ASCII digits.

    Returns
    -------
    bool
    """
    if len(digits) != 10 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def looks_like_nhs_number(value: float | int) -> bool:
    """True when a number is a whole 10-digit value that passes the NHS check digit."""
    if isinstance(value, bool) or value != value or value in (float("inf"), float("-inf")):
        return False
    if value < 1_000_000_000 or value >= 10_000_000_000 or int(value) != value:
        return False
    return nhs_check_digit_ok(str(int(value)))


def find_in_text(text: str) -> list[str]:
    """What patient identifiers a piece of free text seems to hold (empty when none).

    Parameters
    ----------
    text : str
        Any free text: a note, a cell, a field.

    Returns
    -------
    list of str
        Descriptions such as ``"an NHS number (...)"``; never the value itself.
    """
    found: list[str] = []
    if len(text) < 6:
        return found
    if any(nhs_check_digit_ok("".join(m.groups())) for m in _NHS_RE.finditer(text)):
        found.append(NHS_NUMBER)
    if _DOB_RE.search(text):
        found.append(DATE_OF_BIRTH)
    for m in _POSTCODE_RE.finditer(text):
        code = m.group(0)
        if code.isupper() or not _ORDINAL.search(code):
            found.append(POSTCODE)
            break
    return found


def column_kind(name: str) -> str | None:
    """The kind of identifier a column name announces (``None`` for an ordinary name)."""
    norm = re.sub(r"[^a-z0-9]+", " ", str(name).lower()).strip()
    for kind, pattern in _COLUMN_RULES:
        if pattern.search(norm):
            return kind
    return None


def scan_text(text: str, where: str) -> None:
    """Raise :class:`PatientDataError` when *text* looks patient-identifiable.

    Parameters
    ----------
    text : str
        The text to check.
    where : str
        Where the text comes from (record and field, or file, row and column).
    """
    found = find_in_text(text)
    if found:
        raise PatientDataError(f"{where}: looks like it holds {' and '.join(found)}. {_FIX}")


def scan_columns(names: Iterable[str], where: str) -> None:
    """Raise :class:`PatientDataError` when a column is named like a patient identifier."""
    hits = [(n, k) for n in names if (k := column_kind(n)) is not None]
    if hits:
        listed = "; ".join(f"column '{n}' is named like {k}" for n, k in hits)
        raise PatientDataError(f"{where}: {listed}. {_FIX}")


def _walk(value: Any, path: str) -> Iterable[tuple[str, list[str]]]:
    if isinstance(value, str):
        found = find_in_text(value)
        if found:
            yield path, found
    elif isinstance(value, bool):
        return
    elif isinstance(value, int | float):
        if looks_like_nhs_number(value):
            yield path, [NHS_NUMBER]
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _walk(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list | tuple | set | frozenset):
        for i, item in enumerate(value):
            yield from _walk(item, f"{path}[{i}]")


def guard_fields(data: Mapping[str, Any], where: str) -> None:
    """Refuse free text in *data* that looks patient-identifiable.

    Recurses into nested mappings and lists.  Field names are not checked (they come from the
    record's schema); every string value is, and so is every 10-digit whole number.

    Parameters
    ----------
    data : mapping
        A record as plain data (for example ``record_data(cycle)``).
    where : str
        The record, e.g. ``"cycle C-001"``.

    Raises
    ------
    PatientDataError
        Naming every field that looks like it holds an identifier, without the value.
    """
    hits = list(_walk(data, ""))
    if hits:
        listed = "; ".join(f"field '{p}' looks like it holds {' and '.join(k)}" for p, k in hits)
        raise PatientDataError(f"{where}: {listed}. {_FIX}")
