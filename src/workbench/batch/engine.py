"""The papermill engine for batch runs: papermill's own, writing the notebook less often.

Papermill writes the whole executed notebook (and validates it) before and after every cell.
A step-4 report ran eight cells in about half a second and its notebook carries two to five
charts' data, so those writes were about a tenth of each ward's time, for a file nobody reads
until the ward is done.  This engine writes it when the run starts, then at a cell boundary only
if :data:`SAVE_EVERY` seconds have passed since the last write, and always at the end (which
papermill does whatever happens, a failing cell included).  Papermill's autosave during a long
cell (every 30 s while it prints) is kept.
"""

from __future__ import annotations

from typing import Any

SAVE_EVERY = 5.0
"""Seconds between writes of the executed notebook while it runs."""

ENGINE = "workbench-batch"
"""The engine's name in papermill's registry (see :func:`register`)."""


def _classes() -> tuple[type, type]:
    from papermill.engines import NBClientEngine, NotebookExecutionManager

    class ThrottledManager(NotebookExecutionManager):  # type: ignore[misc]
        """Papermill's execution manager, writing at cell boundaries at most every
        :data:`SAVE_EVERY` seconds."""

        _boundary = False

        def save(self, **kwargs: Any) -> None:
            since = (self.now() - self.last_save_time).total_seconds()
            if not (self._boundary and since < SAVE_EVERY):
                super().save(**kwargs)

        def _at_boundary(self, step: Any, *args: Any, **kwargs: Any) -> None:
            self._boundary = True  # papermill's step calls save(): write only if due
            try:
                step(*args, **kwargs)
            finally:
                self._boundary = False

        def cell_start(self, cell: Any, cell_index: int | None = None, **kwargs: Any) -> None:
            self._at_boundary(super().cell_start, cell, cell_index, **kwargs)

        def cell_complete(self, cell: Any, cell_index: int | None = None, **kwargs: Any) -> None:
            self._at_boundary(super().cell_complete, cell, cell_index, **kwargs)

    class BatchEngine(NBClientEngine):  # type: ignore[misc]
        """:class:`papermill.engines.NBClientEngine` with :class:`ThrottledManager`."""

        @classmethod
        def execute_notebook(cls, nb: Any, kernel_name: str, output_path: str | None = None,
                             progress_bar: bool = True, log_output: bool = False,
                             autosave_cell_every: int = 30, **kwargs: Any) -> Any:
            # as papermill's Engine.execute_notebook, with the throttled manager
            nb_man = ThrottledManager(nb, output_path=output_path, progress_bar=progress_bar,
                                      log_output=log_output,
                                      autosave_cell_every=autosave_cell_every)
            nb_man.notebook_start()
            try:
                cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output,
                                             **kwargs)
            finally:
                nb_man.cleanup_pbar()
                nb_man.notebook_complete()
            return nb_man.nb

    return ThrottledManager, BatchEngine


def register() -> str:
    """Register the batch engine with papermill (once per process); its name."""
    from papermill.engines import papermill_engines

    if ENGINE not in papermill_engines._engines:
        papermill_engines.register(ENGINE, _classes()[1])
    return ENGINE
