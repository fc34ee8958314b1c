"""A demo workspace with the real store, built once per module, for batch runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.store.workspace import Workspace, resolve_workspace

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"


@pytest.fixture(scope="module")
def demo_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """The demo workspace (12 wards, 10 cycles, 26 weeks of counts) loaded into SQLite."""
    from workbench.demo import build_demo

    root = tmp_path_factory.mktemp("batchws") / "ws"
    ws = resolve_workspace(root, db=f"sqlite:///{root / 'data' / 'workbench.sqlite'}")
    build_demo(ws)
    return ws


def _store_fixtures() -> object:
    """The store tests' throwaway PostgreSQL fixtures (``pg_server``, ``pg_url``), shared."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "workbench_tests_store_conftest", REPO / "tests" / "store" / "conftest.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


_store = _store_fixtures()
pg_server = _store.pg_server  # type: ignore[attr-defined]
pg_url = _store.pg_url  # type: ignore[attr-defined]
