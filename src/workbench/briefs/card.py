"""The micro-teach card: a ten-minute session per change.

The seed's "Training that moves behaviour": short bursts tied to real cases from the reviews,
a story paired with a single checklist tweak, and short quizzes to keep recall alive.  The card
holds the real case (from the review), the one checklist tweak (the cycle's change), a
ten-minute running order and three recall questions, with the answers at the foot.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from workbench.briefs.page import Page, Section, bold, line, save_html
from workbench.store.workspace import Workspace

LETTERS = "ABCD"
RUNNING_ORDER = (
    ("2 min", "Tell the real case below, in your own words. No names, no blame."),
    ("3 min", "Show the one checklist tweak where the work is done (screen, form or board)."),
    ("3 min", "Ask the three recall questions; let the team answer together."),
    ("2 min", "Ask: what would stop us doing this on a busy shift? Note it for the huddle."),
)


def card_page(ws: Workspace, cycle_id: str, *, today: dt.date | None = None) -> Page:
    """The micro-teach card for a cycle's change as a printable :class:`Page`."""
    from workbench.catalogue import load_catalogue
    from workbench.services.cycles import get_cycle
    from workbench.services.learning import questions_for_cycle
    from workbench.services.register import findings_for_cycle
    from workbench.services.wards import get_ward

    cat = load_catalogue()
    cycle = get_cycle(ws, cycle_id)
    ward = get_ward(ws, cycle.ward)
    day = today or dt.date.today()
    theme = cat.theme(cycle.theme)
    idea = cat.change_ideas[cycle.change_idea].text if cycle.change_idea in cat.change_ideas \
        else cycle.change_idea
    case: list[list[tuple[str, bool]]] = []
    seen: set[str] = set()
    for review, finding in findings_for_cycle(ws, cycle):
        if review.id not in seen:
            seen.add(review.id)
            case.append(line(bold(f"{review.type}, {review.date:%B %Y}: "),
                             review.summary or review.title))
        case.append(line(bold("What the review found: "), finding.text))
    if not case:
        case.append(line(bold(f"{theme.name}: "), theme.looks_like.rstrip(".") + "."))
    tweak = [line(bold("From now on: "), idea),
             line(bold("Why: "), cycle.objective)]
    if cycle.scope:
        tweak.append(line(bold("For: "), cycle.scope))
    order = [line(bold(f"{t}  "), what) for t, what in RUNNING_ORDER]
    questions = questions_for_cycle(cycle)
    quiz = []
    for i, q in enumerate(questions, start=1):
        quiz.append(line(bold(f"{i}. {q.prompt}")))
        quiz += [line(f"   {LETTERS[j]}. {choice}") for j, choice in enumerate(q.choices)]
    answers = "; ".join(f"{i} = {LETTERS[q.answer]}" for i, q in enumerate(questions, start=1))
    return Page(
        kicker=f"Micro-teach card \u00b7 ten minutes \u00b7 {ward.name}",
        title=cycle.title or idea,
        meta=line(bold("Theme: "), f"{theme.name}.  ", bold("Teach it: "),
                  "rotate who teaches; partner agencies welcome.  ", bold("Change lead: "),
                  cycle.owner),
        sections=[Section("The real case", case),
                  Section("The one checklist tweak", tweak),
                  Section("Ten minutes, in this order", order, keep=True),
                  Section("Three recall questions", quiz),
                  Section("Answers (fold under before the session)", [line(answers)], keep=True)],
        footer=(f"Printed {day:%d %b %Y} from workbench (cycle {cycle.id}). The case is told "
                "without names or identifying details. Learning, not blame."))


def card_html(ws: Workspace, cycle_id: str, path: Path | None = None, *,
              today: dt.date | None = None) -> str:
    """The card as a printable HTML document (written to *path* when given)."""
    return save_html(card_page(ws, cycle_id, today=today), path,
                     css_class="wb-card")


def card_pdf(ws: Workspace, cycle_id: str, path: Path | None = None, *,
             today: dt.date | None = None) -> bytes:
    """The card as exactly one A4 PDF page (written to *path* when given)."""
    from workbench.briefs.pdf import page_pdf

    return page_pdf(card_page(ws, cycle_id, today=today), path)
