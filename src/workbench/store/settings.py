"""Read and write ``pdsa/measures.yaml``: per ward x measure grain overrides and targets.

The file is one mapping with a ``revision`` and a ``settings`` list; it is validated with file,
line and field on every read and written atomically with the revision check of every record
(:func:`workbench.store.records.save_record`), so two people setting targets at once never
silently overwrite each other.
"""

from __future__ import annotations

from pathlib import Path

from workbench.domain.settings import MeasureSettings
from workbench.store.records import read_parsed, save_record, validate
from workbench.store.workspace import Workspace

FILE_NAME = "measures.yaml"


def settings_path(ws: Workspace) -> Path:
    """Where the workspace keeps its measure settings (``pdsa/measures.yaml``)."""
    return ws.pdsa / FILE_NAME


def load_settings(ws: Workspace) -> MeasureSettings:
    """The workspace's measure settings (empty, revision 0, when there is no file yet).

    Raises
    ------
    RecordError
        Naming the file, line and field of the first problem.
    """
    path = settings_path(ws)
    if not path.exists():
        return MeasureSettings()
    text, data = read_parsed(path)
    if data is None:
        return MeasureSettings()
    return validate(MeasureSettings, data, path, text=text)


def save_settings(ws: Workspace, settings: MeasureSettings) -> MeasureSettings:
    """Save *settings* atomically; refused (nothing written) when the file moved on since read.

    Returns
    -------
    MeasureSettings
        What was saved, with its new revision.
    """
    return save_record(settings_path(ws), settings)
