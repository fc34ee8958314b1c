"""Workbench: turn review learning into small, tested changes on wards.

The package is layered (see ``DESIGN.md``): ``domain`` -> ``catalogue`` -> ``spc``/``store`` ->
``services`` -> ``charts`` -> ``ui``/``batch``/``briefs`` -> ``cli``.  Importing ``workbench``
does no work: heavy modules are imported where they are used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

__version__ = "0.1.0"


def shipped_notebooks() -> Path:
    """The folder of notebooks that ships with the package (``notebooks/`` in a checkout).

    In the source tree ``src/workbench/notebooks`` links to the repository's ``notebooks/``;
    a wheel holds the files themselves.
    """
    from pathlib import Path

    return (Path(__file__).parent / "notebooks").resolve()
