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

Pages that read every ward (the landing page's summary table, the leaders' roll-up) work out in
a background thread (:func:`in_background`) and hand the result back to the main thread to
show, so widgets are only ever changed from the kernel's main thread.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from workbench.ui.query import in_voila

T = TypeVar("T")


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


def in_background(work: Callable[[], T], done: Callable[[T], None],
                  failed: Callable[[BaseException], None], *, name: str) -> None:
    """Work something out in a thread and show it from the kernel's main thread.

    *work* reads and computes (no widgets); *done* gets its result, or *failed* the exception,
    on the kernel's event loop, between the messages the kernel answers, so a widget is never
    changed while the browser is being sent the widgets' state.  Called where no event loop
    runs (outside a kernel), all of it happens at once.

    Parameters
    ----------
    work : callable
        Returns the result; runs in a daemon thread called *name*.
    done, failed : callable
        Set widget values; must not raise.
    """
    deliver: Callable[[Callable[[Any], None], Any], object]
    try:
        deliver = asyncio.get_running_loop().call_soon_threadsafe
    except RuntimeError:  # no kernel loop: show it here and now
        deliver = _now

    def run() -> None:
        try:
            result = work()
        except Exception as exc:  # noqa: BLE001 - a thread must not die with a traceback
            deliver(failed, exc)
        else:
            deliver(done, result)

    if deliver is _now:
        run()
    else:
        threading.Thread(target=run, name=name, daemon=True).start()


def _now(show: Callable[[Any], None], value: Any) -> None:
    show(value)
