"""The board under Voila: the cell sends a page with only its note, and the widgets are made
and filled straight after the cell, in one go, before the kernel answers anything else."""

from __future__ import annotations

import asyncio
import datetime as dt
import html
from typing import Any

import pytest

from tests.ui.test_progressive import _in_fresh_thread
from workbench.domain.errors import WorkbenchError
from workbench.ui.board.page import Board

DAY = dt.date(2026, 11, 22)  # a day inside the demo's counts


def _classes(box: Any) -> list[str]:
    return [c for w in box.children for c in w._dom_classes]


def _under_voila(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOILA_KERNEL_ID", "k")


def test_the_cell_sends_the_note_and_the_board_is_built_straight_after(
        demo_copy: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    _under_voila(monkeypatch)
    seen: dict[str, Any] = {}

    async def cell() -> None:
        board = Board(demo_copy, "sh-dl", DAY, defer=True)
        seen["in the cell"] = _classes(board.widget)
        await asyncio.sleep(0)  # the kernel goes back to its loop: the board is built
        seen["board"] = board

    _in_fresh_thread(lambda: asyncio.run(cell()))
    assert seen["in the cell"] == ["wb-board-drawing"], "only the note is sent with the page"
    board = seen["board"]
    built = _classes(board.widget)
    for part in ("wb-board-top", "wb-board-signals", "wb-board-chart", "wb-counts"):
        assert part in built
    assert "Discharge Lounge" in board.header.value
    assert board.chart.spec is not None, "the charts are drawn in the same go"
    assert board.note.value == ""


def test_an_unknown_ward_is_refused_in_the_cell(demo_copy: Any,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    _under_voila(monkeypatch)

    async def cell() -> None:
        Board(demo_copy, "no-such-ward", DAY, defer=True)

    with pytest.raises(WorkbenchError, match="no-such-ward"):
        _in_fresh_thread(lambda: asyncio.run(cell()))


def test_a_board_that_cannot_be_built_says_so_in_plain_words(
        demo_copy: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.ui.board import counts

    _under_voila(monkeypatch)

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("the form broke")

    monkeypatch.setattr(counts, "CountsForm", broken)
    seen: dict[str, Any] = {}

    async def cell() -> None:
        seen["board"] = Board(demo_copy, "sh-dl", DAY, defer=True)
        await asyncio.sleep(0)

    _in_fresh_thread(lambda: asyncio.run(cell()))
    note = html.unescape(seen["board"].note.value)
    assert "Could not show the board for ward 'sh-dl'" in note
    assert "RuntimeError" not in note, "the detail goes to the log, not the page"
