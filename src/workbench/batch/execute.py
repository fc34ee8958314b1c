"""Run one notebook for one ward in a worker process: papermill, then an offline HTML report.

:func:`run_one` is what the pool (or a Dask worker) calls.  It never raises: every outcome --
success, a cell that raised, a kernel that died, a timeout -- comes back as a plain dict, so one
ward's failure never disturbs the others.
"""

from __future__ import annotations

import functools
import os
import re
import time
from pathlib import Path
from typing import Any

STARTED = ".started"
"""Marker file a worker writes in the ward's folder when it starts (read by the outer guard)."""

_EXTERNAL_SCRIPT = re.compile(r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>",
                              re.IGNORECASE)
_EXTERNAL_LINK = re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>", re.IGNORECASE)


BUNDLE = "vega.js"
"""The Vega bundle's file name in a run folder; each ward's report loads ``../vega.js``."""


@functools.cache
def _exporter() -> Any:
    """One HTML exporter per process: building one compiles its templates (about 0.09 s).

    ``optimistic_validation`` checks the notebook once, after all the preprocessors, instead
    of after each of the dozen (most do nothing to a report): the same check, a twelfth of
    the work.
    """
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                        exclude_output_prompt=True, optimistic_validation=True)


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


def _cell_error(nb: Any) -> str | None:
    """The first error output of an executed notebook, as ``Name: message``."""
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return f"{out.get('ename', 'Error')}: {out.get('evalue', '')}".strip()
    return None


def _classify(exc: BaseException) -> tuple[str, str]:
    name = type(exc).__name__
    if name == "PapermillExecutionError":
        return "failed", f"{getattr(exc, 'ename', 'Error')}: {getattr(exc, 'evalue', '')}"
    if name in ("CellTimeoutError", "TimeoutError") or "timed out" in str(exc).lower():
        return "timeout", f"timed out: {str(exc).splitlines()[0] if str(exc) else name}"
    if name == "DeadKernelError" or "kernel died" in str(exc).lower():
        return "failed", "the notebook's kernel died (it crashed or was killed)"
    first = str(exc).splitlines()[0] if str(exc) else ""
    return "failed", f"{name}: {first}"


_settled: list[bool] = []


def settle_worker() -> None:
    """Do a worker's imports and a rehearsal HTML export once, then move everything they made
    out of the garbage collector's way (``gc.freeze``).

    The forkserver that starts the local workers does this once (:mod:`workbench.batch.settled`),
    so each worker it forks starts settled; a Dask worker settles on its first ward.

    A worker holds about 175,000 objects from papermill, nbconvert and jupyter_client that
    live as long as it does; without this, every full collection walks them all again (about
    60 ms, every few wards).
    """
    if _settled:
        return
    import gc

    from workbench._quiet import skip_iri_grammar

    skip_iri_grammar()

    import jupyter_client.manager  # noqa: F401
    import nbformat  # noqa: F401
    import papermill  # noqa: F401

    from workbench.batch import engine, kernels  # noqa: F401
    from workbench.charts import render  # noqa: F401

    _rehearse_export()
    try:  # finding the kernel's spec the first time imports ipykernel's (about 0.1 s)
        from jupyter_client.kernelspec import KernelSpecManager

        KernelSpecManager().get_kernel_spec("python3")
    except Exception:  # noqa: BLE001 - each run looks it up itself and reports any problem
        pass
    gc.collect()
    gc.freeze()
    _settled.append(True)


