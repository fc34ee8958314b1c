"""Voila settings for the workbench, as command-line arguments.

* **Directory mode** over the notebooks folder; ``/`` redirects to ``home.ipynb``.
* **Preheated kernels** for every page people open (landing, boards, the four steps, roll-up,
  quiz): each waits in a pool with the slow imports done, then reads the page's query string
  when the request arrives.  The monthly brief reads no address and starts a kernel when asked.
* **Culling**: a kernel whose page was closed is shut down after ``cull_idle_timeout`` seconds
  without activity; an open page (a connected board on the ward PC) is never culled.
* **Offline**: the ``workbench`` template loads nothing from outside the server.
* **Steady**: an address cannot switch Voila's theme or template (``?theme=``, ``?template=``).
* **Safety**: no tracebacks in pages; any host other than loopback needs a token or a password.
"""

from __future__ import annotations

import ipaddress
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from workbench.domain.errors import WorkbenchError

PREHEATED = {"home.ipynb": 1, "board.ipynb": 2, "01_pick_theme.ipynb": 1,
             "02_size_baseline.ipynb": 1, "03_run_change.ipynb": 2, "04_check_result.ipynb": 1,
             "rollup.ipynb": 1, "quiz.ipynb": 1}
"""Notebooks served from warm kernels, with their pool sizes: every page a person opens from
the landing page.  Each warm kernel has done its imports and waits for the page's address.
Step 3 keeps two: saving a plan links straight to the new test's page (step 3 again), sooner
than a used warm kernel is replaced (10-20 s on a busy machine)."""

PREHEAT_DENYLIST = [r"^monthly_brief\.ipynb$", r".*\.ipynb_checkpoints.*"]
"""Notebooks that always start a fresh kernel: the monthly brief reads no address, so a warm
kernel would have drawn it before anyone asked (with that moment's data); checkpoints."""

REFILL_DELAY = 3.0
"""Seconds before a used warm kernel is replaced: the new kernel's start-up (several seconds of
CPU) then does not compete with the page that was just opened."""

IOPUB_TIMEOUT = 30
"""Seconds Voila waits, after a cell has finished, for the rest of that cell's output.

nbclient's default is 4 s, and its documentation says it may be too short on a slow machine.
With twelve boards opened at once on two CPUs, one board's output once came later than that:
the server logged "Timeout waiting for IOPub output", dropped the rest of the cell, and the
board never showed its form.  Waiting longer costs nothing when the output comes at once."""

SOCKET_PATH_MAX = 107
"""The longest path a Unix socket may have on Linux (108 bytes with the closing zero)."""

IPC_NAME_LENGTH = len("/voila_12345678/kernel-") + 36 + len("-ipc-99")
"""What Voila and the kernel add to the temporary folder to name a kernel's socket: Voila's own
folder of connection files, then the kernel's id and the channel's number."""


def kernel_transport(temp_dir: str | None = None) -> str:
    """``ipc`` (Unix sockets) when a kernel's socket paths fit under *temp_dir*, else ``tcp``.

    Parameters
    ----------
    temp_dir : str, optional
        Where Voila keeps its connection files (default: :func:`tempfile.gettempdir`).

    Returns
    -------
    str
        The kernels' transport: ``ipc`` unless ``TMPDIR`` is so long that the sockets' paths
        would not fit, when the kernels fall back to TCP ports on 127.0.0.1 rather than fail.
    """
    folder = temp_dir if temp_dir is not None else tempfile.gettempdir()
    return "ipc" if len(folder) + IPC_NAME_LENGTH <= SOCKET_PATH_MAX else "tcp"


VOILA_QUERY_NAMES = frozenset({"theme", "template", "token"})
"""Query-string names that Voila (``theme``, ``template``) or the Jupyter server (``token``)
read from a page's address themselves; no notebook parameter may use one of them (a page called
with ``?theme=...`` once asked Voila for a JupyterLab theme of that name and showed an "Error
Loading Theme" dialog)."""

TEMPLATE = "workbench"
"""The Voila template shipped in ``workbench/serve/share/jupyter/voila/templates``."""


