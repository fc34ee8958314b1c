"""A page's figures are filled in straight after its cell under Voila, and at once elsewhere."""

from __future__ import annotations

import asyncio

import pytest

from workbench.ui.progressive import after_cell


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

    asyncio.run(cell())
    assert ran == ["cell done", "filled", "next message"]


def test_under_voila_without_a_running_loop_the_fill_runs_at_once(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOILA_KERNEL_ID", "k")
    ran: list[str] = []
    assert after_cell(lambda: ran.append("filled")) is False
    assert ran == ["filled"]
