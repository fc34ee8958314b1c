"""One error idiom on the step pages: refusals in their own words, the rest as plain words with
the detail in the server log."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from workbench.domain.errors import WorkbenchError
from workbench.ui.safe import SORRY
from workbench.ui.steps._common import guarded


def test_an_unexpected_error_shows_plain_words_and_logs_the_detail(
        capfd: pytest.CaptureFixture[str]) -> None:
    message = widgets.HTML()

    def broken() -> str:
        raise KeyError("cycle_index_7")

    guarded(message, broken)()
    assert "Sorry, something went wrong" in message.value
    assert SORRY.split(".")[0] in message.value
    assert "KeyError" not in message.value and "cycle_index_7" not in message.value
    logged = capfd.readouterr().err
    assert "KeyError" in logged and "cycle_index_7" in logged


def test_a_refusal_shows_its_own_message() -> None:
    message = widgets.HTML()

    def refused() -> str:
        raise WorkbenchError("owner: name the person who leads the test")

    guarded(message, refused)()
    assert "Not saved: owner: name the person who leads the test" in message.value
