"""The leaders' roll-up: what changed across wards, what is in the way, and the one key risk.

Sections (the seed's "Role of leaders"): wards x themes (active / adopted / adapted /
abandoned / spread); this week's signals per ward and measure; the walkround log ("what have we
changed due to recent reviews, and what is getting in the way?") kept in
``pdsa/leaders_log.yaml``; the one key risk for the next governance meeting; each team's
prediction track record; and a progress score (0.5-5) suggested from the evidence and confirmed
by a person.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from workbench.catalogue import load_catalogue
from workbench.domain.errors import WorkbenchError
from workbench.services.guards import Flag
from workbench.services.leaders_log import (
    LeadersLog,
    ProgressScore,
    Walkround,
    add_walkround,
    log_path,
    read_log,
)
from workbench.services.pitfalls import pitfalls
from workbench.services.progress import (
    SCORE_WORDS,
    confirm_score,
    cycle_state,
    cycles_by_ward,
    scores,
    suggest_score,
)
from workbench.store.workspace import Workspace

__all__ = ["SCORE_WORDS", "KeyRisk", "LeadersLog", "ProgressScore", "Rollup", "Walkround",
           "add_walkround", "confirm_score", "key_risk", "log_path", "prediction_record",
           "read_log", "rollup", "rollup_data", "scores", "signals", "suggest_score",
           "theme_matrix"]

STATE_ORDER = ("active", "spread", "adopted", "adapted", "abandoned")

@dataclass(frozen=True)
class KeyRisk:
    """The one key risk to raise at the next governance meeting."""

    text: str
    why: str


@dataclass(frozen=True)
class Rollup:
    """Everything the leaders' page shows."""

    today: dt.date
    matrix: pd.DataFrame
    signals: pd.DataFrame
    log: LeadersLog
    key_risk: KeyRisk
    predictions: pd.DataFrame
    scores: pd.DataFrame
    pitfalls: list[Flag] = field(default_factory=list)
    cycles: list[Any] = field(default_factory=list)
    """:class:`~workbench.services.judgement.CycleJudgement` of every cycle started by today."""
    skipped: list[str] = field(default_factory=list)
    """One line per broken record left out (:func:`workbench.services.skipped.skipped_lines`)."""
    spread: list[Any] = field(default_factory=list)  # SpreadChange: services.spread
    summary: pd.DataFrame = field(default_factory=pd.DataFrame)
    """:func:`workbench.services.summary_table.summary_table` for today (exceptions first)."""


def theme_matrix(ws: Workspace) -> pd.DataFrame:
    """Wards x themes: the strongest state of any change on that ward and theme.

    Returns
    -------
    DataFrame
        Columns ``ward, ward_name, theme, theme_name, state, cycles`` (one row per ward and
        theme with any change); ``state`` is active, spread, adopted, adapted or abandoned.
    """
    from workbench.services.wards import list_wards

    cat = load_catalogue()
    names = {w.id: w.name for w in list_wards(ws)}
    cells: dict[tuple[str, str], tuple[str, list[str]]] = {}

    def put(ward: str, theme: str, state: str, cycle: str) -> None:
        old_state, ids = cells.get((ward, theme), ("abandoned", []))
        best = min(old_state, state, key=STATE_ORDER.index) if ids else state
        cells[(ward, theme)] = (best, [*ids, cycle])

    for ward, cycles in cycles_by_ward(ws).items():
        for c in cycles:
            put(ward, c.theme, cycle_state(c), c.id)
            for step in c.spread:
                put(step.ward, c.theme, "spread", c.id)
    rows = [{"ward": w, "ward_name": names.get(w, w), "theme": t,
             "theme_name": cat.themes[t].name if t in cat.themes else t, "state": s,
             "cycles": ", ".join(dict.fromkeys(ids))} for (w, t), (s, ids) in sorted(cells.items())]
    return pd.DataFrame(rows, columns=["ward", "ward_name", "theme", "theme_name", "state", "cycles"])


def signals(ws: Workspace, today: dt.date, wards: list[Any] | None = None) -> pd.DataFrame:
    """This week's reading per ward and measure: *where is the process now?*

    The Making Data Count variation and assurance of each measure's current phase (split at the
    latest change), as the ward board shows them: read from
    :func:`workbench.services.judgement.judge_ward` (or the *wards* judgements given), with no
    data after *today*.  Measures without data are left out.
    """
    from workbench.services.judgement import judge_all

    columns = ["ward", "ward_id", "measure", "measure_id", "variation", "assurance",
               "improvement", "warnings"]
    cat = load_catalogue()
    if wards is None:
        try:
            wards, _ = judge_all(ws, as_of=today)
        except WorkbenchError:
            return pd.DataFrame(columns=columns)
    rows: list[dict[str, Any]] = []
    for w in wards:
        for m in w.measures:
            if m.last_date is None or m.variation is None:
                continue
            rows.append({"ward": w.ward_name, "ward_id": w.ward, "measure": m.name,
                         "measure_id": m.measure, "variation": m.variation,
                         "assurance": m.assurance,
                         "improvement": cat.measures[m.measure].improvement.value,
                         "warnings": ""})
    return pd.DataFrame(rows, columns=columns)


