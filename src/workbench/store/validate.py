"""Vectorised validation of import rows (and of form entries, which are built as rows).

``check_chunk`` turns a chunk of text cells into typed columns and records every problem in a
:class:`~workbench.store.problems.Problems`; ``check_file`` adds the checks that need the whole
file (duplicate rows, day-first dates in a file that also holds month-first ones).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench.catalogue.loader import suggest
from workbench.domain.catalogue import Measure
from workbench.domain.errors import RowProblem
from workbench.store.cells import parse_date, text_issue
from workbench.store.pii import column_kind, looks_like_nhs_number
from workbench.store.problems import KEEP, Problems

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = ("ward", "measure", "date", "value", "denominator")
_NOT_FINITE = {"nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}
Array = Any  # numpy arrays (kept loose for readability)


@dataclass(frozen=True)
class Rules:
    """What a row is checked against."""

    wards: tuple[str, ...]
    measures: Mapping[str, Measure]
    today: dt.date
    forced_ward: str | None = None


def resolve_columns(header: list[str], rules: Rules, problems: Problems) -> dict[str, int]:
    """Map the header to column positions; record missing, duplicated and unexpected columns."""
    found: dict[str, int] = {}
    for pos, raw in enumerate(header):
        name = str(raw).replace("\ufeff", "").strip()
        key = name.lower()
        kind = column_kind(name)
        if kind is not None and key not in COLUMNS:
            problems.single(RowProblem(1, name, "", f"the column is named like {kind}",
                                       "Remove patient-identifiable columns before importing."),
                            patient_data=True)
        elif key in found:
            problems.single(RowProblem(1, name, "", "the column appears more than once",
                                       "Keep one column of each name."))
        elif key in COLUMNS:
            found[key] = pos
        elif name:
            problems.single(RowProblem(1, name, "", "this column is not part of the import",
                                       f"Use exactly the columns {', '.join(COLUMNS)}."))
    needed = [c for c in COLUMNS if c not in found and not (c == "ward" and rules.forced_ward)]
    for name in needed:
        problems.single(RowProblem(1, name, "", "the column is missing",
                                   f"The header row must name {', '.join(COLUMNS)}"
                                   + (" (ward may be left out with --ward)." if name == "ward"
                                      else ".")))
    return found


def _by_unique(problems: Problems, rows: Array, codes: Array, uniques: Array,
               issues: dict[int, tuple[str, str, bool]], column: str) -> None:
    import numpy as np

    if not issues:
        return
    bad = np.fromiter(issues, dtype=np.int64)
    mask = np.isin(codes, bad)
    sub_rows, sub_codes = rows[mask], codes[mask]
    order = np.argsort(sub_codes, kind="stable")
    sub_rows, sub_codes = sub_rows[order], sub_codes[order]
    starts = np.flatnonzero(np.r_[True, sub_codes[1:] != sub_codes[:-1]])
    for start, stop in zip(starts, np.r_[starts[1:], sub_codes.size], strict=True):
        code = int(sub_codes[start])
        why, fix, pii = issues[code]
        group = sub_rows[start:stop]
        problems.add(group, column, why, fix, values=[uniques[code]] * group.size,
                     patient_data=pii)


def _keyed(s: pd.Series, column: str, known: set[str], problems: Problems, rows: Array,
           forced: str | None = None) -> tuple[Array, Array, list[str]]:
    """Ward or measure ids: (ok mask, codes, stripped distinct ids); records empty/unknown ids."""
    import numpy as np
    import pandas as pd

    codes, raw = pd.factorize(s)
    uniques = [str(u).strip() for u in raw]
    issues: dict[int, tuple[str, str, bool]] = {}
    for i, u in enumerate(uniques):
        issue = text_issue(u)
        if issue is not None:
            issues[i] = (issue.why, issue.fix, issue.patient_data)
        elif u == "":
            issues[i] = (f"the {column} is empty", f"Fill in the {column} id.", False)
        elif forced is not None and u != forced:
            issues[i] = (f"this row is for ward '{u}' but the import was run with --ward {forced}",
                         "Fix the row, or run without --ward.", False)
        elif u not in known:
            hint = "workbench measures" if column == "measure" else "pdsa/wards.yaml"
            hint_text = suggest(u, sorted(known)).strip().rstrip("?")
            why = f"unknown {column}" + (f" ({hint_text[0].lower()}{hint_text[1:]}?)"
                                         if hint_text else "")
            issues[i] = (why,
                         f"Use an id listed in {hint}.", False)
    _by_unique(problems, rows, codes, uniques, issues, column)
    ok_unique = np.array([i not in issues for i in range(len(uniques))], dtype=bool)
    ok = ok_unique[codes] if len(uniques) else np.zeros(len(s), dtype=bool)
    return ok, codes, uniques


def _dates(s: pd.Series, rules: Rules, problems: Problems,
           rows: Array) -> tuple[Array, Array, Array, Array]:
    import numpy as np
    import pandas as pd

    codes, raw = pd.factorize(s)
    uniques = [str(u).strip() for u in raw]
    issues: dict[int, tuple[str, str, bool]] = {}
    values = np.full(len(uniques), np.datetime64("NaT"), dtype="datetime64[s]")
    amb = np.zeros(len(uniques), dtype=bool)
    us = np.zeros(len(uniques), dtype=bool)
    for i, u in enumerate(uniques):
        res = parse_date(u, rules.today)
        us[i] = res.us_looking
        if res.date is None:
            issue = text_issue(u)
            issues[i] = ((issue.why, issue.fix, issue.patient_data) if issue
                         else (res.why, res.fix, False))
        else:
            values[i] = np.datetime64(res.date, "s")
            amb[i] = res.slash_ambiguous
    _by_unique(problems, rows, codes, uniques, issues, "date")
    return ~np.isnat(values[codes]), values[codes], amb[codes], us[codes]


def _numbers(s: pd.Series, column: str, problems: Problems, rows: Array) -> tuple[Array, Array, Array]:
    """Parse a number column: returns (values, ok mask, empty mask); records bad cells."""
    import numpy as np
    import pandas as pd

    text = s.to_numpy(dtype=object)
    empty = (s == "").to_numpy()
    num = pd.to_numeric(s.where(~empty, "nan"), errors="coerce").to_numpy(dtype=float)
    bad = ~empty & ~np.isfinite(num)
    if bad.any():
        codes, raw = pd.factorize(s[bad])
        uniques = [str(u).strip() for u in raw]
        blank = np.array([u == "" for u in uniques], dtype=bool)
        if blank.any():
            idx = np.flatnonzero(bad)[blank[codes]]
            empty[idx], bad[idx] = True, False
            codes, raw = pd.factorize(s[bad])
            uniques = [str(u).strip() for u in raw]
        issues: dict[int, tuple[str, str, bool]] = {}
        for i, u in enumerate(uniques):
            issue = text_issue(u)
            if issue is not None:
                issues[i] = (issue.why, issue.fix, issue.patient_data)
            elif u.lower() in _NOT_FINITE or np.isinf(num[bad][codes == i][0]):
                issues[i] = ("the number is not finite (NaN or infinity)",
                             f"Write the {column} as a plain number.", False)
            else:
                issues[i] = ("this is not a number",
                             "Write a plain number without commas, units or text.", False)
        _by_unique(problems, rows[bad], codes, uniques, issues, column)
    big = np.flatnonzero(~bad & (num >= 1e9) & (num < 1e10))
    nhs = [j for j in big if looks_like_nhs_number(float(num[j]))]
    problems.add(rows[nhs], column, "the number looks like an NHS number (value not shown)",
                 "Remove patient-identifiable data; the store holds counts only.",
                 patient_data=True)
    ok = ~empty & ~bad
    ok[nhs] = False
    neg = ok & (num < 0)
    problems.add(rows[neg], column, f"the {column} is negative", "Counts and times are 0 or more.",
                 values=text[neg])
    return num, ok & ~neg, empty


def check_chunk(chunk: pd.DataFrame, cols: dict[str, int], rules: Rules,
                problems: Problems) -> pd.DataFrame:
    """Check one chunk of rows and return its typed columns.

    Parameters
    ----------
    chunk : DataFrame
        Text cells, indexed by spreadsheet row number, columns by position.
    cols : dict
        Column name to position, from :func:`resolve_columns`.
    rules : Rules
    problems : Problems
        Receives every problem found.

    Returns
    -------
    DataFrame
        ``row, ward, measure, date, value, denominator, ok, ambiguous`` (one row per input row).
    """
    import numpy as np
    import pandas as pd

    rows = chunk.index.to_numpy(dtype=np.int64)
    text = {c: chunk[p].astype(str) for c, p in cols.items()}
    n = len(rows)
    if "ward" in text:
        ward_ok, wcodes, wuniq = _keyed(text["ward"], "ward", set(rules.wards), problems, rows,
                                        rules.forced_ward)
        wards = np.asarray(wuniq + [""], dtype=object)[wcodes]
    else:
        ward_ok, wards = np.ones(n, dtype=bool), np.full(n, rules.forced_ward, dtype=object)
    measure_ok, mcodes, muniq = _keyed(text["measure"], "measure", set(rules.measures), problems,
                                       rows)
    meta = [rules.measures.get(m) for m in muniq]
    flags = np.array([[bool(m and m.whole_counts), bool(m and m.needs_denominator),
                       bool(m and m.is_proportion)] for m in meta] or [[False] * 3], dtype=bool)
    whole, needs, prop = (flags[mcodes, k] & measure_ok for k in range(3))
    date_ok, dates, amb, us = _dates(text["date"], rules, problems, rows)

    value, value_ok, value_empty = _numbers(text["value"], "value", problems, rows)
    problems.add(rows[value_empty], "value", "the value is empty", "Fill in the count (0 if none).")
    frac = value_ok & whole & (np.mod(value, 1) != 0)
    problems.add(rows[frac], "value", "this measure counts events, so the value must be whole",
                 "Check the cell: counts are whole numbers.", values=text["value"].to_numpy()[frac])
    value_ok &= ~frac

    den, den_ok, den_empty = _numbers(text["denominator"], "denominator", problems, rows)
    missing = needs & den_empty
    problems.add(rows[missing], "denominator", "this measure needs a denominator",
                 "Fill in how many were eligible (the denominator of the proportion or rate).")
    extra = measure_ok & ~needs & ~den_empty
    problems.add(rows[extra], "denominator", "this measure takes no denominator",
                 "Leave the denominator empty for counts, times and scores.",
                 values=text["denominator"].to_numpy()[extra])
    dtext = text["denominator"].to_numpy()
    zero = den_ok & needs & (den <= 0)
    problems.add(rows[zero], "denominator", "the denominator must be more than 0",
                 "A day with nobody eligible has no proportion or rate: leave that day out.",
                 values=dtext[zero])
    dfrac = den_ok & prop & (np.mod(den, 1) != 0)
    problems.add(rows[dfrac], "denominator", "the denominator of a proportion must be whole",
                 "Check the cell: it counts people or events.", values=dtext[dfrac])
    den_ok &= ~zero & ~dfrac & needs
    over = value_ok & den_ok & prop & (value > den)
    problems.add(rows[over], "value", "the count is more than its denominator",
                 "A proportion cannot exceed 100%: check both cells.",
                 values=text["value"].to_numpy()[over])
    value_ok &= ~over
    ok = ward_ok & measure_ok & date_ok & value_ok & (den_ok | (~needs & den_empty))
    return pd.DataFrame({
        "row": rows, "ward": wards, "measure": np.asarray(muniq + [""], dtype=object)[mcodes],
        "date": dates, "value": value, "denominator": np.where(needs, den, np.nan),
        "ok": ok, "key_ok": ward_ok & measure_ok & date_ok, "ambiguous": amb, "us": us,
    })


def check_file(typed: pd.DataFrame, problems: Problems) -> None:
    """Whole-file checks: repeated (ward, measure, date) rows; ambiguous day-first dates."""
    keyed = typed[typed["key_ok"]]
    dup = keyed.duplicated(["ward", "measure", "date"], keep="first").to_numpy()
    if dup.any():
        first = keyed.groupby(["ward", "measure", "date"], sort=False)["row"].transform("first")
        rows, origs = keyed["row"].to_numpy()[dup], first.to_numpy()[dup]
        fix = "Keep one row per ward, measure and date."
        for row, orig in zip(rows[:KEEP], origs[:KEEP], strict=True):
            problems.add([row], "date", f"the same ward, measure and date is already in row {orig}",
                         fix)
        problems.add(rows[KEEP:], "date", "the same ward, measure and date is in an earlier row", fix)
    if typed["us"].any():
        amb = typed["ambiguous"].to_numpy()
        problems.add(typed["row"].to_numpy()[amb], "date",
                     "the file also holds month-first (US) dates, so this day/month is ambiguous",
                     "Write every date as yyyy-mm-dd, or all day-first as dd/mm/yyyy.")
