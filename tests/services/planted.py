"""A generator of test workspaces with planted effects, for the judgement's tests and benchmark.

Each ward records one process measure (``gp_same_day_summary``, a p chart: a proportion of a
daily denominator of about *denominator* visits) and one outcome measure
(``repeat_attendances``, a c chart), daily for *baseline_days* before a change and
*test_days* after it.  Wards ``w00 .. w{n-1}``: the first *n_shift* get a planted rise of
*shift* (in proportion points: 0.30 is "+30 points") at the change date on the process
measure; the others have no effect anywhere.  Every ward runs one cycle predicting a rise of the
process measure and no rise of the outcome measure.  Seeded: the same arguments give the same
workspace.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

CHANGE = dt.date(2026, 9, 7)
PROCESS = "gp_same_day_summary"
OUTCOME = "repeat_attendances"


@dataclass(frozen=True)
class Planted:
    """What was planted: the workspace, the shifted wards and the no-effect wards."""

    ws: object
    shifted: list[str]
    flat: list[str]
    change: dt.date
    end: dt.date


def observations(n_wards: int, n_shift: int, *, shift: float = 0.30, base: float = 0.40,
                 denominator: float = 12.0, baseline_days: int = 42, test_days: int = 14,
                 after_days: int = 0, seed: int = 7) -> pd.DataFrame:
    """The planted counts as ``ward, measure, date, value, denominator`` rows."""
    rng = np.random.default_rng(seed)
    days = [CHANGE + dt.timedelta(days=k) for k in range(-baseline_days, test_days + after_days)]
    rows = []
    for i in range(n_wards):
        ward = f"w{i:02d}"
        for day in days:
            p = base + (shift if i < n_shift and day >= CHANGE else 0.0)
            n = max(1, int(rng.poisson(denominator)))
            rows.append((ward, PROCESS, day, float(rng.binomial(n, min(p, 1.0))), float(n)))
            rows.append((ward, OUTCOME, day, float(rng.poisson(3.0)), np.nan))
    return pd.DataFrame(rows, columns=["ward", "measure", "date", "value", "denominator"])


def build(root: Path, n_wards: int = 12, n_shift: int = 6, *, decided: bool = False,
          **kw: float) -> Planted:
    """Write a planted workspace under *root* (records, CSV, SQLite store)."""
    from workbench.domain.records import Ward
    from workbench.services.cycles import new_cycle
    from workbench.services.decisions import decide
    from workbench.services.observations import import_file
    from workbench.services.wards import save_wards
    from workbench.store.workspace import resolve_workspace

    ws = resolve_workspace(root)
    ws.cycles_dir.mkdir(parents=True, exist_ok=True)
    wards = [Ward(id=f"w{i:02d}", name=f"Planted ward {i:02d}", site="Test site",
                  specialty="Test", measures=[PROCESS, OUTCOME]) for i in range(n_wards)]
    save_wards(ws, wards)
    frame = observations(n_wards, n_shift, **kw)  # type: ignore[arg-type]
    csv = root / "planted.csv"
    frame.assign(date=frame["date"].map(dt.date.isoformat)).to_csv(csv, index=False)
    import_file(ws, csv)
    end = CHANGE + dt.timedelta(days=14)
    for w in wards:
        new_cycle(ws, {
            "id": f"{w.id}-summary", "ward": w.id, "theme": "fragmented_records",
            "change_idea": "same_day_gp_summary", "owner": "Test lead",
            "objective": "Summaries reach the GP the same day.", "start": CHANGE, "end": end,
            "status": "running", "measures": [PROCESS, OUTCOME],
            "questions": [{"question": "Will summaries rise?", "prediction": "They will rise",
                           "measure": PROCESS, "expect": "rise"},
                          {"question": "Will repeat attendances stay low?",
                           "prediction": "They will not rise", "measure": OUTCOME,
                           "expect": "no_rise"}]})
        if decided:
            decide(ws, f"{w.id}-summary", "adopt", "Planted decision", on=end)
    ids = [w.id for w in wards]
    return Planted(ws, ids[:n_shift], ids[n_shift:], CHANGE, end)
