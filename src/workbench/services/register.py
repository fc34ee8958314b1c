"""The review register: every review, its findings by theme, and the trace from a finding to
the cycles, actions and evidence it led to.

A cycle names its findings in ``review_findings`` as ``"<review-id>/<finding-id>"``; an action
names one in ``source_ref`` (or links a cycle that does).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from workbench.catalogue import load_catalogue
from workbench.domain.errors import NotFoundError
from workbench.domain.records import Action, Cycle, Finding, Review
from workbench.services.actions import list_actions
from workbench.services.cycles import list_cycles
from workbench.services.reviews import get_review, list_reviews
from workbench.store.workspace import Workspace


@dataclass(frozen=True)
class RegisterRow:
    """One review in the register, with counts of what it led to."""

    review: Review
    type_name: str
    themes: list[str]
    cycles: int
    actions: int
    open_actions: int


@dataclass(frozen=True)
class FindingTrace:
    """From one finding to its cycles, actions and evidence."""

    ref: str
    review: Review
    finding: Finding
    theme_name: str
    map_change: str
    cycles: list[Cycle]
    actions: list[Action]

    @property
    def national(self) -> list[str]:
        """The national themes this finding's theme answers (``"<theme> (<source>)"``)."""
        from workbench.services.national import national_answers

        return [a.text for a in national_answers(self.finding.theme)]

    @property
    def evidence(self) -> list[str]:
        """Lines of evidence: study answers of the cycles and verified action evidence."""
        lines = []
        for c in self.cycles:
            if c.study:
                lines += [f"{c.id}: {a.verdict.value} - {a.question} {a.evidence}".strip()
                          for a in c.study.answers]
            if c.act:
                lines.append(f"{c.id}: decided to {c.act.decision.value} - {c.act.reason}")
        lines += [f"{a.id}: {a.status.value} - {a.evidence}".strip() for a in self.actions
                  if a.evidence.strip()]
        return lines

    @property
    def status(self) -> str:
        """Plain summary: untouched, in test, changed (adopted) or actions only."""
        if any(c.act and c.act.decision.value == "adopt" for c in self.cycles):
            return "changed"
        if self.cycles:
            return "in test"
        if self.actions:
            return "actions only"
        return "not yet acted on"


def _links(ws: Workspace) -> tuple[dict[str, list[Cycle]], dict[str, list[Action]]]:
    cycles = list_cycles(ws)
    by_finding: dict[str, list[Cycle]] = {}
    for c in cycles:
        for ref in c.review_findings:
            by_finding.setdefault(ref, []).append(c)
    cycle_refs = {c.id: c.review_findings for c in cycles}
    actions: dict[str, list[Action]] = {}
    for a in list_actions(ws):
        refs = ({a.source_ref} if a.source_ref else set()) | set(cycle_refs.get(a.cycle or "", []))
        for ref in sorted(refs):
            actions.setdefault(ref, []).append(a)
    return by_finding, actions


def _trace(review: Review, finding: Finding, cycles: dict[str, list[Cycle]],
           actions: dict[str, list[Action]]) -> FindingTrace:
    cat = load_catalogue()
    ref = f"{review.id}/{finding.id}"
    row = cat.finding_map.get(finding.map_row or "")
    return FindingTrace(
        ref=ref, review=review, finding=finding,
        theme_name=cat.themes[finding.theme].name if finding.theme in cat.themes else finding.theme,
        map_change="; ".join(row.changes) if row else "",
        cycles=cycles.get(ref, []), actions=actions.get(ref, []))


def register(ws: Workspace) -> list[RegisterRow]:
    """The review register, newest review first."""
    cat = load_catalogue()
    cycles, actions = _links(ws)
    rows = []
    for r in list_reviews(ws):
        refs = [f"{r.id}/{f.id}" for f in r.findings]
        linked_cycles = {c.id for ref in refs for c in cycles.get(ref, [])}
        linked_actions = {a.id: a for ref in refs for a in actions.get(ref, [])}
        themes = list(dict.fromkeys(cat.themes[f.theme].name if f.theme in cat.themes else f.theme
                                    for f in r.findings))
        rows.append(RegisterRow(
            review=r, type_name=cat.review_types[r.type].name if r.type in cat.review_types
            else r.type, themes=themes, cycles=len(linked_cycles), actions=len(linked_actions),
            open_actions=sum(a.status.value in ("open", "reopened")
                             for a in linked_actions.values())))
    return rows


def review_trace(ws: Workspace, review_id: str) -> list[FindingTrace]:
    """The trace of every finding of one review."""
    review = get_review(ws, review_id)
    cycles, actions = _links(ws)
    return [_trace(review, f, cycles, actions) for f in review.findings]


def trace(ws: Workspace, ref: str) -> FindingTrace:
    """The trace of one finding, ``"<review-id>/<finding-id>"``."""
    review_id, _, finding_id = ref.partition("/")
    review = get_review(ws, review_id)
    for f in review.findings:
        if f.id == finding_id:
            cycles, actions = _links(ws)
            return _trace(review, f, cycles, actions)
    known = ", ".join(f"{review.id}/{f.id}" for f in review.findings)
    raise NotFoundError(f"no finding '{ref}'. Findings of {review.id}: {known or 'none'}.")


def findings_for_cycle(ws: Workspace, cycle: Cycle) -> list[tuple[Review, Finding]]:
    """The review findings behind a cycle (unknown references are skipped)."""
    from workbench.services.reviews import finding_index

    index = finding_index(ws)
    out = []
    for ref in cycle.review_findings:
        if ref in index:
            review, i = index[ref]
            out.append((review, review.findings[i]))
    return out


def as_of_text(day: dt.date) -> str:
    """A date the way the register prints it (``20 Apr 2026``)."""
    return f"{day.day} {day:%b %Y}"
