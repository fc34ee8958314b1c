"""Users never see a traceback: plain messages in the page, tracebacks in the server log.

Two tools:

* :class:`Notice` -- a small message line (``wb-message``) a form shows its result in;
* :func:`guarded` -- wraps a callback (a button's ``on_click``) or a page builder so that a
  refused input (:class:`~workbench.domain.errors.WorkbenchError`) shows its own message, and any
  other error shows a plain apology while the traceback goes to the server's stderr.

Inside a Jupyter kernel ``sys.stderr`` is forwarded to the page, so tracebacks are written to the
kernel's *original* standard error (the Voila server's terminal or log), never to the page.
"""

from __future__ import annotations

import functools
import html
import logging
import os
import sys
import traceback
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from workbench.domain.errors import WorkbenchError

P = ParamSpec("P")
R = TypeVar("R")

log = logging.getLogger("workbench.ui")

SORRY = ("Sorry, something went wrong and nothing was saved. Please try again; if it keeps "
         "happening, tell the person who looks after the workbench (the details are in the "
         "server log).")


def server_log(text: str) -> None:
    """Write *text* to the server's standard error, bypassing the page.

    Parameters
    ----------
    text : str
        A line or a traceback; a newline is added when missing.
    """
    data = (text if text.endswith("\n") else text + "\n").encode("utf-8", "replace")
    try:
        fd = sys.stderr.fileno()  # ipykernel: a copy of the original fd 2, not the page
        os.write(fd, data)
    except (OSError, ValueError, AttributeError):
        stream = sys.__stderr__
        if stream is not None:
            stream.write(data.decode("utf-8"))
            stream.flush()


def log_exception(what: str, exc: BaseException) -> None:
    """Log *exc* with its traceback to the server log, prefixed by *what* was being done."""
    lines = traceback.format_exception(type(exc), exc, exc.__traceback__)
    server_log(f"[workbench] error while {what}:\n{''.join(lines)}")


def plain_message(exc: BaseException) -> str:
    """What a user reads about *exc*: its own message if it is a refusal, else an apology."""
    if isinstance(exc, WorkbenchError):
        return str(exc)
    return SORRY


def explain(what: str, exc: BaseException) -> str:
    """The one policy for errors on a page: what a person reads about *exc*.

    A refusal (:class:`~workbench.domain.errors.WorkbenchError`) was written for people and is
    shown as it is; anything else is a fault: its traceback goes to the server log, prefixed by
    *what* was being done, and the person reads :data:`SORRY`.

    Parameters
    ----------
    what : str
        What was being done ("saving today's counts"), for the log.
    exc : BaseException
        The error.

    Returns
    -------
    str
        Plain words for the page.
    """
    if not isinstance(exc, WorkbenchError):
        log_exception(what, exc)
    return plain_message(exc)


class Notice:
    """A one-line message area for a form: ``ok``, ``error`` or ``info``.

    The widget carries the class ``wb-message`` plus ``wb-message-ok``/``-error``/``-info``
    and any extra class given, so browser tests and CSS can find it.

    Parameters
    ----------
    css_class : str, optional
        An extra class (e.g. ``wb-counts-message``).
    """

    def __init__(self, css_class: str = "") -> None:
        import ipywidgets as widgets

        self.widget = widgets.HTML(value="")
        self.widget.add_class("wb-message")
        if css_class:
            self.widget.add_class(css_class)
        self.kind = ""
        self.text = ""

    def _show(self, kind: str, text: str) -> None:
        for old in ("ok", "error", "info"):
            self.widget.remove_class(f"wb-message-{old}")
        self.kind, self.text = kind, text
        body = "<br>".join(html.escape(line) for line in text.splitlines())
        self.widget.value = f'<div role="status">{body}</div>' if text else ""
        if text:  # after the words: a page (or test) that sees the class also sees the words
            self.widget.add_class(f"wb-message-{kind}")

    def ok(self, text: str) -> None:
        """Show a success message."""
        self._show("ok", text)

    def error(self, text: str) -> None:
        """Show a refusal or failure."""
        self._show("error", text)

    def info(self, text: str) -> None:
        """Show a neutral note."""
        self._show("info", text)

    def clear(self) -> None:
        """Remove the message."""
        self._show("", "")

    def failed(self, what: str, exc: BaseException) -> None:
        """Show the plain message for *exc*; log unexpected errors with their traceback."""
        self.error(explain(what, exc))


def guarded(what: str, notice: Notice | None = None,
            fallback: Callable[[str], Any] | None = None
            ) -> Callable[[Callable[P, R]], Callable[P, R | None]]:
    """Decorate a callback so that errors become plain messages, never tracebacks.

    Parameters
    ----------
    what : str
        What the callback does, for the log ("saving today's counts").
    notice : Notice, optional
        Where to show the message.
    fallback : callable, optional
        Called with the message when there is no notice (e.g. to display it in the page).

    Returns
    -------
    callable
        A decorator; the wrapped function returns ``None`` when it failed.
    """
    def wrap(fn: Callable[P, R]) -> Callable[P, R | None]:
        @functools.wraps(fn)
        def inner(*args: P.args, **kwargs: P.kwargs) -> R | None:
            try:
                return fn(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - the point: nothing reaches the user raw
                if notice is not None:
                    notice.failed(what, exc)
                else:
                    text = explain(what, exc)
                    if fallback is not None:
                        fallback(text)
                return None
        return inner
    return wrap


def could_not_show(what: str, exc: BaseException) -> str:
    """The words a page shows when *what* cannot be shown (the detail goes to the log)."""
    return f"Could not show {what}. {explain(f'showing {what}', exc)}"


def error_html(text: str) -> str:
    """A page-level error box's HTML, with the plain *text* (escaped)."""
    return f'<div class="wb-error-box" role="alert">{html.escape(text)}</div>'


def error_widget(text: str, css_class: str = "wb-page-error") -> Any:
    """A page-level error box (an ``ipywidgets.HTML``) with the plain *text*."""
    import ipywidgets as widgets

    box = widgets.HTML(value=error_html(text))
    box.add_class("wb-message")
    box.add_class("wb-message-error")
    box.add_class(css_class)
    return box


def show_page(what: str, build: Callable[[], Any]) -> Any:
    """Build a page's widget, or a plain error box if building fails.

    Parameters
    ----------
    what : str
        What the page is ("the board for ward nh-ucc"), for the log.
    build : callable
        Returns the page's root widget.

    Returns
    -------
    widget
        The page, or the error box; never raises.
    """
    try:
        return build()
    except Exception as exc:  # noqa: BLE001
        return error_widget(could_not_show(what, exc))
