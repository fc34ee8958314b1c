"""Progress scores 0.5-5 per ward: suggested from the evidence, confirmed by a person."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from workbench.domain.errors import ValidationFailed
from workbench.domain.records import Cycle, CycleStatus, Decision
from workbench.services.leaders_log import LeadersLog, ProgressScore, log_path, read_log
from workbench.store.pii import guard_fields
from workbench.store.records import record_data, save_record
from workbench.store.workspace import Workspace

SCORE_WORDS = {0.5: "Intent to take part", 1.0: "Team formed", 1.5: "Planning under way",
               2.0: "Testing has started", 2.5: "Changes tested", 3.0: "Modest improvement",
               3.5: "Improvement", 4.0: "Clear improvement, spreading",
               4.5: "Sustained improvement, spread", 5.0: "Outstanding, sustained and spread"}


def cycles_by_ward(ws: Workspace) -> dict[str, list[Cycle]]:
    from workbench.services.cycles import list_cycles

    out: dict[str, list[Cycle]] = {}
    for c in list_cycles(ws):
        out.setdefault(c.ward, []).append(c)
    return out


def cycle_state(c: Cycle) -> str:
    if c.status != CycleStatus.DECIDED or c.act is None:
        return "active"
    return {Decision.ADOPT: "adopted", Decision.ADAPT: "adapted",
            Decision.ABANDON: "abandoned"}[c.act.decision]


def suggest_score(ws: Workspace, ward: str,
                  by_ward: dict[str, list[Cycle]] | None = None) -> tuple[float, str]:
    """A progress score 0.5-5 suggested from the ward's cycles, with the reason.

    The suggestion is a starting point for a conversation; a person confirms it with
    :func:`confirm_score`.  *by_ward* (cycles per ward) saves re-reading the cycle files.
    """
    by_ward = cycles_by_ward(ws) if by_ward is None else by_ward
    cycles = by_ward.get(ward, [])
    spread_from = [c for w, cs in by_ward.items() if w != ward for c in cs
                   if any(s.ward == ward for s in c.spread)]
    adopted = [c for c in cycles if cycle_state(c) == "adopted"]
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
    by_ward = cycles_by_ward(ws)
    rows = []
    for w in list_wards(ws):
        sug, why = suggest_score(ws, w.id, by_ward)
        got = latest.get(w.id)
        rows.append({"ward": w.id, "ward_name": w.name, "suggested": sug, "why": why,
                     "words": SCORE_WORDS[sug], "confirmed": got.score if got else None,
                     "confirmed_by": got.confirmed_by if got else "",
                     "confirmed_on": got.confirmed_on.isoformat() if got else ""})
    return pd.DataFrame(rows)
