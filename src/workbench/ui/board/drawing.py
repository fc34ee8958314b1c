"""A ward's board as data and one Vega-Lite chart, without widgets (usable from any thread)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

from workbench.store.workspace import Workspace

if TYPE_CHECKING:
    from workbench.services.checks import WardSummary

_cycles_cache: dict[tuple[str, str], tuple[Hashable, list[Any]]] = {}
_cycles_lock = threading.Lock()


def ward_cycles(ws: Workspace, ward: str) -> list[Any]:
    """The ward's cycles, re-read only when a file in ``pdsa/cycles/`` changed.

    Parsing YAML records is slow-ish (tens of ms each); a warm kernel read them while drawing
    ahead, and the request reuses them when no file was added, removed or modified since.
    """
    from workbench.services.cycles import list_cycles

    folder = ws.cycles_dir
    try:
        stamp: Hashable = tuple(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size)
                                       for p in folder.glob("*.yaml")))
    except OSError:
        stamp = None
    key = (str(ws.root), ward)
    with _cycles_lock:
        found = _cycles_cache.get(key)
    if stamp is not None and found is not None and found[0] == stamp:
        return list(found[1])
    cycles = list_cycles(ws, ward=ward)
    if stamp is not None:
        with _cycles_lock:
            _cycles_cache[key] = (stamp, cycles)
    return list(cycles)


class Drawing:
    """A ward's summary (from the store, now) and how to draw its charts.

    Parameters
    ----------
    ws : Workspace
    ward : str
    today : date
    """

    def __init__(self, ws: Workspace, ward: str, today: dt.date) -> None:
        from workbench.catalogue import load_catalogue

        self.ws, self.ward_id, self.today = ws, ward, today
        self.catalogue = load_catalogue()
        self.reload()

    def reload(self) -> None:
        """Read the ward's data and cycles (again, after a save)."""
        from workbench.services.checks import ward_summary

        self.summary = ward_summary(self.ws, self.ward_id, today=self.today)
        self.cycles = ward_cycles(self.ws, self.ward_id)

    @property
    def has_data(self) -> bool:
        """True when at least one measure has counts to chart."""
        return any(mc.result is not None for mc in self.summary.measures)

    def change_text(self) -> str:
        """The catalogue's words for the current cycle's change idea ("" if none)."""
        c = self.summary.current
        change = self.catalogue.change_ideas.get(c.change_idea) if c is not None else None
        return change.text if change else ""

    def labels(self) -> dict[str, str]:
        """Measure id to the change drawn at its phase line (the cycle that started it)."""
        labels = {}
        for c in self.cycles:
            change = self.catalogue.change_ideas.get(c.change_idea)
            for mc in self.summary.measures:
                if mc.change_date == c.change_date and mc.measure.id in c.measures:
                    labels[mc.measure.id] = c.title or (change.text if change else c.change_idea)
        return labels

    def fingerprint(self) -> Hashable:
        """What the chart depends on (see :func:`fingerprint`)."""
        return fingerprint(self.summary, self.labels())

    def draw(self) -> dict[str, Any] | None:
        """The board's chart as a Vega-Lite spec (None without data)."""
        from workbench.ui.board.panels import board_chart

        return board_chart(self.summary, self.labels())


def fingerprint(summary: WardSummary, labels: dict[str, str]) -> Hashable:
    """What a ward's chart depends on: each measure's data, change date and label."""
    import pandas as pd

    parts = []
    for mc in summary.measures:
        data = int(pd.util.hash_pandas_object(mc.data, index=False).sum()) if len(mc.data) else 0
        parts.append((mc.measure.id, mc.change_date, len(mc.data), data,
                      labels.get(mc.measure.id)))
    return tuple(parts)
