"""The demo's targets (``pdsa/measures.yaml``), so the assurance icons have something to answer.

The source document names its measures but sets no numeric targets, so these are examples,
each marked as one in its note; a team sets its own with ``workbench target set`` or the
board's form.  The file is written only when the workspace has none: a rebuild never replaces
targets a person set.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from workbench.domain.settings import MeasureSettings
from workbench.store.records import dump_yaml, record_data
from workbench.store.settings import settings_path
from workbench.store.workspace import Workspace

_NOTE = "example target for the demo; the source document sets no numeric target"

DEMO_TARGETS = [
    {"ward": "nh-ucc", "measure": "bruising_prompt_use",
     "targets": [{"value": 0.8, "from": "2026-08-17", "note": _NOTE}]},
    {"ward": "nh-ed", "measure": "sepsis_screen_first_hour",
     "targets": [{"value": 0.9, "from": "2026-09-14", "note": _NOTE}]},
    {"ward": "sh-dl", "measure": "bundle_use",
     "targets": [{"value": 0.8, "from": "2026-11-12", "note": _NOTE}]},
    {"ward": "sh-w12", "measure": "summary_sent_24h",
     "targets": [{"value": 0.9, "from": "2026-10-05", "note": _NOTE}]},
]
"""Ward x measure targets of the demo (proportions: 0.8 is 80%), from each change's start."""


def write_demo_settings(ws: Workspace, write: Callable[[Path, str], None]) -> Path | None:
    """Write the demo targets when ``pdsa/measures.yaml`` does not exist yet; the path or None."""
    path = settings_path(ws)
    if path.exists():
        return None
    settings = MeasureSettings.model_validate({"revision": 1, "settings": DEMO_TARGETS})
    write(path, dump_yaml(record_data(settings)))
    return path
