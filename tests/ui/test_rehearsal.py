"""The chart rehearsal that warm-up (and the batch's warm kernel server) runs once per process."""

from __future__ import annotations

from typing import Any

import pytest


def test_it_charts_each_chart_type_once_and_only_once_per_process(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.catalogue import load_catalogue
    from workbench.charts import control_chart
    from workbench.ui.steps import _rehearsal

    drawn: list[str] = []
    real = control_chart.spc_spec

    def spy(result: Any, **kw: Any) -> dict[str, Any]:
        drawn.append(result.chart)
        spec = real(result, **kw)
        assert spec["layer"], "a whole chart was built"
        return spec

    monkeypatch.setattr(control_chart, "spc_spec", spy)
    monkeypatch.setattr(_rehearsal, "_DONE", [])
    _rehearsal.rehearse()
    kinds = {str(m.chart) for m in load_catalogue().measures.values()}
    assert sorted(drawn) == sorted(kinds)
    _rehearsal.rehearse()
    assert len(drawn) == len(kinds), "a process rehearses once"


def test_warm_up_rehearses(monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.ui.steps import _rehearsal, warm_up

    monkeypatch.setattr(_rehearsal, "_DONE", [])
    warm_up(False)
    assert _rehearsal._DONE == [True]
