"""Run Voila for the workbench: the template path, a redirect from ``/``, the environment."""

from __future__ import annotations

import os
from typing import Any

from workbench.charts.widget import BUNDLE_ENV, bundle_route
from workbench.serve.config import ServeOptions, share_dir

HOME = "voila/render/home.ipynb"
"""Where ``/`` leads (relative to the server's base URL)."""

XSRF = "workbench/xsrf"
"""Every page asks this address once (see the ``workbench`` template): the answer sets the
``_xsrf`` cookie, which Voila's "shut my kernel down" request on leaving a page must carry.
Voila's own pages never set it, so without this that request was refused (403) and the kernel
lingered until culled."""


def _app_class() -> Any:
    """Voila's application with ``/`` redirecting to the landing page (imported lazily)."""
    from jupyter_server.base.handlers import JupyterHandler
    from jupyter_server.utils import url_path_join
    from tornado.web import RedirectHandler, authenticated
    from voila.app import Voila

    from workbench.charts.render import vega_bundle

    class XsrfCookieHandler(JupyterHandler):  # type: ignore[misc]
        """Answers 204 and sets the ``_xsrf`` cookie (tornado sets it when the token is read)."""

        @authenticated  # type: ignore[misc]
        def get(self) -> None:
            _ = self.xsrf_token
            self.set_status(204)
            self.finish()

    class VegaBundleHandler(JupyterHandler):  # type: ignore[misc]
        """The Vega bundle the pages' charts draw with (:mod:`workbench.charts.widget`).

        Its address names the versions inside it, so the browser may keep it for a year and
        never asks again: each page then carries only its charts' specs.
        """

        def initialize(self, body: bytes) -> None:
            self.body = body

        @authenticated  # type: ignore[misc]
        def get(self) -> None:
            self.set_header("Content-Type", "text/javascript; charset=utf-8")
            self.set_header("Cache-Control", "private, max-age=31536000, immutable")
            self.finish(self.body)

    class WorkbenchVoila(Voila):  # type: ignore[misc]
        """Voila in directory mode whose root is the workbench's landing page."""

        name = "workbench-voila"

        def stop(self) -> None:
            """Stop the kernels at once (Ctrl+C, SIGTERM): interrupted, then killed.

            Voila asks each kernel to shut down and waits.  A warm kernel is in the middle of a
            cell (waiting for its page's address), so the interrupt ends that cell while the
            shutdown request closes the kernel's sockets, and the kernel printed a traceback
            ("ZMQError: Socket operation on non-socket") as it stopped.  Pages keep no state in
            their kernels (every save is written before its message shows), so nothing is
            lost by not waiting.
            """
            import shutil

            from jupyter_core.utils import run_sync

            shutil.rmtree(self.connection_dir, ignore_errors=True)
            run_sync(self.kernel_manager.shutdown_all)(now=True)

        def init_handlers(self) -> list[Any]:
            handlers: list[Any] = super().init_handlers()
            home = url_path_join(self.server_url, HOME)
            xsrf = url_path_join(self.server_url, XSRF)
            vega = url_path_join(self.server_url, bundle_route())
            return [(self.server_url, RedirectHandler, {"url": home}),
                    (xsrf, XsrfCookieHandler),
                    (vega, VegaBundleHandler, {"body": vega_bundle().encode("utf-8")}),
                    *handlers]

    return WorkbenchVoila


def kernel_env(workspace: str | None, db: str | None) -> dict[str, str]:
    """Environment for the server and its kernels: the workspace, the store, the template path,
    and the address of the Vega bundle the server serves (so the kernels' charts load it from
    there instead of carrying it)."""
    env: dict[str, str] = {}
    if workspace:
        env["WORKBENCH_HOME"] = str(workspace)
    if db:
        env["WORKBENCH_DB"] = db
    paths = [str(share_dir()), *[p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep)
                                 if p]]
    env["JUPYTER_PATH"] = os.pathsep.join(dict.fromkeys(paths))
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    env[BUNDLE_ENV] = bundle_route()
    return env


def run(options: ServeOptions, *, workspace: str | None = None, db: str | None = None) -> None:
    """Serve until interrupted (Ctrl+C or SIGTERM stops the server and its kernels).

    Parameters
    ----------
    options : ServeOptions
        Checked first; an unsafe host without a token is refused.
    workspace, db : str, optional
        Passed to every kernel as ``WORKBENCH_HOME`` and ``WORKBENCH_DB``.
    """
    options.check()
    os.environ.update(kernel_env(workspace, db))
    if options.open_browser:
        import threading
        import webbrowser

        threading.Timer(1.5, webbrowser.open, args=(options.url(),)).start()
    app = _app_class()
    app.launch_instance(argv=options.voila_argv())
