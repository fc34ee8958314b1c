"""Batch runs: a step notebook executed with papermill for every ward, on a local process pool
or a Dask cluster, with HTML reports, a manifest and an index page per run.

>>> from workbench.batch import run_batch  # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["BatchResult", "run_batch", "safe_name"]

if TYPE_CHECKING:
    from workbench.batch.runner import BatchResult, run_batch, safe_name


def __getattr__(name: str) -> Any:
    if name in __all__:
        from workbench.batch import runner

        return getattr(runner, name)
    raise AttributeError(f"module 'workbench.batch' has no attribute {name!r}")
