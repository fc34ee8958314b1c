"""Run a step notebook for many wards: outputs, a manifest and an index per run.

Layout of a run::

    <out>/<run-id>/run.json                 the manifest (what ran, how, each ward's outcome)
    <out>/<run-id>/index.html               every ward: status, links, icon summary
    <out>/<run-id>/<ward>/<notebook>.ipynb  the executed notebook
    <out>/<run-id>/<ward>/<notebook>.html   its report (no input cells, nothing fetched online)
    <out>/<run-id>/vega.js                  the Vega bundle the reports draw their charts with

Batch runs pass ``interactive=False``: the notebooks record nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import signal
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench import shipped_notebooks
from workbench.batch.execute import BUNDLE, redact
from workbench.domain.errors import NotFoundError, WorkbenchError
from workbench.store.workspace import Workspace

MANIFEST = "run.json"
RUNTIME = ".jupyter-runtime"
"""The kernels' connection files while a run goes (removed when it ends)."""
LOG = "batch.log"
"""The local workers' and kernels' own output (warnings, a crash's traceback), per run."""
GRACE = 60.0
"""Seconds on top of the per-ward timeout before the outer guard stops a ward."""
RUN_ID = re.compile(r"\d{8}T\d{6}Z-[A-Za-z0-9_-]+")
"""What a run folder made by :func:`run_batch` is called (UTC start time, then the notebook)."""


class BatchStopped(KeyboardInterrupt):
    """The run was stopped (Ctrl-C or SIGTERM); its manifest marks the unfinished wards.

    Attributes
    ----------
    run_id : str
    folder : Path
    """

    def __init__(self, run_id: str, folder: Path) -> None:
        super().__init__(f"run {run_id} stopped")
        self.run_id, self.folder = run_id, folder


@dataclass(frozen=True)
class BatchResult:
    """What a run did.

    Attributes
    ----------
    run_id : str
    folder : Path
        The run folder (holds ``run.json`` and ``index.html``).
    wards : dict
        Per ward: ``status``, ``error``, ``folder``, ``ipynb``, ``html``, ``seconds``.
    """

    run_id: str
    folder: Path
    wards: dict[str, dict[str, Any]]

    @property
    def failed(self) -> dict[str, str]:
        """Wards that did not finish, with their error."""
        return {w: str(i.get("error") or i.get("status")) for w, i in self.wards.items()
                if i.get("status") != "ok"}

    @property
    def index(self) -> Path:
        """The run's index page."""
        return self.folder / "index.html"


def safe_name(ward: str) -> str:
    """A folder name for *ward* that is safe on every file system, whatever the id holds."""
    clean = re.sub(r"[^A-Za-z0-9_-]+", "_", ward).strip("_-")[:48]
    if clean == ward and clean:
        return clean
    digest = hashlib.sha256(ward.encode("utf-8")).hexdigest()[:8]
    return f"{clean or 'ward'}-{digest}"


def find_notebook(name: str, ws: Workspace) -> Path:
    """The notebook file for *name* (a path, or a step name such as ``04_check_result``)."""
    candidates = [Path(name)]
    file = name if name.endswith(".ipynb") else f"{name}.ipynb"
    candidates += [ws.root / "notebooks" / file, shipped_notebooks() / file,
                   Path.cwd() / "notebooks" / file]
    for path in candidates:
        if path.is_file() and path.suffix == ".ipynb":
            return path.resolve()
    raise NotFoundError(f"notebook: no notebook '{name}' (looked in the workspace's and the "
                        "workbench's notebooks/ folders); give a step name such as "
                        "04_check_result or a path to an .ipynb file.")


def _new_run_id(out: Path, notebook: str) -> str:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    base = f"{stamp}-{re.sub(r'[^A-Za-z0-9_-]+', '_', notebook)}"
    run_id, k = base, 1
    while (out / run_id).exists():
        k += 1
        run_id = f"{base}-{k}"
    return run_id


