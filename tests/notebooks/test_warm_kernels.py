"""A warm kernel has done a page's slow imports before the page is asked for.

Voila runs each preheated page's notebook up to the cell that reads the address (``param``)
before anyone asks for the page (with ``VOILA_PREHEAT`` set, so the pages rehearse their
reading); what the notebook imports after that line, the person waits for.  Each page is run
here in a real kernel, split at that line as Voila splits it, and the packages first imported
after it are listed.  The quiz once imported ipywidgets there (about 0.2 s of every quiz
page's wait).
"""

from __future__ import annotations

import asyncio
import json
import threading

import nbformat
import pytest
from nbclient import NotebookClient

from workbench.serve.config import PREHEATED
from workbench.store.workspace import Workspace

from .conftest import NOTEBOOKS

SLOW = {"ipywidgets", "pandas", "numpy", "sqlalchemy", "altair", "vl_convert", "jinja2",
        "yaml", "scipy"}
"""Packages that take tens of milliseconds or more to import."""


def split_at_address(nb: nbformat.NotebookNode) -> tuple[str, list[str], list[str]]:
    """The notebook's parameters cell, then its code before and after the first line that
    reads the address (``param(``), as Voila's warm kernel runs it."""
    first, *code = [c.source for c in nb.cells if c.cell_type == "code"]
    for i, source in enumerate(code):
        lines = source.splitlines()
        for j, line in enumerate(lines):
            if "param(" in line:
                return (first, [*code[:i], "\n".join(lines[:j])],
                        ["\n".join(lines[j:]), *code[i + 1:]])
    raise AssertionError("the notebook never reads its address")


def page_run(name: str, ws: Workspace) -> nbformat.NotebookNode:
    """Page *name*'s notebook as a warm kernel runs it, ending in a cell that prints the
    packages first imported after the address was read."""
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    first, before, after = split_at_address(nb)
    params = (f"{first}\nworkspace = {str(ws.root)!r}\ndb = {ws.db_url!r}\n"
              "import os, sys\nos.environ['VOILA_PREHEAT'] = 'True'")  # as Voila's warm kernel
    warm = "_warm = set(sys.modules)\nos.environ['VOILA_PREHEAT'] = 'False'"  # the page asked
    listed = ("import json as _json\nprint(_json.dumps(sorted({m.split('.')[0] for m in "
              "sys.modules} - {m.split('.')[0] for m in _warm})))")
    cells = [nbformat.v4.new_code_cell(s) for s in (params, *before, warm, *after, listed)]
    return nbformat.v4.new_notebook(cells=cells, metadata=nb.metadata)


@pytest.fixture(scope="module")
def late_imports(demo_ws: Workspace) -> dict[str, set[str]]:
    """Every preheated page's late imports, its kernels run side by side (one at a time took
    about 50 s)."""
    runs = {name: page_run(name, demo_ws) for name in PREHEATED}

    async def all_pages() -> None:
        await asyncio.gather(*(NotebookClient(nb, kernel_name="python3", timeout=300)
                               .async_execute() for nb in runs.values()))

    # in a thread of its own: an earlier test in this process may leave an event loop running
    failed: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(all_pages())
        except BaseException as exc:  # noqa: BLE001 - raised again in the test's own thread
            failed.append(exc)

    done = threading.Thread(target=run)
    done.start()
    done.join()
    if failed:
        raise failed[0]
    return {name: set(json.loads([o["text"] for o in nb.cells[-1].outputs
                                  if o.get("name") == "stdout"][-1]))
            for name, nb in runs.items()}


@pytest.mark.parametrize("name", sorted(PREHEATED))
def test_nothing_slow_is_imported_after_the_address(name: str,
                                                   late_imports: dict[str, set[str]]) -> None:
    late = late_imports[name] & SLOW
    assert not late, f"{name} imports {sorted(late)} after reading its address"