def prediction_record(ws: Workspace) -> pd.DataFrame:
    """Each team's prediction track record from its cycles' study answers.

    Returns
    -------
    DataFrame
        ``ward, ward_name, confirmed, refuted, unclear, total`` (wards with studied cycles).
    """
    from workbench.services.wards import list_wards

    names = {w.id: w.name for w in list_wards(ws)}
    rows = []
    for ward, cycles in sorted(cycles_by_ward(ws).items()):
        verdicts = [a.verdict.value for c in cycles if c.study for a in c.study.answers]
        if verdicts:
            rows.append({"ward": ward, "ward_name": names.get(ward, ward),
                         **{v: verdicts.count(v) for v in
                                          ("confirmed", "refuted", "unclear")},
                         "total": len(verdicts)})
    return pd.DataFrame(rows, columns=["ward", "ward_name", "confirmed", "refuted", "unclear",
                                       "total"])


def key_risk(ws: Workspace, today: dt.date, signal_frame: pd.DataFrame | None = None) -> KeyRisk:
    """The one key risk for the next governance meeting, picked from the evidence.

    Order: a leader's named risk from the latest walkround; a measure getting worse; the most
    overdue action; an action found not effective; weak actions; else the running tests.
    """
    from workbench.services.actions import action_log

    log = read_log(ws)
    named = [e for e in sorted(log.entries, key=lambda e: e.date) if e.key_risk.strip()]
    if named:
        e = named[-1]
        return KeyRisk(e.key_risk, f"Named by {e.by} on the walkround of {e.date.isoformat()}.")
    if signal_frame is not None and not signal_frame.empty:
        worse = signal_frame[signal_frame["variation"] == "special_cause_concern"]
        if not worse.empty:
            r = worse.iloc[0]
            return KeyRisk(f"{r['measure']} is getting worse on {r['ward']}.",
                           "The SPC chart shows special cause in the wrong direction this week.")
    views = action_log(ws, today)
    overdue = [v for v in views if v.overdue]
    if overdue:
        a = overdue[0].action
        return KeyRisk(f"Action {a.id} is {(today - a.due).days} days overdue: {a.text}",
                       f"Owner {a.owner}; due {a.due.isoformat()}. Ask what is in the way.")
    failed = [v.action for v in views if v.action.status.value == "not_effective"]
    if failed:
        return KeyRisk(f"Action {failed[0].id} did not work: {failed[0].text}",
                       "Its verifier found no improvement; it needs a stronger action.")
    weak = [v.action for v in views if any(f.kind == "weak" for f in v.flags)]
    if weak:
        return KeyRisk(f"{len(weak)} action(s) rely on weak measures such as training or reminders.",
                       "Weak actions rarely change practice on their own.")
    return KeyRisk("No risk stands out this week.", "No worsening signal, overdue or failed action.")


def rollup(ws: Workspace, today: dt.date) -> Rollup:
    """Gather every section of the leaders' roll-up (broken records left out, each named).

    The summary table is worked out first and the judgements take each measure's current icons
    from it (``judge_all(now_from=...)``): one reading, not two.
    """
    from workbench.services.judgement import judge_all
    from workbench.services.skipped import skipped_lines
    from workbench.services.spread import spread_tracker
    from workbench.services.summary_table import COLUMNS, summary_table

    try:
        table = summary_table(ws, today=today)
    except WorkbenchError:
        table = pd.DataFrame(columns=list(COLUMNS))
    try:
        wards, cycles = judge_all(ws, as_of=today, now_from=table)
    except WorkbenchError:
        wards, cycles = None, []
    sig = signals(ws, today, wards) if wards is not None else signals(ws, today, [])
    return Rollup(today=today, matrix=theme_matrix(ws), signals=sig, log=read_log(ws),
                  key_risk=key_risk(ws, today, sig), predictions=prediction_record(ws),
                  scores=scores(ws), pitfalls=pitfalls(ws, today), cycles=cycles,
                  skipped=skipped_lines(ws),
                  spread=spread_tracker(ws, as_of=today,
                                        judged={j.cycle.id: j for j in cycles}),
                  summary=table)


def rollup_data(r: Rollup) -> dict[str, Any]:
    """The roll-up as plain JSON-ready data (for ``workbench rollup --format json``)."""
    from workbench.services.spread import spread_data

    return {"today": r.today.isoformat(),
            "themes": r.matrix.to_dict(orient="records"),
            "signals": r.signals.astype(object).where(r.signals.notna(), None).to_dict(orient="records"),
            "walkrounds": [e.model_dump(mode="json") for e in r.log.entries],
            "key_risk": {"text": r.key_risk.text, "why": r.key_risk.why},
            "predictions": r.predictions.to_dict(orient="records"),
            "scores": r.scores.astype(object).where(r.scores.notna(), None).to_dict(orient="records"),
            "pitfalls": [{"kind": f.kind, "message": f.message} for f in r.pitfalls],
            "cycles": [j.to_json() for j in r.cycles],
            "skipped_records": list(r.skipped),
            "spread": [spread_data(s) for s in r.spread],
            "summary": _summary_data(r.summary)}


def _summary_data(table: pd.DataFrame) -> list[dict[str, Any]]:
    """The summary table's rows as JSON-ready records (dates as ISO text, gaps as None)."""
    if table.empty:
        return []
    cols = ["site", "ward", "ward_name", "measure", "measure_name", "chart", "grain",
            "variation", "assurance", "latest", "mean", "lcl", "ucl", "target", "data_up_to",
            "stale", "stale_words", "exception", "exception_words"]
    out = table[cols].astype(object).where(table[cols].notna(), None)
    for col in ("data_up_to",):
        out[col] = [None if v is None else str(v) for v in out[col]]
    records: list[dict[str, Any]] = out.to_dict(orient="records")
    return records
