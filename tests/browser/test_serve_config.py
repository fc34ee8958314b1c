"""``workbench serve`` settings, without a browser: refusals, Voila arguments, the landing URL."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from workbench.domain.errors import WorkbenchError
from workbench.serve.config import (
    IOPUB_TIMEOUT,
    PREHEAT_DENYLIST,
    VOILA_QUERY_NAMES,
    ServeOptions,
    is_loopback,
    kernel_transport,
    share_dir,
)

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_hosts_need_no_token(host: str) -> None:
    assert is_loopback(host)
    ServeOptions(notebooks=NOTEBOOKS, host=host).check()


@pytest.mark.parametrize("host", ["0.0.0.0", "10.1.2.3", "ward-pc.nhs.local", "::"])
def test_other_hosts_are_refused_without_a_token_or_password(host: str) -> None:
    with pytest.raises(WorkbenchError, match="needs a token or a password"):
        ServeOptions(notebooks=NOTEBOOKS, host=host).check()
    ServeOptions(notebooks=NOTEBOOKS, host=host, token="s3cret-token").check()
    ServeOptions(notebooks=NOTEBOOKS, host=host, password="a long pass phrase").check()


def test_missing_notebooks_and_bad_ports_are_refused(tmp_path: Path) -> None:
    with pytest.raises(WorkbenchError, match="board.ipynb is missing|home.ipynb is missing"):
        ServeOptions(notebooks=tmp_path).check()
    with pytest.raises(WorkbenchError, match="not a port"):
        ServeOptions(notebooks=NOTEBOOKS, port=70000).check()


def test_voila_arguments_preheat_cull_and_hide_tracebacks() -> None:
    argv = ServeOptions(notebooks=NOTEBOOKS, port=9001).voila_argv()
    assert argv[0] == str(NOTEBOOKS)  # directory mode
    assert "--port=9001" in argv and "--Voila.ip=127.0.0.1" in argv
    assert "--VoilaConfiguration.show_tracebacks=False" in argv
    assert "--template=workbench" in argv and "--preheat_kernel=True" in argv
    assert "--MappingKernelManager.cull_connected=False" in argv
    assert "--MappingKernelManager.cull_idle_timeout=300" in argv
    assert f"--KernelManager.transport={kernel_transport()}" in argv  # ipc: no ports to race for
    pools = next(a for a in argv if a.startswith("--VoilaKernelManager.kernel_pools_config="))
    config = json.loads(pools.split("=", 1)[1])
    assert config["board.ipynb"]["pool_size"] >= 1 and config["default"]["pool_size"] == 0
    # every page the landing page links to waits in a warm kernel
    for page in ("home", "01_pick_theme", "02_size_baseline", "03_run_change",
                 "04_check_result", "rollup", "quiz"):
        assert config[f"{page}.ipynb"]["pool_size"] >= 1, page
    deny = next(a for a in argv if a.startswith("--VoilaKernelManager.preheat_denylist="))
    assert json.loads(deny.split("=", 1)[1]) == PREHEAT_DENYLIST
    cold = ServeOptions(notebooks=NOTEBOOKS, preheat=False).voila_argv()
    assert not any("preheat" in a for a in cold)


def test_voila_waits_for_a_late_cells_output_rather_than_drop_it() -> None:
    """Under twelve boards at once, a board's output once came after nbclient's default 4 s
    and the board lost its form.  Read back as Voila builds a page's executor: its own
    command-line parser, then ``VoilaExecutor(config=...)`` as its ``NotebookRenderer`` does."""
    import nbformat
    from voila.app import Voila
    from voila.execute import VoilaExecutor

    app = Voila()
    app.parse_command_line(ServeOptions(notebooks=NOTEBOOKS).voila_argv())
    executor = VoilaExecutor(nbformat.v4.new_notebook(), config=app.config)
    assert executor.iopub_timeout == IOPUB_TIMEOUT >= 30
    assert not executor.raise_on_iopub_timeout  # past even that, the page shows, not an error


def test_an_address_cannot_switch_voilas_theme_or_template() -> None:
    argv = ServeOptions(notebooks=NOTEBOOKS).voila_argv()
    assert "--VoilaConfiguration.allow_theme_override=NO" in argv
    assert "--VoilaConfiguration.allow_template_override=NO" in argv


def _page_parameters(path: Path) -> set[str]:
    """The names a notebook takes as parameters or reads from its address with ``param()``."""
    names: set[str] = set()
    for cell in json.loads(path.read_text("utf-8"))["cells"]:
        if cell["cell_type"] != "code":
            continue
        tree = ast.parse("".join(cell["source"]))
        if "parameters" in cell["metadata"].get("tags", []):
            names |= {t.id for s in tree.body if isinstance(s, ast.Assign)
                      for t in s.targets if isinstance(t, ast.Name)}
        names |= {n.args[0].value for n in ast.walk(tree)
                  if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "param"
                  and n.args and isinstance(n.args[0], ast.Constant)}
    return names


@pytest.mark.parametrize("notebook", sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")))
def test_no_page_parameter_shadows_one_of_voilas_own(notebook: str) -> None:
    # ?theme= on a page once opened an "Error Loading Theme" dialog over step 3's plan form
    names = _page_parameters(NOTEBOOKS / notebook)
    assert names, notebook
    assert not names & VOILA_QUERY_NAMES, f"{notebook}: rename {names & VOILA_QUERY_NAMES}"


def test_password_is_hashed_and_the_url_carries_the_token() -> None:
    argv = ServeOptions(notebooks=NOTEBOOKS, host="0.0.0.0", password="pass phrase").voila_argv()
    hashed = next(a for a in argv if a.startswith("--PasswordIdentityProvider.hashed_password="))
    assert "pass phrase" not in hashed
    url = ServeOptions(notebooks=NOTEBOOKS, host="0.0.0.0", port=8866, token="abc").url()
    assert url == "http://127.0.0.1:8866/?token=abc"


def test_the_template_ships_without_cdn_links() -> None:
    folder = share_dir() / "voila" / "templates" / "workbench"
    for name in ("index.html.j2", "page.html", "conf.json"):
        text = (folder / name).read_text("utf-8")
        assert "cdn." not in text and "cdnjs" not in text, name


def test_cli_refuses_a_public_host_without_a_token(tmp_path: Path) -> None:
    from workbench.cli import _register, app

    _register()
    result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--workspace", str(tmp_path),
                                      "--notebooks", str(NOTEBOOKS), "--no-browser"],
                                env={"WORKBENCH_TOKEN": "", "WORKBENCH_PASSWORD": ""})
    assert result.exit_code == 1
    assert "needs a token or a password" in result.output


@pytest.mark.parametrize(("path", "versioned", "kept"), [
    ("/voila/labextensions/anywidget/static/remoteEntry.698dcaf7.js", False, True),
    ("/voila/labextensions/anywidget/static/528.d9f5934c.js", False, True),
    ("/voila/labextensions/@jupyter-widgets/jupyterlab-manager/static/7.2a0ce575.js", True, True),
    ("/voila/labextensions/@jupyter-widgets/jupyterlab-manager/static/style.js", False, False),
    ("/voila/labextensions/anywidget/package.json", False, False),
])
def test_only_scripts_named_by_their_content_are_kept_by_the_browser(
        path: str, versioned: bool, kept: bool) -> None:
    from workbench.serve.app import hashed

    assert hashed(path, versioned) is kept


def test_the_pages_settings_carry_the_chart_bundles_address_and_mathjax_2() -> None:
    """What the ``workbench`` template reads to ask for the bundle early; MathJax 2 from this
    server under its base URL when installed (both of JupyterLab's MathJax 2 settings: with
    only one, Voila fills in the other with a CDN's address), neither when not (Voila's own
    MathJax 3); Voila's own settings are kept as they are."""
    from workbench.charts.widget import bundle_route
    from workbench.serve.app import (
        CHART_BUNDLE_KEY,
        MATHJAX_CONFIG,
        MATHJAX_ROUTE,
        page_settings,
    )

    given = {"baseUrl": "/wb/", "federated_extensions": []}
    with_mathjax = page_settings(given, mathjax=True, base_url="/wb/",
                                 notebook_path="board.ipynb")
    assert with_mathjax == {**given, CHART_BUNDLE_KEY: bundle_route(),
                            "fullMathjaxUrl": f"/wb/{MATHJAX_ROUTE}MathJax.js",
                            "mathjaxConfig": MATHJAX_CONFIG}
    without = page_settings(given, base_url="/wb/", notebook_path="board.ipynb")
    assert without == {**given, CHART_BUNDLE_KEY: bundle_route()}
    assert CHART_BUNDLE_KEY not in given, "Voila's dictionary is not changed in place"


