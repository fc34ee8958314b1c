"""The funnel, driver and spread notebooks: thin, and they render under papermill and batch."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from workbench.batch.execute import kernel_config  # sockets, not ports: xdist's workers start kernels at once
from workbench.store.workspace import Workspace

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
NAMES = ["funnel", "driver", "spread"]


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_thin_and_stripped(name: str) -> None:
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    for stmt in ast.parse(code[0].source).body:
        assert isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Constant)
    assert len(code) == 3, "parameters, set-up and the page"
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None
        for node in ast.walk(ast.parse(cell.source)):
            assert not isinstance(node, ast.FunctionDef | ast.ClassDef | ast.For | ast.While |
                                  ast.Lambda)
        assert all(len(line) <= 100 for line in cell.source.splitlines())


def _html(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, errors
    return "".join(o.get("data", {}).get("text/html", "") for c in nb.cells
                   for o in c.get("outputs", []))


@pytest.mark.papermill
@pytest.mark.parametrize(("name", "params", "words"), [
    ("funnel", {"as_of": "2026-11-22", "adjust": "multiplicative"},
     ["wb-funnel-chart", "<svg", "Emergency Department", "Limits: widened by the extra variation"]),
    ("driver", {"review_theme": "unsafe_transfers", "ward": "sh-amu"},
     ["wb-driver-table", "Acute Medical Unit", "adopted", "Transitions, including hospital"]),
    ("spread", {"as_of": "2026-11-22", "change": "ucc-infant-bruising-prompt"},
     ["wb-spread-table", "Minor Injuries Unit", "Emergency Department", "wb-spread-chart",
      "the gain has held since the test"]),
])
def test_notebook_renders_under_papermill(name: str, params: dict[str, str], words: list[str],
                                          demo_ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / f"{name}.ipynb"
    pm.execute_notebook(str(NOTEBOOKS / f"{name}.ipynb"), str(out), progress_bar=False,
                        parameters={"workspace": str(demo_ws.root), "db": demo_ws.db_url,
                                    **params}, cwd=str(tmp_path), config=kernel_config())
    html = _html(out)
    for w in words:
        assert w in html, w
    assert "Could not show" not in html and "Traceback" not in html


@pytest.mark.papermill
@pytest.mark.slow
def test_spread_notebook_runs_in_a_batch_per_ward(demo_ws: Workspace, tmp_path: Path) -> None:
    from workbench.batch import run_batch

    result = run_batch(demo_ws, notebook="spread", wards="cm-miu,sh-w12", jobs=1,
                       out=tmp_path / "reports", progress=False,
                       parameters={"as_of": "2026-11-22"})
    assert result.failed == {}
    miu = (result.folder / "cm-miu" / "spread.html").read_text("utf-8")
    assert "Add a prompt for bruising in non-mobile infants to triage." in miu
    w12 = (result.folder / "sh-w12" / "spread.html").read_text("utf-8")
    assert "Use a discharge template" in w12 and "not started yet" in w12
