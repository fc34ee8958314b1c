"""Imported last by the forkserver that starts the local batch workers (its preload list).

Importing this module is its whole purpose: it calls
:func:`workbench.batch.execute.settle_worker` in the forkserver, once, so every worker forked
from it starts with the imports done, nbconvert's first-export costs paid and the long-lived
objects frozen -- instead of each worker paying about 0.7 s on its first ward.

A failure here must not take the forkserver down (every ward would fail): it is swallowed, and
each worker then settles itself on its first ward, where a real problem is reported per ward.
"""

from __future__ import annotations

try:
    from workbench.batch.execute import settle_worker

    settle_worker()
except Exception:  # noqa: BLE001, S110 - see the module docstring
    pass
