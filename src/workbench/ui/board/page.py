"""The ward board page: builds the panels, saves counts and redraws after a save."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

from workbench.domain.errors import WorkbenchError
from workbench.store.workspace import Workspace, resolve_workspace
from workbench.ui.query import in_voila
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
    """Do the slow part before the request: imports, offline Vega, the catalogue, and (in a
    preheated kernel) a rehearsal on the first ward (:mod:`workbench.ui.rehearsal`)."""
    import altair  # noqa: F401
    import ipywidgets  # noqa: F401
    import pandas  # noqa: F401

    from workbench.catalogue import load_catalogue
    from workbench.charts import enable_offline
    from workbench.services import checks  # noqa: F401
    from workbench.store.db import preload

    enable_offline()
    load_catalogue()
    preload()  # the store's SQLAlchemy
    from workbench.ui import rehearsal

    rehearsal.rehearse("the board", rehearsal.board, workspace=workspace)


class Board:
    """One ward's board: header, current test, plain-words cards, SPC charts, counts form.

    The ward and its measures are looked up at once (a read of ``wards.yaml``: an unknown ward
    is refused in the cell); the page's widgets are made by :meth:`_build`, and the counts, the
    cards and the charts read and drawn by :meth:`fill`.

    Parameters
    ----------
    ws : Workspace
    ward : str
    today : date
    defer : bool
        Build and fill the board straight after the notebook's cell, on the kernel's event loop
        (:func:`workbench.ui.progressive.after_cell`; Voila), so the page is sent and the
        browser loads while the kernel makes the widgets and reads; False builds and fills it
        before returning (papermill, JupyterLab).

    Attributes
    ----------
    widget : ipywidgets.VBox
        The page (classes ``wb-board`` and ``wb-board-<ward>``).
    """

    def __init__(self, ws: Workspace, ward: str, today: dt.date, *, defer: bool = False) -> None:
        import ipywidgets as widgets

        from workbench.catalogue import load_catalogue
        from workbench.services.wards import get_ward
        from workbench.ui.progressive import after_cell
        from workbench.ui.style import style_tag

        self.ws, self.ward_id, self.today = ws, ward, today
        cat = load_catalogue()  # an unknown ward or measure is refused here, in the cell
        self.measures = [cat.measure(m) for m in get_ward(ws, ward).measures]
        self._lock = threading.Lock()
        self.note = widgets.HTML('<p class="wb-hint">Reading the counts\u2026</p>')
        self.note.add_class("wb-board-drawing")
        self.widget = widgets.VBox([widgets.HTML(style_tag()), self.note])
        self.widget.add_class("wb-board")
        self.widget.add_class(f"wb-board-{ward}")
        if defer:
            after_cell(self._build_and_fill)
        else:
            self._build()
            self.fill()

    def _build(self) -> None:
        """Make the page's widgets for the ward's measures (about 120 widget models, 0.1-0.2 s
        in a kernel)."""
        import ipywidgets as widgets

        from workbench.charts import offline_widget
        from workbench.ui.board.counts import CountsForm
        from workbench.ui.board.settings_form import SettingsForm, span_toggle

        measures = self.measures
        self.header = widgets.HTML()
        self.header.add_class("wb-board-top")
        self.cycle = widgets.HTML()
        self.cycle.add_class("wb-board-cycle-line")
        self.signals = widgets.HTML()
        self.signals.add_class("wb-board-signals")
        self.chart = offline_widget(None)
        self.chart.embed_options = {**self.chart.embed_options, "renderer": "svg"}
        self.chart.add_class("wb-board-chart")
        self.chart.layout.min_height = "640px" if measures else "0px"
        self.span = span_toggle(self.show_whole)
        self.form = CountsForm(measures, self.today, self.save)
        self.settings = SettingsForm(measures, self.today, self.set_target, self.set_grain)
        self.widget.children = (*self.widget.children[:1], self.header, self.cycle,
                                self.signals, self.span, self.note, self.chart,
                                self.form.widget, self.settings.widget)

    @property
    def summary(self) -> Any:
        """The ward's :class:`~workbench.services.checks.WardSummary` as last read."""
        return self.drawing.summary

    def fill(self) -> None:
        """Read the ward's counts and cycles, write the cards and draw the charts."""
        from workbench.charts import update_widget
        from workbench.ui.board.drawing import Drawing

        with self._lock:
            self.drawing = Drawing(self.ws, self.ward_id, self.today)
            self._panels()
            if self.drawing.has_data:
                update_widget(self.chart, self.drawing.draw())
                self.note.value = ""
            else:
                self.chart.layout.min_height = "0px"
                self.note.value = ('<p class="wb-hint">No counts yet: the charts appear once '
                                   'the first counts are saved.</p>')

    def _build_and_fill(self) -> None:
        """:meth:`_build` and :meth:`fill` after the cell, in one go on the kernel's event loop
        (so the browser, which asks for the widgets only after the page arrives, gets them all);
        a failure shows plain words, the detail goes to the log."""
        from workbench.ui.safe import could_not_show, error_html

        what = f"the board for ward '{self.ward_id}'"
        try:
            self._build()
        except Exception as exc:  # noqa: BLE001 - the page shows words, the log the detail
            self.note.value = error_html(could_not_show(what, exc))
            return
        try:
            self.fill()
        except Exception as exc:  # noqa: BLE001 - the page shows words, the log the detail
            self.note.value = ""
            self.chart.layout.min_height = "0px"
            self.header.value = error_html(could_not_show(what, exc))

    def _panels(self) -> None:
        from workbench.ui.board.panels import cycle_html, header_html, signals_html

        self.header.value = header_html(self.summary)
        self.cycle.value = cycle_html(self.summary, self.drawing.change_text(),
                                      self._parent())
        self.signals.value = signals_html(self.summary, self.drawing.views)

    def _parent(self) -> str:
        """The link to the cycle the current test spreads from (empty when it is not a spread)."""
        from workbench.services.spreading import spread_from
        from workbench.services.wards import get_ward
        from workbench.ui.board.panels import parent_html

        current = self.summary.current
        parent = spread_from(self.drawing.ws, current) if current is not None else None
        if parent is None:
            return ""
        return parent_html(parent, get_ward(self.drawing.ws, parent.ward).name)

    def refresh(self) -> None:
        """Re-read the ward's data and redraw the cards and the chart in place."""
        from workbench.charts import update_widget

        with self._lock:
            self.drawing.reload()
            self._panels()
            chart = self.drawing.draw()
            if chart is not None:
                self.chart.layout.min_height = "640px"
                update_widget(self.chart, chart)
                self.note.value = ""

    def show_whole(self, whole: bool) -> None:
        """Redraw the charts with the whole history (True) or the recent span."""
        from workbench.charts import update_widget

        with self._lock:
            self.drawing.whole = whole
            chart = self.drawing.draw()
            if chart is not None:
                update_widget(self.chart, chart)

    def set_target(self, measure: str, text: str, start: dt.date) -> str:
        """Store a target (refused: nothing written) and redraw; the message to show."""
        from workbench.services.targets import set_target

        row = set_target(self.drawing.ws, self.ward_id, measure, text, start)
        self.refresh()
        return f"Target for {row.measure_name}: {row.words} from {row.start:%-d %b %Y}."

    def set_grain(self, measure: str, grain: str) -> str:
        """Store how a measure's points are grouped and redraw; the message to show."""
        from workbench.services.targets import set_grain

        set_grain(self.drawing.ws, self.ward_id, measure, None if grain == "auto" else grain)
        self.refresh()
        return "Saved. The charts now group the points as chosen."

    def save(self, day: dt.date, counts: dict[str, tuple[str, str | None]], by: str) -> str:
        """Store one day's counts (all or nothing) and redraw; returns the message to show."""
        from workbench.services.observations import record_counts
        from workbench.services.verdict_words import day_words

        # the store parses text exactly as an import does, so typed text goes in unchanged
        stored = record_counts(self.drawing.ws, self.ward_id, day, counts,
                               entered_by=by, source="form")
        self.refresh()
        n = len(stored)
        return (f"Saved {n} count{'s' if n != 1 else ''} for {day_words(day)}. "
                "The charts now include them.")


def show(ward: str, *, workspace: str = "", today: str = "", db: str = "") -> Any:
    """The board for *ward*, or a plain message box when it cannot be shown (never a traceback)."""
    return show_page(f"the board for ward '{ward}'",
                     lambda: Board(workspace_of(workspace, db), ward, _today(today),
                                   defer=in_voila()).widget)
