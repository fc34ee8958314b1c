"""The warm kernel server: one process that has done the slow imports and forks kernels.

A plain kernel is a new Python process that imports IPython, the kernel machinery, then
pandas, SQLAlchemy and the workbench before the notebook's first cell does anything: about
1.5 s of every ward's run, spent again for every ward.  The batch worker starts this server once;
it imports all that once, then answers each request for a kernel with ``fork()``, so a ward's
kernel starts with everything already in memory (shared copy-on-write).

Run as ``python -c "from workbench.batch.warm import main; main()" SOCKET PRELOAD...`` by
:mod:`workbench.batch.kernels`: the batch runner starts one for all its local workers (and each
Dask worker its own).  It listens on the unix socket SOCKET; each worker keeps one connection.
Protocol, one JSON object a line: a request ``{"argv": [...], "env": {...}, "cwd": "..."}`` is
answered ``{"pid": N}`` (or ``{"error": "..."}``); ``{"preload": [...], "records": [...],
"store": {"workspace": ..., "db": ...}}`` imports more modules (a later run's notebook), parses
the run's YAML records and opens its store for the kernels still to come, and is answered
``{"preloaded": [those that failed]}``.

Nothing outlives its owner: when a worker's connection closes (it finished, crashed or was
killed by the outer guard) the server kills the kernels it started for that worker; when the
server's standard input closes (the process that started it has gone) it kills every kernel
and exits; a kernel dies with the server (``PR_SET_PDEATHSIG``).

Only the standard library is imported at module level: the point is to choose what to import.
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import socket
import sys
from typing import Any

#: Imported before any kernel is forked: the kernel machinery and the workbench's heavy
#: dependencies.  The notebook's own ``import`` lines are added by the caller.
BASE_PRELOAD = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "IPython.core.interactiveshell",
    "IPython.core.completerlib",
    "IPython.core.debugger",
    "IPython.extensions.storemagic",
    "ipykernel.debugger",
    "tornado.platform.asyncio",
    "tornado.queues",
    "sqlite3",
    "numpy",
    "pandas",
    "sqlalchemy",
    "sqlalchemy.dialects.sqlite",
    "yaml",
    "pydantic",
    "workbench.services.checks",
    "workbench.services.observations",
    "workbench.services.cycles",
    "workbench.services.wards",
    "workbench.charts.control_chart",
    "workbench.charts.render",
)

#: Called after the imports: state every kernel would build the same way (no files, no
#: connections), so a forked kernel starts with it.
BASE_CALLS = (
    ("workbench.catalogue.loader", "load_catalogue"),  # the catalogue ships with the package
    ("workbench.store.db", "metadata"),  # the store's table definitions
    ("workbench.ui.steps._rehearsal", "rehearse"),  # a first chart's one-off costs, on made-up data
)

_PR_SET_PDEATHSIG = 1


def _preload(names: list[str]) -> list[str]:
    """Import *names*; return those that failed (a kernel then imports them itself).

    ``module:a,b`` imports the module then looks up ``a`` and ``b`` in it, which loads what a
    package with lazily loaded names (``workbench.ui.steps``) would load on first use.
    """
    # Altair pulls in jsonschema, whose optional IRI checker builds a grammar at import (about
    # 1.3 s); the workbench never validates IRIs, so that module is treated as absent.
    from workbench._quiet import skip_iri_grammar

    skip_iri_grammar()
    # debugpy (imported by ipykernel) warns about frozen modules; batch kernels are not debugged.
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    failed = []
    for name in names:
        module, _, attrs = name.partition(":")
        try:
            loaded = importlib.import_module(module)
            for attr in filter(None, attrs.split(",")):
                getattr(loaded, attr)
        except Exception:  # noqa: BLE001 - a module that cannot preload is imported later
            failed.append(name)
    for module, function in BASE_CALLS:
        try:
            getattr(importlib.import_module(module), function)()
        except Exception:  # noqa: BLE001 - the kernel does it itself and reports any problem
            failed.append(f"{module}:{function}()")
    return failed


def _read_records(paths: list[str]) -> list[str]:
    """Parse a run's YAML records once, for every kernel (those that failed are returned).

    Safe with data that changes: each kernel checks a record's file (inode, size, time stamp)
    before using the parsed copy, and parses it again if it changed
    (:func:`workbench.store.records.read_parsed`).
    """
    from pathlib import Path

    failed = []
    if paths:
        from workbench.store.records import read_parsed

        for path in paths:
            try:
                read_parsed(Path(path))
            except Exception:  # noqa: BLE001 - the kernel reads it and reports any problem
                failed.append(path)
    return failed


def _open_store(store: dict[str, Any] | None) -> list[str]:
    """Open the run's store once for every kernel: engine, schema check, reference tables.

    The connections are closed again before any fork; each kernel inherits the engine with an
    empty pool (:func:`workbench.store.db.release_connections`).  Returns what failed.
    """
    if not store:
        return []
    try:
        from workbench.services.observations import open_store
        from workbench.store.db import release_connections
        from workbench.store.workspace import resolve_workspace

        try:
            open_store(resolve_workspace(store["workspace"], store["db"]))
        finally:
            release_connections()
    except Exception:  # noqa: BLE001 - each kernel opens the store itself and reports problems
        return [f"store {store.get('db')}"]
    return []


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this process when its parent (the server) exits."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: ipykernel's own parent poller still notices
    if os.getppid() != parent:
        os._exit(1)


def _become_kernel(request: dict[str, Any], server: int) -> int:
    """In the forked child: set up the process as a fresh kernel would be, then run it."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.setsid()  # its own process group, as jupyter_client starts kernels
    _die_with_parent(server)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    os.environ["JPY_PARENT_PID"] = str(server)  # ipykernel exits if the server goes
    if sys.path and sys.path[0] == "":
        del sys.path[0]  # as ipykernel_launcher does; the shell adds the cwd back
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.random.seed()  # the legacy global generator would repeat across kernels
    # The kernel app read JPY_PARENT_PID when the server imported it; say it again.
    argv = [*request["argv"], f"--IPKernelApp.parent_handle={server}"]
    sys.argv = ["ipykernel_launcher", *argv]
    from ipykernel import kernelapp

    try:
        kernelapp.launch_new_instance(argv=argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


def _fork_kernel(request: dict[str, Any], server: int, inherited: list[int]) -> int:
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            for fd in inherited:  # the server's sockets are not the kernel's
                try:
                    os.close(fd)
                except OSError:
                    pass
            code = _become_kernel(request, server)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    return pid


def _answer(conn: socket.socket, line: bytes, server: int, inherited: list[int],
            kernels: set[int]) -> None:
    try:
        request = json.loads(line)
        if isinstance(request, dict) and request.keys() & {"preload", "records", "store"}:
            import gc

            failed = _preload([str(name) for name in request.get("preload", [])])
            failed += _read_records([str(path) for path in request.get("records", [])])
            failed += _open_store(request.get("store"))
            gc.collect()
            gc.freeze()
            conn.sendall(json.dumps({"preloaded": failed}).encode() + b"\n")
            return
        for key in ("argv", "env", "cwd"):
            if key not in request:
                raise ValueError(f"request has no {key!r}")
    except ValueError as exc:
        conn.sendall(json.dumps({"error": str(exc)}).encode() + b"\n")
        return
    pid = _fork_kernel(request, server, inherited)
    kernels.add(pid)
    conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")


def _kill(kernels: set[int]) -> None:
    for pid in kernels:
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass


def _serve(listener: socket.socket) -> None:
    import selectors

    server = os.getpid()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels are reaped as they exit
    owned: dict[socket.socket, tuple[bytearray, set[int]]] = {}
    sel = selectors.DefaultSelector()
    sel.register(listener, selectors.EVENT_READ, "accept")
    sel.register(sys.stdin, selectors.EVENT_READ, "owner")
    try:
        while True:
            for key, _ in sel.select():
                if key.data == "owner":
                    if not os.read(sys.stdin.fileno(), 4096):
                        return  # whoever started the server has gone
                elif key.data == "accept":
                    conn, _ = listener.accept()
                    owned[conn] = (bytearray(), set())
                    sel.register(conn, selectors.EVENT_READ, "worker")
                else:
                    conn = key.fileobj  # type: ignore[assignment]
                    buffer, kernels = owned[conn]
                    data = conn.recv(65536)
                    if not data:  # the worker has gone: so do the kernels it asked for
                        sel.unregister(conn)
                        conn.close()
                        _kill(kernels)
                        del owned[conn]
                        continue
                    buffer += data
                    inherited = [listener.fileno(), sel.fileno()]  # type: ignore[attr-defined]
                    inherited += [c.fileno() for c in owned]
                    while b"\n" in buffer:
                        line, _, rest = bytes(buffer).partition(b"\n")
                        buffer[:] = rest
                        _answer(conn, line, server, inherited, kernels)
                    kernels.intersection_update({k for k in kernels if _alive(k)})
    finally:
        for _, kernels in owned.values():
            _kill(kernels)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def main(argv: list[str] | None = None) -> None:
    """Entry point of the server process: ``SOCKET [MODULE ...]``.

    Listens on SOCKET straight away (workers may connect while the imports run; their first
    request is answered when the imports are done).
    """
    import gc

    args = sys.argv[1:] if argv is None else argv
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the runner, which closes us
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(args[0])
    listener.listen(64)
    _preload([*BASE_PRELOAD, *args[1:]])
    # What the imports made lives as long as each kernel: keep the collector off it, so a
    # kernel's collections stay short and leave the shared pages unwritten.
    gc.collect()
    gc.freeze()
    _serve(listener)
