"""Patient-data guard (placeholder interface; the full guard lives here).

``guard_fields(data, where)`` raises :class:`PatientDataError` when any free-text value in a
record looks like patient-identifiable data.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def guard_fields(data: Mapping[str, Any], where: str) -> None:
    """Refuse free text in *data* that looks patient-identifiable (see module docstring)."""
    return None
