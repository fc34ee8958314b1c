"""The batch engine writes the executed notebook at the start, when due, and at the end.

Each notebook looks at its own output file while it runs: what it finds there says when the
engine wrote it.  Papermill's own engine writes after every cell; this one only when
``SAVE_EVERY`` seconds have passed, and always at the end, a failing cell included.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from workbench.batch import engine
from workbench.batch.kernels import warm_kernel_manager

pytestmark = pytest.mark.papermill

PEEK = ("import json\n"
        "seen = json.load(open(out))['cells'][2]['metadata']['papermill']['status']\n"
        "print(seen)")


def _notebook(tmp_path: Path, last: str = "x = 3") -> Path:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('out = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell(PEEK),
                nbformat.v4.new_code_cell(last)]
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python",
                                 "display_name": "Python 3"}
    path = tmp_path / "peek.ipynb"
    nbformat.write(nb, path)
    return path


def _run(tmp_path: Path, source: Path) -> dict:
    out = tmp_path / "out.ipynb"
    try:
        pm.execute_notebook(str(source), str(out), parameters={"out": str(out)},
                            progress_bar=False, kernel_name="python3",
                            engine_name=engine.register(),
                            kernel_manager_class=warm_kernel_manager(()))
    except pm.PapermillExecutionError:
        pass
    return json.loads(out.read_text())


def _peeked(nb: dict) -> str:
    # cells: [params, injected parameters, x = 1, peek, last]; the peek is the fourth
    return "".join(nb["cells"][3]["outputs"][0]["text"]).strip()


def test_cells_are_not_written_one_by_one(tmp_path: Path) -> None:
    nb = _run(tmp_path, _notebook(tmp_path))
    # the file the notebook saw was written at the start: the cell before it still pending
    assert _peeked(nb) == "pending"
    # the end is always written: every cell completed, with its timing
    assert [c["metadata"]["papermill"]["status"] for c in nb["cells"]] == ["completed"] * 5
    assert nb["metadata"]["papermill"]["duration"] is not None


def test_when_due_a_cell_boundary_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                         ) -> None:
    monkeypatch.setattr(engine, "SAVE_EVERY", 0.0)
    assert _peeked(_run(tmp_path, _notebook(tmp_path))) == "completed"


def test_a_failing_cell_is_written_with_its_error(tmp_path: Path) -> None:
    nb = _run(tmp_path, _notebook(tmp_path, last="raise ValueError('stop here')"))
    assert nb["metadata"]["papermill"]["exception"] is True
    failing = next(c for c in nb["cells"] if "stop here" in "".join(c["source"]))
    assert failing["metadata"]["papermill"]["status"] == "failed"
    assert "stop here" in json.dumps(failing["outputs"])


def test_the_forkserver_settles_the_workers_once() -> None:
    """Importing workbench.batch.settled (the forkserver's last preload) leaves the imports
    done, a rehearsal export made and the long-lived objects frozen, for every worker."""
    import subprocess
    import sys

    code = ("import gc, workbench.batch.settled\n"
            "from workbench.batch import execute\n"
            "print(execute._settled, execute._exporter.cache_info().currsize, "
            "gc.get_freeze_count() > 0, 'papermill' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", "import sys\n" + code], capture_output=True,
                         text=True, check=True, timeout=120).stdout.split()
    assert out == ["[True]", "1", "True", "True"]