def _choose_wards(ws: Workspace, wards: str | list[str] | None) -> list[str]:
    from workbench.services.wards import list_wards

    known = [w.id for w in list_wards(ws)]
    if wards is None or wards == "all" or wards == ["all"]:
        if not known:
            raise NotFoundError(f"wards: the workspace {ws.root} has no wards; run "
                                "`workbench demo` or add pdsa/wards.yaml")
        return known
    chosen = [w.strip() for w in (wards.split(",") if isinstance(wards, str) else wards)
              if w.strip()]
    unknown = [w for w in chosen if w not in known]
    if unknown or not chosen:
        raise NotFoundError(f"wards: unknown ward(s) {', '.join(unknown) or '(none given)'}; "
                            f"known wards: {', '.join(known) or 'none'}")
    return list(dict.fromkeys(chosen))


@contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """Treat SIGTERM like Ctrl-C while wards run, so the workers and kernels are stopped too."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt(f"stopped by signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _save(folder: Path, manifest: dict[str, Any]) -> None:
    tmp = folder / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest, indent=2, sort_keys=False), encoding="utf-8")
    os.replace(tmp, folder / MANIFEST)


def _lower_priority() -> None:
    """Lower the calling thread's scheduling priority (Linux: a thread has its own nice)."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    except (AttributeError, OSError):
        pass


def declared_parameters(path: Path) -> set[str]:
    """Names assigned in the notebook's ``parameters`` cell (read as JSON: no imports)."""
    try:
        nb = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return set()
    for cell in nb.get("cells", []):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            source = "".join(cell.get("source", ""))
            return set(re.findall(r"^([A-Za-z_]\w*)\s*(?::[^=]*)?=", source, re.MULTILINE))
    return set()


def _open_run(out: Path, resume: str, ws: Workspace) -> tuple[Path, dict[str, Any]]:
    """The folder and manifest of run *resume* under *out*, if it is this workspace's."""
    folder = out / resume
    if not RUN_ID.fullmatch(resume) or not (folder / MANIFEST).is_file():
        raise NotFoundError(f"resume: no run '{resume}' in {out}; give the id of a run in that "
                            "folder (its name, such as 20261126T111046Z-04_check_result)")
    manifest: dict[str, Any] = json.loads((folder / MANIFEST).read_text("utf-8"))
    if manifest.get("run_id") != resume or manifest.get("workspace") != str(ws.root):
        raise WorkbenchError(f"resume: run '{resume}' belongs to the workspace "
                             f"{manifest.get('workspace')}, not {ws.root}; give that "
                             "workspace with --workspace")
    if manifest.get("db") != redact(ws.db_url):
        raise WorkbenchError(f"resume: run '{resume}' read the store {manifest.get('db')}, not "
                             f"{redact(ws.db_url)}; give the same one with --db or WORKBENCH_DB")
    return folder, manifest


def prune_runs(out: Path, keep: int, current: str | None = None) -> list[str]:
    """Delete all but the newest *keep* runs under *out* (*current* counts as one); the ids
    deleted.

    Only folders this tool made are touched: a name like a run id holding a ``run.json`` of that
    run id.  The *current* run is never deleted (nor counted), and neither is a run whose
    manifest changed in the last hour without saying it finished (it may still be running).
    """
    if keep < 0:
        raise WorkbenchError(f"keep: {keep} is negative; give how many runs to keep (0 or more)")
    runs = []
    for folder in sorted(out.iterdir()) if out.is_dir() else []:
        if folder.name == current or folder.is_symlink() or not RUN_ID.fullmatch(folder.name):
            continue
        try:
            manifest = json.loads((folder / MANIFEST).read_text("utf-8"))
            changed = (folder / MANIFEST).stat().st_mtime
        except (OSError, ValueError):
            continue
        if manifest.get("run_id") != folder.name:
            continue
        if not manifest.get("finished") and dt.datetime.now().timestamp() - changed < 3600:
            continue
        runs.append((str(manifest.get("created", "")), folder.name, folder))
    runs.sort()
    others = max(0, keep - 1) if current else keep  # the current run is one of the *keep*
    doomed = runs[:max(0, len(runs) - others)]
    for _created, _name, folder in doomed:
        shutil.rmtree(folder)
    return [name for _created, name, _folder in doomed]