def _rehearse_export() -> None:
    """Export a small made-up notebook once and throw the page away.

    nbconvert compiles its templates, CSS selectors and regular expressions on the first
    export, not when the exporter is built: about 0.6 s of a fresh worker's first report.
    """
    import nbformat.v4 as v4

    html_out = v4.new_output("display_data", data={"text/html": "<p>A figure &amp; its "
                                                   "words &mdash; &#39;here&#39;</p>",
                                                   "text/plain": "A figure"})
    nb = v4.new_notebook(cells=[
        v4.new_markdown_cell("# A *report*\n\nWords, a [link](a.html) and a list:\n\n- one\n"
                             "- two"),
        v4.new_code_cell("x", outputs=[html_out, v4.new_output("stream", name="stdout",
                                                               text="words\n")]),
        v4.new_code_cell("y", outputs=[v4.new_output("error", ename="StepRefused",
                                                     evalue="ward: unknown",
                                                     traceback=["StepRefused: ward: unknown"])]),
    ])
    offline_html(nb, f"../{BUNDLE}")


def run_one(task: dict[str, Any]) -> dict[str, Any]:
    """Execute one notebook for one ward and write ``.ipynb`` and ``.html`` into its folder.

    Parameters
    ----------
    task : dict
        ``ward``, ``notebook`` (absolute path), ``folder`` (absolute ward folder, also the cwd),
        ``stem`` (output file name without suffix), ``parameters`` (dict), ``timeout`` (seconds
        per cell), ``kernel`` (kernel name), ``charts`` (``"browser"``: charts are left for
        the browser to draw with the run's ``vega.js``; else inline SVG), ``warm`` (the socket
        of the runner's warm kernel server; without it this process starts its own).

    Returns
    -------
    dict
        ``ward``, ``status`` (``ok``, ``failed`` or ``timeout``), ``error``, ``ipynb``, ``html``
        (file names in the folder, or None) and ``seconds``.
    """
    settle_worker()
    import nbformat
    import papermill as pm

    from workbench.batch.engine import register
    from workbench.batch.kernels import notebook_imports, warm_kernel_manager
    from workbench.charts.render import REPORT_CHARTS

    start = time.monotonic()
    browser = task.get("charts") == "browser"
    if browser:  # the kernel inherits this process's environment
        os.environ[REPORT_CHARTS] = "browser"
    else:
        os.environ.pop(REPORT_CHARTS, None)
    folder = Path(task["folder"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / STARTED).write_text(f"{time.time()}\n", encoding="utf-8")
    ipynb = folder / f"{task['stem']}.ipynb"
    html = folder / f"{task['stem']}.html"
    status, error = "ok", None
    executed = None
    try:
        preload = () if task.get("warm") else notebook_imports(
            nbformat.read(task["notebook"], as_version=4))
        executed = pm.execute_notebook(
            task["notebook"], str(ipynb), parameters=task.get("parameters") or {},
            kernel_name=task.get("kernel", "python3"), cwd=str(folder), progress_bar=False,
            log_output=False, execution_timeout=task.get("timeout"),
            start_timeout=task.get("start_timeout", 60),
            kernel_manager_class=warm_kernel_manager(preload, task.get("warm")),
            engine_name=register())
    except BaseException as exc:  # noqa: BLE001 - every failure is reported, none escapes
        status, error = _classify(exc)
    result: dict[str, Any] = {"ward": task["ward"], "status": status, "error": error,
                              "ipynb": None, "html": None}
    if ipynb.exists():
        result["ipynb"] = ipynb.name
        try:
            # papermill returns what it wrote; a run that raised is read back from its file
            nb = executed if executed is not None else nbformat.read(ipynb, as_version=4)
            exception = nb.metadata.get("papermill", {}).get("exception")
            if exception and status == "ok":
                status, error = "failed", _cell_error(nb) or "the notebook raised an exception"
            elif status == "failed" and error and error.startswith("PapermillExecutionError"):
                error = _cell_error(nb) or error
            html.write_text(offline_html(nb, f"../{BUNDLE}" if browser else None),
                            encoding="utf-8")
            result["html"] = html.name
        except Exception as exc:  # noqa: BLE001 - a broken output is a failure of this ward
            if status == "ok":
                status, error = "failed", f"could not write the HTML report: {exc}"
    result.update(status=status, error=error, seconds=round(time.monotonic() - start, 3))
    return result
