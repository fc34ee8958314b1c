"""Store fixtures: workspaces with wards, and a throwaway PostgreSQL cluster.

PostgreSQL
----------
``pg_server`` starts one cluster per test process (per xdist worker) with ``initdb`` and
``pg_ctl`` from ``$WORKBENCH_PG_BIN``, ``pg_config --bindir`` or ``/usr/lib/postgresql/*/bin``
(Debian/Ubuntu package ``postgresql``).  As root it runs them as the ``postgres`` user.  It
listens on 127.0.0.1 on a free port, with fsync off (throwaway data), and is stopped at the end.
``$WORKBENCH_TEST_PG_URL`` (e.g. ``postgresql://postgres@127.0.0.1:5432``) uses an existing
server instead.  Without PostgreSQL the tests are skipped locally but FAIL when ``CI`` is set.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.store.workspace import Workspace

sys.path.insert(0, str(Path(__file__).resolve().parent))

from store_helpers import write_wards  # noqa: E402


def in_ci() -> bool:
    """True on a CI machine (``CI`` set to a true value)."""
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def _pg_bindir() -> Path | None:
    found: list[str] = []
    if os.environ.get("WORKBENCH_PG_BIN"):
        found.append(os.environ["WORKBENCH_PG_BIN"])
    if shutil.which("pg_config"):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        found.append(out.stdout.strip())
    found += sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                    key=lambda p: int(p.split("/")[-2]) if p.split("/")[-2].isdigit() else 0,
                    reverse=True)
    for d in found:
        if d and (Path(d) / "initdb").exists() and (Path(d) / "pg_ctl").exists():
            return Path(d)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(cmd: list[str], as_postgres: bool) -> subprocess.CompletedProcess[str]:
    full = (["runuser", "-u", "postgres", "--"] if as_postgres else []) + cmd
    return subprocess.run(full, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """Base URL (no database) of a throwaway PostgreSQL server for this test process."""
    external = os.environ.get("WORKBENCH_TEST_PG_URL")
    if external:
        yield external.rstrip("/")
        return
    bindir = _pg_bindir()
    if bindir is None:
        why = ("PostgreSQL server binaries (initdb, pg_ctl) not found: install the apt package "
               "'postgresql', set WORKBENCH_PG_BIN, or set WORKBENCH_TEST_PG_URL")
        if in_ci():
            pytest.fail(why)
        pytest.skip(why)
    as_postgres = os.geteuid() == 0
    tmp = Path(tempfile.mkdtemp(prefix="wb-pg-"))
    tmp.chmod(0o755)
    if as_postgres:
        shutil.chown(tmp, "postgres", "postgres")
    data = tmp / "data"
    init = _run([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                 "-E", "UTF8", "--no-sync"], as_postgres)
    if init.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        pytest.fail(f"initdb failed: {init.stderr}")
    port = 0
    for _attempt in range(3):
        port = _free_port()
        opts = (f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60")
        start = _run([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(tmp / "log"), "-w",
                      "-t", "60", "-o", opts, "start"], as_postgres)
        if start.returncode == 0:
            break
    else:
        log = (tmp / "log").read_text() if (tmp / "log").exists() else ""
        shutil.rmtree(tmp, ignore_errors=True)
        pytest.fail(f"PostgreSQL did not start: {start.stderr}\n{log[-2000:]}")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        from workbench.store.db import dispose_engines

        dispose_engines()
        _run([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
             as_postgres)
        shutil.rmtree(tmp, ignore_errors=True)


def _admin(base: str, sql: str) -> None:
    import psycopg

    url = base.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test."""
    name = f"wb_{uuid.uuid4().hex[:12]}"
    _admin(pg_server, f"CREATE DATABASE {name}")
    try:
        yield f"{pg_server}/{name}"
    finally:
        from workbench.store.db import dispose_engines

        dispose_engines()
        _admin(pg_server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def ws(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Workspace]:
    """A workspace with three wards, on SQLite and on PostgreSQL."""
    root = tmp_path / "ws"
    write_wards(root)
    if request.param == "sqlite":
        url = f"sqlite:///{root / 'data' / 'workbench.sqlite'}"
    else:
        url = request.getfixturevalue("pg_url")
    yield Workspace(root=root, db_url=url)
    from workbench.store.db import dispose_engines

    dispose_engines()


@pytest.fixture
def sqlite_ws(tmp_path: Path) -> Iterator[Workspace]:
    """A workspace with three wards on SQLite only (for checks that do not touch SQL)."""
    root = tmp_path / "ws"
    write_wards(root)
    yield Workspace(root=root, db_url=f"sqlite:///{root / 'data' / 'workbench.sqlite'}")
    from workbench.store.db import dispose_engines

    dispose_engines()


