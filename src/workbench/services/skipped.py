"""Records that could not be read and were skipped: one answer for every surface.

Listings, pages, the roll-up and batch runs keep working when one record file is broken; each
shows one line per skipped record, worded here (:meth:`RecordProblem.words`).
"""

from __future__ import annotations

from workbench.store.records import RecordProblem
from workbench.store.workspace import Workspace

__all__ = ["RecordProblem", "skipped_lines", "skipped_records"]


def skipped_records(ws: Workspace) -> list[RecordProblem]:
    """Every broken record of the workspace: wards-file entries, reviews, cycles, actions."""
    from workbench.services.actions import load_actions
    from workbench.services.cycles import load_cycles
    from workbench.services.reviews import load_reviews
    from workbench.services.wards import load_wards

    return [*load_wards(ws).problems, *load_reviews(ws).problems, *load_cycles(ws).problems,
            *load_actions(ws).problems]


def skipped_lines(ws: Workspace) -> list[str]:
    """One plain line per skipped record (empty when every record reads)."""
    return [p.words() for p in skipped_records(ws)]
