"""Wards of a workspace (``pdsa/wards.yaml``)."""

from __future__ import annotations

from pydantic import ValidationError

from workbench.catalogue.loader import suggest
from workbench.domain.errors import NotFoundError, RecordError
from workbench.domain.records import Ward
from workbench.store.records import (
    Loaded,
    RecordProblem,
    compose,
    dump_yaml,
    line_of,
    read_parsed,
    record_data,
    write_atomic,
)
from workbench.store.workspace import Workspace


def list_wards(ws: Workspace) -> list[Ward]:
    """All wards of the workspace, in file order (empty when there is no wards file).

    A broken entry is skipped (:func:`load_wards` says which and why); the others are kept.
    """
    return load_wards(ws).records


def load_wards(ws: Workspace) -> Loaded[Ward]:
    """The wards that can be read, and a problem for each entry (or file) that cannot.

    Returns
    -------
    Loaded
        Wards in file order; one :class:`~workbench.store.records.RecordProblem` per broken
        entry (a repeated id keeps the first entry).
    """
    path = ws.wards_file
    if not path.exists():
        return Loaded()
    try:
        text, data = read_parsed(path)
    except RecordError as exc:
        return Loaded([], [RecordProblem.from_error(exc, path)])
    if data is None:
        return Loaded()
    if not isinstance(data, list):
        return Loaded([], [RecordProblem.from_error(RecordError(
            "expected a list of wards, each starting with '- id:'", path=str(path), line=1),
            path)])
    wards: list[Ward] = []
    problems: list[RecordProblem] = []
    seen: set[str] = set()
    node = None
    for i, item in enumerate(data):
        try:
            ward = Ward.model_validate(item)
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = (i, *err["loc"])
            node = node or compose(text)
            msg = "this field is required; add it" if err["type"] == "missing" else \
                err["msg"].removeprefix("Value error, ")
            problems.append(RecordProblem.from_error(RecordError(
                f"ward entry {i + 1}: {msg}", path=str(path), line=line_of(node, loc),
                field=".".join(str(p) for p in loc)), path))
            continue
        if ward.id in seen:
            node = node or compose(text)
            problems.append(RecordProblem.from_error(RecordError(
                f"ward id '{ward.id}' repeats an earlier entry; give each ward its own id",
                path=str(path), line=line_of(node, (i, "id")), field=f"{i}.id"), path))
            continue
        seen.add(ward.id)
        wards.append(ward)
    return Loaded(wards, problems)


def get_ward(ws: Workspace, ward_id: str) -> Ward:
    """The ward with this id, or :class:`NotFoundError` suggesting the nearest id."""
    wards = list_wards(ws)
    for ward in wards:
        if ward.id == ward_id:
            return ward
    ids = [w.id for w in wards]
    raise NotFoundError(f"unknown ward '{ward_id}'.{suggest(ward_id, ids)} "
                        f"Known wards: {', '.join(ids) or 'none (run `workbench demo`)'}.")


def save_wards(ws: Workspace, wards: list[Ward]) -> None:
    """Write the wards file atomically."""
    write_atomic(ws.wards_file, dump_yaml([record_data(w) for w in wards]))
