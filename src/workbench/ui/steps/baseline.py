"""Step two: size the baseline, and the chance the chart shows the hoped-for change in time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from workbench.domain.errors import WorkbenchError
from workbench.ui.parts import Parts
from workbench.ui.steps._common import (
    box,
    bullets,
    chart,
    esc,
    guarded,
    heading,
    open_workspace,
    parse_date,
    refuse_or_show,
    section,
    show,
    table,
)
from workbench.ui.style import style_tag


def parse_level(text: str | float | None, name: str = "hoped") -> float | None:
    """A level typed by a person: ``""`` (none), ``0.8``, ``80%`` or ``12.5``."""
    if text is None or isinstance(text, float | int):
        return None if text is None else float(text)
    raw = str(text).strip()
    if not raw:
        return None
    try:
        return float(raw[:-1]) / 100 if raw.endswith("%") else float(raw)
    except ValueError:
        raise WorkbenchError(f"{name}: '{raw}' is not a number; write e.g. 0.8, 80% or "
                             "12.5") from None


def _fmt(value: float | None, proportion: bool) -> str:
    if value is None:
        return "—"
    return f"{value:.0%}" if proportion else f"{value:.3g}"


def sizing_html(sz: Any) -> str:
    """The baseline and detectability of one measure, as report HTML."""
    m, b, d = sz.measure, sz.baseline, sz.detect
    prop = m.is_proportion
    kind = "ok" if d.power >= d.goal else "warn"
    headline = (f"<b>{esc(m.name)}</b>: baseline {_fmt(b.mean, prop)}, hoped for "
                f"{_fmt(d.hoped, prop)}. Chance the chart shows it within {d.days} days: "
                f"<b>{d.power:.0%}</b>" + (f"; about {d.days_needed} days give "
                                           f"{d.goal:.0%}." if d.days_needed else "."))
    rows = [("Points in the baseline", b.points), ("From", b.start), ("To", b.end),
            ("Level", _fmt(b.mean, prop)),
            ("Typical denominator", "—" if b.denominator is None else f"{b.denominator:g}"),
            ("Counted", m.frequency.value.replace("_", " ")), ("Chart", m.chart.value)]
    days = table(["Test length (days)", *[str(k) for k in d.by_days]],
                 [["Chance of seeing it", *[f"{v:.0%}" for v in d.by_days.values()]]])
    return (heading(f"Baseline: {m.name}", 3) + f"<p>{esc(m.definition)}</p>"
            + table(["", "Value"], rows) + box(headline, kind, raw=True) + days
            + heading("Advice", 4) + bullets(d.advice)
            + f"<p><small>{d.simulations} simulated tests per length, seed {d.seed}; limits "
              f"set on {d.baseline_points} baseline points.</small></p>")


class BaselinePage:
    """What step two shows for a ward and measure; build it with :func:`baseline_page`."""

    def __init__(self, ws: Any, ward: Any, sizing: Any, days: int, as_of: Any,
                 interactive: bool) -> None:
        self.ws = ws
        self.ward = ward
        self.sizing = sizing
        self.days = days
        self.as_of = as_of
        self.interactive = interactive

    @property
    def ok(self) -> bool:
        """True when the page has something to show."""
        return self.sizing is not None

    @section("showing step 2's baseline")
    def summary(self) -> None:
        """The baseline figures, the chance of seeing the change, and advice."""
        if self.ok:
            show(style_tag() + heading(f"Size the baseline on {self.ward.name}")
                 + sizing_html(self.sizing))

    @section("showing step 2's chart")
    def chart(self) -> None:
        """The measure's chart so far (no change marked)."""
        if not self.ok:
            return
        from workbench.charts import spc_spec
        from workbench.services.measure_checks import measure_check
        from workbench.services.observations import long_frame

        m = self.sizing.measure
        frame = long_frame(self.ws, wards=[self.ward.id], measures=[m.id], end=self.as_of)
        mc = measure_check(m, frame[["date", "value", "denominator"]].reset_index(drop=True),
                           None)
        if mc.result is not None:
            chart(spc_spec(mc.result, measure=m), self.interactive,
                  caption=f"{m.name} on {self.ward.name}: every count so far.")

    @section("showing step 2's form")
    def form(self) -> Any:
        """Interactive only: try another measure, hoped-for level or test length."""
        if not (self.ok and self.interactive):
            return None
        import ipywidgets as w

        from workbench.catalogue import load_catalogue
        from workbench.services.detect import size_baseline

        cat = load_catalogue()
        part = Parts()
        measure = part(w.Dropdown, "wb-size-measure",
                       options=[(cat.measure(x).name, x) for x in self.ward.measures
                                if x in cat.measures],
                       value=self.sizing.measure.id, description="Measure", width="70%")
        hoped = part(w.Text, "wb-size-hoped", description="Hoped for",
                     placeholder="e.g. 80% or 12.5")
        days = part(w.BoundedIntText, "wb-size-days", value=self.days, min=1, max=180,
                    description="Days")
        run = part(w.Button, "wb-size-run", description="Work it out", button_style="primary")
        result = part(w.HTML, "wb-size-result")
        message = part(w.HTML, "wb-size-message")

        def act() -> str:
            sz = size_baseline(self.ws, self.ward.id, measure.value,
                               hoped=parse_level(hoped.value), days=int(days.value),
                               as_of=self.as_of)
            result.value = sizing_html(sz)
            return "Worked out (nothing is saved by this form)."

        run.on_click(guarded(message, act))
        title = part(w.HTML, "wb-size-heading", value=heading("Try another measure or hope", 3))
        return part(w.VBox, "wb-size-form",
                    children=[title, measure, hoped, days, run, message, result])


