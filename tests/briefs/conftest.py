"""A demo workspace with its store, built once per session and copied per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workbench.store.workspace import Workspace, resolve_workspace


def _url(root: Path) -> str:
    return f"sqlite:///{root / 'data' / 'workbench.sqlite'}"


@pytest.fixture(scope="session")
def briefs_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from workbench.demo import build_demo

    root = tmp_path_factory.mktemp("briefs") / "ws"
    build_demo(resolve_workspace(root, _url(root)))
    return root


@pytest.fixture
def stored_ws(briefs_template: Path, tmp_path: Path) -> Workspace:
    """A fresh copy of the stored demo workspace."""
    root = tmp_path / "ws"
    shutil.copytree(briefs_template, root)
    return resolve_workspace(root, _url(root))
