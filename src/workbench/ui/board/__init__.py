"""The ward board: SPC charts with plain-words icons, the current test, today's counts, print view.

``notebooks/board.ipynb`` calls :func:`warm_up` (slow imports, before the request under
preheated kernels) and then :func:`show` for the ward in the page's ``?ward=``.  Nothing is
imported until one of them is called.
"""

from __future__ import annotations

from typing import Any


def warm_up(workspace: str = "") -> None:
    """Import and prime everything the board needs (see :func:`workbench.ui.board.page.warm_up`)."""
    from workbench.ui.board.page import warm_up as _warm_up

    _warm_up(workspace)


def show(ward: str, *, workspace: str = "", today: str = "", db: str = "") -> Any:
    """The board for *ward* as one widget; a plain message instead if it cannot be shown.

    Parameters
    ----------
    ward : str
        Ward id (``nh-ucc``).
    workspace, db : str
        Workspace folder and database URL; empty means ``$WORKBENCH_HOME``/``$WORKBENCH_DB``.
    today : str
        ISO date the board treats as today (empty: the real date).
    """
    from workbench.ui.board.page import show as _show

    return _show(ward, workspace=workspace, today=today, db=db)
