"""Send a Voila page at once and read its figures straight after, while the browser loads.

Voila sends a page when its notebook's last cell has run, and only then does the browser load
its scripts and connect to the kernel (about 0.3 s).  A page that reads the store in its last
cell makes the browser wait for that reading before it can start.

:func:`after_cell` runs a function on the kernel's own event loop, in its main thread, straight
after the cell: the page's widgets are made in the cell (so the page is complete when it is
sent), and their contents are read and filled in while the browser loads.  The kernel answers
the browser's first request (the widgets' state) once the filling is done, so the page appears
filled in one go.

Widgets may be made in *fill* too (the board makes all of its about 120 there, so its page is
sent about 0.1 s sooner): *fill* runs in one go before the kernel reads its next message, and the
browser asks for the page's widgets only after the page has arrived, so it gets them all.  What
must never happen is a widget made later, from a thread or a second callback: it can reach the
browser while it is still connecting, and be lost.

Outside Voila (papermill reports, JupyterLab) the function runs at once, in the cell.

Pages that read every ward (the landing page's summary table, the leaders' roll-up) work out in
a background thread (:func:`in_background`) and hand the result back to the main thread to
show, so widgets are only ever changed from the kernel's main thread.

They show it at once, and once more if need be when the browser has said it has the page's
widgets (:func:`browser_ready`).  Between the browser receiving the widgets' state and
registering them, a change the kernel sends is dropped by the browser without a word: a result
finished in that moment (about 0.5-0.8 s after the cell, just when a reading of every ward
finishes) left the page on "Working out..." for good.  A small widget at the end of the page
tells the kernel when its view is drawn, by which time every widget of the page is registered;
if the result was shown before that, the page's widgets' state is sent again then.
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
        Makes the page's widgets and sets their values, in one go (no awaiting, no threads);
        must not raise (it runs after the cell, where nobody would see the error).

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
                  failed: Callable[[BaseException], None], *, name: str,
                  ready: Any = None, page: Any = None) -> None:
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
    ready, page : BrowserReady and ipywidgets.Widget or list of them, optional
        *ready* from :func:`browser_ready`, shown last in *page* (the page's outer box, or its
        widgets in the order shown): if *done* or *failed* ran before the browser had drawn the
        page, the state of every widget in *page* is sent again once it has, so that what they
        set is never lost.

    Raises
    ------
    TypeError
        *ready* is given without *page*.
    """
    if ready is not None and page is None:
        raise TypeError("in_background: ready= needs page=, the box to send again")
    deliver: Callable[[Callable[[Any], None], Any], object]
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # no kernel loop: show it here and now
        deliver = _now
    else:
        def deliver(show: Callable[[Any], None], value: Any) -> object:
            return loop.call_soon_threadsafe(_show_then_resend, ready, page, show, value)

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


def _show_then_resend(ready: Any, page: Any, show: Callable[[Any], None], value: Any) -> None:
    """Show *value* now; if the browser may not have the page's widgets yet, send their state
    again once it has."""
    show(value)
    if ready is not None and not ready.seen:
        ready.then(lambda: resend(page))


def resend(widget: Any) -> None:
    """Send the state of *widget* (or of each widget in a list) and of every widget inside it
    (``children``) to the browser."""
    if isinstance(widget, list | tuple):
        for one in widget:
            resend(one)
        return
    widget.send_state()
    for child in getattr(widget, "children", ()):
        resend(child)


READY_SCRIPT = """
function render({ model, el }) {
  el.style.display = "none";
  model.send({ ready: true });
}
export default { render };
"""
"""The browser side of :func:`browser_ready`: says "ready" when its view is drawn."""


def browser_ready() -> Any:
    """A hidden widget to put last on a page; it tells the kernel when the browser has the
    page's widgets.

    A box's view is drawn only after every widget inside it (and inside those) is registered in
    the browser, so the message from this widget, last in the page's outer box, means a change
    sent from then on reaches every widget of the page.

    Returns
    -------
    BrowserReady
        ``then(fn)`` runs *fn* (on the kernel's main thread) once the browser is ready, at once
        if it already is.
    """
    widget = _ready_class()()
    widget.add_class("wb-browser-ready")
    return widget


_BrowserReady: Any = None
"""The widget class of :func:`browser_ready`, defined on first use."""


def _ready_class() -> Any:
    global _BrowserReady
    if _BrowserReady is None:
        import anywidget

        class BrowserReady(anywidget.AnyWidget):  # type: ignore[misc]
            """Hidden; its browser side sends ``{"ready": true}`` when drawn."""

            _esm = READY_SCRIPT

            def __init__(self) -> None:
                super().__init__()
                self.seen = False
                self._waiting: list[Callable[[], None]] = []
                self.on_msg(lambda _widget, content, _buffers: self.heard(content))

            def heard(self, content: Any) -> None:
                """What the browser side sent: ``{"ready": true}`` runs what waits for it."""
                if isinstance(content, dict) and content.get("ready") and not self.seen:
                    self.seen = True
                    waiting, self._waiting = self._waiting, []
                    for fn in waiting:
                        fn()

            def then(self, fn: Callable[[], None]) -> None:
                """Run *fn* once the browser is ready (now if it already is)."""
                if self.seen:
                    fn()
                else:
                    self._waiting.append(fn)

        _BrowserReady = BrowserReady
    return _BrowserReady
