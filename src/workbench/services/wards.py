"""Wards of a workspace (``pdsa/wards.yaml``)."""

from __future__ import annotations

from pydantic import TypeAdapter, ValidationError

from workbench.catalogue.loader import suggest
from workbench.domain.errors import NotFoundError, RecordError
from workbench.domain.records import Ward
from workbench.store.records import dump_yaml, read_parsed, record_data, write_atomic
from workbench.store.workspace import Workspace

_WARDS = TypeAdapter(list[Ward])


def list_wards(ws: Workspace) -> list[Ward]:
    """All wards of the workspace, in file order (empty when there is no wards file)."""
    path = ws.wards_file
    if not path.exists():
        return []
    _, data = read_parsed(path)
    if data is None:
        return []
    try:
        wards = _WARDS.validate_python(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        raise RecordError(err["msg"], path=str(path), field=loc or None) from exc
    ids = [w.id for w in wards]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise RecordError(f"ward ids repeat: {', '.join(dupes)}", path=str(path))
    return wards


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
