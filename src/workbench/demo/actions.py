"""Demo safety actions tied to the PSIRF plan, and a demo leaders' walkround entry.

Mixed on purpose: stronger and weaker actions, one effective with verified evidence, one done
and waiting for its check, one overdue, one not effective, and a weak training action with no
follow-up check (which the log flags).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from workbench.domain.records import Action
from workbench.services.actions import action_path
from workbench.services.leaders_log import LeadersLog, log_path
from workbench.store.pii import guard_fields
from workbench.store.records import dump_yaml, record_data
from workbench.store.workspace import Workspace

_CSPR = "CSPR cspr-2026-03 (infant seen three times)"
_SAR = "SAR sar-2026-01 (adult with a learning disability)"

ACTIONS: list[dict[str, Any]] = [
    {"id": "act-001", "source": _CSPR, "source_ref": "cspr-2026-03/f2",
     "psirf_priority": "PSIRF-2026-P1 Safeguarding infants", "theme": "weak_recognition",
     "text": "Add a bruising prompt for non-mobile infants to the triage screen; it needs an "
             "answer before triage can close.",
     "strength": "stronger", "owner": "Urgent care nurse lead",
     "verifier": "Named nurse for safeguarding children", "due": "2026-08-14",
     "status": "effective", "cycle": "ucc-infant-bruising-prompt", "measure": "bruising_prompt_use",
     "evidence": "Linked signal: Infant bruising prompt completed at triage shows an unusual "
                 "rise since the change on 2026-08-17, judged against the limits before it (cycle "
                 "ucc-infant-bruising-prompt).\nVerifier's reason: spot check of 20 triage records "
                 "in October found the prompt answered in 18.",
     "verified_by": "Named nurse for safeguarding children",
     "follow_up_check": "Monthly spot check of 20 triage records"},
    {"id": "act-002", "source": _CSPR, "source_ref": "cspr-2026-03/f1",
     "psirf_priority": "PSIRF-2026-P1 Safeguarding infants", "theme": "weak_recognition",
     "text": "Flag repeat attenders on the booking screen so the nurse in charge calls a senior "
             "huddle.",
     "strength": "intermediate", "owner": "Urgent care clinical lead",
     "verifier": "Head of patient safety", "due": "2026-09-30", "status": "done_awaiting_check",
     "cycle": "ucc-repeat-attender-huddle", "measure": "huddle_compliance",
     "evidence": "Flag live on all booking screens since 2026-09-07."},
    {"id": "act-003", "source": _CSPR, "source_ref": "cspr-2026-03/f3",
     "psirf_priority": "PSIRF-2026-P1 Safeguarding infants", "theme": "fragmented_records",
     "text": "Give evening staff a route to send the one-page risk summary to the GP the same day.",
     "strength": "intermediate", "owner": "Urgent care admin lead",
     "verifier": "GP safeguarding lead", "due": "2026-11-13", "status": "open",
     "cycle": "ucc-same-day-gp-summary", "measure": "gp_same_day_summary"},
    {"id": "act-004", "source": _CSPR, "source_ref": "cspr-2026-03/f1",
     "psirf_priority": "PSIRF-2026-P1 Safeguarding infants", "theme": "weak_recognition",
     "text": "Safeguarding training day for all urgent care staff on spotting repeat attendance.",
     "strength": "weaker", "owner": "Practice educator, urgent care",
     "verifier": "Named nurse for safeguarding children", "due": "2026-12-18", "status": "open"},
    {"id": "act-005", "source": _SAR, "source_ref": "sar-2026-01/f1",
     "psirf_priority": "PSIRF-2026-P3 Safe discharge", "theme": "unsafe_transfers",
     "text": "Use the learning disability discharge template (communication, meal textures, "
             "named contact) on every AMU discharge of an adult with a learning disability.",
     "strength": "intermediate", "owner": "AMU discharge coordinator",
     "verifier": "Learning disability liaison nurse", "due": "2026-12-11", "status": "open",
     "cycle": "amu-ld-discharge-template", "measure": "readmissions_30d",
     "follow_up_check": "Audit ten discharges a month for a completed template"},
    {"id": "act-006", "source": _SAR, "source_ref": "sar-2026-01/f3",
     "psirf_priority": "PSIRF-2026-P3 Safe discharge", "theme": "muted_lived_experience",
     "text": "Email AMU staff a reminder to ask carers about communication needs.",
     "strength": "weaker", "owner": "AMU ward manager",
     "verifier": "Learning disability liaison nurse", "due": "2026-09-30",
     "status": "not_effective",
     "evidence": "Not effective: the September carer feedback did not change; the reminder was "
                 "read but the admission form has no prompt for it.",
     "verified_by": "Learning disability liaison nurse",
     "follow_up_check": "Carer feedback each month"},
]

LEADERS_LOG: dict[str, Any] = {
    "entries": [
        {"date": "2026-11-16", "ward": "nh-ucc", "by": "Deputy chief nurse (weekly walkround)",
         "changed": "Triage asks about bruising in every infant; repeat attenders get a senior "
                    "huddle.",
         "in_the_way": "Evening visits miss the GP summary: the shared inbox closes at 18:00.",
         "key_risk": "Same-day GP summaries for evening visits are still not happening; the "
                     "route is overdue."},
    ],
    "scores": [
        {"ward": "nh-ucc", "score": 4.0, "suggested": 4.0,
         "confirmed_by": "Deputy chief nurse", "confirmed_on": "2026-11-16",
         "note": "Two changes adopted; the prompt is spreading to the minor injuries unit."},
    ],
    "revision": 1,
}


def write_demo_actions(ws: Workspace, write: Callable[[Path, str], None]) -> list[Path]:
    """Write the demo actions and the leaders' log with *write(path, text)*.

    Parameters
    ----------
    ws : Workspace
    write : callable
        The demo builder's writer (writes only when the bytes differ).

    Returns
    -------
    list of Path
        The files written.
    """
    paths = []
    for data in ACTIONS:
        action = Action.model_validate({**data, "revision": 1})
        guard_fields(record_data(action), f"action {action.id}")
        path = action_path(ws, action.id)
        write(path, dump_yaml(record_data(action)))
        paths.append(path)
    log = LeadersLog.model_validate(LEADERS_LOG)
    guard_fields(record_data(log), "leaders' log")
    write(log_path(ws), dump_yaml(record_data(log)))
    return [*paths, log_path(ws)]

