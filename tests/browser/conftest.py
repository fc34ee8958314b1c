"""Browser fixtures: a demo workspace, one ``workbench serve`` per session, Chromium, guarded pages.

* The server runs the real CLI on a free port against a demo workspace with the real store, and
  is stopped by its PID (SIGTERM, then SIGKILL of its process group if it hangs).
* Chromium is Debian's (``/usr/bin/chromium``); Playwright's own download cannot work offline.
  Missing Chromium skips these tests locally and FAILS them in CI (``CI=true``).
* Every page routes every request: anything not to 127.0.0.1 is aborted and recorded, and the
  test fails if one was attempted.  A screenshot of every test lands in ``test-artifacts/``.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = os.environ.get("WORKBENCH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
STARTUP_TIMEOUT = 120.0
PAGE_TIMEOUT = 60_000
BAD_WORDS = ("Traceback", "Error Loading Theme", "cannot be shown", "Sorry, something went wrong")
"""Words no page may show: a Python traceback, Voila's theme dialog, a refused page, the
plain-words message of an unexpected error."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Keep the browser tests on one xdist worker (one server), with ``--dist loadgroup``."""
    for item in items:
        if "tests/browser" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.xdist_group("browser"))


def _chromium() -> str:
    found = CHROMIUM if Path(CHROMIUM).is_file() else shutil.which("chromium")
    if found:
        return found
    why = (f"Chromium not found at {CHROMIUM}: install the Debian package (apt-get install -y "
           "chromium) or set WORKBENCH_CHROMIUM")
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(why)
    pytest.skip(why)
    raise AssertionError("unreachable")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """A running ``workbench serve``."""

    url: str
    workspace: Path
    db: str
    proc: subprocess.Popen[bytes]
    log: Path

    def log_text(self) -> str:
        return self.log.read_text("utf-8", "replace")

    def pools_ready(self) -> bool:
        """Every warm-kernel pool (``serve.config.PREHEATED``) has started its kernels."""
        from workbench.serve.config import PREHEATED

        text = self.log_text()
        return all(f"Kernel pool of {name} is filled" in text for name in PREHEATED)

    def kernels_busy(self) -> float:
        """CPU the server's kernels used over a second, in cores (1.0: one core flat out)."""
        import psutil

        try:
            kernels = psutil.Process(self.proc.pid).children(recursive=True)
            for k in kernels:
                k.cpu_percent(None)
            time.sleep(1.0)
            return sum(k.cpu_percent(None) for k in kernels if k.is_running()) / 100
        except psutil.Error:
            return 0.0


def _wait(server: Server) -> None:
    """Wait until the server answers, every pool is filled and its kernels have warmed up.

    A pool is "filled" when its kernels have *started*; each then imports pandas, Altair and
    the widgets (several seconds of CPU).  Ten of them warming up at once on two shared cores
    made the first pages opened meanwhile (the funnel page's cold kernel: 24 s instead of 9-11 s
    on the same loaded machine) miss the page timeout, so the tests start once the kernels are
    idle (a warm kernel waits for its page's address without using the CPU).
    """
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(f"workbench serve exited early:\n{server.log_text()[-3000:]}")
        try:
            urllib.request.urlopen(server.url + "/voila/tree", timeout=2).close()
            if server.pools_ready():
                break
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    else:
        raise RuntimeError(f"workbench serve not ready in {STARTUP_TIMEOUT}s:\n"
                           f"{server.log_text()[-3000:]}")
    quiet = 0
    while quiet < 2 and time.monotonic() < deadline:  # two quiet seconds in a row
        quiet = quiet + 1 if server.kernels_busy() < 0.5 else 0


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the server's own group: it and its kernels
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Path of the Chromium binary (skip locally / fail in CI when missing)."""
    return _chromium()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[Server]:
    """A demo workspace served by ``workbench serve`` on a free port (one per session)."""
    root = tmp_path_factory.mktemp("browser") / "ws"
    db = f"sqlite:///{root / 'data' / 'workbench.sqlite'}"
    env = {**os.environ, "WORKBENCH_HOME": str(root), "WORKBENCH_DB": db}
    subprocess.run([sys.executable, "-m", "workbench", "demo", "--workspace", str(root),
                    "--db", db], check=True, env=env, capture_output=True)
    port = _free_port()
    log = root.parent / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "workbench", "serve", "--workspace", str(root), "--db", db,
             "--port", str(port), "--no-browser", "--notebooks", str(REPO / "notebooks")],
            stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    srv = Server(f"http://127.0.0.1:{port}", root, db, proc, log)
    try:
        _wait(srv)
        yield srv
    finally:
        _stop(proc)
        ARTIFACTS.mkdir(exist_ok=True)
        shutil.copy(log, ARTIFACTS / "serve.log")


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Any]:
    """One headless Chromium for the session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield b
        b.close()


