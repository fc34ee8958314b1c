"""Rehearse a page in a warm kernel: read one ward's figures once, before anyone asks.

A preheated Voila kernel runs a page's notebook up to the query string before the request
arrives (the warm-up): the imports are done there.  The first real reading of the store still
pays first-time costs: SQLAlchemy compiling its statements and opening its connection, the
first calls into pandas and NumPy, the imports the services make when first called.
Rehearsing reads the workspace's first ward the way the page will, once, and as a rule keeps
nothing: the page reads the store afresh when its request arrives, so it is never stale.

Some pages keep what their rehearsal worked out (:func:`keep`): the leaders' roll-up (which
reads no address), and steps 1, 2 and 4, one reading per ward or test under way (about 0.1 s of
warm-up each), with a digest of everything read (:mod:`workbench.store.fingerprint`, taken
before the reading).  When the request comes, :func:`kept` hands the reading over only if the
digest is still the same and the page is asked for the same workspace, day and ward (or test);
otherwise the page reads afresh.  A store whose changes cannot be seen (PostgreSQL) never keeps
anything.

Only in a preheated kernel (``VOILA_PREHEAT=True``): a papermill report or a batch run never
rehearses.  A rehearsal that fails is written to the server log in one line and otherwise
ignored: the page itself will meet the same problem and say so in plain words.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Callable, Iterable
from typing import Any

from workbench.store.workspace import Workspace


def preheating() -> bool:
    """True in a Voila kernel that is waiting, preheated, for its request."""
    return os.environ.get("VOILA_PREHEAT", "False") == "True"


def first_ward(ws: Workspace) -> Any | None:
    """The workspace's first ward that counts a measure (None when there is none)."""
    from workbench.services.wards import list_wards

    return next((w for w in list_wards(ws) if w.measures), None)


def rehearse(what: str, act: Callable[[Workspace, Any, dt.date], object], *,
             workspace: str = "", db: str = "") -> bool:
    """Run *act(ws, ward, today)* on the first ward when preheating; True if it ran.

    Parameters
    ----------
    what : str
        The page, for the log line when the rehearsal fails.
    act : callable
        Reads what the page will read, for the given ward; its result is dropped.
    workspace, db : str
        The page's parameters (empty: ``$WORKBENCH_HOME``, ``$WORKBENCH_DB``).
    """
    if not preheating():
        return False
    from workbench.store.workspace import resolve_workspace
    from workbench.ui.safe import server_log

    try:
        ws = resolve_workspace(workspace or None, db or None)
        if not ws.pdsa.is_dir():
            return False
        ward = first_ward(ws)
        if ward is None:
            return False
        act(ws, ward, dt.date.today())
        _templates()
    except Exception as exc:  # noqa: BLE001 - a rehearsal never stops a page
        server_log(f"[workbench] rehearsing {what} skipped: {type(exc).__name__}: {exc}")
        return False
    return True


_KEPT: dict[tuple[str, str], tuple[tuple[str, str, dt.date, str], Any]] = {}
"""(page name, key) to (workspace, store URL, day, digest) and what the rehearsal worked out."""


def keep(page: str, ws: Workspace, today: dt.date, digest: str | None, value: Any, *,
         key: str = "") -> None:
    """Keep *value*, worked out for *page* from data whose digest was *digest*.

    Parameters
    ----------
    page : str
        The page's name (``"rollup"``).
    ws, today : Workspace and date
        What it was read for.
    digest : str or None
        :func:`workbench.store.fingerprint.fingerprint` taken *before* the reading began (so
        that a change made during the reading is noticed); None keeps nothing.
    value : object
        What the page would show.
    key : str
        What else the reading was for, when the page's address chooses it (a ward's id).
    """
    if digest is None:
        _KEPT.pop((page, key), None)
        return
    _KEPT[(page, key)] = ((str(ws.root), ws.db_url, today, digest), value)


def kept(page: str, ws: Workspace, today: dt.date, *, key: str = "") -> Any | None:
    """What the rehearsal kept for *page* (and *key*), if it was read for *ws* and *today* and
    nothing it was read from has changed since; None otherwise.  It is handed over once, and
    whatever else was kept for the page is dropped (a kernel serves one page)."""
    from workbench.store.fingerprint import fingerprint

    entry = _KEPT.pop((page, key), None)
    for other in [k for k in _KEPT if k[0] == page]:
        del _KEPT[other]
    if entry is None:
        return None
    (root, url, day, digest), value = entry
    if (root, url, day) != (str(ws.root), ws.db_url, today) or fingerprint(ws) != digest:
        return None
    return value


