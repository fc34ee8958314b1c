"""Collect import problems cheaply (as row arrays) and turn them into one refusal."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench.domain.errors import ImportRefused, PatientDataError, RowProblem, WorkbenchError

if TYPE_CHECKING:
    import numpy as np

COLUMN_ORDER = {"": -1, "ward": 0, "measure": 1, "date": 2, "value": 3, "denominator": 4}
KEEP = 1000  # problems materialised as RowProblem objects; the total is always exact


@dataclass(frozen=True)
class _Group:
    rows: np.ndarray[Any, Any]
    column: str
    values: np.ndarray[Any, Any] | None
    why: str
    fix: str
    patient_data: bool


class Problems:
    """Problems found in a file, grouped by check; rows are spreadsheet row numbers."""

    def __init__(self) -> None:
        self._groups: list[_Group] = []
        self._singles: list[tuple[RowProblem, bool]] = []

    def add(self, rows: Any, column: str, why: str, fix: str, *, values: Any = None,
            patient_data: bool = False) -> None:
        """Record one check's failures: *rows* (array-like) and optionally their *values*."""
        import numpy as np

        arr = np.asarray(rows, dtype=np.int64)
        if arr.size == 0:
            return
        vals = None if values is None or patient_data else np.asarray(values, dtype=object)
        self._groups.append(_Group(arr, column, vals, why, fix, patient_data))

    def single(self, problem: RowProblem, *, patient_data: bool = False) -> None:
        """Record one already-built problem (file-level or header problems)."""
        self._singles.append((problem, patient_data))

    @property
    def total(self) -> int:
        """How many problems there are."""
        return len(self._singles) + sum(int(g.rows.size) for g in self._groups)

    @property
    def patient_data(self) -> bool:
        """True when any problem is suspected patient data."""
        return any(p for _, p in self._singles) or any(g.patient_data for g in self._groups)

    def first(self, k: int = KEEP) -> list[RowProblem]:
        """The first *k* problems ordered by row, then column."""
        import numpy as np

        out = [p for p, _ in self._singles]
        if self._groups:
            rows = np.concatenate([g.rows for g in self._groups])
            gid = np.concatenate([np.full(g.rows.size, i) for i, g in enumerate(self._groups)])
            pos = np.concatenate([np.arange(g.rows.size) for g in self._groups])
            col = np.array([COLUMN_ORDER.get(self._groups[i].column, 9) for i in gid])
            order = np.lexsort((col, rows))[:k]
            for j in order:
                g = self._groups[int(gid[j])]
                value = "" if g.values is None else _show(g.values[int(pos[j])])
                out.append(RowProblem(int(rows[j]), g.column, value, g.why, g.fix))
        out.sort(key=lambda p: (p.row, COLUMN_ORDER.get(p.column, 9)))
        return out[:k]

    def refusal(self, where: str) -> ImportRefused:
        """The exception to raise (a :class:`PatientDataError` too when patient data was seen)."""
        cls = PatientDataRefused if self.patient_data else FileRefused
        return cls(where, self.first(), self.total)


def _show(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


class FileRefused(ImportRefused):
    """An import refused as a whole; the message gives the exact total of problems.

    Parameters
    ----------
    path : str
        The file (or a description of the form entry).
    problems : list of RowProblem
        The first problems, in row order (at most :data:`KEEP`).
    total : int
        How many problems there are in all.
    limit : int
        How many problems the message lists.
    """

    def __init__(self, path: str, problems: list[RowProblem], total: int | None = None,
                 limit: int = 50) -> None:
        self.path = path
        self.problems = list(problems)
        self.total = len(self.problems) if total is None else total
        lines = [f"{path}: refused, nothing was stored. {self.total} problem(s):"]
        lines += [f"  - {p}" for p in self.problems[:limit]]
        if self.total > limit:
            lines.append(f"  ... and {self.total - limit} more problem(s) not listed.")
        WorkbenchError.__init__(self, "\n".join(lines))


class PatientDataRefused(FileRefused, PatientDataError):
    """An import refused because it seems to hold patient-identifiable data (among others)."""
