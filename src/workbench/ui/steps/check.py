"""Step four: check the result on SPC charts, then adopt, adapt or abandon, and spread."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from workbench.domain.errors import WorkbenchError
from workbench.ui.parts import Parts
from workbench.ui.steps._common import (
    box,
    esc,
    figures,
    guarded,
    heading,
    open_workspace,
    parse_date,
    refuse_or_show,
    say,
    section,
    show,
    table,
)
from workbench.ui.style import style_tag


class CheckPage:
    """What step four shows for a cycle (or, without one, the ward's board).

    Build it with :func:`check_page`; each method displays one section.
    """

    def __init__(self, ws: Any, ward: Any, check: Any, board: Any, interactive: bool,
                 judgement: Any = None) -> None:
        self.ws = ws
        self.ward = ward
        self.check = check
        self.judgement = judgement
        self.board = board
        self.interactive = interactive
        self.revision = check.cycle.revision if check is not None else None
        self._settings: Any = None

    @property
    def ok(self) -> bool:
        """True when the page has something to show."""
        return self.ward is not None

    @section("showing step 4's summary")
    def summary(self) -> None:
        """The cycle, the recommendation and a verdict per prediction."""
        if self.ok:
            show(self.summary_html())

    def summary_html(self) -> str:
        """What :meth:`summary` shows, as HTML (empty when the page has nothing to show)."""
        if not self.ok:
            return ""
        if self.check is None:
            return style_tag() + heading(f"{self.ward.name}: no test of change yet") + box(
                "This ward has no PDSA cycle to check. Its measures are charted below; pick a "
                "theme (step 1) and plan a change (step 3) to start one.")
        from workbench.services import verdict_words as vw
        from workbench.services.judgement import test_end
        from workbench.services.verdict_words import day_words

        c, j = self.check.cycle, self.judgement
        parts = [style_tag(), heading(f"{c.title or c.id} — {self.ward.name}"),
                 f"<p>Change tested from {day_words(c.start)} to {day_words(test_end(c))} "
                 f"(status: {esc(c.status.value)}); data up to {day_words(j.as_of)}. "
                 f"Owner: {esc(c.owner)}.</p>",
                 f"<p><b>Objective.</b> {esc(c.objective)}</p>"]
        parts.append(box(f"<b>{esc(vw.recommendation_line(j))}</b>",
                         "ok" if j.recommendation == "adopt" else "warn", raw=True))
        parts.append(heading(vw.TEST_HEADING, 3))
        rows = [(vw.test_line(m), vw.since_line(m) or "—") for m in j.measures]
        parts.append(table(["The test window against the limits set before the change",
                            "Since the test"], rows))
        parts.append(heading("Did the predictions hold?", 3))
        team = j.team_results
        parts.append(table(["Question", "Prediction", "Expect", "Result", "Evidence",
                            "Team recorded"],
                           [(p.question, q.prediction, vw.expect_words(p.expect, p.level,
                                                                      _proportion(p.measure)),
                             vw.result_words(p.result), f"{p.evidence} {p.note}".strip(),
                             team.get(p.question, "—"))
                            for p, q in zip(j.predictions, c.questions, strict=True)]))
        if j.disagreements:
            parts.append(box("<br>".join(esc(vw.disagreement_line(d))
                                         for d in j.disagreements), "warn", raw=True))
        if c.act is not None:
            parts.append(box(f"Decision recorded: {c.act.decision.value} on {c.act.decided_on}"
                             f"{' by ' + c.act.decided_by if c.act.decided_by else ''}: "
                             f"{c.act.reason}", "info"))
        if c.spread:
            from workbench.services.wards import list_wards

            names = {x.id: x.name for x in list_wards(self.ws)}
            parts.append(heading("Spread", 3) + table(
                ["Ward", "From", "Status"],
                [(names.get(s.ward, s.ward), s.date, s.status) for s in c.spread]))
        return "".join(parts)

    @section("showing step 4's charts")
    def charts(self) -> None:
        """One SPC chart per measure, split at the change, with plain words under it."""
        if not self.ok:
            return
        figures(self.chart_items(), self.interactive)

    def chart_items(self) -> list[str | tuple[Any, str | None]]:
        """The charts section: a heading, then per measure ``(Vega-Lite spec, words)`` (or a
        warning without counts).  With a cycle each chart draws the counts as stored — the
        points the test verdict reads — with the verdict's test window shaded."""
        from workbench.charts import spc_spec
        from workbench.charts.words import variation_icon
        from workbench.services import verdict_words as vw

        checks = self.check.measures if self.check is not None else self.board.measures
        now = {m.measure: m.variation for m in self.judgement.measures} \
            if self.judgement is not None else {}
        label = None
        if self.check is not None:
            from workbench.catalogue import load_catalogue

            idea = load_catalogue().change_ideas.get(self.check.cycle.change_idea)
            label = idea.text if idea is not None else self.check.cycle.change_idea
        items: list[str | tuple[Any, str | None]] = [heading("The charts", 3)]
        windows = self._test_windows() if self.check is not None else {}
        ward_cycles: list[Any] = []
        if self.check is not None:
            from workbench.services.cycles import list_cycles

            ward_cycles = list_cycles(self.ws, ward=self.check.cycle.ward)
        for mc in checks:
            if mc.result is None:
                items.append(box(f"{mc.measure.name}: no counts recorded yet.", "warn"))
                continue
            icon = variation_icon(now.get(mc.measure.id, mc.variation), None)
            words = f"{mc.measure.name} — {vw.NOW_HEADING} {icon.plain}. " \
                    f"{mc.measure.definition}"
            window = windows.get(mc.measure.id)
            since = _span_start(mc.data, window) if self.check is not None else None
            result, frozen = mc.result, None
            if self.check is not None:
                from workbench.services.judgement import frozen_analysis

                # the verdict's own limits: set before the change and carried through the test
                frozen = frozen_analysis(mc.measure, mc.data, self.check.cycle, ward_cycles)
                result = frozen if frozen is not None else mc.result
            items.append((spc_spec(result, measure=mc.measure,
                                   change_label=None if frozen is not None else label,
                                   caption=self._caption(mc, since is not None,
                                                         frozen is not None),
                                   test_window=window, since=since), words))
        return items

    def _test_windows(self) -> dict[str, tuple[Any, Any, str]]:
        """Each measure's test window as the verdict reads it (its first and last day)."""
        import pandas as pd

        from workbench.services.judgement import test_end

        out: dict[str, tuple[Any, Any, str]] = {}
        if self.judgement is None or self.check is None:
            return out
        last = test_end(self.check.cycle)
        for m in self.judgement.measures:
            if m.window is None:
                continue
            start, end = pd.Timestamp(m.window.start), pd.Timestamp(m.window.end)
            so_far = " (counted so far)" if m.window.end < last else ""
            out[m.measure] = (start, end, f"Test: {start:%a} {start.day} {start:%b} \u2013 "
                                          f"{end:%a} {end.day} {end:%b}{so_far}")
        return out

    def _caption(self, mc: Any, span: bool = False, frozen: bool = False) -> str:
        """Step four draws each count as stored: the points the test verdict reads.  When the
        board groups the measure (e.g. weekly totals), the caption says so; *frozen*: the
        centre and limits are the verdict's, set before the change."""
        from workbench.services.grain import grain_of
        from workbench.spc.grain import caption
        from workbench.store.settings import load_settings

        if self._settings is None:
            self._settings = load_settings(self.ws)
        grain = grain_of(self._settings, self.ward.id, mc.measure, mc.data)[0]
        chart = mc.measure.chart.value
        words = "each count as stored" + (": the points the test verdict reads"
                                          if self.check is not None else "")
        if grain != "daily":
            words += f" (the board shows {caption(grain, chart)})"
        if frozen:
            words += "; centre and limits set before the change and carried on, as the " \
                     "verdict reads them"
            if span:
                words += " (the last 90 days shown)"
        elif span:
            words += "; the last 90 days shown, centre and limits from all the counts"
        return words

    @section("showing step 4's forms")
    def forms(self) -> Any:
        """Interactive only: the decision form and the spread form (``None`` in a report)."""
        if not (self.ok and self.interactive and self.check is not None):
            return None
        import ipywidgets as w

        part = Parts()
        return part(w.VBox, "wb-check-forms",
                    children=[self._decide_form(part), self._spread_form(part)])

    def _decide_form(self, part: Parts) -> Any:
        import ipywidgets as w

        from workbench.services.cycles import early_decision
        from workbench.services.decisions import decide

        rec = self.judgement.recommendation if self.judgement is not None else None
        choice = part(w.ToggleButtons, "wb-decide-choice",
                      options=[("Adopt", "adopt"), ("Adapt", "adapt"), ("Abandon", "abandon")],
                      value=rec if rec in ("adopt", "adapt", "abandon") else None,
                      description="Decision")
        reason = part(w.Textarea, "wb-decide-reason", description="Why", width="70%",
                      placeholder="What the chart and the team say")
        by = part(w.Text, "wb-decide-by", description="Decided by",
                  placeholder="role, e.g. ward manager")
        save = part(w.Button, "wb-decide-save", description="Record decision",
                    button_style="primary")
        message = part(w.HTML, "wb-decide-message")
        cycle_id = self.check.cycle.id
        early = early_decision(self.check.cycle, dt.date.today())
        why_now = part(w.Text, "wb-decide-early", description="Why now", width="70%",
                       own_layout=True, placeholder="why decide before the test ends")
        why_now.layout.display = None if early else "none"

        def act() -> str:
            if choice.value is None:
                raise WorkbenchError("choose adopt, adapt or abandon first")
            saved = decide(self.ws, cycle_id, choice.value, reason.value, decided_by=by.value,
                           on=dt.date.today(), revision=self.revision,
                           early_reason=why_now.value)
            self.revision = saved.revision
            return f"Decision recorded: {esc(choice.value)} (revision {saved.revision})."

        save.on_click(guarded(message, act))
        if early:
            say(message, f"Deciding early: {early}. Say why the team decides now.", "warn")
        title = part(w.HTML, "wb-decide-heading",
                     value=heading("Decide: adopt, adapt or abandon", 3))
        return part(w.VBox, "wb-decide-form",
                    children=[title, choice, reason, by, why_now, save, message])

    def _spread_form(self, part: Parts) -> Any:
        import ipywidgets as w

        from workbench.services.spreading import new_measures, spread
        from workbench.services.wards import list_wards

        others = [(x.name, x.id) for x in list_wards(self.ws) if x.id != self.ward.id]
        names = dict((i, n) for n, i in others)
        target = part(w.Dropdown, "wb-spread-ward", options=others, description="Next ward")
        when = part(w.DatePicker, "wb-spread-date", description="From", value=dt.date.today())
        owner = part(w.Text, "wb-spread-owner", description="Led by", width="70%",
                     placeholder="role on the next ward (default: this test's owner)")
        why = part(w.Text, "wb-spread-reason", description="Why another", width="70%",
                   placeholder="only if the next ward is at its limit of changes")
        save = part(w.Button, "wb-spread-save", description="Plan spread")
        message = part(w.HTML, "wb-spread-message")
        cycle_id = self.check.cycle.id

        def act() -> str:
            if when.value is None:
                raise WorkbenchError("spread date: pick the day the next ward starts")
            from workbench.catalogue import load_catalogue

            adding = new_measures(self.ws, target.value, list(self.check.cycle.measures))
            saved = spread(self.ws, cycle_id, target.value, when.value, owner=owner.value,
                           reason=why.value)
            self.revision = saved.revision
            child = saved.spread[-1].cycle or ""
            href = esc("03_run_change.ipynb?" + urlencode({"cycle": child}))
            ward_name = esc(names.get(target.value, target.value))
            counts = ""
            if adding:
                from workbench.services.judgement.rules import MIN_BASELINE_POINTS

                cat = load_catalogue()
                counts = (f" {ward_name} now counts "
                          f"{esc(', '.join(cat.measure(m).name for m in adding))} too; it has "
                          "no counts of them yet, so its check cannot say whether the change "
                          f"worked there until it has {MIN_BASELINE_POINTS} counts from before "
                          "the change. Start counting now, or set the test to start later.")
            return (f"Spread to {ward_name} planned from "
                    f"{when.value}: its test is on that ward's board.{counts} "
                    f'<a href="{href}">Open its plan</a>.')

        save.on_click(guarded(message, act))
        title = part(w.HTML, "wb-spread-heading", value=heading("Spread to the next ward", 3))
        say(message, "Spread only a change the team has adopted. The next ward gets its own "
            "test of the change, linked to this one.", "info")
        return part(w.VBox, "wb-spread-form",
                    children=[title, target, when, owner, why, save, message])


def _span_start(data: Any, window: tuple[Any, Any, str] | None) -> Any:
    """Where step four's test chart starts: the last 90 days of counts (the board's daily
    span), widened to show as much baseline before the test as the test is long; None when
    the whole history is shorter."""
    import pandas as pd

    from workbench.spc.grain import SPAN

    if data.empty:
        return None
    dates = pd.to_datetime(data["date"])
    start = dates.max() - SPAN["daily"] + pd.Timedelta(days=1)
    if window is not None:
        start = min(start, window[0] - (window[1] - window[0]))
    return start if dates.min() < start else None


def _proportion(measure: str | None) -> bool:
    from workbench.catalogue import load_catalogue

    m = load_catalogue().measures.get(measure or "")
    return bool(m is not None and m.is_proportion)


def _pick_cycle(ws: Any, ward_id: str, day: dt.date | None = None) -> str | None:
    from workbench.domain.records import CycleStatus
    from workbench.services.cycles import list_cycles

    cycles = [c for c in list_cycles(ws, ward=ward_id) if c.status != CycleStatus.PLANNED
              and (day is None or c.start <= day)]
    return cycles[-1].id if cycles else None


def check_page(*, workspace: str = "", db: str = "", ward: str = "", cycle: str = "",
               as_of: str = "", interactive: bool = True) -> CheckPage:
    """Load step four for a cycle, or for the ward's latest cycle when *cycle* is empty.

    Parameters
    ----------
    workspace, db : str
        Workspace folder and database URL (empty: the defaults).
    ward, cycle : str
        Ward id (needed when *cycle* is empty) and cycle id.
    as_of : str
        ISO date: use data up to this day (empty: all data).
    interactive : bool
        Widgets and forms (Voila, JupyterLab) or a static report (papermill).

    Raises
    ------
    StepRefused
        In a report run, when a parameter is wrong (the message says how to fix it).
    """
    from workbench.services.checks import check_cycle, ward_summary
    from workbench.services.cycles import get_cycle, ward_problems
    from workbench.services.judgement import judge_cycle
    from workbench.services.wards import get_ward

    try:
        ws = open_workspace(workspace, db)
        day = parse_date(as_of, "as_of")
        if not cycle and not ward:
            raise WorkbenchError("ward: give a ward id (e.g. ?ward=nh-ucc) or a cycle id")
        for problem in ward_problems(ws, ward or get_cycle(ws, cycle).ward):
            raise problem
        chosen = cycle or _pick_cycle(ws, ward, day)
        if chosen:
            from workbench.ui import rehearsal

            def verdict() -> tuple[Any, Any]:
                judged = judge_cycle(ws, chosen, as_of=day)
                return judged, check_cycle(ws, chosen, as_of=judged.as_of)

            judgement, check = rehearsal.kept_or_read(  # read with all data by a warm kernel
                "check", ws, dt.date.today(), verdict, key=chosen, usable=day is None)
            return CheckPage(ws, check.ward, check, None, interactive, judgement)
        board = ward_summary(ws, ward, today=day)
        return CheckPage(ws, get_ward(ws, ward), None, board, interactive)
    except Exception as exc:  # noqa: BLE001 - refusals and faults, in the safe idiom
        refuse_or_show(exc, interactive)
        return CheckPage(None, None, None, None, interactive)


__all__ = ["CheckPage", "check_page"]
