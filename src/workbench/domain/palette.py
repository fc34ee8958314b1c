"""The workbench's colours, named once: the NHS identity colours and Making Data Count's.

Charts (:mod:`workbench.charts.style`), the pages' stylesheet (``workbench/ui/templates``), the
briefs and the batch reports read their colours from here, so a colour is changed in one place.
Plain constants (hex strings), in the domain layer so every layer may read them.

NHS identity colours: https://www.england.nhs.uk/nhsidentity/identity-guidelines/colours/
(names as there).  Making Data Count icon colours: NHS England, "Making Data Count: strengthening
your decisions" (2019, revised 2023).
"""

from __future__ import annotations

from typing import Final

# NHS identity: blues
NHS_BLUE: Final = "#005eb8"
NHS_DARK_BLUE: Final = "#003087"
NHS_PALE_BLUE: Final = "#e8f1f8"  # a tint of NHS blue behind highlighted text

# NHS identity: support colours
NHS_RED: Final = "#d5281b"
NHS_GREEN: Final = "#007f3b"
NHS_AQUA_GREEN: Final = "#00a499"
NHS_WARM_YELLOW: Final = "#ffb81c"
NHS_PURPLE: Final = "#330072"
NHS_DARK_BROWN: Final = "#8a4b00"  # warm flag text readable on white (contrast > 7:1)
NHS_BROWN: Final = "#8a5a00"

# NHS identity: neutrals, darkest first
NHS_BLACK: Final = "#212b32"  # text
NHS_DARK_GREY: Final = "#4c6272"  # secondary text
NHS_MID_GREY: Final = "#768692"
NHS_GREY_3: Final = "#aeb7bd"
NHS_PALE_GREY: Final = "#d8dde0"  # borders
NHS_LIGHT_GREY: Final = "#e8edee"  # table heads
NHS_GREY_5: Final = "#f0f4f5"  # quiet backgrounds
NHS_FAINT_GREY: Final = "#eef0f1"  # row rules
WHITE: Final = "#ffffff"

# tints behind message boxes (ok / warning / error)
GREEN_TINT: Final = "#e8f5ec"
YELLOW_TINT: Final = "#fff8e5"
RED_TINT: Final = "#fbe9e7"
RED_WASH: Final = "#fff4f2"
RED_PALE: Final = "#fdf2f1"

# Making Data Count: variation and assurance icons, and the chart's lines
MDC_IMPROVEMENT: Final = "#289de0"  # blue
MDC_CONCERN: Final = "#fab428"  # orange
MDC_NEUTRAL: Final = "#361475"  # purple
MDC_COMMON: Final = "#7B7D7D"  # grey (upper case as the charts have always written it)
MDC_DATA_LINE: Final = "#5c5f61"
MDC_CENTRE_LINE: Final = "#231f20"
MDC_LIMIT_LINE: Final = "#6d6e71"
MDC_TWO_SIGMA_LINE: Final = "#b8b9ba"

FONT: Final = "Arial, Liberation Sans, DejaVu Sans, sans-serif"
"""The pages' and charts' typeface: Arial, with metric-compatible fallbacks."""


def colours() -> dict[str, str]:
    """Every named colour, lower-case name -> hex (what the stylesheet template reads)."""
    return {name.lower(): value for name, value in globals().items()
            if name.isupper() and isinstance(value, str) and value.startswith("#")}