def test_mathjax_2_is_found_only_with_the_configuration_the_pages_ask_for(
        tmp_path: Path) -> None:
    from workbench.serve.app import MATHJAX_CONFIG, mathjax_folder

    assert mathjax_folder((str(tmp_path / "none"),)) is None
    (tmp_path / "config").mkdir()
    (tmp_path / "MathJax.js").write_text("", "utf-8")
    assert mathjax_folder((str(tmp_path),)) is None  # MathJax.js without the configuration
    for name in MATHJAX_CONFIG.split(","):
        (tmp_path / "config" / f"{name}.js").write_text("", "utf-8")
    assert mathjax_folder(("/no/such/folder", str(tmp_path))) == tmp_path


def test_scripts_setup_installs_mathjax_2_where_the_server_looks() -> None:
    """Debian's ``libjs-mathjax`` puts MathJax 2 in the first of the folders looked in."""
    from workbench.serve.app import MATHJAX_FOLDERS

    setup = (NOTEBOOKS.parent / "scripts" / "setup").read_text("utf-8")
    assert "libjs-mathjax" in setup and f"{MATHJAX_FOLDERS[0]}/MathJax.js" in setup


def test_kernels_use_unix_sockets_unless_the_temporary_folder_is_too_long() -> None:
    """Linux caps a socket's path at 107 characters (pyzmq binds 107 and refuses 108: "longer
    than 107 characters (sizeof(sockaddr_un.sun_path))"); Voila's folder and
    ``kernel-<id>-ipc-<n>`` take 66 of them (under ``/tmp``: 70 in all)."""
    assert kernel_transport("/tmp") == "ipc"
    assert kernel_transport("/" + "t" * 40) == "ipc"  # 41 + 66 = 107
    assert kernel_transport("/" + "t" * 41) == "tcp"  # 108: would not fit


