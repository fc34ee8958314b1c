"""The patient-data guard: what it catches, what it lets through, and that it never echoes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.domain.errors import PatientDataError
from workbench.store.pii import (
    column_kind,
    find_in_text,
    guard_fields,
    nhs_check_digit_ok,
    scan_columns,
    scan_text,
)

CAUGHT = {
    "NHS number with spaces": "Patient 943 476 5919 seen in bay 3",
    "NHS number plain": "ref 9434765919",
    "NHS number hyphens": "943-476-5919",
    "DOB cue": "DOB 12/03/2019",
    "D.O.B.": "d.o.b. 12.03.2019",
    "date of birth words": "Date of birth: 12 March 2019",
    "born": "Jack Smith, born 12 March 2019, attended twice",
    "born US words": "born March 12, 2019",
    "postcode": "lives near LS1 4AP",
    "postcode no space": "SW1A1AA",
    "postcode lower": "ls1 4ap",
}
FINE = [
    "Ward 7B", "discharge within 24 hours", "started 2026-06-01", "review on 12/03/2026",
    "Bay B1 2nd floor", "Sister Jones led the huddle", "7 of 9 discharges had a summary",
    "Phone the bleep 1234", "Cycle C-001 adopted", "1234567890", "0000000000", "PDSA 3 of 4",
    "ED1 1st review", "Covid19 1st wave", "1 in 10 families", "score 3.5 out of 10",
]


@pytest.mark.parametrize("name", list(CAUGHT))
def test_caught(name: str) -> None:
    assert find_in_text(CAUGHT[name]), name


@pytest.mark.parametrize("text", FINE)
def test_ordinary_ward_text_is_fine(text: str) -> None:
    assert find_in_text(text) == []


def test_nhs_check_digit() -> None:
    assert nhs_check_digit_ok("9434765919")
    assert not nhs_check_digit_ok("9434765918")
    assert not nhs_check_digit_ok("1111111111")


@given(st.text(alphabet="abcdefghij klmnopqrstuvwxyz.,;:-", max_size=80))
def test_lowercase_prose_without_digits_never_trips(text: str) -> None:
    assert find_in_text(text) == []


def test_guard_fields_recurses_and_does_not_echo() -> None:
    record = {"id": "C-001", "do_log": [{"date": "2026-06-01", "note": "fine"},
                                        {"date": "2026-06-02", "note": "child DOB 01/02/2020"}],
              "study": {"surprises": "NHS no 943 476 5919"}, "revision": 3}
    with pytest.raises(PatientDataError) as err:
        guard_fields(record, "cycle C-001")
    msg = str(err.value)
    assert "cycle C-001" in msg and "do_log[1].note" in msg and "study.surprises" in msg
    assert "date of birth" in msg and "NHS number" in msg
    assert "01/02/2020" not in msg and "943" not in msg


def test_guard_fields_accepts_plain_records() -> None:
    guard_fields({"title": "Shared risk summary at discharge", "start": "2026-06-01",
                  "team": ["Sister Jones", "Dr Patel"], "revision": 1, "count": 9434765918},
                 "cycle C-002")


def test_guard_fields_catches_nhs_number_as_int() -> None:
    with pytest.raises(PatientDataError):
        guard_fields({"ref": 9434765919}, "review R-1")


@pytest.mark.parametrize("name, kind", [
    ("NHS Number", "NHS number"), ("nhs_no", "NHS number"), ("Patient Name", "patient name"),
    ("Surname", "patient name"), ("name", "patient name"), ("DOB", "date of birth"),
    ("Date of Birth", "date of birth"), ("Address line 1", "address"), ("Post Code", "postcode"),
    ("MRN", "hospital number"), ("Hospital No.", "hospital number"),
])
def test_identifier_columns(name: str, kind: str) -> None:
    found = column_kind(name)
    assert found is not None and kind in found


@pytest.mark.parametrize("name", ["ward", "measure", "date", "value", "denominator",
                                  "ward name", "measure name", "notes", "site"])
def test_ordinary_columns(name: str) -> None:
    assert column_kind(name) is None


def test_scan_helpers_raise_with_where() -> None:
    with pytest.raises(PatientDataError, match="form note"):
        scan_text("postcode LS1 4AP", "form note")
    with pytest.raises(PatientDataError, match="column 'DOB'"):
        scan_columns(["ward", "DOB"], "file.csv")
    scan_text("started 2026-06-01", "note")
