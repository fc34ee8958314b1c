"""Draw recently opened boards in the background while a preheated kernel waits in the pool.

A warm kernel does not know which ward it will show until the request arrives, and drawing a
board (four or five SPC charts) is the slowest part of opening one.  So, once warmed up, the
kernel draws the charts of the most recently opened boards (:data:`AHEAD` of them) in a
low-priority thread and keeps each with a *fingerprint* of the data and changes it was drawn
from.  When the request comes the thread stops; if the ward's
fingerprint still matches (nobody saved counts or changed a cycle since), the board uses the
drawn chart, else it draws afresh.  Only drawing is cached, never data: the board always reads
the store when it opens.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections.abc import Hashable
from pathlib import Path
from typing import Any

AHEAD = 4
"""How many wards a warm kernel draws ahead: the most recently opened boards first."""

_cache: dict[str, tuple[Hashable, Any]] = {}
_stop = threading.Event()
_lock = threading.Lock()


def _lower_priority() -> None:
    try:  # Linux: a thread is a task with its own nice value
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    except (AttributeError, OSError):
        pass


def _recent_file(ws: Any) -> Path:
    key = hashlib.sha256(str(ws.root).encode("utf-8")).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"workbench-boards-{key}.txt"


def note(ws: Any, ward: str) -> None:
    """Remember that *ward*'s board was opened (a hint for what to draw ahead; best effort)."""
    path = _recent_file(ws)
    try:
        old = path.read_text("utf-8").split() if path.exists() else []
        recent = [ward, *[w for w in old if w != ward]][:20]
        path.write_text("\n".join(recent) + "\n", "utf-8")
    except OSError:
        pass


def _order(ws: Any) -> list[str]:
    from workbench.services.wards import list_wards

    known = [w.id for w in list_wards(ws)]
    try:
        recent = _recent_file(ws).read_text("utf-8").split()
    except OSError:
        recent = []
    first = [w for w in recent if w in known]
    return [*first, *[w for w in known if w not in first]][:AHEAD]


def _run(ws: Any, today: Any) -> None:
    from workbench.ui.board.drawing import Drawing

    _lower_priority()
    try:
        for ward in _order(ws):
            if _stop.is_set():
                return
            drawing = Drawing(ws, ward, today)
            fp, chart = drawing.fingerprint(), drawing.draw()
            with _lock:
                _cache[ward] = (fp, chart)
    except Exception:  # noqa: BLE001 - best effort: the request draws what is missing
        return


def start(ws: Any, today: Any) -> None:
    """Start drawing every ward's chart in a daemon thread (once per kernel)."""
    if _cache or _stop.is_set():
        return
    threading.Thread(target=_run, args=(ws, today), name="wb-prepare", daemon=True).start()


def stop() -> None:
    """Stop the background drawing (the request has arrived)."""
    _stop.set()


def take(ward: str, fp: Hashable) -> Any:
    """The prepared chart for *ward* if it was drawn from the same data, else None."""
    with _lock:
        found = _cache.pop(ward, None)
    if found is None or found[0] != fp:
        return None
    return found[1]
