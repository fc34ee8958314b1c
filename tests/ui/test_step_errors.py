"""One error idiom on the step pages: refusals in their own words, the rest as plain words with
the detail in the server log."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from workbench.domain.errors import WorkbenchError
from workbench.store.workspace import Workspace
from workbench.ui.safe import SORRY
from workbench.ui.steps import StepRefused, check_page
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


def _shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every HTML fragment the step pages show, in order."""
    from workbench.ui.steps import _common

    shown: list[str] = []
    monkeypatch.setattr(_common, "show", shown.append)
    return shown


def _broken_judgement(monkeypatch: pytest.MonkeyPatch) -> None:
    import workbench.services.judgement as judgement

    def broken(*_args: object, **_kwargs: object) -> None:
        raise KeyError("cycle_index_7")

    monkeypatch.setattr(judgement, "judge_cycle", broken)


def test_a_page_that_breaks_shows_plain_words_and_logs_the_detail(
        demo_ws: Workspace, monkeypatch: pytest.MonkeyPatch,
        capfd: pytest.CaptureFixture[str]) -> None:
    shown = _shown(monkeypatch)
    _broken_judgement(monkeypatch)
    page = check_page(workspace=str(demo_ws.root), cycle="dl-high-risk-bundle")
    assert not page.ok
    text = "".join(shown)
    assert "This page cannot be shown. Sorry, something went wrong" in text
    assert "KeyError" not in text and "cycle_index_7" not in text
    assert text.count("<style") == 1, "the page's one stylesheet, once"
    logged = capfd.readouterr().err
    assert "KeyError" in logged and "cycle_index_7" in logged


def test_a_refused_page_shows_its_own_message(demo_ws: Workspace,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    shown = _shown(monkeypatch)
    page = check_page(workspace=str(demo_ws.root), cycle="no-such-cycle")
    assert not page.ok
    assert "This page cannot be shown: " in shown[0] and "no-such-cycle" in shown[0]


def test_a_report_fails_with_the_refusal_or_the_fault_itself(
        demo_ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    # a refusal: StepRefused, whose traceback is its message only (batch PLAIN_ERRORS);
    # a fault: raised as it is, so the run keeps the detail and batch words it plainly
    with pytest.raises(StepRefused, match="no cycle 'no-such-cycle'"):
        check_page(workspace=str(demo_ws.root), cycle="no-such-cycle", interactive=False)
    _broken_judgement(monkeypatch)
    with pytest.raises(KeyError, match="cycle_index_7"):
        check_page(workspace=str(demo_ws.root), cycle="dl-high-risk-bundle", interactive=False)


def test_a_section_that_breaks_keeps_the_rest_of_the_page(
        demo_ws: Workspace, monkeypatch: pytest.MonkeyPatch,
        capfd: pytest.CaptureFixture[str]) -> None:
    shown = _shown(monkeypatch)
    page = check_page(workspace=str(demo_ws.root), cycle="dl-high-risk-bundle")
    assert page.ok

    def broken() -> str:
        raise ZeroDivisionError("points_after")

    monkeypatch.setattr(page, "summary_html", broken)
    assert page.summary() is None
    assert "This part of the page cannot be shown. Sorry" in shown[-1]
    assert "ZeroDivisionError" in capfd.readouterr().err
    page.interactive = False  # a report run keeps the fault
    with pytest.raises(ZeroDivisionError):
        page.summary()