def ship_bundle(folder: Path, out: Path) -> Path:
    """Put the Vega bundle in the run folder (built once per reports folder, then copied).

    The reports' charts are drawn by the browser (nothing is fetched: the bundle comes from
    ``vl-convert``).  Building it costs about 1.4 s, so ``<out>/.vega-<versions>.js`` keeps it
    for later runs.
    """
    from importlib.metadata import version

    from workbench.charts.render import vega_bundle, vl_version

    cache = out / f".vega-{version('vl-convert-python')}-{vl_version()}.js"
    if not cache.is_file():
        tmp = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
        tmp.write_text(vega_bundle(), encoding="utf-8")
        os.replace(tmp, cache)
    target = folder / BUNDLE
    if not target.is_file():
        tmp = folder / f".{BUNDLE}.tmp"
        shutil.copyfile(cache, tmp)
        os.replace(tmp, target)
    return target


def _outputs_ok(folder: Path, info: dict[str, Any]) -> bool:
    return info.get("status") == "ok" and all(
        info.get(k) and (folder / info["folder"] / info[k]).is_file() for k in ("ipynb", "html"))


def run_batch(ws: Workspace, *, notebook: str = "04_check_result",
              wards: str | list[str] | None = None, jobs: int | None = None,
              scheduler: Any = None, out: Path | None = None, resume: str | None = None,
              timeout: float = 600.0, grace: float = GRACE,
              parameters: dict[str, Any] | None = None, progress: bool = True,
              keep: int | None = None) -> BatchResult:
    """Run *notebook* once per ward and write the reports, the manifest and the index.

    Parameters
    ----------
    ws : Workspace
        Its folder is every notebook's ``workspace``; its store's URL reaches the kernels as
        ``WORKBENCH_DB`` (never a parameter, never written: ``run.json`` holds it redacted).
    notebook : str
        Step name (``04_check_result``) or a path to a notebook.
    wards : str or list, optional
        ``"all"`` (default) or ward ids (a list, or a comma-separated string).
    jobs : int, optional
        Local worker processes (default: the number of cores).
    scheduler : str or distributed.Client, optional
        Run on this Dask cluster instead of local workers.
    out : Path, optional
        Folder of runs (default ``<workspace>/reports``).
    resume : str, optional
        The id of a run of this workspace under *out*: rerun only its failed or missing wards.
    timeout : float
        Seconds a ward's cell may run (papermill); the outer guard allows ``timeout + grace``.
    parameters : dict, optional
        Extra notebook parameters (ISO strings for dates).
    progress : bool
        Show a progress bar naming each ward as it finishes.
    keep : int, optional
        Afterwards, delete older runs under *out* so that *keep* remain, this one included
        (:func:`prune_runs`).

    Raises
    ------
    NotFoundError
        Unknown notebook, ward or run to resume (nothing is run).
    BatchStopped
        Ctrl-C or SIGTERM: the workers were stopped, the manifest and index written.
    """
    from workbench.batch.index import icon_summary, write_index
    from workbench.batch.pools import run_dask, run_local

    out = (out or ws.reports).resolve()
    if resume:
        folder, manifest = _open_run(out, resume, ws)
        nb_path = Path(manifest["notebook_path"])
        names = list(manifest["wards"]) if wards is None else _choose_wards(ws, wards)
        params = {**manifest.get("parameters", {}), **(parameters or {})}
    else:
        nb_path = find_notebook(notebook, ws)
        names = _choose_wards(ws, wards)
        run_id = _new_run_id(out, nb_path.stem)
        folder = out / run_id
        params = dict(parameters or {})
        manifest = {"run_id": run_id, "notebook": nb_path.stem, "notebook_path": str(nb_path),
                    "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    "workspace": str(ws.root), "db": redact(ws.db_url), "parameters": params,
                    "wards": {}}
    as_of = params.get("as_of") or None
    try:
        day = dt.date.fromisoformat(as_of) if as_of else None
    except ValueError as exc:
        raise WorkbenchError(f"as_of: '{as_of}' is not a date; write it as YYYY-MM-DD") from exc
    if not nb_path.is_file():
        raise NotFoundError(f"notebook: {nb_path} no longer exists; start a new run")
    folder.mkdir(parents=True, exist_ok=True)
    manifest.update(timeout=timeout, jobs=jobs or os.cpu_count() or 1,
                    scheduler=None if scheduler is None else redact(str(scheduler)))
    manifest.pop("finished", None)
    for ward in names:
        manifest["wards"].setdefault(ward, {"folder": safe_name(ward), "status": "missing"})
    todo = [w for w in names if not _outputs_ok(folder, manifest["wards"][w])]
    base = {**params, "workspace": str(ws.root), "interactive": False}
    browser = "charts" in declared_parameters(nb_path)
    if browser:  # the notebook leaves its charts to the browser, which draws them with vega.js
        base["charts"] = "browser"
    tasks = [{"ward": w, "safe": manifest["wards"][w]["folder"], "run_id": manifest["run_id"],
              "notebook": str(nb_path), "folder": str(folder / manifest["wards"][w]["folder"]),
              "stem": nb_path.stem, "parameters": {**base, "ward": w}, "timeout": timeout,
              "kernel": "python3", "db": ws.db_url, "bundle": f"../{BUNDLE}" if browser else None,
              "runtime": str(folder / RUNTIME)} for w in todo]
    _save(folder, manifest)
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(tasks), desc=f"{nb_path.stem}", unit="ward")

    def report(result: dict[str, Any]) -> None:
        info = manifest["wards"][result["ward"]]
        info.update({k: result.get(k) for k in ("status", "error", "ipynb", "html", "seconds")})
        info["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        _save(folder, manifest)
        if bar is not None:
            bar.set_postfix_str(f"{result['ward']}: {result['status']}")
            bar.update(1)

    # The reports' Vega bundle and the index's icon summary are made while the wards run (the
    # parent is idle then); they start once the wards are handed out, so the workers start first.
    side = ThreadPoolExecutor(max_workers=1)
    bundle = icons = None

    def side_work() -> None:
        nonlocal bundle, icons
        if bundle is None:
            side.submit(_lower_priority)  # the side thread yields the cores to the wards
            bundle = side.submit(ship_bundle, folder, out)
            icons = side.submit(icon_summary, ws, list(manifest["wards"]), day)

    stopped = False
    try:
        with _stop_on_sigterm():
            if not tasks:
                side_work()
            elif scheduler is not None:
                run_dask(tasks, scheduler, timeout + grace, report, side_work)
            else:
                run_local(tasks, jobs or os.cpu_count() or 1, timeout + grace, report, side_work,
                          folder / LOG)
    except KeyboardInterrupt:
        stopped = True
    finally:
        side_work()  # a run stopped before it started still gets its bundle and index
        if bar is not None:
            bar.close()
        manifest["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        try:
            bundle.result()  # type: ignore[union-attr]
        except Exception as exc:  # noqa: BLE001 - the reports still read, without charts
            manifest["warnings"] = [f"the charts' Vega bundle could not be written ({exc}); "
                                    "the reports show their words but no charts"]
        _save(folder, manifest)
        side.shutdown(wait=False)
        shutil.rmtree(folder / RUNTIME, ignore_errors=True)  # connection files of dead kernels
    try:
        write_index(folder, manifest, ws, day, icons.result())  # type: ignore[union-attr]
    except (WorkbenchError, OSError) as exc:
        (folder / "index.html").write_text(f"<p>Index not built: {exc}</p>", encoding="utf-8")
    if stopped:
        raise BatchStopped(manifest["run_id"], folder)
    if keep is not None:
        prune_runs(out, keep, current=manifest["run_id"])
    return BatchResult(manifest["run_id"], folder, manifest["wards"])
