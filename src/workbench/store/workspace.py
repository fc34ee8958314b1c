"""Where a team's work lives: the workspace folder, its record folders and its database URL."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from workbench.domain.errors import WorkbenchError


def repository_root() -> Path | None:
    """The source checkout this package runs from, when it runs from one.

    Returns
    -------
    Path or None
        The folder holding ``pyproject.toml`` and ``pdsa/`` two levels above the package, or
        ``None`` for an installed wheel.
    """
    root = Path(__file__).resolve().parents[3]
    if (root / "pyproject.toml").is_file() and (root / "pdsa").is_dir():
        return root
    return None


DEMO_FOLDER = "demo-workspace"
"""The git-ignored folder of a checkout where the demo workspace is built."""


def default_workspace() -> Path:
    """The workspace a command uses when none is named: the demo workspace's own folder.

    In a source checkout this is ``<checkout>/demo-workspace`` (git-ignored); for an installed
    package it is ``$XDG_DATA_HOME/workbench/demo`` (``~/.local/share/workbench/demo``).  Either
    way it is never a git-tracked file: the repository's ``pdsa/`` and ``data/demo/`` are
    templates, never a workspace that is written.

    Returns
    -------
    Path
    """
    root = repository_root()
    if root is not None:
        return root / DEMO_FOLDER
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "workbench" / "demo"


@dataclass(frozen=True)
class Workspace:
    """A workspace folder and the database it uses.

    Attributes
    ----------
    root : Path
        The folder holding ``pdsa/``, ``data/`` and ``reports/``.
    db_url : str
        SQLAlchemy URL of the observation store.
    """

    root: Path
    db_url: str

    @property
    def pdsa(self) -> Path:
        """Folder of human-readable records."""
        return self.root / "pdsa"

    @property
    def cycles_dir(self) -> Path:
        """One YAML file per PDSA cycle."""
        return self.pdsa / "cycles"

    @property
    def reviews_dir(self) -> Path:
        """One YAML file per source review."""
        return self.pdsa / "reviews"

    @property
    def actions_dir(self) -> Path:
        """One YAML file per safety action."""
        return self.pdsa / "actions"

    @property
    def wards_file(self) -> Path:
        """The list of wards."""
        return self.pdsa / "wards.yaml"

    @property
    def data(self) -> Path:
        """Folder for data files and the default SQLite database."""
        return self.root / "data"

    @property
    def reports(self) -> Path:
        """Folder for batch runs and rendered briefs."""
        return self.root / "reports"


def resolve_workspace(workspace: str | os.PathLike[str] | None = None,
                      db: str | None = None) -> Workspace:
    """Find the workspace and database to use.

    Parameters
    ----------
    workspace : path, optional
        Explicit folder; else ``$WORKBENCH_HOME``; else the demo workspace's folder
        (:func:`default_workspace`).
    db : str, optional
        Explicit database URL; else ``$WORKBENCH_DB``; else SQLite at
        ``<workspace>/data/workbench.sqlite``.

    Returns
    -------
    Workspace
    """
    chosen = workspace or os.environ.get("WORKBENCH_HOME") or default_workspace()
    root = Path(chosen).expanduser().resolve()
    if root.exists() and not root.is_dir():
        raise WorkbenchError(f"workspace {root} is a file, not a folder: give a folder path")
    url = db or os.environ.get("WORKBENCH_DB") or f"sqlite:///{root / 'data' / 'workbench.sqlite'}"
    return Workspace(root=root, db_url=url)
