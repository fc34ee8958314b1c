"""The roll-up and monthly brief notebooks: thin, stripped, and they render under papermill."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from workbench.store.workspace import Workspace

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = ["rollup.ipynb", "monthly_brief.ipynb", "quiz.ipynb"]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebooks_are_thin_and_stripped(name: str) -> None:
    nb = json.loads((REPO / "notebooks" / name).read_text("utf-8"))
    cells = nb["cells"]
    assert "parameters" in cells[0]["metadata"].get("tags", [])
    params = ast.parse("".join(cells[0]["source"]))
    assert all(isinstance(s, ast.Assign) and isinstance(s.value, ast.Constant) for s in params.body)
    assert len(cells) <= 7
    for cell in cells:
        assert cell.get("outputs", []) == [] and cell.get("execution_count") is None
        tree = ast.parse("".join(cell["source"]))
        banned = (ast.FunctionDef, ast.ClassDef, ast.For, ast.While, ast.AsyncFunctionDef)
        assert not any(isinstance(n, banned) for n in ast.walk(tree)), name


@pytest.mark.papermill
def test_rollup_notebook_renders_under_papermill(stored_ws: Workspace, tmp_path: Path) -> None:
    import nbformat
    import papermill as pm

    out = tmp_path / "rollup.ipynb"
    pm.execute_notebook(str(REPO / "notebooks" / "rollup.ipynb"), str(out), progress_bar=False,
                        parameters={"workspace": str(stored_ws.root), "db": stored_ws.db_url,
                                    "today": "2026-11-22"}, cwd=str(tmp_path))
    nb = nbformat.read(out, as_version=4)
    html = "".join(o.get("data", {}).get("text/html", "") for c in nb.cells
                   for o in c.get("outputs", []))
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    for words in ("wb-rollup-risk", "The one key risk", "What have we changed due to recent reviews",
                  "wb-rollup-themes", "Signals this week", "<svg", "Progress scores",
                  "act-003", "Sunday 22 November 2026"):
        assert words in html, words
    assert "Could not show" not in html


@pytest.mark.papermill
def test_quiz_notebook_renders_under_papermill(stored_ws: Workspace, tmp_path: Path) -> None:
    import nbformat
    import papermill as pm

    out = tmp_path / "quiz.ipynb"
    pm.execute_notebook(str(REPO / "notebooks" / "quiz.ipynb"), str(out), progress_bar=False,
                        parameters={"workspace": str(stored_ws.root), "db": stored_ws.db_url,
                                    "team": "nh-ucc", "today": "2026-11-22"}, cwd=str(tmp_path))
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)
    assert not (stored_ws.pdsa / "learning" / "nh-ucc.yaml").exists()  # showing records nothing


@pytest.mark.papermill
def test_monthly_brief_renders_to_printable_html(stored_ws: Workspace, tmp_path: Path) -> None:
    from workbench.briefs.monthly import render_monthly

    out = render_monthly(stored_ws, "2026-10", tmp_path / "brief" / "monthly.html")
    html = out.read_text("utf-8")
    assert "Monthly learning brief" in html and "October 2026" in html
    assert "One behaviour change" in html and "The next test" in html
    assert "Five-minute recall" in html and "Answers:" in html
    assert "data:image/png;base64," in html  # the chart
    assert "Traceback" not in html and "cdn." not in html.lower()
    assert (tmp_path / "brief" / "monthly.ipynb").exists()


def test_monthly_picks_the_months_cycle(stored_ws: Workspace) -> None:
    from workbench.briefs.monthly import month_bounds, monthly_page, pick_cycle
    from workbench.briefs.page import plain_text
    from workbench.domain.errors import NotFoundError, ValidationFailed

    assert pick_cycle(stored_ws, "2026-09").id == "ucc-repeat-attender-huddle"
    assert pick_cycle(stored_ws, "2026-10").id == "ed-sepsis-trigger-chart"  # adopted in October
    assert pick_cycle(stored_ws, "2026-10", "amu-ld-discharge-template").id == \
        "amu-ld-discharge-template"
    with pytest.raises(NotFoundError):
        pick_cycle(stored_ws, "2025-01")
    with pytest.raises(ValidationFailed):
        month_bounds("October")
    assert month_bounds("2026-12")[1].isoformat() == "2026-12-31"
    text = plain_text(monthly_page(stored_ws, "2026-09", render_chart=False))
    assert "This month's one change" in text and "The next test is ucc-same-day-gp-summary" in text
