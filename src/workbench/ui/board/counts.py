"""The form for today's counts: one row per measure, saved through the store's own checks.

Values are passed to :func:`workbench.services.observations.record_counts` as typed, so the form
refuses exactly what an import refuses, with the same messages, and saves all or nothing.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from typing import Any

from workbench.domain.catalogue import Measure
from workbench.ui.safe import Notice, guarded


def _label(measure: Measure) -> str:
    num = html.escape(measure.numerator)
    den = html.escape(measure.denominator)
    unit = html.escape(measure.unit)
    what = "Count" if measure.whole_counts else "Value"
    hint = f"{what}: {num}" + (f"<br>Out of: {den}" if measure.needs_denominator else
                               f" ({unit})" if unit and not measure.whole_counts else "")
    return (f'<div class="wb-count-name">{html.escape(measure.name)}</div>'
            f'<div class="wb-hint">{hint}</div>')


class CountsForm:
    """Inputs for one day's counts of a ward's measures, a save button and a message line.

    CSS classes: ``wb-counts`` (the form), ``wb-counts-date``, ``wb-counts-by``,
    ``wb-counts-value-<measure>``, ``wb-counts-denominator-<measure>``, ``wb-counts-save``,
    ``wb-counts-message``.

    Parameters
    ----------
    measures : list of Measure
        The ward's measures, in board order.
    today : date
        The default day counted.
    save : callable
        ``save(day, counts, entered_by)`` stores the counts (raising on refusal) and returns a
        sentence for the message line.
    """

    def __init__(self, measures: list[Measure], today: dt.date,
                 save: Callable[[dt.date, dict[str, tuple[str, str | None]], str], str]) -> None:
        import ipywidgets as widgets

        self.measures = measures
        self._save = save
        self.notice = Notice("wb-counts-message")
        self.date = widgets.DatePicker(value=today, description="Day counted",
                                       style={"description_width": "initial"})
        self.date.add_class("wb-counts-date")
        self.by = widgets.Text(description="Entered by (role)", placeholder="e.g. nurse in charge",
                               style={"description_width": "initial"})
        self.by.add_class("wb-counts-by")
        self.values: dict[str, Any] = {}
        self.denominators: dict[str, Any] = {}
        rows = []
        for m in measures:
            value = widgets.Text(placeholder="count" if m.whole_counts else (m.unit or "value"),
                                 layout=widgets.Layout(width="9rem"))
            value.add_class(f"wb-counts-value-{m.id}")
            self.values[m.id] = value
            cells = [widgets.HTML(_label(m), layout=widgets.Layout(width="32rem")), value]
            if m.needs_denominator:
                den = widgets.Text(placeholder="out of", layout=widgets.Layout(width="9rem"))
                den.add_class(f"wb-counts-denominator-{m.id}")
                self.denominators[m.id] = den
                cells += [widgets.HTML('<span class="wb-hint">out of</span>'), den]
            row = widgets.HBox(cells)
            row.add_class("wb-count-row")
            rows.append(row)
        self.button = widgets.Button(description="Save today's counts", button_style="primary",
                                     icon="", layout=widgets.Layout(width="16rem"))
        self.button.add_class("wb-counts-save")
        self.button.on_click(self._clicked)
        title = widgets.HTML("<h2>Today's counts</h2><div class='wb-hint'>Type the counts for the "
                             "day and press save. Leave a measure empty if it was not counted."
                             "</div>")
        self.widget = widgets.VBox([title, widgets.HBox([self.date, self.by]), *rows,
                                    widgets.HBox([self.button]), self.notice.widget])
        self.widget.add_class("wb-counts")

    def entered(self) -> dict[str, tuple[str, str | None]]:
        """The counts typed so far: measure id to ``(value, denominator)`` as text."""
        counts: dict[str, tuple[str, str | None]] = {}
        for m in self.measures:
            value = self.values[m.id].value.strip()
            den_w = self.denominators.get(m.id)
            den = den_w.value.strip() if den_w is not None else None
            if value or den:
                counts[m.id] = (value, den)
        return counts

    def clear(self) -> None:
        """Empty every input (after a save)."""
        for w in [*self.values.values(), *self.denominators.values()]:
            w.value = ""

    def _clicked(self, _button: Any = None) -> None:
        self.button.disabled = True
        try:
            self.submit()
        finally:
            self.button.disabled = False

    def submit(self) -> None:
        """Check and save the typed counts; show the result in the message line."""
        @guarded("saving today's counts", self.notice)
        def run() -> None:
            counts = self.entered()
            if not counts:
                self.notice.error("Nothing to save: type at least one count.")
                return
            day = self.date.value
            if day is None:
                self.notice.error("Day counted: pick the day these counts are for.")
                return
            self.notice.info("Saving\u2026")
            said = self._save(day, counts, self.by.value.strip())
            self.clear()
            self.notice.ok(said)

        run()
