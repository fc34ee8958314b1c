"""Run one notebook for one ward in a worker process: papermill, then an offline HTML report.

:func:`run_one` is what a local worker (or a Dask worker) calls.  It never raises: every outcome
-- success, a cell that raised, a kernel that died, a timeout -- comes back as a plain dict, so
one ward's failure never disturbs the others.  Papermill runs as it ships: its default engine,
a kernel started the ordinary way by jupyter_client, configured (through papermill's public
``config`` argument) to talk over Unix sockets rather than TCP ports (:func:`kernel_config`).
"""

from __future__ import annotations

import functools
import html as htmlmod
import os
import re
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

STARTED = ".started"
"""Marker file a worker writes in the ward's folder when it starts (read by the outer guard)."""

DB_ENV = "WORKBENCH_DB"
"""The store's URL reaches the kernels through this environment variable, never a parameter."""

RUNTIME_ENV = "JUPYTER_RUNTIME_DIR"
"""Jupyter's runtime folder for the kernels, and their temp folder (``TMPDIR``): the run's own
folder, so a kernel that dies with its worker leaves nothing in ``/tmp`` or the user's runtime
folder."""

KERNEL_START_TIMEOUT = 120
"""Seconds a ward's kernel may take to start before the ward fails (papermill's
``start_timeout``, 60 s by default).  A kernel starting on a busy server, beside a Voila server
warming its pages' kernels, once took longer than 60 s in a full test run."""

BUNDLE = "vega.js"
"""The Vega bundle's file name in a run folder; each ward's report loads ``../vega.js``."""

PLAIN_ERRORS = frozenset({"StepRefused", "WorkbenchError", "CatalogueError", "NotFoundError",
                          "RecordError", "StaleRevisionError", "ValidationFailed",
                          "ImportRefused", "PatientDataError", "SPCInputError"})
"""Errors whose message is written for people (the workbench's refusals): shown as they are."""

SOCKET_PREFIX = "@workbench-kernel-"
"""The start of a ward's kernel's socket names (then a fresh id and the channel's number).

The leading ``@`` puts the sockets in Linux's abstract namespace: they are names, not files, so
they need no folder, have no length problem under a deep run folder and vanish with the kernel
even when it is killed."""

_EXTERNAL_SCRIPT = re.compile(r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>",
                              re.IGNORECASE)
_EXTERNAL_LINK = re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>", re.IGNORECASE)
_PASSWORD = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://[^:/?#@\s]*:)[^\s/]*@")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_ENV_LOCK = threading.Lock()


def redact(text: str | None) -> str:
    """*text* with the password of every URL in it replaced by ``***``.

    >>> redact("postgresql://ann:s3cret@db.example/wb")
    'postgresql://ann:***@db.example/wb'
    """
    return _PASSWORD.sub(r"\g<head>***@", text or "")


@functools.cache
def _exporter() -> Any:
    """One HTML exporter per process: building one compiles its templates."""
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                        exclude_output_prompt=True)


def offline_html(nb: Any, bundle: str | None = None) -> str:
    """The executed notebook as HTML without input cells and without anything fetched online.

    nbconvert's ``lab`` template asks a CDN for require.js and MathJax; the reports need neither,
    so those tags are dropped.  When the notebook left charts for the browser to draw
    (:func:`workbench.charts.report_html`) and *bundle* is given (a relative URL of the Vega
    bundle), the page loads it and draws them.
    """
    from workbench.charts.render import DRAW_SCRIPT, REPORT_CLASS

    body, _ = _exporter().from_notebook_node(nb)
    body = _EXTERNAL_SCRIPT.sub("", body)
    body = _EXTERNAL_LINK.sub("", body)
    if bundle and REPORT_CLASS in body:
        scripts = f'<script src="{bundle}"></script>\n<script>{DRAW_SCRIPT}</script>\n'
        at = body.rfind("</body>")
        body = body[:at] + scripts + body[at:] if at >= 0 else body + scripts
    return body