def kept_or_read(page: str, ws: Workspace, today: dt.date, read: Callable[[], Any], *,
                 key: str = "", usable: bool = True) -> Any:
    """What the rehearsal kept for *page* and *key* (:func:`kept`), or else ``read()``.

    *usable* False (the page was asked for something the rehearsal did not read, such as
    another day) reads at once, without looking at what was kept.
    """
    value = kept(page, ws, today, key=key) if usable else None
    return read() if value is None else value


def keep_each(page: str, ws: Workspace, today: dt.date,
              readings: Iterable[tuple[str, Callable[[], Any]]]) -> None:
    """Read and :func:`keep` each of *readings* (key, reading) for *page*, against one digest
    taken before the first; a reading that fails is left for the page to read and explain."""
    from workbench.store.fingerprint import fingerprint

    digest = fingerprint(ws)  # first: a change made while reading is noticed
    for key, read in readings:
        try:
            value = read()
        except Exception:  # noqa: BLE001, S112 - the page reads it again and says why
            continue
        keep(page, ws, today, digest, value, key=key)


def _templates() -> None:
    """Compile the pages' stylesheet and HTML templates (jinja2 caches them)."""
    from workbench.ui.style import render, style_tag, table_html

    style_tag()
    render("box.html.j2", kind="info", body="")
    table_html(["a"], [["b"]], "wb-table")


def board(ws: Workspace, ward: Any, today: dt.date) -> None:
    """What a ward's board reads and draws (also the steps' summary of a ward)."""
    from workbench.ui.board.drawing import Drawing

    Drawing(ws, ward.id, today).draw()


def check(ws: Workspace, ward: Any, today: dt.date) -> None:
    """What step 4 reads: the first ward's summary (the page opened for a ward), and the
    verdict and the charts' split of every test under way that has started (running or being
    checked: those the landing page and the boards link to), each kept for the page
    (:func:`keep`, key: the cycle's id) as read with all data.  A decided test's page reads
    afresh."""
    from workbench.domain.records import CycleStatus
    from workbench.services.checks import check_cycle, ward_summary
    from workbench.services.cycles import ACTIVE, list_cycles
    from workbench.services.judgement import judge_cycle

    def verdict(cycle: str) -> tuple[Any, Any]:
        judgement = judge_cycle(ws, cycle)
        return judgement, check_cycle(ws, cycle, as_of=judgement.as_of)

    ward_summary(ws, ward.id, today=today)
    keep_each("check", ws, today, [
        (c.id, functools.partial(verdict, c.id)) for c in list_cycles(ws)
        if c.status in ACTIVE and c.status != CycleStatus.PLANNED])


def pick(ws: Workspace, ward: Any, today: dt.date) -> None:
    """What step 1 reads: the themes ranked, for every ward, each kept for the page
    (:func:`keep`, key: the ward's id; about 0.1 s a ward); a ward that cannot be read is left
    for the page to read and explain."""
    from workbench.services.pick import pick_summary
    from workbench.services.wards import list_wards

    keep_each("pick", ws, today, [
        (w.id, functools.partial(pick_summary, ws, w.id, today=today)) for w in list_wards(ws)])


BASELINE_DAYS = 14
"""The test length step 2 opens with (two weeks): the length its rehearsal sizes baselines for."""


def baseline(ws: Workspace, ward: Any, today: dt.date) -> None:
    """What step 2 reads: the baseline of every ward's first measure, sized for a two-week test
    with no level hoped for and all data (the page as the landing page and step 1 open it), each
    kept for the page (:func:`keep`, key ``<ward>/<measure>``; about 0.1 s a ward)."""
    from workbench.services.detect import size_baseline
    from workbench.services.wards import list_wards

    keep_each("baseline", ws, today, [
        (f"{w.id}/{w.measures[0]}", functools.partial(
            size_baseline, ws, w.id, w.measures[0], hoped=None, days=BASELINE_DAYS, as_of=None))
        for w in list_wards(ws) if w.measures])


def run(ws: Workspace, ward: Any, today: dt.date) -> None:
    """What step 3 reads: the ward's summary and cycles (the plan form's points rule)."""
    from workbench.services.checks import ward_summary

    ward_summary(ws, ward.id, today=today)


STEPS: dict[str, Callable[[Workspace, Any, dt.date], object]] = {
    "pick": pick, "baseline": baseline, "run": run, "check": check}
"""The rehearsal of each step page, by the name its notebook gives ``warm_up``."""
