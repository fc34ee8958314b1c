"""Source reviews and their findings (``pdsa/reviews/``)."""

from __future__ import annotations

from workbench.catalogue import load_catalogue
from workbench.domain.errors import NotFoundError, ValidationFailed
from workbench.domain.records import Review
from workbench.store.pii import guard_fields
from workbench.store.records import Loaded, load_all, load_record, record_data, save_record
from workbench.store.workspace import Workspace


def list_reviews(ws: Workspace) -> list[Review]:
    """All reviews, newest first (a broken file is skipped: see :func:`load_reviews`)."""
    return load_reviews(ws).records


def load_reviews(ws: Workspace) -> Loaded[Review]:
    """Reviews that can be read, newest first, and a problem for each broken file."""
    loaded = load_all(ws.reviews_dir, Review)
    return Loaded(sorted(loaded.records, key=lambda r: (r.date, r.id), reverse=True),
                  loaded.problems)


def get_review(ws: Workspace, review_id: str) -> Review:
    """One review by id."""
    path = ws.reviews_dir / f"{review_id}.yaml"
    if not path.exists():
        raise NotFoundError(f"no review '{review_id}' in this workspace")
    return load_record(path, Review)


def save_review(ws: Workspace, review: Review, *, new: bool = False) -> Review:
    """Validate against the catalogue, guard against patient data, and save."""
    cat = load_catalogue()
    problems = []
    if review.type not in cat.review_types:
        problems.append(f"type: unknown review type '{review.type}'; use one of "
                        f"{', '.join(cat.review_types)}")
    for i, f in enumerate(review.findings):
        if f.theme not in cat.themes:
            problems.append(f"findings.{i}.theme: unknown theme '{f.theme}'")
        if f.map_row is not None and f.map_row not in cat.finding_map:
            problems.append(f"findings.{i}.map_row: unknown map row '{f.map_row}'")
    if problems:
        raise ValidationFailed(problems)
    guard_fields(record_data(review), f"review {review.id}")
    return save_record(ws.reviews_dir / f"{review.id}.yaml", review, new=new)


def finding_index(ws: Workspace) -> dict[str, tuple[Review, int]]:
    """Map ``<review-id>/<finding-id>`` to its review and position."""
    return {f"{r.id}/{f.id}": (r, i) for r in list_reviews(ws) for i, f in enumerate(r.findings)}
