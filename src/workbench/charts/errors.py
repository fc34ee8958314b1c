"""Errors the chart layer raises."""

from __future__ import annotations

from workbench.domain.errors import WorkbenchError


class ChartError(WorkbenchError):
    """A chart was asked for with data or options it cannot draw; the message says what to fix."""
