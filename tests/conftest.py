"""Fixtures shared across the suite: throwaway workspaces built from the demo."""

from __future__ import annotations

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
