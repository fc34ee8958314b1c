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
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator

from workbench.catalogue import load_catalogue
from workbench.domain.errors import ValidationFailed, WorkbenchError
from workbench.domain.records import ID_PATTERN, Cycle, CycleStatus, Decision
from workbench.services.guards import Flag, pitfalls
from workbench.store.pii import guard_fields
from workbench.store.records import load_record, record_data, save_record
from workbench.store.workspace import Workspace

STATE_ORDER = ("active", "spread", "adopted", "adapted", "abandoned")
SCORE_WORDS = {0.5: "Intent to take part", 1.0: "Team formed", 1.5: "Planning under way",
               2.0: "Testing has started", 2.5: "Changes tested", 3.0: "Modest improvement",
               3.5: "Improvement", 4.0: "Clear improvement, spreading",
               4.5: "Sustained improvement, spread", 5.0: "Outstanding, sustained and spread"}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Walkround(_Model):
    """One leader's visit: what changed due to recent reviews, and what is in the way."""

    date: dt.date
    ward: str = Field(default="", max_length=64)
    by: str = Field(min_length=1, max_length=120)
    changed: str = Field(min_length=1, max_length=1000)
    in_the_way: str = Field(default="", max_length=1000)
    key_risk: str = Field(default="", max_length=500)


class ProgressScore(_Model):
    """A progress score suggested from the evidence and confirmed by a person."""

    ward: str = Field(pattern=ID_PATTERN)
    score: float = Field(ge=0.5, le=5.0)
    suggested: float = Field(ge=0.5, le=5.0)
    confirmed_by: str = Field(min_length=1, max_length=120)
    confirmed_on: dt.date
    note: str = Field(default="", max_length=500)

    @field_validator("score", "suggested")
    @classmethod
    def _half_steps(cls, value: float) -> float:
        if round(value * 2) != value * 2:
            raise ValueError("scores go in half steps: 0.5, 1, 1.5 ... 5")
        return value


class LeadersLog(_Model):
    """``pdsa/leaders_log.yaml``: walkround entries and confirmed progress scores."""

    entries: list[Walkround] = Field(default_factory=list)
    scores: list[ProgressScore] = Field(default_factory=list)
    revision: int = Field(default=0, ge=0)


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


def log_path(ws: Workspace) -> Path:
    """Where the leaders' log lives."""
    return ws.pdsa / "leaders_log.yaml"


def read_log(ws: Workspace) -> LeadersLog:
    """The leaders' log (empty when none has been written)."""
    path = log_path(ws)
    return load_record(path, LeadersLog) if path.exists() else LeadersLog()


def add_walkround(ws: Workspace, data: dict[str, Any]) -> LeadersLog:
    """Add a walkround entry (refused when it holds patient data)."""
    log = read_log(ws)
    try:
        entry = Walkround.model_validate(data)
    except ValueError as exc:
        raise ValidationFailed([f"walkround: {exc}"]) from exc
    guard_fields(record_data(entry), "leaders' log entry")
    return save_record(log_path(ws), log.model_copy(update={"entries": [*log.entries, entry]}))


def _ward_cycles(ws: Workspace) -> dict[str, list[Cycle]]:
    from workbench.services.cycles import list_cycles

    out: dict[str, list[Cycle]] = {}
    for c in list_cycles(ws):
        out.setdefault(c.ward, []).append(c)
    return out


def _state(c: Cycle) -> str:
    if c.status != CycleStatus.DECIDED or c.act is None:
        return "active"
    return {Decision.ADOPT: "adopted", Decision.ADAPT: "adapted",
            Decision.ABANDON: "abandoned"}[c.act.decision]


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

    for ward, cycles in _ward_cycles(ws).items():
        for c in cycles:
            put(ward, c.theme, _state(c), c.id)
            for step in c.spread:
                put(step.ward, c.theme, "spread", c.id)
    rows = [{"ward": w, "ward_name": names.get(w, w), "theme": t,
             "theme_name": cat.themes[t].name if t in cat.themes else t, "state": s,
             "cycles": ", ".join(dict.fromkeys(ids))} for (w, t), (s, ids) in sorted(cells.items())]
    return pd.DataFrame(rows, columns=["ward", "ward_name", "theme", "theme_name", "state", "cycles"])


def signals(ws: Workspace, today: dt.date) -> pd.DataFrame:
    """This week's reading per ward and measure: the last point's variation and assurance.

    One read of the store (``long_frame`` up to *today*) and one vectorised ``analyse_many``
    per chart type and direction, over each series' whole history (no phase split), so a
    change that held shows as a signal of improvement.  Wards without data are left out.
    """
    from workbench.services.observations import long_frame
    from workbench.services.wards import list_wards
    from workbench.spc import analyse_many

    cat = load_catalogue()
    names = {w.id: w.name for w in list_wards(ws)}
    columns = ["ward", "ward_id", "measure", "measure_id", "variation", "assurance",
               "improvement", "warnings"]
    try:
        frame = long_frame(ws, wards=list(names) or None, end=today)
    except WorkbenchError:
        return pd.DataFrame(columns=columns)
    frame = frame[frame["measure"].isin(list(cat.measures))]
    rows: list[dict[str, Any]] = []
    kinds = {m: (cat.measures[m].chart.value, cat.measures[m].improvement.value)
             for m in frame["measure"].unique()}
    for (chart, better) in sorted(set(kinds.values())):
        part = frame[frame["measure"].isin([m for m, k in kinds.items() if k == (chart, better)])]
        try:
            result = analyse_many(part, by=["ward", "measure"], chart=chart, x="date", y="value",
                                  n="denominator", improvement=better)
        except WorkbenchError:
            continue
        for r in result.summary.to_dict(orient="records"):
            warns = r.get("warnings")
            rows.append({"ward": names.get(r["ward"], r["ward"]), "ward_id": r["ward"],
                         "measure": cat.measures[r["measure"]].name, "measure_id": r["measure"],
                         "variation": r.get("variation"), "assurance": r.get("assurance"),
                         "improvement": better,
                         "warnings": "; ".join(warns) if isinstance(warns, list) else ""})
    out = pd.DataFrame(rows, columns=columns)
    order = {w: i for i, w in enumerate(names)}
    return out.sort_values(["ward_id", "measure"], key=lambda c: c.map(order) if c.name ==
                           "ward_id" else c).reset_index(drop=True)


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
    for ward, cycles in sorted(_ward_cycles(ws).items()):
        verdicts = [a.verdict.value for c in cycles if c.study for a in c.study.answers]
        if verdicts:
            rows.append({"ward": ward, "ward_name": names.get(ward, ward),
                         **{v: verdicts.count(v) for v in
                                          ("confirmed", "refuted", "unclear")},
                         "total": len(verdicts)})
    return pd.DataFrame(rows, columns=["ward", "ward_name", "confirmed", "refuted", "unclear",
                                       "total"])


