"""The four step notebooks: thin, pinned parameters, and they run under papermill on the demo."""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from workbench.batch.execute import kernel_config  # sockets, not ports: xdist's workers start kernels at once
from workbench.store.workspace import Workspace

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
STEPS = ["01_pick_theme", "02_size_baseline", "03_run_change", "04_check_result"]
COMMON = {"workspace": "", "db": "", "ward": "nh-ucc"}
PARAMETERS = {
    "01_pick_theme": {**COMMON, "as_of": "", "interactive": True},
    "02_size_baseline": {**COMMON, "measure": "", "hoped": "", "days": 14, "as_of": "",
                         "interactive": True, "charts": "inline"},
    "03_run_change": {**COMMON, "review_theme": "", "change_idea": "", "cycle": "", "as_of": "",
                      "interactive": True},
    "04_check_result": {**COMMON, "cycle": "", "as_of": "", "interactive": True,
                        "charts": "inline"},
}


def _read(step: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS / f"{step}.ipynb", as_version=4)


@pytest.mark.parametrize("step", STEPS)
def test_notebook_is_thin(step: str) -> None:
    nb = _read(step)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# Step")
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    for stmt in ast.parse(code[0].source).body:
        assert isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Constant), \
            f"{step}: the parameters cell holds literal assignments only"
    assert len(code) - 1 <= 6, f"{step}: at most about six cells after the parameters"
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None, f"{step}: strip outputs"
        for node in ast.walk(ast.parse(cell.source)):
            assert not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef |
                                  ast.For | ast.While | ast.Lambda), f"{step}: keep logic out"
        assert all(len(line) <= 100 for line in cell.source.splitlines())
    first = code[1].source
    assert "from workbench.ui.steps import" in first and "warm_up(interactive" in first
    # Voila's preheated kernels run the warm-up before the request arrives; reading the query
    # string (param) waits for it, so it must come after the warm-up
    assert "param(" in first and first.index("warm_up(") < first.index("param("), \
        f"{step}: read the query string after the warm-up"
    # every cell costs a round trip to the kernel in a batch run: one cell sets up, one shows
    assert len(code) == 3, f"{step}: parameters, set-up and the page"


@pytest.mark.parametrize("step", STEPS)
def test_parameters_are_pinned(step: str) -> None:
    found = pm.inspect_notebook(str(NOTEBOOKS / f"{step}.ipynb"))
    assert {k: ast.literal_eval(v["default"]) for k, v in found.items()} == PARAMETERS[step]


def _files(ws: Workspace) -> dict[str, str]:
    return {str(p.relative_to(ws.pdsa)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(ws.pdsa.rglob("*")) if p.is_file()}


def _run(step: str, tmp_path: Path, ws: Workspace, **params: object) -> nbformat.NotebookNode:
    out = tmp_path / f"{step}.ipynb"
    pm.execute_notebook(str(NOTEBOOKS / f"{step}.ipynb"), str(out), kernel_name="python3",
                        parameters={"workspace": str(ws.root), "db": ws.db_url,
                                    "interactive": False, **params},
                        cwd=str(tmp_path), progress_bar=False, config=kernel_config())
    return nbformat.read(out, as_version=4)


def _html(nb: nbformat.NotebookNode) -> str:
    return "\n".join(str(o.get("data", {}).get("text/html", "")) for c in nb.cells
                     if c.cell_type == "code" for o in c.outputs)


CASES = [
    ("01_pick_theme", {"ward": "sh-dl", "as_of": "2026-11-22"},
     ["Pick a theme for Discharge Lounge", "All eight themes", "Changes already under way",
      "High-risk discharge bundle"]),
    ("02_size_baseline", {"ward": "nh-ed", "measure": "sepsis_screen_first_hour",
                          "hoped": "85%"},
     ["Baseline: Sepsis", "Chance the chart shows it within 14 days", "Advice", "<svg"]),
    ("03_run_change", {"cycle": "dl-high-risk-bundle", "as_of": "2026-11-20"},
     ["Discharge Lounge", "Day 9 of 14", "next check Thu 26 Nov 2026", "Daily log"]),
    ("03_run_change", {"ward": "nh-w7", "review_theme": "poor_escalation"},
     ["Plan one change on Ward 7", "Measures for Poor escalation"]),
    ("04_check_result", {"ward": "nh-ucc", "cycle": "ucc-infant-bruising-prompt"},
     ["Recommendation:", "Did the test change the measure?", "Did the predictions hold?",
      "<svg", "Held", "Where is the process now?"]),
]


@pytest.mark.papermill
@pytest.mark.parametrize(("step", "params", "expected"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_notebook_report_runs_and_records_nothing(step: str, params: dict[str, object],
                                                  expected: list[str], tmp_path: Path,
                                                  demo_ws: Workspace) -> None:
    before = _files(demo_ws)
    nb = _run(step, tmp_path, demo_ws, **params)
    assert nb.metadata.papermill.exception is not True
    html = _html(nb)
    for text in expected:
        assert text in html, f"{step}: expected {text!r} in the report"
    assert "application/vnd.jupyter.widget-view+json" not in str(nb), "a report has no widgets"
    assert _files(demo_ws) == before, "a report run must not record anything"


@pytest.mark.papermill
def test_bad_parameter_fails_with_its_message_only(tmp_path: Path, demo_ws: Workspace) -> None:
    with pytest.raises(pm.PapermillExecutionError) as info:
        _run("04_check_result", tmp_path, demo_ws, cycle="no-such-cycle")
    assert info.value.ename == "StepRefused"
    assert "no cycle 'no-such-cycle'" in info.value.evalue
    nb = nbformat.read(tmp_path / "04_check_result.ipynb", as_version=4)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert len(errors) == 1 and len(errors[0].traceback) == 1, "no traceback wall"
    with pytest.raises(pm.PapermillExecutionError, match="as_of: '2026-13-40' is not a date"):
        _run("01_pick_theme", tmp_path, demo_ws, as_of="2026-13-40")


INTERACTIVE = [
    ("01_pick_theme", {"ward": "nh-w7"}),
    ("02_size_baseline", {"ward": "nh-ed", "measure": "sepsis_screen_first_hour"}),
    ("03_run_change", {"ward": "nh-w7", "review_theme": "poor_escalation"}),
    ("04_check_result", {"cycle": "dl-high-risk-bundle"}),
]


@pytest.mark.papermill
@pytest.mark.parametrize(("step", "params"), INTERACTIVE, ids=[c[0] for c in INTERACTIVE])
def test_interactive_pages_show_forms(step: str, params: dict[str, object], tmp_path: Path,
                                      demo_ws: Workspace) -> None:
    before = _files(demo_ws)
    nb = _run(step, tmp_path, demo_ws, interactive=True, **params)
    assert nb.metadata.papermill.exception is not True
    assert "application/vnd.jupyter.widget-view+json" in str(nb), "forms are widgets"
    assert _files(demo_ws) == before, "opening a page records nothing"
