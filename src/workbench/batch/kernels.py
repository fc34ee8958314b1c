"""Kernels for batch runs: warm (forked from a server that did the imports) and local (IPC).

:func:`warm_kernel_manager` is the kernel manager papermill uses in :mod:`workbench.batch.execute`.
It starts each kernel by asking a :mod:`workbench.batch.warm` server to fork one -- the batch
runner's, shared by its local workers, or on a Dask worker one of its own -- so a ward's kernel
begins with IPython, pandas, SQLAlchemy and the workbench already imported.
Everything else is jupyter_client's own: the connection file, the IPC sockets, interrupt and
shutdown.  A kernel the server cannot give (another Python, another kernel, the server failed
to start) is started the ordinary way, so the warm path can only make a run faster.
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

_LAUNCH = "from workbench.batch.warm import main; main()"


class WarmServer:
    """A warm kernel server this process started (and stops at exit).

    Parameters
    ----------
    preload : list of str
        Modules to import before the first fork, on top of
        :data:`workbench.batch.warm.BASE_PRELOAD`.

    Attributes
    ----------
    address : str
        The unix socket workers connect to (in a private folder).
    """

    def __init__(self, preload: list[str]) -> None:
        import tempfile

        self.preload = list(preload)
        self._folder = tempfile.mkdtemp(prefix="workbench-kernels-")
        self.address = os.path.join(self._folder, "kernels.sock")
        # its standard input stays open while this process lives: the server's lifeline
        self.process = subprocess.Popen(
            [sys.executable, "-c", _LAUNCH, self.address, *self.preload],
            stdin=subprocess.PIPE, cwd="/")

    @property
    def alive(self) -> bool:
        """True while the server process runs."""
        return self.process.poll() is None

    def close(self) -> None:
        """Stop the server; it kills the kernels it started."""
        import shutil

        try:
            if self.process.stdin is not None:
                self.process.stdin.close()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
        finally:
            shutil.rmtree(self._folder, ignore_errors=True)


_server: WarmServer | None = None
_server_lock = threading.Lock()


def warm_server(preload: list[str], records: list[str] | None = None,
                store: dict[str, str] | None = None) -> WarmServer:
    """This process's warm server, started now if there is none or it has died.

    A server already running is asked to import what *preload* adds (a later run of another
    notebook), so its kernels start with that notebook's imports done too.  *records* (YAML
    files of the run's workspace) are parsed once in the server for all its kernels, and
    *store* (``{"workspace": folder, "db": url}``) is opened once: engine, schema check and
    reference tables.
    """
    global _server
    with _server_lock:
        if _server is None or not _server.alive:
            if _server is not None:
                _server.close()
            _server = WarmServer(preload)
            atexit.register(_server.close)
            missing: list[str] = []
        else:
            missing = [name for name in preload if name not in _server.preload]
        server = _server
    if missing or records or store:
        # asked on a connection of its own, without waiting: the server answers once its own
        # imports are done, and the workers must not wait for that to start
        server.preload += missing
        request: dict[str, Any] = {"preload": missing, "records": records or []}
        if store:
            request["store"] = store
        threading.Thread(target=_ask_quietly, args=(server.address, request), daemon=True,
                         name="warm-server-preload").start()
    return server


def _ask_quietly(address: str, request: dict[str, Any]) -> None:
    try:
        conn = _Connection(address)
        try:
            conn.ask(request)
        finally:
            conn.close()
    except (OSError, ValueError):
        pass  # the kernels import and read what they need themselves


class _Connection:
    """This process's connection to a warm server: it asks for kernels one at a time."""

    def __init__(self, address: str, wait: float = 120.0) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        deadline = time.monotonic() + 10.0
        while True:  # the server binds its socket within moments of starting
            try:
                self.sock.connect(address)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.01)
        self.sock.settimeout(wait)  # the first answer waits for the server's imports
        self.stream = self.sock.makefile("rwb", buffering=0)
        self.lock = threading.Lock()

    def ask(self, request: dict[str, Any]) -> dict[str, Any]:
        """Send one request and read its answer."""
        with self.lock:
            self.stream.write(json.dumps(request).encode() + b"\n")
            line = self.stream.readline()
        if not line:
            raise OSError("the warm kernel server has stopped")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def spawn(self, argv: list[str], env: dict[str, str], cwd: str) -> int:
        """Fork a kernel with these arguments, environment and working folder; its pid."""
        answer = self.ask({"argv": argv, "env": env, "cwd": cwd})
        if "pid" not in answer:
            raise OSError(f"the warm kernel server refused: {answer.get('error')}")
        return int(answer["pid"])

    def close(self) -> None:
        """Close the connection (the server then kills the kernels it gave this process)."""
        try:
            self.stream.close()
        finally:
            self.sock.close()


