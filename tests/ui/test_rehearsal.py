"""Warm kernels rehearse their page's reading once: only when preheated, never writing, never
failing the page."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from workbench.ui import landing, rehearsal, rollup


def _snapshot(root: Path) -> dict[str, str]:
    """Every file of the workspace and a hash of its bytes.  SQLite's ``-shm`` index, which a
    reader updates too, is left out, and so is an empty write-ahead log (a reader opens one);
    a log with anything in it is kept in."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.name.endswith("-shm")
            and not (p.name.endswith("-wal") and p.stat().st_size == 0)}


def test_only_a_preheated_kernel_rehearses(demo_copy: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    assert rehearsal.rehearse("a page", lambda ws, w, d: seen.append(w.id),
                              workspace=str(demo_copy.root)) is False
    monkeypatch.setenv("VOILA_PREHEAT", "False")  # a kernel already given its request
    assert rehearsal.rehearse("a page", lambda ws, w, d: seen.append(w.id),
                              workspace=str(demo_copy.root)) is False
    assert seen == []
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    assert rehearsal.rehearse("a page", lambda ws, w, d: seen.append(w.id),
                              workspace=str(demo_copy.root), db=demo_copy.db_url) is True
    assert seen == [rehearsal.first_ward(demo_copy).id]


def test_every_rehearsal_reads_and_writes_nothing(demo_copy: Any,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The board's, the four steps', the landing page's and the roll-up's rehearsals run on the
    demo and leave every file of the workspace (records and SQLite store) byte for byte."""
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    before = _snapshot(demo_copy.root)
    acts = [rehearsal.board, *rehearsal.STEPS.values(), landing._rehearse, rollup._rehearse]
    for act in acts:
        assert rehearsal.rehearse(act.__name__, act, workspace=str(demo_copy.root),
                                  db=demo_copy.db_url) is True, act
    assert _snapshot(demo_copy.root) == before


def test_a_failed_rehearsal_is_one_log_line_and_never_an_error(
        demo_copy: Any, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("VOILA_PREHEAT", "True")

    def broken(ws: Any, ward: Any, day: Any) -> None:
        raise OSError("disk gone")

    assert rehearsal.rehearse("the board", broken, workspace=str(demo_copy.root),
                              db=demo_copy.db_url) is False
    err = capfd.readouterr().err
    assert "rehearsing the board skipped: OSError: disk gone" in err
    assert "Traceback" not in err


def test_no_workspace_means_no_rehearsal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    assert rehearsal.rehearse("a page", lambda ws, w, d: None, workspace=str(tmp_path / "none"),
                              db=f"sqlite:///{tmp_path / 'none.sqlite'}") is False
    assert not (tmp_path / "none.sqlite").exists()


def test_a_step_that_is_not_one_is_refused() -> None:
    from workbench.ui.steps import warm_up
    from workbench.ui.steps._common import StepRefused

    with pytest.raises(StepRefused, match="page: 'chek' is not a step; write one of pick"):
        warm_up(False, "browser", page="chek")
