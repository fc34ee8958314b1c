"""A page's figures are filled in straight after its cell under Voila, and at once elsewhere;
work done in a thread is shown from the kernel's main thread."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

import pytest

from workbench.ui.progressive import after_cell, browser_ready, in_background


def _in_fresh_thread(fn: Callable[[], Any]) -> Any:
    """Run *fn* in a thread of its own, where no event loop runs (as in a plain script; the
    test process's main thread may have one left running by the browser tests)."""
    out: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            out.append(fn())
        except BaseException as exc:  # noqa: BLE001 - re-raised below, in the test
            errors.append(exc)

    t = threading.Thread(target=run)
    t.start()
    t.join(30)
    if errors:
        raise errors[0]
    return out[0] if out else None


def test_outside_voila_the_fill_runs_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("VOILA_KERNEL_ID", "VOILA_PREHEAT", "QUERY_STRING"):
        monkeypatch.delenv(name, raising=False)
    ran: list[str] = []
    assert after_cell(lambda: ran.append("filled")) is False
    assert ran == ["filled"]


def test_under_voila_the_fill_runs_after_the_cell_on_the_kernels_loop(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A kernel's cell runs inside its event loop: the fill waits until the cell is done."""
    monkeypatch.setenv("VOILA_KERNEL_ID", "k")
    ran: list[str] = []

    async def cell() -> None:
        assert after_cell(lambda: ran.append("filled")) is True
        ran.append("cell done")
        await asyncio.sleep(0)  # the kernel goes back to its loop
        ran.append("next message")

    _in_fresh_thread(lambda: asyncio.run(cell()))
    assert ran == ["cell done", "filled", "next message"]


def test_under_voila_without_a_running_loop_the_fill_runs_at_once(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOILA_KERNEL_ID", "k")
    ran: list[str] = []
    assert _in_fresh_thread(lambda: after_cell(lambda: ran.append("filled"))) is False
    assert ran == ["filled"]


def test_background_work_is_shown_from_the_loops_own_thread() -> None:
    seen: list[tuple[str, Any, str]] = []

    async def cell() -> str:
        loop_thread = threading.current_thread().name
        in_background(lambda: (threading.current_thread().name, 42),
                      lambda r: seen.append(("done", r[1], threading.current_thread().name)),
                      lambda e: seen.append(("failed", e, "")), name="worker")
        in_background(lambda: 1 / 0, lambda r: seen.append(("done", r, "")),
                      lambda e: seen.append(("failed", type(e).__name__,
                                             threading.current_thread().name)), name="broken")
        for _ in range(200):  # the kernel answers other messages meanwhile
            if len(seen) == 2:
                break
            await asyncio.sleep(0.01)
        return loop_thread

    loop_thread = _in_fresh_thread(lambda: asyncio.run(cell()))
    assert sorted(seen) == [("done", 42, loop_thread), ("failed", "ZeroDivisionError", loop_thread)]


def test_background_work_without_a_loop_happens_at_once() -> None:
    seen: list[Any] = []
    _in_fresh_thread(lambda: in_background(lambda: 7, seen.append, seen.append, name="x"))
    assert seen == [7]


def test_a_result_shown_before_the_browser_has_the_page_is_sent_again_once_it_has() -> None:
    """A result finished before the browser has registered the page's widgets would be lost
    (the browser drops changes to widgets it does not know yet): it is shown at once, and the
    state of every widget in the page is sent again when the page's ready widget hears from
    the browser; a result shown after that is not sent twice."""
    import ipywidgets as widgets

    sent: list[str] = []

    class Recording(widgets.HTML):
        def send_state(self, key: Any = None) -> None:
            if key is None:  # the whole state (a change of value sends key="value")
                sent.append(self.value)

    seen: list[Any] = []

    async def cell() -> list[Any]:
        shown, inner = Recording("waiting"), Recording("inner")
        ready = browser_ready()
        page = widgets.VBox([shown, widgets.VBox([inner]), ready])

        def done(value: str) -> None:
            shown.value = value
            seen.append(value)

        in_background(lambda: "first", done, seen.append, name="early", ready=ready, page=page)
        for _ in range(200):
            if seen:
                break
            await asyncio.sleep(0.01)
        before = (list(seen), list(sent))  # shown at once, nothing sent again yet
        ready.heard({"something": "else"})
        held = list(sent)
        ready.heard({"ready": True})  # the browser drew the page: send it all again
        after_ready = list(sent)
        in_background(lambda: "second", done, seen.append, name="late", ready=ready, page=page)
        for _ in range(200):
            if len(seen) == 2:
                break
            await asyncio.sleep(0.01)
        return [before, held, after_ready, list(seen), list(sent)]

    before, held, after_ready, final_seen, final_sent = _in_fresh_thread(
        lambda: asyncio.run(cell()))
    assert before == (["first"], []) and held == []
    assert after_ready == ["first", "inner"]
    assert final_seen == ["first", "second"]
    assert final_sent == ["first", "inner"]  # the late result went out as a normal change


def test_ready_without_the_page_to_send_again_is_refused() -> None:
    with pytest.raises(TypeError, match="page="):
        in_background(lambda: 1, print, print, name="x", ready=browser_ready())