def share_dir() -> Path:
    """The folder to add to ``JUPYTER_PATH`` so Voila finds the ``workbench`` template."""
    return Path(__file__).resolve().parent / "share" / "jupyter"


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (``127.0.0.1``, ``::1``)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class ServeOptions:
    """How to serve.

    Attributes
    ----------
    notebooks : Path
        Folder holding ``home.ipynb``, ``board.ipynb`` and the step notebooks.
    port, host : int, str
        Where to listen (default loopback only).
    token, password : str
        Needed when *host* is not loopback; the password is hashed before Voila sees it.
    preheat : bool
        Keep warm kernels for :data:`PREHEATED` notebooks.
    cull_idle_timeout, cull_interval : int
        Seconds before an idle, unconnected kernel is shut down, and how often to check.
    open_browser : bool
        Open the landing page in the default browser.
    pools : dict, optional
        Notebook name to its number of warm kernels (default :data:`PREHEATED`).
    extra : list of str
        More Voila arguments, passed last.
    """

    notebooks: Path
    port: int = 8866
    host: str = "127.0.0.1"
    token: str = ""
    password: str = ""
    preheat: bool = True
    cull_idle_timeout: int = 300
    cull_interval: int = 60
    open_browser: bool = False
    extra: list[str] = field(default_factory=list)
    pools: dict[str, int] = field(default_factory=lambda: dict(PREHEATED))

    def check(self) -> None:
        """Refuse unsafe or impossible settings with a message that says what to do.

        Raises
        ------
        WorkbenchError
            Non-loopback host without a token or password; missing notebooks; bad port.
        """
        if not is_loopback(self.host) and not (self.token or self.password):
            raise WorkbenchError(
                f"serving on {self.host} makes the workbench reachable from other computers, so "
                "it needs a token or a password: add --token <secret> (or set WORKBENCH_TOKEN), "
                "or --password <secret>. To serve only this computer, use --host 127.0.0.1.")
        if not 0 < self.port < 65536:
            raise WorkbenchError(f"--port {self.port} is not a port number (1-65535)")
        for name in ("home.ipynb", "board.ipynb"):
            if not (self.notebooks / name).is_file():
                raise WorkbenchError(f"{self.notebooks / name} is missing: point --notebooks at "
                                     "the workbench's notebooks folder")

    def voila_argv(self) -> list[str]:
        """Voila's command line for these options (no secrets beyond what Voila needs)."""
        pools = {"default": {"pool_size": 0}}
        pools.update({nb: {"pool_size": n} for nb, n in self.pools.items()})
        argv = [
            str(self.notebooks),
            f"--port={self.port}",
            f"--Voila.ip={self.host}",
            "--no-browser",
            f"--template={TEMPLATE}",
            "--VoilaConfiguration.show_tracebacks=False",
            "--VoilaConfiguration.allow_theme_override=NO",
            "--VoilaConfiguration.allow_template_override=NO",
            f"--MappingKernelManager.cull_idle_timeout={self.cull_idle_timeout}",
            f"--MappingKernelManager.cull_interval={self.cull_interval}",
            "--MappingKernelManager.cull_connected=False",
            "--MappingKernelManager.cull_busy=False",
            # a busy server reads a page's output late: wait for it rather than drop it
            f"--VoilaExecutor.iopub_timeout={IOPUB_TIMEOUT}",
            # pages keep no state in their kernels, so stopping need not wait 5 s for each one
            "--KernelManager.shutdown_wait_time=0.2",
            # kernels talk over Unix sockets named after each kernel: TCP ports are chosen
            # free and bound a moment later, and kernels starting at once (two servers, a batch
            # run) once took the same one, so a page got a warm kernel that had died
            f"--KernelManager.transport={kernel_transport()}",
        ]
        if self.preheat:
            argv += [
                "--preheat_kernel=True",
                f"--VoilaKernelManager.kernel_pools_config={json.dumps(pools)}",
                f"--VoilaKernelManager.preheat_denylist={json.dumps(PREHEAT_DENYLIST)}",
                f"--VoilaKernelManager.fill_delay={REFILL_DELAY}",
            ]
        if self.token:
            argv.append(f"--Voila.token={self.token}")
        if self.password:
            from jupyter_server.auth import passwd

            argv.append(f"--PasswordIdentityProvider.hashed_password={passwd(self.password)}")
        return argv + list(self.extra)

    def url(self) -> str:
        """The landing page's address (with the token, so the first visit logs in)."""
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::") else self.host  # noqa: S104
        if ":" in host and not host.startswith("["):
            host = f"[{host}]"
        query = f"?token={self.token}" if self.token else ""
        return f"http://{host}:{self.port}/{query}"
