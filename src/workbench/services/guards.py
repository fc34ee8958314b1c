"""The seed's pitfalls, checked: pick few, small actions with owners and dates, training with a
follow-up check, and no blame.

Text rules here are pure (they take strings and records);
:func:`workbench.services.pitfalls.pitfalls` reads a workspace and reports every pitfall it finds,
in plain words, for the roll-up and the action log.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from workbench.domain.records import Action, ActionStatus, Strength

#: Weak action kinds (hierarchy of intervention effectiveness) -> words that give them away.
WEAK_KINDS: dict[str, tuple[str, ...]] = {
    "training": ("training", "train ", "teaching", "teach ", "educat", "e-learning", "elearning",
                 "study day", "workshop", "awareness session", "refresher"),
    "reminder": ("remind", "reiterat", "re-iterat", "reinforce the message", "raise awareness",
                 "be aware", "vigilan"),
    "memo": ("memo", "newsletter", "bulletin", "circulat", "cascade", "share the learning"),
    "policy": ("policy", "policies", "procedure", "guideline", "sop "),
    "poster": ("poster", "leaflet", "sign ", "signage", "screensaver"),
    "email": ("email", "e-mail", "letter to all"),
}

#: What to try instead, by kind: stronger or intermediate actions from the hierarchy.
STRONGER_ALTERNATIVES: dict[str, str] = {
    "training": ("Build the check into the work: a prompt in the form that cannot be skipped, a "
                 "checklist at the point of care, then a follow-up check that the new habit holds"),
    "reminder": ("Replace the reminder with a forcing function or a prompt in the system where "
                 "the decision is made, or simplify the step so it is easy to do right"),
    "memo": ("Change the tool, not the message: a standard template, a banner alert in the "
             "record, or a checklist at handover"),
    "policy": ("Turn the policy into a standard way of working: a template, a checklist or a "
               "default in the system that makes the safe step the easy one"),
    "poster": ("Put the prompt into the workflow (triage screen, discharge form, huddle board) "
               "rather than on the wall"),
    "email": ("Follow the email with a change to the form, the rota or the system, and a check "
              "that it happened"),
}

#: Blaming phrases -> a reframe toward the system condition.
BLAME_REFRAMES: tuple[tuple[str, str], ...] = (
    (r"\bfail(?:ed|s|ure)? to (\w+)",
     "{noun} did not happen; what made it hard to {verb} at that moment?"),
    (r"\bshould have\b", "say what happened instead, and what would have made the expected step "
     "the easy one"),
    (r"\bcareless(?:ness|ly)?\b", "what was going on at the time (workload, design, distraction)?"),
    (r"\bnegligen(?:t|ce)\b", "describe what happened and the conditions around it, not the person"),
    (r"\bblam(?:e|ed|ing)\b", "ask what in the system let this happen, not who is to blame"),
    (r"\b(?:at )?fault\b", "ask which condition or design let this happen, not whose fault it was"),
    (r"\bincompeten(?:t|ce)\b", "ask what support, supervision or tools were missing"),
    (r"\bhuman error\b", "ask what made the error easy to make and hard to spot"),
    (r"\bneglect(?:ed)? to (\w+)", "{noun} did not happen; what got in the way?"),
    (r"\bforgot to (\w+)", "{noun} did not happen; what would make it hard to forget?"),
    (r"\b(?:lazy|sloppy|reckless)\b", "describe the conditions at the time, not the person"),
    (r"\bdisciplin(?:e|ary)\b", "learning responses look at systems; keep HR processes separate"),
    (r"\bdid not bother\b", "what made the step feel optional or hard?"),
    (r"\bpoor (?:practice|performance) (?:by|of)\b", "describe the gap in the process, not the person"),
)

MAX_ACTION_WORDS = 40
"""An action longer than this is probably several actions: split it."""

_LIST_MARKERS = re.compile(r"(?:^|\s)(?:\d+[.)]|[a-z][.)]|[-*•])\s", re.MULTILINE)


@dataclass(frozen=True)
class Flag:
    """One pitfall found on an action, cycle or text.

    Attributes
    ----------
    kind : str
        ``weak``, ``strength_mismatch``, ``training_no_follow_up``, ``too_big``, ``overdue``,
        ``awaiting_check``, ``blame`` or ``too_many``.
    message : str
        What was found and what to do, in plain words.
    """

    kind: str
    message: str


def weak_kinds(text: str) -> list[str]:
    """Kinds of weak action (training, reminder, memo, policy, poster, email) named in *text*."""
    low = f" {text.lower()} "
    return [kind for kind, words in WEAK_KINDS.items() if any(w in low for w in words)]


def suggest_strength(text: str) -> Strength:
    """The strength *text* suggests: weaker when it names a weak kind, else intermediate."""
    return Strength.WEAKER if weak_kinds(text) else Strength.INTERMEDIATE


def stronger_alternative(text: str) -> str | None:
    """A stronger alternative for a weak action text, or ``None`` when it does not look weak."""
    kinds = weak_kinds(text)
    return STRONGER_ALTERNATIVES[kinds[0]] if kinds else None


def blame_reframes(text: str) -> list[tuple[str, str]]:
    """Blaming phrases in *text*, each with a reframe toward the system condition.

    Returns
    -------
    list of (str, str)
        ``(phrase found, suggested reframe)``; e.g. ``("failed to escalate", "escalate did not
        happen; what made it hard to escalate at that moment?")``.
    """
    found: list[tuple[str, str]] = []
    for pattern, template in BLAME_REFRAMES:
        for m in re.finditer(pattern, text, re.IGNORECASE):
            verb = m.group(1).lower() if m.groups() else ""
            hint = template.format(verb=verb, noun=_noun(verb))
            found.append((m.group(0), hint[:1].upper() + hint[1:]))
    return found


def _noun(verb: str) -> str:
    """A rough noun for a verb ("escalate" -> "escalation") to read naturally."""
    table = {"escalate": "escalation", "document": "documentation", "refer": "the referral",
             "record": "the record", "check": "the check", "share": "sharing",
             "assess": "the assessment", "review": "the review", "act": "action",
             "recognise": "recognition", "recognize": "recognition", "follow": "follow-up",
             "inform": "informing", "communicate": "communication", "handover": "the handover"}
    return table.get(verb, verb)


def size_problems(text: str) -> list[str]:
    """Why an action text looks too big to land (empty when it is small)."""
    problems = []
    words = len(text.split())
    if words > MAX_ACTION_WORDS:
        problems.append(f"it has {words} words; keep an action under {MAX_ACTION_WORDS} words")
    if len(_LIST_MARKERS.findall(text)) >= 2 or text.count(";") >= 2:
        problems.append("it lists several things; split it into one action per change")
    return problems


def action_flags(action: Action, today: dt.date) -> list[Flag]:
    """Every pitfall on one action, as flags to show beside it.

    Parameters
    ----------
    action : Action
    today : date
        The day that decides what is overdue.
    """
    flags: list[Flag] = []
    kinds = weak_kinds(action.text)
    if action.strength == Strength.WEAKER or kinds:
        alt = STRONGER_ALTERNATIVES[kinds[0]] if kinds else STRONGER_ALTERNATIVES["reminder"]
        named = f" ({', '.join(kinds)})" if kinds else ""
        flags.append(Flag("weak", f"Weaker action{named}: on its own it rarely changes practice. "
                                  f"Stronger: {alt}."))
        if action.strength == Strength.STRONGER and kinds:
            flags.append(Flag("strength_mismatch", f"Marked stronger but reads as {kinds[0]}; "
                                                   "check the strength."))
    if "training" in kinds and not action.follow_up_check.strip():
        flags.append(Flag("training_no_follow_up", "Training with no follow-up check: add how and "
                                                   "when you will check the new habit in daily work."))
    for problem in size_problems(action.text):
        flags.append(Flag("too_big", f"Not small: {problem}."))
    if is_overdue(action, today):
        days = (today - action.due).days
        flags.append(Flag("overdue", f"Overdue by {days} day(s) (due {action.due.isoformat()})."))
    if action.status == ActionStatus.DONE_AWAITING_CHECK:
        flags.append(Flag("awaiting_check", f"Done, waiting for {action.verifier} to check it worked."))
    return flags


def is_overdue(action: Action, today: dt.date) -> bool:
    """True when an open or reopened action is past its due date."""
    return action.status in (ActionStatus.OPEN, ActionStatus.REOPENED) and action.due < today
