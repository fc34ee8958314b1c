"""The roll-up page's first reading, worked out in the background, never hides a newer save."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from typing import Any

import pytest

from tests.ui.test_progressive import _in_fresh_thread
from tests.ui.test_steps import click, find
from workbench.services import rollup as svc
from workbench.ui import rollup


def test_a_walkround_saved_before_the_first_reading_arrives_stays_on_the_page(
        demo_copy: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A leader saves a walkround while the page's first reading (taken before the save) is
    still being worked out: when that older reading arrives it must not replace the page the
    save has just shown."""
    day = dt.date(2026, 12, 3)
    before_the_save = svc.rollup(demo_copy, day)
    saved = threading.Event()
    real = svc.rollup
    first: list[bool] = []

    def first_reading_is_slow(ws: Any, today: dt.date) -> Any:
        if not first:  # the background's reading: taken before the save, handed back after it
            first.append(True)
            saved.wait(30)
            return before_the_save
        return real(ws, today)

    monkeypatch.setattr(svc, "rollup", first_reading_is_slow)

    async def page_open() -> str:
        box = rollup.build(demo_copy, day, interactive=True, defer=True)
        find(box, "wb-rollup-walk-who").value = "Chief nurse"
        find(box, "wb-rollup-walk-changed").value = "Bundle used every day."
        find(box, "wb-rollup-walk-in-the-way").value = "Porters arrive late on Fridays."
        click(box, "wb-rollup-walk-save")
        shown = find(box, "wb-rollup-page")
        assert "Porters arrive late on Fridays" in shown.value
        saved.set()
        while any(t.name == "rollup" for t in threading.enumerate()):
            await asyncio.sleep(0.05)  # the kernel answers other messages meanwhile
        await asyncio.sleep(0.05)  # the older reading is handed back to the loop
        return str(shown.value)

    assert "Porters arrive late on Fridays" in _in_fresh_thread(lambda: asyncio.run(page_open()))
