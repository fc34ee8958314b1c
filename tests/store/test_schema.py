"""The schema check: a read when the schema is in place, the tables made when one is missing."""

from __future__ import annotations

import datetime as dt

import pytest

from workbench.store.workspace import Workspace


def _fresh_engine(ws: Workspace) -> object:
    """An engine of its own (not the store's cached one), as a new process would open."""
    import sqlalchemy as sa

    from workbench.store.db import _normalise

    return sa.create_engine(_normalise(ws.db_url))


def test_a_missing_table_is_made_again_and_data_is_kept(ws: Workspace) -> None:
    import sqlalchemy as sa

    from workbench.services.observations import long_frame, record_counts
    from workbench.store.db import _schema_in_place, dispose_engines, get_engine, metadata

    record_counts(ws, "W7B", dt.date(2026, 3, 2), {"repeat_attendances": ("3", None)})
    engine = _fresh_engine(ws)
    assert _schema_in_place(engine)  # type: ignore[arg-type]
    with get_engine(ws.db_url).begin() as conn:
        conn.execute(sa.text("DROP TABLE audit_log"))
    assert not _schema_in_place(engine)  # type: ignore[arg-type]
    dispose_engines()  # the next use opens the store as a new process would
    with get_engine(ws.db_url).connect() as conn:
        assert set(metadata().tables) <= set(sa.inspect(conn).get_table_names())
    assert list(long_frame(ws, wards=["W7B"])["value"]) == [3.0]
    engine.dispose()  # type: ignore[attr-defined]


@pytest.mark.parametrize("missing", ["file", "row"])
def test_a_store_without_its_version_row_is_set_up(sqlite_ws: Workspace, missing: str) -> None:
    import sqlalchemy as sa

    from workbench.store.db import dispose_engines, get_engine

    if missing == "row":
        get_engine(sqlite_ws.db_url)
        with get_engine(sqlite_ws.db_url).begin() as conn:
            conn.execute(sa.text("DELETE FROM store_meta"))
        dispose_engines()
    with get_engine(sqlite_ws.db_url).connect() as conn:
        version = conn.execute(sa.text("SELECT value FROM store_meta")).scalar()
    assert version == "1"
