"""The ward board page: builds the panels, saves counts and redraws after a save."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from workbench.domain.errors import WorkbenchError
from workbench.store.workspace import Workspace, resolve_workspace
from workbench.ui.safe import show_page


def _today(text: str) -> dt.date:
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise WorkbenchError(f"today '{text}' is not a date; write it as YYYY-MM-DD") from None


def workspace_of(workspace: str = "", db: str = "") -> Workspace:
    """The workspace the page works on (empty strings fall back to the environment)."""
    return resolve_workspace(workspace or None, db or None)


def warm_up(workspace: str = "") -> None:
    """Do the slow part before the request: imports, offline Vega, one chart, the catalogue.

    Under preheated kernels this runs while the kernel waits in the pool, so the page the user
    asks for only reads their ward's data and draws it.  Failures are ignored here: the real
    call reports them.
    """
    import altair  # noqa: F401
    import ipywidgets  # noqa: F401
    import pandas  # noqa: F401

    from workbench.catalogue import load_catalogue
    from workbench.charts import enable_offline

    enable_offline()
    load_catalogue()
    try:
        from workbench.services.wards import list_wards

        ws = workspace_of(workspace)
        wards = list_wards(ws)
        if wards:
            from workbench.services.checks import ward_summary
            from workbench.ui.board.panels import board_chart

            board_chart(ward_summary(ws, wards[0].id)).to_dict()
    except Exception:  # noqa: BLE001 - warming up only
        pass


class Board:
    """One ward's board: header, current test, plain-words cards, SPC charts, counts form.

    Attributes
    ----------
    widget : ipywidgets.VBox
        The page (class ``wb-board``).
    """

    def __init__(self, ws: Workspace, ward: str, today: dt.date) -> None:
        import ipywidgets as widgets

        from workbench.catalogue import load_catalogue
        from workbench.charts import offline_widget
        from workbench.services.checks import ward_summary
        from workbench.ui.board.counts import CountsForm
        from workbench.ui.board.style import BOARD_CSS

        self.ws, self.ward_id, self.today = ws, ward, today
        self.catalogue = load_catalogue()
        self.summary = ward_summary(ws, ward, today=today)
        self.header = widgets.HTML()
        self.header.add_class("wb-board-top")
        self.cycle = widgets.HTML()
        self.cycle.add_class("wb-board-cycle-line")
        self.signals = widgets.HTML()
        self.signals.add_class("wb-board-signals")
        chart = self._chart()
        self.chart = offline_widget(chart) if chart is not None else None
        parts: list[Any] = [widgets.HTML(BOARD_CSS), self.header, self.cycle, self.signals]
        if self.chart is not None:
            self.chart.embed_options = {"renderer": "svg", "actions": False}
            self.chart.add_class("wb-board-chart")
            parts.append(self.chart)
        else:
            parts.append(widgets.HTML('<p class="wb-hint">No counts yet: the charts appear once '
                                      'the first counts are saved.</p>'))
        self.form = CountsForm([mc.measure for mc in self.summary.measures], today, self.save)
        parts.append(self.form.widget)
        self._panels()
        self.widget = widgets.VBox(parts)
        self.widget.add_class("wb-board")
        self.widget.add_class(f"wb-board-{ward}")

    def _labels(self) -> dict[str, str]:
        from workbench.services.cycles import list_cycles

        labels = {}
        for c in list_cycles(self.ws, ward=self.ward_id):
            change = self.catalogue.change_ideas.get(c.change_idea)
            for mc in self.summary.measures:
                if mc.change_date == c.change_date and mc.measure.id in c.measures:
                    labels[mc.measure.id] = c.title or (change.text if change else c.change_idea)
        return labels

    def _chart(self) -> Any:
        from workbench.ui.board.panels import board_chart

        return board_chart(self.summary, self._labels())

    def _panels(self) -> None:
        from workbench.ui.board.panels import cycle_html, header_html, signals_html

        c = self.summary.current
        change = self.catalogue.change_ideas.get(c.change_idea) if c is not None else None
        self.header.value = header_html(self.summary)
        self.cycle.value = cycle_html(self.summary, change.text if change else "")
        self.signals.value = signals_html(self.summary)

    def refresh(self) -> None:
        """Re-read the ward's data and redraw the cards and the chart in place."""
        from workbench.charts import update_widget
        from workbench.services.checks import ward_summary

        self.summary = ward_summary(self.ws, self.ward_id, today=self.today)
        self._panels()
        chart = self._chart()
        if chart is not None and self.chart is not None:
            update_widget(self.chart, chart)

    def save(self, day: dt.date, counts: dict[str, tuple[str, str | None]], by: str) -> str:
        """Store one day's counts (all or nothing) and redraw; returns the message to show."""
        from workbench.services.observations import record_counts
        from workbench.ui.board.panels import day_words

        # the store parses text exactly as an import does, so typed text goes in unchanged
        stored = record_counts(self.ws, self.ward_id, day, cast(Any, counts), entered_by=by,
                               source="form")
        self.refresh()
        n = len(stored)
        return (f"Saved {n} count{'s' if n != 1 else ''} for {day_words(day)}. "
                "The charts now include them.")


def show(ward: str, *, workspace: str = "", today: str = "", db: str = "") -> Any:
    """The board for *ward*, or a plain message box when it cannot be shown (never a traceback)."""
    return show_page(f"the board for ward '{ward}'",
                     lambda: Board(workspace_of(workspace, db), ward, _today(today)).widget)