def suggest_score(ws: Workspace, ward: str,
                  by_ward: dict[str, list[Cycle]] | None = None) -> tuple[float, str]:
    """A progress score 0.5-5 suggested from the ward's cycles, with the reason.

    The suggestion is a starting point for a conversation; a person confirms it with
    :func:`confirm_score`.  *by_ward* (cycles per ward) saves re-reading the cycle files.
    """
    by_ward = _ward_cycles(ws) if by_ward is None else by_ward
    cycles = by_ward.get(ward, [])
    spread_from = [c for w, cs in by_ward.items() if w != ward for c in cs
                   if any(s.ward == ward for s in c.spread)]
    adopted = [c for c in cycles if _state(c) == "adopted"]
    confirmed = [a for c in adopted if c.study for a in c.study.answers
                 if a.verdict.value == "confirmed"]
    spread_out = [s for c in adopted for s in c.spread]
    if adopted and any(s.status == "adopted" for s in spread_out):
        return 4.5, "a tested change was adopted here and adopted again on another ward"
    if adopted and spread_out:
        return 4.0, "a tested change was adopted here and is spreading to other wards"
    if len(adopted) >= 2 or (adopted and len(confirmed) >= 3):
        return 3.5, f"{len(adopted)} change(s) adopted with confirmed predictions"
    if adopted:
        return 3.0, "one change adopted after a test"
    if any(c.status == CycleStatus.DECIDED for c in cycles):
        return 2.5, "changes tested; none adopted yet"
    if any(c.status in (CycleStatus.RUNNING, CycleStatus.STUDYING) for c in cycles) or spread_from:
        return 2.0, "a test of change is running"
    if cycles:
        return 1.5, "a test is planned"
    return 0.5, "no tests of change yet"


def confirm_score(ws: Workspace, ward: str, score: float, confirmed_by: str, *,
                  on: dt.date, note: str = "") -> LeadersLog:
    """Record a progress score confirmed by a person (the suggestion is kept beside it)."""
    from workbench.services.wards import get_ward

    get_ward(ws, ward)
    suggested, _ = suggest_score(ws, ward)
    try:
        entry = ProgressScore(ward=ward, score=score, suggested=suggested,
                              confirmed_by=confirmed_by, confirmed_on=on, note=note)
    except ValueError as exc:
        raise ValidationFailed([f"score: {exc}"]) from exc
    guard_fields(record_data(entry), "progress score")
    log = read_log(ws)
    return save_record(log_path(ws), log.model_copy(update={"scores": [*log.scores, entry]}))


def scores(ws: Workspace) -> pd.DataFrame:
    """Per ward: the suggested score, the latest confirmed score, who confirmed it and when."""
    from workbench.services.wards import list_wards

    latest = {s.ward: s for s in sorted(read_log(ws).scores, key=lambda s: s.confirmed_on)}
    by_ward = _ward_cycles(ws)
    rows = []
    for w in list_wards(ws):
        sug, why = suggest_score(ws, w.id, by_ward)
        got = latest.get(w.id)
        rows.append({"ward": w.id, "ward_name": w.name, "suggested": sug, "why": why,
                     "words": SCORE_WORDS[sug], "confirmed": got.score if got else None,
                     "confirmed_by": got.confirmed_by if got else "",
                     "confirmed_on": got.confirmed_on.isoformat() if got else ""})
    return pd.DataFrame(rows)


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
    """Gather every section of the leaders' roll-up."""
    sig = signals(ws, today)
    return Rollup(today=today, matrix=theme_matrix(ws), signals=sig, log=read_log(ws),
                  key_risk=key_risk(ws, today, sig), predictions=prediction_record(ws),
                  scores=scores(ws), pitfalls=pitfalls(ws, today))


def rollup_data(r: Rollup) -> dict[str, Any]:
    """The roll-up as plain JSON-ready data (for ``workbench rollup --format json``)."""
    return {"today": r.today.isoformat(),
            "themes": r.matrix.to_dict(orient="records"),
            "signals": r.signals.astype(object).where(r.signals.notna(), None).to_dict(orient="records"),
            "walkrounds": [e.model_dump(mode="json") for e in r.log.entries],
            "key_risk": {"text": r.key_risk.text, "why": r.key_risk.why},
            "predictions": r.predictions.to_dict(orient="records"),
            "scores": r.scores.astype(object).where(r.scores.notna(), None).to_dict(orient="records"),
            "pitfalls": [{"kind": f.kind, "message": f.message} for f in r.pitfalls]}
