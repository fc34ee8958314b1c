"""The four step pages behind the notebooks: pick a theme, size the baseline, run a change,
check the result.

Each ``*_page`` function reads the notebook's parameters, returns a page object whose methods
display its sections (HTML and inline SVG in a report; forms and offline chart widgets when
interactive), and never shows a traceback to the user.  Names load on first use, so importing
this package is cheap; call :func:`warm_up` to pay the slow imports up front.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_WHERE = {
    "warm_up": "workbench.ui.steps._common",
    "StepRefused": "workbench.ui.steps._common",
    "param": "workbench.ui.query",
    "pick_page": "workbench.ui.steps.pick",
    "baseline_page": "workbench.ui.steps.baseline",
    "run_page": "workbench.ui.steps.run",
    "check_page": "workbench.ui.steps.check",
}

__all__ = ["StepRefused", "baseline_page", "check_page", "param", "pick_page", "run_page",
           "warm_up"]

if TYPE_CHECKING:
    from workbench.ui.query import param
    from workbench.ui.steps._common import StepRefused, warm_up
    from workbench.ui.steps.baseline import baseline_page
    from workbench.ui.steps.check import check_page
    from workbench.ui.steps.pick import pick_page
    from workbench.ui.steps.run import run_page


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'workbench.ui.steps' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
