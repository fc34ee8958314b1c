"""Fixtures shared across the suite: throwaway workspaces built from the demo."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workbench.store.workspace import Workspace, resolve_workspace

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def files_ws(tmp_path: Path) -> Workspace:
    """A demo workspace with records and the CSV only (no database)."""
    from workbench.demo import build_demo

    ws = resolve_workspace(tmp_path / "ws", db=f"sqlite:///{tmp_path / 'ws' / 'data' / 'workbench.sqlite'}")
    build_demo(ws, load_store=False)
    return ws


@pytest.fixture
def demo_ws(tmp_path: Path) -> Workspace:
    """The full demo workspace with its observations loaded into a fresh SQLite store."""
    from workbench.demo import build_demo

    ws = resolve_workspace(tmp_path / "demo")
    build_demo(ws)
    return ws


def _sqlite_ws(root: Path) -> Workspace:
    return resolve_workspace(root, f"sqlite:///{root / 'data' / 'workbench.sqlite'}")


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The full demo workspace built once per test process, to be copied (never changed)."""
    from workbench.demo import build_demo

    root = tmp_path_factory.mktemp("demo-template") / "ws"
    build_demo(_sqlite_ws(root))
    return root


@pytest.fixture
def demo_copy(demo_template: Path, tmp_path: Path) -> Workspace:
    """A fresh copy of the full demo workspace (records and SQLite store) for one test."""
    root = tmp_path / "ws"
    shutil.copytree(demo_template, root)
    return _sqlite_ws(root)
