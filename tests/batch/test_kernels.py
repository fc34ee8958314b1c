"""Warm kernels: forked from a server that did the imports, yet each one a proper kernel.

These start real kernels through jupyter_client (the same path papermill takes) and look at
them from inside: who their parent is, what is already imported, their folder, environment and
random state, and that nothing outlives its owner.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import nbformat
import pytest

from workbench.batch import kernels
from workbench.batch.kernels import kernel_arguments, notebook_imports, warm_kernel_manager

pytestmark = pytest.mark.papermill


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _gone(pid: int, within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    return False


async def _run(km_class: type, code: str, cwd: Path, env: dict[str, str] | None = None
               ) -> tuple[str, int]:
    """Start a kernel with *km_class*, run *code*, return its printed text and pid."""
    # an absolute connection file keeps the IPC sockets where both sides look for them
    km = km_class(kernel_name="python3", connection_file=str(cwd / f"k{time.time_ns()}.json"))
    await km.start_kernel(cwd=str(cwd), env={**os.environ, **(env or {})})
    try:
        kc = km.client()
        kc.start_channels()
        await kc.wait_for_ready(timeout=60)
        out: list[str] = []

        def hook(msg: dict[str, Any]) -> None:
            if msg["msg_type"] == "stream":
                out.append(msg["content"]["text"])

        reply = await kc.execute_interactive(code, output_hook=hook, timeout=60)
        assert reply["content"]["status"] == "ok", reply["content"]
        kc.stop_channels()
        return "".join(out), int(km.provisioner.pid)
    finally:
        await km.shutdown_kernel()


def test_notebook_imports_and_kernel_arguments() -> None:
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("import workbench.not_code"),
        nbformat.v4.new_code_cell("import os, workbench.spc\nfrom workbench.ui.steps import a, b"),
        nbformat.v4.new_code_cell("%matplotlib inline"),  # not Python: skipped
        nbformat.v4.new_code_cell("from . import x\nfrom pandas import DataFrame"),
    ])
    assert notebook_imports(nb) == ("workbench.spc", "workbench.ui.steps:a,b")
    assert kernel_arguments([sys.executable, "-m", "ipykernel_launcher", "-f", "k.json"]) == [
        "-f", "k.json"]
    assert kernel_arguments(["/usr/bin/env", "-m", "ipykernel_launcher"]) is None
    assert kernel_arguments([sys.executable, "-m", "other_kernel", "-f", "k.json"]) is None


def test_a_warm_kernel_is_forked_with_the_imports_done(tmp_path: Path) -> None:
    km_class = warm_kernel_manager(("workbench.spc",))
    code = textwrap.dedent("""
        import os, sys
        print("ppid", os.getppid())
        print("preloaded", "pandas" in sys.modules and "workbench.spc" in sys.modules)
        print("cwd", os.getcwd())
        print("env", os.environ.get("WB_TEST_VALUE"))
        import numpy
        print("random", numpy.random.random())
    """)
    first, pid1 = asyncio.run(_run(km_class, code, tmp_path, {"WB_TEST_VALUE": "ward 7"}))
    second, pid2 = asyncio.run(_run(km_class, code, tmp_path))
    server = kernels.warm_server([]).process.pid
    lines = dict(line.split(" ", 1) for line in first.splitlines())
    assert int(lines["ppid"]) == server, "forked by this process's warm server"
    assert lines["preloaded"] == "True"
    assert Path(lines["cwd"]).resolve() == tmp_path.resolve()
    assert lines["env"] == "ward 7"
    other = dict(line.split(" ", 1) for line in second.splitlines())
    assert other["env"] == "None", "each kernel gets its own environment"
    assert other["random"] != lines["random"], "numpy's global generator is reseeded"
    assert pid1 != pid2
    assert _gone(pid1) and _gone(pid2), "a shut-down kernel exits"


def test_a_kernel_the_server_cannot_give_starts_the_ordinary_way(tmp_path: Path) -> None:
    km_class = warm_kernel_manager((), str(tmp_path / "no-such-server.sock"))
    text, pid = asyncio.run(_run(km_class, "import os; print(os.getppid())", tmp_path))
    assert int(text) == os.getpid(), "started by this process, as jupyter_client does"


def test_kernels_die_with_the_worker_that_asked_for_them(tmp_path: Path) -> None:
    """The outer guard kills a stuck worker; the kernels it asked for must not linger."""
    script = textwrap.dedent(f"""
        import asyncio, os, sys, time
        from workbench.batch.kernels import warm_kernel_manager
        async def main():
            km = warm_kernel_manager((), sys.argv[1])(
                kernel_name="python3", connection_file={str(tmp_path / "w.json")!r})
            await km.start_kernel(cwd={str(tmp_path)!r})
            print(km.provisioner.pid, flush=True)
            time.sleep(600)
        asyncio.run(main())
    """)
    server = kernels.warm_server([])
    worker = subprocess.Popen([sys.executable, "-c", script, server.address],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert worker.stdout is not None
        kernel = int(worker.stdout.readline())
        assert _alive(kernel)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        assert _gone(kernel), "the server kills the kernels of a worker that has gone"
        assert server.alive, "the server itself serves the other workers"
    finally:
        worker.kill()


def test_the_server_and_its_kernels_stop_when_their_owner_goes(tmp_path: Path) -> None:
    script = textwrap.dedent(f"""
        import asyncio, time
        from workbench.batch import kernels
        async def main():
            km = kernels.warm_kernel_manager(())(
                kernel_name="python3", connection_file={str(tmp_path / "o.json")!r})
            await km.start_kernel(cwd={str(tmp_path)!r})
            print(kernels.warm_server([]).process.pid, km.provisioner.pid, flush=True)
            time.sleep(600)
        asyncio.run(main())
    """)
    owner = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert owner.stdout is not None
        server, kernel = map(int, owner.stdout.readline().split())
        owner.send_signal(signal.SIGKILL)
        owner.wait(timeout=10)
        assert _gone(server), "the server exits when its owner has gone"
        assert _gone(kernel), "and takes its kernels with it"
    finally:
        owner.kill()


def test_kernels_inherit_the_store_opened_once_in_the_server(demo_ws: Any, tmp_path: Path
                                                              ) -> None:
    """The server opens the run's store and rehearses a chart before forking; a kernel starts
    with both done, holds no connection of the server's, and reads the store through it."""
    server = kernels.warm_server(["workbench.ui.steps:check_page"])
    conn = kernels._Connection(server.address)
    try:
        answer = conn.ask({"store": {"workspace": str(demo_ws.root), "db": demo_ws.db_url}})
    finally:
        conn.close()
    assert answer == {"preloaded": []}
    code = textwrap.dedent(f"""
        import os
        from workbench.store import db
        from workbench.ui.steps import _rehearsal
        url = db._normalise({demo_ws.db_url!r})
        engine = db._ENGINES.get((os.getpid(), url))
        print("inherited", engine is not None and db._READY.get((os.getpid(), url)) is True)
        print("pooled", engine.pool.checkedin() if engine is not None else -1)
        print("rehearsed", bool(_rehearsal._DONE))
        from workbench.services.observations import long_frame
        from workbench.store.workspace import resolve_workspace
        ws = resolve_workspace({str(demo_ws.root)!r}, {demo_ws.db_url!r})
        print("rows", len(long_frame(ws, wards=["nh-ucc"])) > 0)
        print("same", db.get_engine({demo_ws.db_url!r}) is engine)
    """)
    text, _ = asyncio.run(_run(warm_kernel_manager((), server.address), code, tmp_path))
    lines = dict(line.split(" ", 1) for line in text.splitlines())
    assert lines == {"inherited": "True", "pooled": "0", "rehearsed": "True", "rows": "True",
                     "same": "True"}


def test_a_store_the_server_cannot_open_is_left_to_the_kernels(tmp_path: Path) -> None:
    from workbench.batch.warm import _open_store

    missing = {"workspace": str(tmp_path / "ws"), "db": "postgresql://nobody@127.0.0.1:1/none"}
    assert _open_store(missing) == [f"store {missing['db']}"]
    assert _open_store(None) == []