_connections: dict[tuple[int, str], _Connection] = {}


def spawn_kernel(address: str | None, preload: list[str], argv: list[str],
                 env: dict[str, str], cwd: str) -> int:
    """A forked kernel's pid, from the server at *address* (None: this process's own).

    Raises
    ------
    OSError
        When no server can give one (the caller then starts a kernel the ordinary way).
    """
    if address is None:
        address = warm_server(preload).address
    conn = _connection(address)
    try:
        return conn.spawn(argv, env, cwd)
    except (OSError, ValueError):
        with _server_lock:
            _connections.pop((os.getpid(), address), None)
        conn.close()
        raise OSError("the warm kernel server did not answer") from None


def _connection(address: str) -> _Connection:
    """This process's connection to the server at *address* (made on first use)."""
    key = (os.getpid(), address)
    with _server_lock:
        conn = _connections.get(key)
        if conn is None:
            conn = _connections[key] = _Connection(address)
            atexit.register(conn.close)
        return conn


class ForkedKernel:
    """A kernel process forked by the warm server, behind the part of ``Popen`` that
    jupyter_client uses (``poll``, ``wait``, ``send_signal``, ``kill``, ``terminate``).

    It is not this process's child, so its exit status is not known: ``poll`` says 0 once it
    has gone (or ``-signal`` when this side killed it).  Liveness comes from a pidfd where Linux
    has them, so a reused pid can never look alive.
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._signal = 0
        self._fd: int | None = None
        try:
            self._fd = os.pidfd_open(pid)
        except (AttributeError, OSError):
            self._fd = None

    def _gone(self, timeout: float = 0.0) -> bool:
        if self._fd is not None:
            return bool(select.select([self._fd], [], [], timeout)[0])
        deadline = time.monotonic() + timeout
        while True:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                return True
            except PermissionError:
                return False
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.01)

    def poll(self) -> int | None:
        """None while the kernel runs, else its (assumed) exit code."""
        if self.returncode is None and self._gone():
            self.returncode = -self._signal if self._signal else 0
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Block until the kernel has exited (or *timeout* seconds; then ``TimeoutExpired``)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            left = 0.05 if deadline is None else min(0.05, deadline - time.monotonic())
            if left <= 0:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout or 0)
            self._gone(left)
        return self.returncode or 0

    def send_signal(self, signum: int) -> None:
        """Signal the kernel (nothing if it has already gone)."""
        if self.poll() is None:
            if signum in (signal.SIGKILL, signal.SIGTERM):
                self._signal = signum
            os.kill(self.pid, signum)

    def kill(self) -> None:
        """SIGKILL the kernel."""
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        """SIGTERM the kernel."""
        self.send_signal(signal.SIGTERM)


def notebook_imports(nb: Any, package: str = "workbench") -> tuple[str, ...]:
    """What a notebook's code cells import from *package*, as preload entries.

    ``import a.b`` gives ``a.b``; ``from a.b import c, d`` gives ``a.b:c,d``.  Only *package*'s
    own modules are preloaded: importing arbitrary modules before a fork is not safe (one that
    starts a thread at import would leave the forked kernels with a lock nobody can release).

    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
    ...     "import os\\nfrom workbench.ui.steps import check_page, warm_up")])
    >>> notebook_imports(nb)
    ('workbench.ui.steps:check_page,warm_up',)
    """
    import ast

    found: dict[str, None] = {}
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        try:
            tree = ast.parse(cell.get("source", ""))
        except SyntaxError:
            continue  # IPython magics and the like: nothing to learn from this cell
        for node in tree.body:
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                attrs = ",".join(a.name for a in node.names if a.name != "*")
                names = [f"{node.module}:{attrs}" if attrs else node.module]
            else:
                continue
            for name in names:
                if name.split(":")[0].split(".")[0] == package:
                    found[name] = None
    return tuple(found)


def kernel_arguments(cmd: list[str]) -> list[str] | None:
    """The kernel's own arguments when *cmd* starts an IPython kernel on this Python, else None.

    >>> import sys
    >>> kernel_arguments([sys.executable, "-m", "ipykernel_launcher", "-f", "k.json"])
    ['-f', 'k.json']
    >>> kernel_arguments(["/opt/other/python", "-m", "ipykernel_launcher", "-f", "k.json"])
    """
    if len(cmd) < 3 or cmd[1:3] != ["-m", "ipykernel_launcher"]:
        return None
    try:
        same = Path(cmd[0]).resolve() == Path(sys.executable).resolve() or (
            os.path.samefile(cmd[0], sys.executable))
    except OSError:
        return None
    return list(cmd[3:]) if same else None


@functools.cache
def warm_kernel_manager(preload: tuple[str, ...] = (), address: str | None = None) -> type:
    """A kernel manager class whose kernels come from a warm server, over IPC sockets.

    Parameters
    ----------
    preload : tuple of str
        Modules the server imports before forking (typically the notebook's own imports);
        used when this process starts its own server.
    address : str, optional
        A running server's socket (the batch runner's); None starts one in this process.
    """
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_client.provisioning import LocalProvisioner

    class WarmProvisioner(LocalProvisioner):  # type: ignore[misc]
        """Launches through the warm server when it can, the ordinary way otherwise."""

        async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
            argv = kernel_arguments(cmd)
            if argv is None:
                return await super().launch_kernel(cmd, **kwargs)
            env = dict(kwargs.get("env") or os.environ)
            cwd = str(kwargs.get("cwd") or os.getcwd())
            try:
                pid = spawn_kernel(address, list(preload), argv, env, cwd)
            except OSError:
                return await super().launch_kernel(cmd, **kwargs)
            kernel = ForkedKernel(pid)
            self.process = kernel  # type: ignore[assignment]  # what jupyter_client uses of Popen
            self.pid = self.pgid = pid
            self.cwd = cwd
            await _bound(dict(self.connection_info), kernel)
            return self.connection_info

    class WarmKernelManager(AsyncKernelManager):  # type: ignore[misc]
        """:class:`AsyncKernelManager` with warm kernels and the IPC transport.

        Batch kernels run on the runner's machine, so IPC is the natural transport; it also
        spares the analyst one "running over TCP without encryption" warning per ward.
        """

        def __init__(self, **kwargs: Any) -> None:
            kwargs.setdefault("transport", "ipc")
            if kwargs["transport"] == "ipc" and "ip" not in kwargs:
                # jupyter_client's default IPC address is relative ("kernel-ipc-1"...): two
                # kernels started in the same folder at once would take the same sockets
                import tempfile

                kwargs["ip"] = os.path.join(tempfile.gettempdir(), f"wbk-{_new_id()[:12]}")
            super().__init__(**kwargs)

        async def _async_pre_start_kernel(self, **kw: Any) -> Any:
            if self.provisioner is None:
                self.kernel_id = self.kernel_id or kw.pop("kernel_id", None) or _new_id()
                self.provisioner = WarmProvisioner(kernel_id=self.kernel_id,
                                                   kernel_spec=self.kernel_spec, parent=self)
            return await super()._async_pre_start_kernel(**kw)

        async def _async_interrupt_kernel(self) -> None:
            # jupyter_client interrupts a kernel before asking it to shut down; a batch kernel
            # is idle by then (its last cell has finished or timed out), so the interrupt only
            # lands in the tail of a message handler and logs "KeyboardInterrupt caught in
            # kernel" on the analyst's terminal.  A kernel that ignores the shutdown request is
            # still terminated, then killed.
            if self.shutting_down:
                return
            await super()._async_interrupt_kernel()

        async def _async_wait(self, pollinterval: float = 0.1) -> None:
            # jupyter_client polls every 0.1 s for the kernel to exit after a shutdown; the
            # kernel is usually gone within a few milliseconds.
            await super()._async_wait(pollinterval=min(pollinterval, 0.01))

    return WarmKernelManager


async def _bound(info: dict[str, Any], kernel: ForkedKernel, limit: float = 30.0) -> None:
    """Wait until an IPC kernel has bound its sockets (or has died, or *limit* seconds).

    A client that connects before the kernel binds retries only every 100 ms, and the kernel's
    first status messages are lost until its subscription arrives, which costs jupyter_client's
    start-up handshake another 0.2 s round.  A forked kernel binds within a few milliseconds.
    """
    import asyncio

    if info.get("transport") != "ipc":
        return
    ip = str(info.get("ip"))
    paths = [Path(f"{ip}-{info[k]}") for k in ("shell_port", "iopub_port", "stdin_port",
                                                "control_port", "hb_port") if k in info]
    deadline = time.monotonic() + limit
    while not all(p.exists() for p in paths):
        if kernel.poll() is not None or time.monotonic() > deadline:
            return
        await asyncio.sleep(0.002)


def _new_id() -> str:
    import uuid

    return str(uuid.uuid4())