def _days(days: object) -> int:
    """The test length parameter as a whole number of days, or a refusal saying how to write it."""
    try:
        return int(str(days).strip())
    except ValueError:
        raise WorkbenchError(f"days: '{days}' is not a whole number of days; write one, "
                             "for example 14") from None


def baseline_page(*, workspace: str = "", db: str = "", ward: str = "", measure: str = "",
                  hoped: str = "", days: int = 14, as_of: str = "",
                  interactive: bool = True) -> BaselinePage:
    """Load step two: the baseline of *measure* on *ward* (default: its first measure).

    Parameters
    ----------
    hoped : str
        Level hoped for after the change (``0.8``, ``80%``; empty: half the gap to perfect).
    days : int
        Length of the planned test.
    as_of : str
        ISO date: the baseline ends here (empty: all data).

    Raises
    ------
    StepRefused
        In a report run, when a parameter is wrong.
    """
    from workbench.catalogue import load_catalogue
    from workbench.services.detect import size_baseline
    from workbench.services.wards import get_ward

    try:
        ws = open_workspace(workspace, db)
        day = parse_date(as_of, "as_of")
        if not ward:
            raise WorkbenchError("ward: give a ward id, e.g. ?ward=nh-ucc")
        found = get_ward(ws, ward)
        chosen = measure or (found.measures[0] if found.measures else "")
        if not chosen:
            raise WorkbenchError(f"measure: ward '{ward}' counts no measures yet; give one")
        load_catalogue().measure(chosen)
        length = _days(days)
        level = parse_level(hoped)
        from workbench.ui import rehearsal

        sz = rehearsal.kept_or_read(  # read by a warm kernel as the page opens, or now
            "baseline", ws, dt.date.today(),
            lambda: size_baseline(ws, ward, chosen, hoped=level, days=length, as_of=day),
            key=f"{ward}/{chosen}",
            usable=level is None and length == rehearsal.BASELINE_DAYS and day is None)
        return BaselinePage(ws, found, sz, length, day, interactive)
    except Exception as exc:  # noqa: BLE001 - refusals and faults, in the safe idiom
        refuse_or_show(exc, interactive)
        return BaselinePage(None, None, None, 14, None, interactive)