def failure_html(ward: str, title: str, message: str, detail: str) -> str:
    """The report page of a ward that failed: the plain sentence, the technical detail folded.

    Parameters
    ----------
    ward : str
    title : str
        The notebook's name.
    message : str
        What went wrong and how to fix it, in plain words (as in ``run.json`` and the index).
    detail : str
        The traceback or error text, for whoever maintains the workbench.
    """
    from workbench.domain import palette as nhs

    esc = htmlmod.escape
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{esc(title)} for {esc(ward)}: not made</title><style>body{{font-family:"
            f"{nhs.FONT};margin:2em;color:{nhs.NHS_BLACK};max-width:50em}}.wb-failed{{border-left:"
            f"6px solid {nhs.NHS_RED};padding:.5em 1em;background:{nhs.RED_PALE}}}pre{{white-space:pre-wrap;"
            "font-size:85%}</style></head><body>"
            f"<h1>{esc(title)} for {esc(ward)}</h1><div class=\"wb-failed\"><p><b>This report "
            f"could not be made.</b></p><p>{esc(message)}</p></div>"
            "<details><summary>Technical detail (for the workbench team)</summary>"
            f"<pre>{esc(detail)}</pre></details></body></html>")


def _cell_error(nb: Any) -> tuple[str, str, str] | None:
    """The first error output of an executed notebook: name, message and traceback text."""
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                trace = _ANSI.sub("", "\n".join(out.get("traceback") or []))
                return str(out.get("ename", "Error")), str(out.get("evalue", "")), trace
    return None


def plain_error(name: str, message: str, ward: str) -> str:
    """What to tell people about an error called *name* with *message*.

    The workbench's own refusals (:data:`PLAIN_ERRORS`) already say which file or field is wrong
    and how to fix it; anything else is a fault in the notebook or the workbench, described
    without Python's words (those go to the technical detail).
    """
    if name in PLAIN_ERRORS and message:
        return message
    return (f"The notebook stopped with an unexpected error while making the report for ward "
            f"{ward}. Nothing was changed; the technical detail is folded away on the ward's "
            "report page: send it to the workbench team.")


def kernel_config(platform: str = sys.platform) -> Any:
    """The configuration of one ward's kernel: its channels on Unix sockets of its own.

    With TCP (jupyter_client's default) each kernel's five ports are picked while free and bound
    by the kernel a moment later, so two workers starting kernels at once can pick the same port;
    the loser dies before it runs a cell ("kernel died"), and a full test run once failed a
    ward that way.  Sockets named after a fresh id cannot collide.  (The Voila server's kernels
    use socket files named after each kernel instead (``serve.config.kernel_transport``): one
    server-wide setting cannot give each of its kernels a fresh name.)

    Parameters
    ----------
    platform : str
        ``sys.platform``: abstract sockets exist on Linux only.

    Returns
    -------
    traitlets.config.Config or None
        For papermill's ``config`` (handed to nbclient and its kernel manager); None elsewhere
        than Linux (traitlets reads ``config=None`` as no configuration), where kernels keep
        TCP ports on 127.0.0.1.
    """
    if not platform.startswith("linux"):
        return None
    from traitlets.config import Config

    return Config({"KernelManager": {"transport": "ipc",
                                     "ip": f"{SOCKET_PREFIX}{uuid.uuid4().hex}"}})


def _classify(exc: BaseException, ward: str, timeout: Any) -> tuple[str, str, str]:
    """Status, plain message and technical detail of an exception papermill raised."""
    import traceback

    name = type(exc).__name__
    detail = "".join(traceback.format_exception_only(exc)).strip()
    if name == "CellTimeoutError" or isinstance(exc, TimeoutError):
        return "timeout", (f"A step of the notebook ran longer than the {float(timeout):g} s allowed "
                           "per step (--timeout), so the ward was stopped. Rerun it with a "
                           "longer --timeout, or tell the workbench team."), detail
    if name == "DeadKernelError" or "kernel died" in str(exc).lower():
        return "failed", ("The notebook's kernel stopped unexpectedly (it crashed, or was "
                          "killed, for example when the machine ran out of memory). Rerun "
                          "the ward with --resume."), detail
    if name == "PapermillExecutionError":
        ename, evalue = str(getattr(exc, "ename", name)), str(getattr(exc, "evalue", ""))
        return "failed", plain_error(ename, evalue, ward), detail
    return "failed", plain_error(name, str(exc).splitlines()[0] if str(exc) else "", ward), detail


def run_one(task: dict[str, Any]) -> dict[str, Any]:
    """Execute one notebook for one ward and write ``.ipynb`` and ``.html`` into its folder.

    Parameters
    ----------
    task : dict
        ``ward``, ``notebook`` (absolute path), ``folder`` (absolute ward folder, also the cwd),
        ``stem`` (output file name without suffix), ``parameters`` (dict), ``timeout`` (seconds
        per cell), ``kernel`` (kernel name), ``bundle`` (relative URL of the Vega bundle when
        the notebook's charts are left to the browser), ``db`` (the store's URL: given to the
        kernel as ``WORKBENCH_DB``, never written anywhere), ``runtime`` (the folder for the
        kernel's connection file).

    Returns
    -------
    dict
        ``ward``, ``status`` (``ok``, ``failed`` or ``timeout``), ``error`` (plain words),
        ``ipynb``, ``html`` (file names in the folder, or None) and ``seconds``.
    """
    import nbformat
    import papermill as pm

    start = time.monotonic()
    folder = Path(task["folder"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / STARTED).write_text(f"{time.time()}\n", encoding="utf-8")
    ipynb = folder / f"{task['stem']}.ipynb"
    html = folder / f"{task['stem']}.html"
    status, error, detail = "ok", "", ""
    previous = tempfile.tempdir
    try:
        runtime = task.get("runtime")
        if runtime:
            Path(runtime).mkdir(parents=True, exist_ok=True)
        with _ENV_LOCK:  # the kernel inherits this process's environment when it starts
            for name, value in ((DB_ENV, task.get("db")), (RUNTIME_ENV, runtime),
                                ("TMPDIR", runtime)):
                if value:
                    os.environ[name] = value
                else:
                    os.environ.pop(name, None)
        # jupyter_client writes the kernel's connection file with tempfile.mkstemp: into the
        # run's folder (removed when the run ends), so a killed kernel leaves none in /tmp
        tempfile.tempdir = runtime
        pm.execute_notebook(
            task["notebook"], str(ipynb), parameters=task.get("parameters") or {},
            kernel_name=task.get("kernel", "python3"), cwd=str(folder), progress_bar=False,
            log_output=False, execution_timeout=task.get("timeout"),
            start_timeout=task.get("start_timeout", KERNEL_START_TIMEOUT), config=kernel_config())
    except BaseException as exc:  # noqa: BLE001 - every failure is reported, none escapes
        status, error, detail = _classify(exc, task["ward"], task.get("timeout"))
    finally:
        tempfile.tempdir = previous  # a Dask worker's other work keeps its own temp folder
    result: dict[str, Any] = {"ward": task["ward"], "ipynb": None, "html": None}
    try:
        nb = nbformat.read(ipynb, as_version=4) if ipynb.exists() else None
        if nb is not None:
            result["ipynb"] = ipynb.name
            found = _cell_error(nb)
            if found and status != "timeout":
                status, error = "failed", plain_error(found[0], found[1], task["ward"])
                detail = found[2] or f"{found[0]}: {found[1]}"
        if status == "ok" and nb is not None:
            page = offline_html(nb, task.get("bundle"))
        else:
            page = failure_html(task["ward"], task["stem"], error, redact(detail))
        html.write_text(page, encoding="utf-8")
        result["html"] = html.name
    except Exception as exc:  # noqa: BLE001 - a broken output is a failure of this ward
        import traceback

        traceback.print_exc()  # to the run's log
        if status == "ok":
            status, error = "failed", ("The report page could not be written "
                                       f"({type(exc).__name__}); tell the workbench team.")
    result.update(status=status, error=redact(error) or None,
                  seconds=round(time.monotonic() - start, 3))
    return result
