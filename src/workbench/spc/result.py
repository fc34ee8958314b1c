"""Result types returned by :func:`workbench.spc.analyse` and :func:`workbench.spc.analyse_many`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd


@dataclass(frozen=True, init=False)
class SPCResult:
    """The analysis of one series.

    Attributes
    ----------
    points : DataFrame
        One row per input point, in input order (same index as the input): ``x``, ``y`` (the
        plotted value), ``n``, ``phase``, ``baseline``, ``include``, ``cl``, ``lcl``, ``ucl``,
        ``lcl_2s``, ``ucl_2s``, ``close_to_limits``, ``outside_limits``, ``trend``,
        ``two_of_three``, ``shift``, ``signal``, ``rule``, ``direction``, ``point_type``,
        ``runs_signal``.
    phases : DataFrame
        One row per phase: ``phase``, ``start``, ``end``, ``n_points``, ``n_obs``, ``n_useful``,
        ``longest_run``, ``longest_run_max``, ``crossings``, ``crossings_min``, ``runs_signal``,
        ``cl``, ``lcl``, ``ucl`` (limits only where constant over the phase), ``warning``.
        Laid out when first read (a chart or a verdict never reads it).
    summary : dict
        ``variation``, ``assurance``, ``warnings`` and the last phase's figures.
    chart, profile : str
        The chart type and profile used.
    """

    points: pd.DataFrame
    summary: dict[str, Any]
    chart: str
    profile: str
    _phases: pd.DataFrame | Callable[[], pd.DataFrame] = field(repr=False)

    def __init__(self, points: pd.DataFrame,
                 phases: pd.DataFrame | Callable[[], pd.DataFrame], summary: dict[str, Any],
                 chart: str, profile: str) -> None:
        for name, value in (("points", points), ("summary", summary), ("chart", chart),
                            ("profile", profile), ("_phases", phases)):
            object.__setattr__(self, name, value)

    @property
    def phases(self) -> pd.DataFrame:
        """One row per phase (see the class's attributes); built once, on first use."""
        if not isinstance(self._phases, pd.DataFrame):
            object.__setattr__(self, "_phases", self._phases())
        return self._phases  # type: ignore[return-value]


@dataclass(frozen=True)
class SPCManyResult:
    """The analysis of many series at once.

    Attributes
    ----------
    points : DataFrame
        As :attr:`SPCResult.points` with the ``by`` columns first, in input order.
    phases : DataFrame
        As :attr:`SPCResult.phases` with the ``by`` columns first, series in sorted key order.
    summary : DataFrame
        One row per series (sorted by key): the ``by`` columns then the fields of
        :attr:`SPCResult.summary`.
    by : tuple of str
        The series key columns.
    chart, profile : str
        The chart type and profile used.
    """

    points: pd.DataFrame
    phases: pd.DataFrame
    summary: pd.DataFrame
    by: tuple[str, ...] = field(default=())
    chart: str = ""
    profile: str = ""