def test_kernel_messages_reach_the_page_without_waiting_for_acknowledgements() -> None:
    """The server's kernel connections turn Nagle's algorithm off on their socket.

    Tornado leaves it on for a websocket, so a small kernel message that followed another (a
    page's start is about fifteen in a row) waited for the browser's acknowledgement of the
    one before, which Linux delays by 40 ms: seen in Chromium from the kernel's own timestamps,
    35-46 ms per wait, 1-3 ms once it is off (``docs/serving.md``).  Here the server's own
    connection class is opened on a real websocket, and the socket's option is read back.
    """
    import asyncio
    import socket
    import threading

    from jupyter_server.services.kernels.websocket import KernelWebsocketHandler
    from tornado.httpserver import HTTPServer
    from tornado.testing import bind_unused_port
    from tornado.web import Application
    from tornado.websocket import WebSocketHandler, websocket_connect

    from workbench.serve.app import _app_class

    connection_class = _app_class().kernel_websocket_connection_class.default_value

    class Probe(KernelWebsocketHandler):  # type: ignore[misc]
        """Jupyter's kernel websocket, without the login and the kernel a server has."""

        def prepare(self) -> None:
            pass

        def check_origin(self, origin: str) -> bool:
            return True

        def select_subprotocol(self, subprotocols: list[str]) -> None:
            return None

        async def get(self, *args: Any, **kwargs: Any) -> None:
            await WebSocketHandler.get(self, *args, **kwargs)

        def on_close(self) -> None:
            pass

        def open(self) -> None:
            stream = self.ws_connection.stream
            before = stream.socket.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
            try:
                connection_class(websocket_handler=self).connect()
            except AttributeError:  # no kernel here: only the socket is read
                pass
            after = stream.socket.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
            self.write_message(json.dumps([before, after]))

    async def ask() -> list[int]:
        sock, port = bind_unused_port()
        server = HTTPServer(Application([("/ws", Probe)]))
        server.add_sockets([sock])
        client = await websocket_connect(f"ws://127.0.0.1:{port}/ws")
        reply = await client.read_message()
        client.close()
        server.stop()
        return list(json.loads(reply))

    # in a thread of its own: the browser tests' Playwright keeps an event loop in this one
    answer: list[list[int]] = []
    worker = threading.Thread(target=lambda: answer.append(asyncio.run(ask())))
    worker.start()
    worker.join(timeout=60)
    before, after = answer[0]
    assert before == 0, "tornado's default: Nagle's algorithm on"
    assert after == 1, "the workbench's kernel connection turns it off"
