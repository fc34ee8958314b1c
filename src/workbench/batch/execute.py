"""Run one notebook for one ward in a worker process: papermill, then an offline HTML report.

:func:`run_one` is what the pool (or a Dask worker) calls.  It never raises: every outcome --
success, a cell that raised, a kernel that died, a timeout -- comes back as a plain dict, so one
ward's failure never disturbs the others.
"""

from __future__ import annotations

import functools
import re
import time
from pathlib import Path
from typing import Any

STARTED = ".started"
"""Marker file a worker writes in the ward's folder when it starts (read by the outer guard)."""

_EXTERNAL_SCRIPT = re.compile(r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>",
                              re.IGNORECASE)
_EXTERNAL_LINK = re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>", re.IGNORECASE)


def offline_html(nb: Any) -> str:
    """The executed notebook as HTML without input cells and without anything fetched online.

    nbconvert's ``lab`` template asks a CDN for require.js and MathJax; the reports need neither
    (charts are inline SVG), so those tags are dropped.
    """
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nb)
    body = _EXTERNAL_SCRIPT.sub("", body)
    return _EXTERNAL_LINK.sub("", body)


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


@functools.lru_cache(maxsize=1)
def local_kernel_manager() -> type:
    """A kernel manager that talks to its kernel over unix sockets (IPC), not TCP.

    Batch kernels run on the same machine as the runner, so IPC is the natural transport, and
    it spares the analyst one "running over TCP without encryption" warning per ward.
    """
    from jupyter_client.manager import AsyncKernelManager

    class LocalKernelManager(AsyncKernelManager):
        """:class:`AsyncKernelManager` defaulting to the IPC transport."""

        def __init__(self, **kwargs: Any) -> None:
            kwargs.setdefault("transport", "ipc")
            super().__init__(**kwargs)

    return LocalKernelManager


def run_one(task: dict[str, Any]) -> dict[str, Any]:
    """Execute one notebook for one ward and write ``.ipynb`` and ``.html`` into its folder.

    Parameters
    ----------
    task : dict
        ``ward``, ``notebook`` (absolute path), ``folder`` (absolute ward folder, also the cwd),
        ``stem`` (output file name without suffix), ``parameters`` (dict), ``timeout`` (seconds
        per cell), ``kernel`` (kernel name).

    Returns
    -------
    dict
        ``ward``, ``status`` (``ok``, ``failed`` or ``timeout``), ``error``, ``ipynb``, ``html``
        (file names in the folder, or None) and ``seconds``.
    """
    import nbformat
    import papermill as pm

    start = time.monotonic()
    folder = Path(task["folder"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / STARTED).write_text(f"{time.time()}\n", encoding="utf-8")
    ipynb = folder / f"{task['stem']}.ipynb"
    html = folder / f"{task['stem']}.html"
    status, error = "ok", None
    try:
        pm.execute_notebook(
            task["notebook"], str(ipynb), parameters=task.get("parameters") or {},
            kernel_name=task.get("kernel", "python3"), cwd=str(folder), progress_bar=False,
            log_output=False, execution_timeout=task.get("timeout"),
            start_timeout=task.get("start_timeout", 60),
            kernel_manager_class=local_kernel_manager())
    except BaseException as exc:  # noqa: BLE001 - every failure is reported, none escapes
        status, error = _classify(exc)
    result: dict[str, Any] = {"ward": task["ward"], "status": status, "error": error,
                              "ipynb": None, "html": None}
    if ipynb.exists():
        result["ipynb"] = ipynb.name
        try:
            nb = nbformat.read(ipynb, as_version=4)
            exception = nb.metadata.get("papermill", {}).get("exception")
            if exception and status == "ok":
                status, error = "failed", _cell_error(nb) or "the notebook raised an exception"
            elif status == "failed" and error and error.startswith("PapermillExecutionError"):
                error = _cell_error(nb) or error
            html.write_text(offline_html(nb), encoding="utf-8")
            result["html"] = html.name
        except Exception as exc:  # noqa: BLE001 - a broken output is a failure of this ward
            if status == "ok":
                status, error = "failed", f"could not write the HTML report: {exc}"
    result.update(status=status, error=error, seconds=round(time.monotonic() - start, 3))
    return result