@dataclass
class Guarded:
    """A page whose requests outside 127.0.0.1 are aborted and remembered."""

    page: Any
    base: str
    external: list[str] = field(default_factory=list)

    def goto(self, path: str, selector: str) -> Any:
        self.page.goto(self.base + path)
        return self.page.wait_for_selector(selector, timeout=PAGE_TIMEOUT)


@dataclass
class Watch:
    """Everything wrong a page did while watched: failed requests (4xx/5xx), JavaScript
    dialogs, script errors and console errors; :meth:`look` adds JupyterLab dialogs and
    :data:`BAD_WORDS` on the page.  Use it as a context manager around the page's actions."""

    page: Any
    problems: list[str] = field(default_factory=list)
    console: bool = True

    def _response(self, r: Any) -> None:
        if r.status >= 400:
            self.problems.append(f"{r.status} {r.request.method} {r.url}")

    def _dialog(self, d: Any) -> None:
        self.problems.append(f"dialog: {d.message}")
        d.dismiss()

    def _error(self, e: Any) -> None:
        self.problems.append(f"script error: {e} {getattr(e, 'stack', '')}"[:1500])

    def _console(self, m: Any) -> None:
        if self.console and m.type == "error":
            self.problems.append(f"console error: {m.text}"[:1500])

    def __enter__(self) -> Watch:
        self.page.on("response", self._response)
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", self._error)
        self.page.on("console", self._console)
        return self

    def __exit__(self, *exc: object) -> None:
        self.page.remove_listener("response", self._response)
        self.page.remove_listener("dialog", self._dialog)
        self.page.remove_listener("pageerror", self._error)
        self.page.remove_listener("console", self._console)

    def look(self) -> list[str]:
        """Add what the page shows now (JupyterLab dialogs, bad words); all problems so far."""
        dialogs = self.page.locator(".jp-Dialog")
        self.problems.extend(f"JupyterLab dialog: {dialogs.nth(i).inner_text()[:200]}"
                             for i in range(dialogs.count()))
        text = self.page.locator("body").inner_text()
        self.problems.extend(f"page says {word!r}" for word in BAD_WORDS if word in text)
        return self.problems


def _local(url: str) -> bool:
    return re.match(r"^(https?|wss?)://127\.0\.0\.1(:\d+)?(/|$)", url) is not None or \
        url.startswith(("data:", "blob:", "about:"))


def files_only(page: Any, schemes: tuple[str, ...]) -> list[str]:
    """Let *page* load only addresses starting with *schemes* (``file:`` pages and what they
    embed); every other request is refused and listed in the returned list."""
    outside: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith(schemes):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return outside


@pytest.fixture(scope="session")
def browser_context(browser: Any) -> Iterator[Any]:
    """One context for the session, so Voila's scripts are cached after the first page."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    yield context
    context.close()


@pytest.fixture
def guarded(browser_context: Any, server: Server,
            request: pytest.FixtureRequest) -> Iterator[Guarded]:
    """A fresh page; fails the test if it tried to reach anything but 127.0.0.1."""
    page = browser_context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT)
    g = Guarded(page, server.url)

    def route(r: Any) -> None:
        if _local(r.request.url):
            r.continue_()
        else:
            g.external.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    try:
        yield g
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
        try:
            page.set_viewport_size({"width": 1600, "height": 2400})  # the whole page
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        finally:
            page.close()
    assert not g.external, f"pages tried to reach outside 127.0.0.1: {g.external}"
