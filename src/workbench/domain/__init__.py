"""Domain models, enums and errors: plain data, no I/O."""

from workbench.domain.errors import (
    CatalogueError,
    ImportRefused,
    NotFoundError,
    PatientDataError,
    RecordError,
    SPCInputError,
    StaleRevisionError,
    ValidationFailed,
    WorkbenchError,
)

__all__ = [
    "CatalogueError",
    "ImportRefused",
    "NotFoundError",
    "PatientDataError",
    "RecordError",
    "SPCInputError",
    "StaleRevisionError",
    "ValidationFailed",
    "WorkbenchError",
]
