"""SPC engine: limits, Making Data Count flags and Anhøj runs analysis for one or many series.

Pure numpy/pandas, no I/O.  See ``docs/spc.md`` and ``SPC.md`` for the conventions of each profile.

>>> from workbench.spc import analyse, analyse_many  # doctest: +SKIP
"""

from __future__ import annotations

from workbench.spc.api import analyse, analyse_many
from workbench.spc.result import SPCManyResult, SPCResult

__all__ = ["SPCManyResult", "SPCResult", "analyse", "analyse_many"]
