"""Rehearse the chart path once, on made-up numbers, so a process's first real chart is not slow.

The first SPC chart a process draws pays for more than its own numbers: pandas fills its internal
caches, the SPC engine builds its categorical types, the chart builder its constant pieces.  In a
batch kernel that is about a tenth of step four's own work.  :func:`rehearse` walks the same path
once -- the check of a measure split at a change, judged against the limits before it, its chart
spec and its report figure -- and throws the results away.

Who calls it: the batch's warm kernel server, once, before it forks the kernels (so none of them
pays), and :func:`workbench.ui.steps.warm_up` (so a Voila page's preheated kernel has paid before
the request arrives).  It runs once per process; a forked kernel inherits that it ran.  Nothing is
read from disk, stored or displayed.
"""

from __future__ import annotations

_DONE: list[bool] = []


def rehearse() -> None:
    """Analyse and chart a made-up series for each chart type in the catalogue, once per process.

    Raises nothing a caller must handle beyond programming errors: the numbers are fixed and
    valid for every chart type (counts 1-8 out of 10 a day, for 28 days).
    """
    if _DONE:
        return
    import numpy as np
    import pandas as pd

    from workbench.catalogue import load_catalogue
    from workbench.charts.control_chart import spc_spec
    from workbench.charts.render import report_html
    from workbench.charts.words import variation_icon
    from workbench.services.checks import measure_check

    days = pd.date_range("2026-01-05", periods=28, freq="D")
    counts = np.tile(np.array([3.0, 5.0, 4.0, 6.0, 2.0, 5.0, 8.0]), 4)
    data = pd.DataFrame({"date": days, "value": counts, "denominator": np.full(28, 10.0)})
    seen: set[str] = set()
    for measure in load_catalogue().measures.values():
        kind = str(measure.chart)
        if kind in seen:
            continue
        seen.add(kind)
        frame = data if measure.needs_denominator else data.assign(denominator=np.nan)
        check = measure_check(measure, frame, days[14].date())
        if check.result is None:
            continue
        icon = variation_icon(check.variation, None)
        report_html(spc_spec(check.result, measure=measure, change_label="A change"),
                    caption=f"{measure.name}: {icon.plain}.")
    _DONE.append(True)
