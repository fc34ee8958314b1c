"""Errors the workbench raises for input it refuses.

Every error carries a message written for the person who gave the input: what was wrong, where
(file, row, line, field or point) and how to fix it.  The command line turns any
:class:`WorkbenchError` into exit code 1 with that message.
"""

from __future__ import annotations

from dataclasses import dataclass


class WorkbenchError(Exception):
    """Base class: the input was refused; the message says why and what to do."""


class CatalogueError(WorkbenchError):
    """The shipped catalogue (themes, measures, map) is inconsistent."""


class NotFoundError(WorkbenchError):
    """A named ward, measure, theme, cycle or record does not exist."""


def shown_path(path: str) -> str:
    """A record's path as people see it: from the workspace's ``pdsa/`` folder on.

    Messages name ``pdsa/cycles/x.yaml``, never the server's folders; a path outside a
    workspace's records is kept as given.
    """
    parts = path.replace("\\", "/").split("/")
    if "pdsa" in parts[:-1]:
        at = len(parts) - 1 - parts[::-1].index("pdsa")
        return "/".join(parts[at:])
    return path


class RecordError(WorkbenchError):
    """A YAML record in ``pdsa/`` is malformed or fails validation.

    Parameters
    ----------
    message : str
        What is wrong and how to fix it.
    path : str, optional
        The file.
    line : int, optional
        1-based line in the file, when known.
    field : str, optional
        Dotted path of the field, when known.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.path = shown_path(str(path)) if path else path
        self.line = line
        self.field = field
        self.message = message
        where = []
        if self.path:
            where.append(self.path)
        if line is not None:
            where.append(f"line {line}")
        if field:
            where.append(f"field '{field}'")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class StaleRevisionError(RecordError):
    """A save was based on an older revision than the one on disk; nothing was written."""


class ValidationFailed(WorkbenchError):
    """One or more fields of a form or record are invalid.

    Parameters
    ----------
    problems : list of str
        One plain sentence per problem, each naming the field.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class RowProblem:
    """One refused row of an import file.

    Attributes
    ----------
    row : int
        Row number as a spreadsheet shows it (header is row 1), or 0 for the whole file.
    column : str
        Column name, or ``""`` for the whole row.
    value : str
        The offending value (already redacted when it may be patient data).
    why : str
        What is wrong.
    fix : str
        How to fix it.
    """

    row: int
    column: str
    value: str
    why: str
    fix: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "file"
        col = f", column '{self.column}'" if self.column else ""
        val = f" (value {self.value!r})" if self.value != "" else ""
        return f"{where}{col}{val}: {self.why}. {self.fix}"


class ImportRefused(WorkbenchError):
    """An import file was refused as a whole; nothing was stored.

    Parameters
    ----------
    path : str
        The file.
    problems : list of RowProblem
        Every problem found.
    limit : int
        How many problems the message lists before giving a count.
    """

    def __init__(self, path: str, problems: list[RowProblem], limit: int = 50) -> None:
        self.path = path
        self.problems = list(problems)
        lines = [f"{path}: refused, nothing was stored. {len(self.problems)} problem(s):"]
        lines += [f"  - {p}" for p in self.problems[:limit]]
        if len(self.problems) > limit:
            lines.append(f"  ... and {len(self.problems) - limit} more problem(s) not listed.")
        super().__init__("\n".join(lines))


class PatientDataError(WorkbenchError):
    """Text or a file looks like it holds patient-identifiable data; it was refused.

    The message names what was found and where, never the value itself.
    """


class SPCInputError(WorkbenchError):
    """The SPC engine was given data or options it cannot chart."""
