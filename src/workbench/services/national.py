"""Which national themes a local change answers: one answer, worded one way everywhere.

The review register, the roll-up, the spread tracker and the driver diagrams all read
:func:`national_answers` and word it with :data:`ANSWERS_LEAD`.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.catalogue.national import load_national

ANSWERS_LEAD = "This local change answers these national themes"
"""The one wording of the link from a local change to national learning."""


@dataclass(frozen=True)
class NationalAnswer:
    """One national theme a review theme answers, with its source named."""

    id: str
    name: str
    source: str
    year: int
    kind: str

    @property
    def text(self) -> str:
        """``"<theme> (<source>)"`` for a line of text."""
        return f"{self.name} ({self.source})"


def national_answers(theme_id: str) -> list[NationalAnswer]:
    """The national themes that work on review theme *theme_id* answers (crosswalk order).

    Unknown review themes (a record typed by hand) answer none rather than failing a page.
    """
    nat = load_national()
    if theme_id not in nat.crosswalk:
        return []
    out = []
    for t in nat.for_theme(theme_id):
        src = nat.sources[t.source]
        out.append(NationalAnswer(t.id, t.name, src.short, src.year, src.kind))
    return out


def answers_sentence(theme_id: str) -> str:
    """``"This local change answers these national themes: A (source); B (source)."``"""
    found = national_answers(theme_id)
    if not found:
        return ""
    return f"{ANSWERS_LEAD}: " + "; ".join(a.text for a in found) + "."


def answers_data(theme_id: str) -> list[dict[str, object]]:
    """The same answer as JSON-ready rows (``id, name, source, year, kind``)."""
    return [{"id": a.id, "name": a.name, "source": a.source, "year": a.year, "kind": a.kind}
            for a in national_answers(theme_id)]
