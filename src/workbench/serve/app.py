"""Run Voila for the workbench: the template path, a redirect from ``/``, the environment."""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import Any

from workbench.charts.widget import BUNDLE_ENV, bundle_route, bundle_script
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
    from jupyter_server.base.handlers import FileFindHandler, JupyterHandler
    from jupyter_server.services.kernels.connection.channels import (
        ZMQChannelsWebsocketConnection,
    )
    from jupyter_server.utils import url_path_join
    from tornado.web import RedirectHandler, authenticated
    from traitlets import Type
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

    class LabextensionFiles(FileFindHandler):  # type: ignore[misc]
        """Voila's route for the widgets' scripts (``/voila/labextensions/``), with the scripts
        whose names carry their content's hash kept by the browser.

        Voila serves every file there as ``no-cache``, so each page asked the server again for
        about twenty unchanged scripts, in chains of two and three round trips.  A file whose
        name holds a hash of its content (or that is asked for with ``?v=<hash>``) changes
        name when its content changes, so the browser may keep it (:func:`hashed`); anything
        else keeps Voila's ``no-cache``.
        """

        def set_headers(self) -> None:
            super().set_headers()
            if hashed(self.request.path, "v" in self.request.arguments):
                self.set_header("Cache-Control", "public, max-age=31536000, immutable")

    class MathJaxFiles(FileFindHandler):  # type: ignore[misc]
        """MathJax 2's files (:func:`mathjax_folder`).  MathJax asks for each file it loads with
        its own version (``?V=2.7.9``), so those are kept by the browser; ``MathJax.js`` itself
        is asked for without it and keeps ``no-cache``, so a new MathJax is seen at once."""

        def set_headers(self) -> None:
            super().set_headers()
            if "V" in self.request.arguments:
                self.set_header("Cache-Control", "public, max-age=31536000, immutable")

    class PromptConnection(ZMQChannelsWebsocketConnection):  # type: ignore[misc]
        """A page's connection to its kernel that sends each message as soon as it is ready.

        Tornado leaves Nagle's algorithm on for a websocket unless asked
        (``WebSocketHandler.set_nodelay``), so a small kernel message that followed another
        waited for the browser's acknowledgement of the one before, which Linux delays by
        40 ms.  A page's start is about fifteen small messages in a row (the kernel's status,
        its info, the widgets' state) and waited so two or three times; each click's answer
        (busy, the widgets' changes, idle) once or twice.  Seen in Chromium from the kernel's
        own timestamps: 35-46 ms per wait before, 1-3 ms apart after.  Voila takes this class as its
        ``kernel_websocket_connection_class`` setting.
        """

        def connect(self) -> Any:
            self.websocket_handler.set_nodelay(True)
            return super().connect()

    class WorkbenchVoila(Voila):  # type: ignore[misc]
        """Voila in directory mode whose root is the workbench's landing page."""

        name = "workbench-voila"
        kernel_websocket_connection_class = Type(PromptConnection,
                                                 klass=ZMQChannelsWebsocketConnection)

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

        def init_settings(self) -> Any:
            # before Voila builds its kernel manager, which renders the warm kernels' pages
            self.mathjax = mathjax_folder()
            self.voila_configuration.page_config_hook = functools.partial(
                page_settings, mathjax=self.mathjax is not None)
            if self.mathjax is None:
                self.log.info("MathJax 2 is not installed (%s): the pages use Voila's own "
                              "MathJax 3", " or ".join(MATHJAX_FOLDERS))
            return super().init_settings()

        def init_handlers(self) -> list[Any]:
            handlers: list[Any] = super().init_handlers()
            home = url_path_join(self.server_url, HOME)
            xsrf = url_path_join(self.server_url, XSRF)
            vega = url_path_join(self.server_url, bundle_route())
            mathjax = url_path_join(self.server_url, MATHJAX_ROUTE, "(.*)")
            scripts = url_path_join(self.server_url, r"/voila/labextensions/(.*)")
            return [(self.server_url, RedirectHandler, {"url": home}),
                    (xsrf, XsrfCookieHandler),
                    # before Voila's own route for the same addresses, so this one answers
                    (scripts, LabextensionFiles,
                     {"path": self.labextensions_path, "no_cache_paths": ["/"]}),
                    (vega, VegaBundleHandler,
                     {"body": bundle_script(vega_bundle()).encode("utf-8")}),
                    *([(mathjax, MathJaxFiles, {"path": str(self.mathjax),
                                                 "no_cache_paths": ["/"]})]
                      if self.mathjax is not None else []),
                    *handlers]

    return WorkbenchVoila


