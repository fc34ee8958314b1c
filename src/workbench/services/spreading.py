"""Spread an adopted change to the next ward: a step on the source cycle, and a cycle of its own
on the receiving ward (``parent_cycle``), so the change shows on that ward's board and on the
landing page, linked back to where it was tested first."""

from __future__ import annotations

import datetime as dt

from workbench.domain.errors import NotFoundError, RecordError, ValidationFailed
from workbench.domain.records import Cycle, CycleStatus, Decision, SpreadStep
from workbench.services.cycles import check_plan, cycle_path, get_cycle, save_cycle
from workbench.services.wards import get_ward
from workbench.store.pii import guard_fields
from workbench.store.records import record_data, save_record, write_atomic
from workbench.store.workspace import Workspace


def spread(ws: Workspace, cycle_id: str, ward: str, date: dt.date, *,
           status: str = "planned", cycle: str | None = None, owner: str = "",
           reason: str = "", today: dt.date | None = None) -> Cycle:
    """Spread an adopted change to another ward: a step on the source, a cycle on the ward.

    The receiving ward gets its own cycle (``parent_cycle`` naming the source), planned from
    *date* with the source's theme, change, objective, questions and measures, so it shows on
    that ward's board and on the landing page.  Measures of the test that the receiving ward
    does not count yet are added to its measures (``pdsa/wards.yaml``), so its own test can be
    checked the same way; on any refusal nothing is written.  With *cycle*, an existing cycle on that ward is
    linked instead.  The step on the source names the cycle.

    Parameters
    ----------
    owner : str
        Who leads the test on the receiving ward (default: the source's owner).
    reason : str
        Why the receiving ward runs another change when it is already at its limit.
    today : date, optional
        The day counted as today: a spread starting on or before it is running, else planned.

    Raises
    ------
    ValidationFailed, RecordError, NotFoundError
        The source is not adopted, the ward already runs it, the plan breaks a rule on the
        receiving ward (its limit on active changes); nothing is written.
    """
    source = get_cycle(ws, cycle_id)
    target = get_ward(ws, ward)
    if source.act is None or source.act.decision != Decision.ADOPT:
        raise ValidationFailed([f"spread: cycle {cycle_id} has not been adopted yet; "
                                "spread a change only once its test says adopt"])
    if ward == source.ward or any(s.ward == ward for s in source.spread):
        raise RecordError(f"the change already runs on {target.name}", field="spread")
    if cycle is not None:
        child = get_cycle(ws, cycle)
        if child.ward != ward:
            raise ValidationFailed([f"cycle: '{cycle}' runs on ward {child.ward}, not on "
                                    f"{target.name}"])
        if child.parent_cycle not in (None, source.id):
            raise ValidationFailed([f"cycle: '{cycle}' already spreads {child.parent_cycle}"])
        linked = child.model_copy(update={"parent_cycle": source.id})
        guard_fields(record_data(linked), f"cycle {linked.id}")
        check_plan(ws, linked, new=False)
        step = SpreadStep(ward=ward, date=date, status=status, cycle=child.id)
        saved = save_cycle(ws, source.model_copy(update={"spread": [*source.spread, step]}))
        if child.parent_cycle != source.id:
            save_record(cycle_path(ws, child.id), linked)
        return saved
    child = spread_cycle(source, ward, date, owner=owner, reason=reason,
                         today=today or dt.date.today())
    if cycle_path(ws, child.id).exists():
        raise RecordError(f"a cycle '{child.id}' already exists; link it with cycle='{child.id}'",
                          field="spread")
    guard_fields(record_data(child), f"cycle {child.id}")
    step = SpreadStep(ward=ward, date=date, status=status, cycle=child.id)
    updated = source.model_copy(update={"spread": [*source.spread, step]})
    guard_fields(record_data(updated), f"cycle {source.id}")
    wards_before = ws.wards_file.read_text("utf-8")
    try:
        _count_on(ws, ward, child.measures)  # the next ward counts what the test measured
        check_plan(ws, child, new=True)
        save_record(cycle_path(ws, child.id), child, new=True)
        try:
            return save_record(cycle_path(ws, source.id), updated)
        except Exception:
            cycle_path(ws, child.id).unlink(missing_ok=True)
            raise
    except Exception:
        write_atomic(ws.wards_file, wards_before)  # all or nothing
        raise


def new_measures(ws: Workspace, ward: str, measures: list[str]) -> list[str]:
    """The measures of a spread that *ward* does not count yet (they are added when it spreads)."""
    counted = set(get_ward(ws, ward).measures)
    return [m for m in measures if m not in counted]


def _count_on(ws: Workspace, ward: str, measures: list[str]) -> None:
    """Add to *ward*'s measures those of *measures* it does not count yet."""
    from workbench.services.wards import list_wards, save_wards

    missing = new_measures(ws, ward, measures)
    if missing:
        save_wards(ws, [w.model_copy(update={"measures": [*w.measures, *missing]})
                        if w.id == ward else w for w in list_wards(ws)])


def spread_cycle(source: Cycle, ward: str, date: dt.date, *, owner: str = "",
                 reason: str = "", today: dt.date) -> Cycle:
    """The cycle a spread starts on *ward*: the source's plan, from *date*, with its parent."""
    ident = f"{source.id}-{ward}"[:64].rstrip("-_.")
    return Cycle.model_validate({
        "id": ident, "ward": ward, "theme": source.theme, "change_idea": source.change_idea,
        "title": source.title, "review_findings": list(source.review_findings),
        "owner": owner.strip() or source.owner, "objective": source.objective,
        "questions": [q.model_dump() for q in source.questions],
        "measures": list(source.measures), "start": date,
        "status": CycleStatus.RUNNING if date <= today else CycleStatus.PLANNED,
        "parent_cycle": source.id, "active_reason": reason.strip(), "revision": 0})


def spread_from(ws: Workspace, cycle: Cycle) -> Cycle | None:
    """The cycle *cycle* spreads from (its ``parent_cycle``), or ``None`` (also when missing)."""
    if not cycle.parent_cycle:
        return None
    try:
        return get_cycle(ws, cycle.parent_cycle)
    except NotFoundError:
        return None
