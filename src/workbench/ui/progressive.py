"""Send a Voila page at once and read its figures straight after, while the browser loads.

Voila sends a page when its notebook's last cell has run, and only then does the browser load
its scripts and connect to the kernel (about 0.3 s).  A page that reads the store in its last
cell makes the browser wait for that reading before it can start.

:func:`after_cell` runs a function on the kernel's own event loop, in its main thread, straight
after the cell: the page's widgets are made in the cell (so the page is complete when it is
sent), and their contents are read and filled in while the browser loads.  The kernel answers
the browser's first request (the widgets' state) once the filling is done, so the page appears
filled in one go.

Only values are set after the cell, never new widgets: a widget made after the page is sent
can reach the browser while it is still connecting, and be lost.

Outside Voila (papermill reports, JupyterLab) the function runs at once, in the cell.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from workbench.ui.query import in_voila


def after_cell(fill: Callable[[], None]) -> bool:
    """Run *fill* straight after the current cell (Voila), or now (anywhere else).

    Parameters
    ----------
    fill : callable
        Sets the values of widgets that already exist; must not raise (it runs after the cell,
        where nobody would see the error).

    Returns
    -------
    bool
        True when *fill* was put off until after the cell, False when it has already run.
    """
    if in_voila():
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no kernel loop to come back to
            pass
        else:
            loop.call_soon(fill)
            return True
    fill()
    return False