CHART_BUNDLE_KEY = "workbenchChartBundle"
"""The page setting that carries the Vega bundle's address (relative to the server's base URL),
read by the ``workbench`` template."""


MATHJAX_FOLDERS = ("/usr/share/javascript/mathjax",)
"""Where MathJax 2 is looked for: Debian's ``libjs-mathjax`` (``scripts/setup`` installs it)."""

MATHJAX_CONFIG = "TeX-AMS_CHTML-full,Safe"
"""The MathJax 2 configuration the pages ask for: JupyterLab's own for MathJax 2 (TeX input,
CommonHTML output, MathJax's ``Safe`` extension)."""

MATHJAX_ROUTE = "workbench/mathjax/"
"""Where the server serves MathJax 2's files (relative to its base URL)."""


def mathjax_folder(folders: tuple[str, ...] = MATHJAX_FOLDERS) -> Path | None:
    """The first of *folders* holding MathJax 2 with :data:`MATHJAX_CONFIG`'s files, or None."""
    needed = ["MathJax.js", *(f"config/{name}.js" for name in MATHJAX_CONFIG.split(","))]
    for folder in map(Path, folders):
        if all((folder / name).is_file() for name in needed):
            return folder
    return None


def page_settings(page_config: dict[str, Any], *, mathjax: bool = False,
                  **context: Any) -> dict[str, Any]:
    """Voila's ``page_config_hook``: the page settings with the Vega bundle's address and, when
    MathJax 2 is installed (*mathjax*), MathJax 2 from this server.

    * ``workbenchChartBundle`` (:data:`CHART_BUNDLE_KEY`): the ``workbench`` template asks the
      browser to fetch and compile the bundle as soon as a page that draws charts (notebook
      metadata ``workbench.charts``) starts to arrive, while its cells still run, instead of
      when the first chart's widget is drawn.
    * ``fullMathjaxUrl`` and ``mathjaxConfig`` (JupyterLab's settings for MathJax 2): Voila
      typesets an empty paragraph on every page as it starts.  With neither set it uses the
      MathJax 3 inside its own scripts, and that first typesetting loaded and ran about 0.9 MB
      of MathJax 3 and all its TeX packages while the page's widgets were being drawn (about
      0.1 s of every page).  MathJax 2 loads one small script and a configuration, as the
      browser has time; mathematics in a page still shows.  Both settings are set or neither:
      with only one, Voila fills in the other with a CDN's address.

    Parameters
    ----------
    page_config : dict
        Voila's settings for the page; not changed in place.
    mathjax : bool
        MathJax 2 is served at :data:`MATHJAX_ROUTE` (:func:`mathjax_folder` found it).
    **context
        What Voila passes besides (``base_url``, ``notebook_path``, ...).

    Returns
    -------
    dict
        The settings with the chart bundle's address added, and MathJax 2's two settings.
    """
    from jupyter_server.utils import url_path_join

    settings = {**page_config, CHART_BUNDLE_KEY: bundle_route()}
    if mathjax:
        base = context.get("base_url") or "/"
        settings.update(fullMathjaxUrl=url_path_join(base, MATHJAX_ROUTE, "MathJax.js"),
                        mathjaxConfig=MATHJAX_CONFIG)
    return settings


HASHED_NAME = re.compile(r"[.-][0-9a-f]{8,}\.js$")
"""A script whose file name ends in a hash of its content (``remoteEntry.698dcaf7.js``,
``528.d9f5934c.js``): webpack names the widgets' scripts so."""


def hashed(path: str, versioned: bool) -> bool:
    """True when the script at *path* cannot change without changing its address: its name
    ends in a content hash, or it was asked for with ``?v=<hash>`` (*versioned*), as
    JupyterLab asks for the chunks it loads."""
    return versioned or HASHED_NAME.search(path) is not None


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
