"""Every pitfall in a workspace, in plain words: too many changes per ward, flagged actions,
blaming words.  It reads actions, cycles and walkrounds, so it sits above
:mod:`workbench.services.actions` and :mod:`workbench.services.guards` (whose rules are pure),
and neither imports the other back.
"""

from __future__ import annotations

import datetime as dt

from workbench.domain.errors import ValidationFailed
from workbench.services.actions import list_actions
from workbench.services.cycles import active_cycles, check_plan, list_cycles
from workbench.services.guards import Flag, action_flags, blame_reframes
from workbench.services.leaders_log import read_log
from workbench.services.wards import list_wards
from workbench.store.workspace import Workspace


def pitfalls(ws: Workspace, today: dt.date) -> list[Flag]:
    """Pitfalls across the workspace: too many changes per ward, and every flagged action.

    "Pick few" reuses :func:`workbench.services.cycles.check_plan` (a ward's
    ``max_active_changes``, unless the cycle gives an ``active_reason``); actions are checked with :func:`action_flags`; blaming words in
    actions, cycle notes and walkround entries are listed with a reframe.
    """
    found: list[Flag] = []
    for ward in list_wards(ws):
        for cycle in active_cycles(ws, ward.id):
            try:
                check_plan(ws, cycle, new=True)  # the same "pick few" rule as planning
            except ValidationFailed as exc:
                few = [p.removeprefix("active_reason: ") for p in exc.problems
                       if p.startswith("active_reason:")]
                if few:
                    found.append(Flag("too_many", f"Cycle {cycle.id}: {few[0]}."))
                    break
    texts: list[tuple[str, str]] = []
    for action in list_actions(ws):
        for flag in action_flags(action, today):
            if flag.kind != "awaiting_check":
                found.append(Flag(flag.kind, f"Action {action.id}: {flag.message}"))
        texts.append((f"Action {action.id}", f"{action.text} {action.evidence}"))
    for cycle in list_cycles(ws):
        notes = [e.note for e in cycle.do_log]
        if cycle.study:
            notes += [cycle.study.surprises, *(a.evidence for a in cycle.study.answers)]
        if cycle.act:
            notes.append(cycle.act.reason)
        texts.append((f"Cycle {cycle.id}", " ".join(notes)))
    for entry in read_log(ws).entries:
        texts.append((f"Walkround {entry.date.isoformat()}", f"{entry.changed} {entry.in_the_way}"))
    for where, text in texts:
        found += [Flag("blame", f"{where}: '{phrase}' \u2014 {hint}")
                  for phrase, hint in blame_reframes(text)]
    return found
