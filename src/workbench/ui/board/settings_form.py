"""The board's small form for a measure's target (from a date) and how its points are grouped.

Values go to :mod:`workbench.services.targets` as typed, so the form refuses exactly what
``workbench target set`` refuses, with the same words, and writes nothing when it refuses.
What was typed stays in the boxes after a refusal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from workbench.domain.catalogue import Measure
from workbench.ui.safe import Notice, guarded

GRAIN_CHOICES = [("As the rule chooses", "auto"), ("Daily", "daily"), ("Weekly (Mon\u2013Sun)",
                 "weekly"), ("Monthly", "monthly")]


class SettingsForm:
    """Measure, target, from-date and grouping for one ward; saving redraws the board.

    CSS classes: ``wb-settings`` (the form), ``wb-settings-measure``, ``wb-target-value``,
    ``wb-target-from``, ``wb-target-save``, ``wb-grain-choice``, ``wb-grain-save``,
    ``wb-settings-message``.

    Parameters
    ----------
    measures : list of Measure
    today : date
        The default first day of a new target.
    set_target : callable
        ``set_target(measure_id, text, start)`` stores it (raising on refusal) and returns a
        sentence for the message line.
    set_grain : callable
        ``set_grain(measure_id, grain_or_auto)`` likewise.
    """

    def __init__(self, measures: list[Measure], today: dt.date,
                 set_target: Callable[[str, str, dt.date], str],
                 set_grain: Callable[[str, str], str]) -> None:
        import ipywidgets as widgets

        self._set_target, self._set_grain = set_target, set_grain
        self.notice = Notice("wb-settings-message")
        wide = {"description_width": "initial"}
        self.measure = widgets.Dropdown(options=[(m.name, m.id) for m in measures],
                                        description="Measure", style=wide,
                                        layout=widgets.Layout(width="30rem"))
        self.measure.add_class("wb-settings-measure")
        self.value = widgets.Text(description="Target", placeholder="e.g. 95%", style=wide,
                                  layout=widgets.Layout(width="14rem"))
        self.value.add_class("wb-target-value")
        self.start = widgets.DatePicker(value=today, description="From", style=wide)
        self.start.add_class("wb-target-from")
        self.save_target = widgets.Button(description="Set target", button_style="primary")
        self.save_target.add_class("wb-target-save")
        self.save_target.on_click(lambda _b: self.submit_target())
        self.grain = widgets.Dropdown(options=GRAIN_CHOICES, value="auto",
                                      description="Group points", style=wide)
        self.grain.add_class("wb-grain-choice")
        self.save_grain = widgets.Button(description="Set grouping")
        self.save_grain.add_class("wb-grain-save")
        self.save_grain.on_click(lambda _b: self.submit_grain())
        title = widgets.HTML("<h2>Targets and grouping</h2><div class='wb-hint'>A target "
                             "applies from the day you give until a later one replaces it. "
                             "Shares take 95% or 0.95.</div>")
        self.widget = widgets.VBox([
            title, self.measure,
            widgets.HBox([self.value, self.start, self.save_target]),
            widgets.HBox([self.grain, self.save_grain]), self.notice.widget])
        self.widget.add_class("wb-settings")

    def submit_target(self) -> None:
        """Check and save the typed target; the boxes keep what was typed if it is refused."""
        @guarded("setting a target", self.notice)
        def run() -> None:
            if not self.value.value.strip():
                self.notice.error("Target: type a value, e.g. 95%.")
                return
            if self.start.value is None:
                self.notice.error("From: pick the first day the target applies.")
                return
            self.notice.ok(self._set_target(self.measure.value, self.value.value,
                                            self.start.value))
            self.value.value = ""

        run()

    def submit_grain(self) -> None:
        """Save how the chosen measure's points are grouped."""
        @guarded("setting how points are grouped", self.notice)
        def run() -> None:
            self.notice.ok(self._set_grain(self.measure.value, self.grain.value))

        run()


def span_toggle(on_change: Callable[[bool], Any]) -> Any:
    """Buttons to show the recent span or the whole history (``wb-span``)."""
    import ipywidgets as widgets

    toggle = widgets.ToggleButtons(options=[("Recent", False), ("Whole history", True)],
                                   value=False, description="Show",
                                   style={"description_width": "initial"})
    toggle.add_class("wb-span")
    toggle.observe(lambda change: on_change(bool(change["new"])), names="value")
    return toggle
