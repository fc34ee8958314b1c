"""The workspace digest a warm kernel's kept reading is checked against: it changes with every
stored count and every record file, and there is none for a store it cannot see."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from workbench.store.fingerprint import fingerprint, sqlite_file
from workbench.store.workspace import resolve_workspace


def test_the_digest_stays_while_nothing_changes_and_reading_changes_nothing(demo_copy: Any) -> None:
    from workbench.services.summary_table import summary_table

    before = fingerprint(demo_copy)
    assert before is not None
    summary_table(demo_copy, today=dt.date(2026, 11, 22))  # a reading of every ward
    assert fingerprint(demo_copy) == before
    from workbench.store.db import dispose_engines

    dispose_engines()  # the readings' connections close; the digest's own stays open
    assert fingerprint(demo_copy) == before


def test_an_empty_log_counts_as_none_and_one_with_changes_counts(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    (root / "pdsa").mkdir(parents=True)
    (root / "pdsa" / "wards.yaml").write_text("[]\n", "utf-8")
    database = root / "data" / "store.sqlite"
    database.parent.mkdir()
    database.write_bytes(b"not a store, only bytes to digest")
    ws = resolve_workspace(root, f"sqlite:///{database}")
    none = fingerprint(ws)
    log = Path(f"{database}-wal")
    log.write_bytes(b"")
    assert fingerprint(ws) == none
    log.write_bytes(b"a committed change")
    assert fingerprint(ws) not in (None, none)


def test_a_saved_count_changes_the_digest(demo_copy: Any) -> None:
    from workbench.services.observations import record_counts
    from workbench.services.wards import get_ward

    before = fingerprint(demo_copy)
    measure = get_ward(demo_copy, "sh-dl").measures[0]
    record_counts(demo_copy, "sh-dl", dt.date(2026, 11, 23), {measure: ("1", "4")})
    assert fingerprint(demo_copy) != before


def test_a_changed_or_new_record_file_changes_the_digest(demo_copy: Any) -> None:
    before = fingerprint(demo_copy)
    log = demo_copy.pdsa / "leaders_log.yaml"
    text = log.read_text("utf-8")
    log.write_text(text + "\n", "utf-8")
    assert fingerprint(demo_copy) not in (None, before)
    log.write_text(text, "utf-8")
    assert fingerprint(demo_copy) == before  # by content, not by the time of writing
    (demo_copy.cycles_dir / "new-test.yaml").write_text("id: new-test\n", "utf-8")
    assert fingerprint(demo_copy) != before


def test_no_digest_for_a_store_it_cannot_see_or_a_half_written_one(demo_copy: Any,
                                                                    tmp_path: Path) -> None:
    remote = resolve_workspace(demo_copy.root, "postgresql://wb@localhost/wb")
    assert sqlite_file(remote.db_url) is None
    assert fingerprint(remote) is None
    database = sqlite_file(demo_copy.db_url)
    assert database is not None and database.is_file()
    journal = Path(f"{database}-journal")
    journal.write_bytes(b"")
    try:
        assert fingerprint(demo_copy) is None
    finally:
        journal.unlink()
