"""Warm kernels rehearse their page's reading once: only when preheated, never writing, never
failing the page."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from tests.ui.test_progressive import _in_fresh_thread
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


def test_a_kept_reading_is_handed_over_only_for_the_same_unchanged_data(demo_copy: Any) -> None:
    import datetime as dt

    from workbench.services.observations import record_counts
    from workbench.services.wards import get_ward
    from workbench.store.fingerprint import fingerprint

    day = dt.date(2026, 11, 22)
    rehearsal.keep("rollup", demo_copy, day, fingerprint(demo_copy), "<p>kept</p>")
    assert rehearsal.kept("rollup", demo_copy, day) == "<p>kept</p>"
    assert rehearsal.kept("rollup", demo_copy, day) is None  # handed over once
    rehearsal.keep("rollup", demo_copy, day, fingerprint(demo_copy), "<p>kept</p>")
    assert rehearsal.kept("rollup", demo_copy, day + dt.timedelta(days=1)) is None  # other day
    rehearsal.keep("rollup", demo_copy, day, None, "<p>kept</p>")  # no digest: nothing kept
    assert rehearsal.kept("rollup", demo_copy, day) is None
    rehearsal.keep("rollup", demo_copy, day, fingerprint(demo_copy), "<p>kept</p>")
    measure = get_ward(demo_copy, "sh-dl").measures[0]
    record_counts(demo_copy, "sh-dl", dt.date(2026, 11, 23), {measure: ("1", "4")})
    assert rehearsal.kept("rollup", demo_copy, day) is None  # a count saved since


def test_the_roll_up_shows_its_kept_reading_at_once_and_reads_afresh_after_a_change(
        demo_copy: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    from workbench.services import rollup as service
    from workbench.services.observations import record_counts
    from workbench.services.wards import get_ward

    day = dt.date(2026, 11, 22)
    fresh = rollup.sections_html(demo_copy, service.rollup(demo_copy, day))
    assert "wb-rollup-risk" in fresh

    def rehearse() -> None:
        with monkeypatch.context() as m:
            m.setattr(dt, "date", _FixedDate)
            _rehearse_preheated(m, "the roll-up", rollup._rehearse, demo_copy)

    def page() -> str:  # where no event loop runs, a reading is shown at once
        box = _in_fresh_thread(lambda: rollup.build(demo_copy, day, interactive=True,
                                                    defer=True))
        return str(box.children[0].value)

    rehearse()
    monkeypatch.setattr(service, "rollup", _unreadable)  # from here, any reading fails
    assert page() == fresh  # kept: shown at once, as a fresh reading shows it
    assert "Could not show the roll-up" in page()  # handed over once
    monkeypatch.undo()
    rehearse()
    monkeypatch.setattr(service, "rollup", _unreadable)
    measure = get_ward(demo_copy, "sh-dl").measures[0]
    record_counts(demo_copy, "sh-dl", dt.date(2026, 11, 23), {measure: ("1", "4")})
    assert "Could not show the roll-up" in page()  # a count saved since: read again


def _rehearse_preheated(monkeypatch: pytest.MonkeyPatch, what: str, act: Any, ws: Any) -> None:
    """Rehearse *act* as a preheated kernel does (``VOILA_PREHEAT=True`` for the rehearsal
    only)."""
    with monkeypatch.context() as m:
        m.setenv("VOILA_PREHEAT", "True")
        assert rehearsal.rehearse(what, act, workspace=str(ws.root), db=ws.db_url)


def _unreadable(*_args: Any, **_kwargs: Any) -> Any:
    """Stands in for a service once the page must not read the store again."""
    raise RuntimeError("the page read the store again")


class _FixedDate(__import__("datetime").date):
    """``date.today()`` is the demo's last day, so the rehearsal reads for the test's day."""

    @classmethod
    def today(cls) -> Any:
        import datetime as dt

        return dt.date(2026, 11, 22)


def test_step_one_shows_the_ward_kept_by_its_warm_kernel_only_while_nothing_changed(
        demo_copy: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    from workbench.services import pick as service
    from workbench.services.observations import record_counts
    from workbench.services.wards import get_ward
    from workbench.ui.steps import pick

    today = dt.date.today()
    fresh = service.pick_summary(demo_copy, "nh-ucc", today=today)

    _rehearse_preheated(monkeypatch, "step 1", rehearsal.pick, demo_copy)
    monkeypatch.setattr(service, "pick_summary", _unreadable)  # from here, any reading fails
    page = pick.pick_page(workspace=str(demo_copy.root), db=demo_copy.db_url, ward="nh-ucc")
    assert page.ok and page.data == fresh  # kept for this ward, the same as a fresh reading
    with pytest.raises(RuntimeError):  # the other wards' readings went with it
        pick.pick_page(workspace=str(demo_copy.root), db=demo_copy.db_url, ward="nh-ed",
                       interactive=False)
    monkeypatch.undo()
    _rehearse_preheated(monkeypatch, "step 1", rehearsal.pick, demo_copy)
    monkeypatch.setattr(service, "pick_summary", _unreadable)
    measure = get_ward(demo_copy, "nh-ucc").measures[0]
    record_counts(demo_copy, "nh-ucc", today, {measure: ("1", "4")})
    with pytest.raises(RuntimeError):  # a count saved since: read again, not kept
        pick.pick_page(workspace=str(demo_copy.root), db=demo_copy.db_url, ward="nh-ucc",
                       interactive=False)


def test_step_two_shows_the_baseline_kept_by_its_warm_kernel_only_for_its_first_reading(
        demo_copy: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.services import detect
    from workbench.services.wards import get_ward
    from workbench.ui.steps import baseline

    ward = get_ward(demo_copy, "nh-ed")
    fresh = detect.size_baseline(demo_copy, "nh-ed", ward.measures[0], hoped=None, days=14,
                                 as_of=None)

    def open_page(**extra: Any) -> Any:
        return baseline.baseline_page(workspace=str(demo_copy.root), db=demo_copy.db_url,
                                      ward="nh-ed", interactive=False, **extra)

    for extra in ({}, {"hoped": "80%"}, {"days": 21}, {"as_of": "2026-11-01"}):
        _rehearse_preheated(monkeypatch, "step 2", rehearsal.baseline, demo_copy)
        with monkeypatch.context() as m:
            m.setattr(detect, "size_baseline", _unreadable)
            if not extra:  # as the landing page opens it: kept, the same as a fresh reading
                assert open_page().sizing == fresh
            else:  # another level, length or day: read for itself
                with pytest.raises(RuntimeError):
                    open_page(**extra)


def test_step_four_shows_the_verdict_kept_by_its_warm_kernel_only_while_nothing_changed(
        demo_copy: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    from workbench.services import judgement as judging
    from workbench.services.observations import record_counts
    from workbench.services.wards import get_ward
    from workbench.ui.steps import check

    cycle = "miu-infant-bruising-prompt"
    fresh = judging.judge_cycle(demo_copy, cycle)

    def open_page(**extra: Any) -> Any:
        return check.check_page(workspace=str(demo_copy.root), db=demo_copy.db_url, cycle=cycle,
                                interactive=False, **extra)

    _rehearse_preheated(monkeypatch, "step 4", rehearsal.check, demo_copy)
    with monkeypatch.context() as m:
        m.setattr(judging, "judge_cycle", _unreadable)
        page = open_page()
        assert page.judgement == fresh and page.check.cycle.id == cycle  # kept
    _rehearse_preheated(monkeypatch, "step 4", rehearsal.check, demo_copy)
    with monkeypatch.context() as m:
        m.setattr(judging, "judge_cycle", _unreadable)
        with pytest.raises(RuntimeError):  # another day's data: read for itself
            open_page(as_of="2026-11-01")
    _rehearse_preheated(monkeypatch, "step 4", rehearsal.check, demo_copy)
    ward = get_ward(demo_copy, page.check.cycle.ward)
    record_counts(demo_copy, ward.id, dt.date.today(), {ward.measures[0]: ("1", "4")})
    with monkeypatch.context() as m:
        m.setattr(judging, "judge_cycle", _unreadable)
        with pytest.raises(RuntimeError):  # a count saved since: read again, not kept
            open_page()
