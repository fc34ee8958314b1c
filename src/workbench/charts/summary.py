"""The summary table drawn: an HTML table for pages and a Vega-Lite figure for PNG/SVG export.

Both read the frame of :func:`workbench.services.summary_table.summary_table` (one row per
ward x measure, exceptions first) and use the same icons and words as the charts
(:mod:`workbench.charts.words`).
"""

from __future__ import annotations

import html
import math
from typing import Any

import pandas as pd

from workbench.charts import style
from workbench.charts._vl import layer, mark
from workbench.charts.words import Icon, assurance_icon, variation_icon

SUMMARY_CSS = """
<style>
.wb-summary { border-collapse: collapse; font-family: Arial, "Liberation Sans", sans-serif;
  font-size: max(.9rem, 13px); line-height: 1.2; color: #212b32; width: 100%; }
.wb-summary th { text-align: left; border-bottom: 2px solid #005eb8; padding: .3rem .4rem;
  font-size: max(.85rem, 12px); color: #4c6272; position: sticky; top: 0; background: #fff; }
.wb-summary td { border-bottom: 1px solid #e8edee; padding: .15rem .4rem; vertical-align: middle;
  font-size: max(.9rem, 13px); }
.wb-summary td.wb-num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.wb-summary .wb-ticon { display: inline-flex; width: 1.5rem; height: 1.5rem; border-radius: 50%;
  border: 3px solid; vertical-align: middle; align-items: center; justify-content: center; font-weight: bold;
  font-size: .9rem; background: #fff; }
.wb-summary .wb-stale { color: #d5281b; font-weight: bold; display: block; font-size: max(.8rem, 12px); }
.wb-summary .wb-grain { color: #4c6272; font-size: max(.8rem, 12px); display: block; }
.wb-summary .wb-exception { font-weight: bold; }
.wb-summary tr.wb-exc-0 td:first-child, .wb-summary tr.wb-exc-1 td:first-child {
  border-left: 5px solid #fab428; }
@media print {
  .wb-summary { font-size: 9pt; }
  .wb-summary th { position: static; font-size: 9pt; padding: 2px 3px; }
  .wb-summary td { padding: 2px 3px; font-size: 9pt; }
  .wb-summary .wb-stale { white-space: normal; font-size: 9pt; }
  .wb-summary .wb-grain { font-size: 9pt; }
  .wb-summary .wb-ticon { width: 1.2rem; height: 1.2rem; border-width: 2px; font-size: 9pt; }
  .wb-summary tr { break-inside: avoid; }
}
</style>
"""
"""CSS for :func:`summary_table_html` (include once per page)."""

PROPORTION_CHARTS = ("p", "pp")


def _side(variation: object, improvement: object) -> str | None:
    """H or L for improvement and concern from which way is better (as the charts' badges:
    :func:`workbench.charts._data.signal_side` without points)."""
    kind, better = str(variation), str(improvement)
    if kind not in ("special_cause_improvement", "special_cause_concern") or \
            better not in ("increase", "decrease"):
        return None
    return "high" if (better == "increase") == (kind == "special_cause_improvement") else "low"


def icons(row: Any) -> tuple[Icon, Icon]:
    """The variation and assurance icons of one table row."""
    return (variation_icon(row["variation"], _side(row["variation"], row.get("improvement"))),
            assurance_icon(row.get("assurance")))


def number(value: object, chart: str) -> str:
    """A value as the table shows it: ``85%`` for proportions; whole numbers from 100 up; one
    decimal from 1 up, dropped when it is ``.0`` (``52.5``, ``14``); two significant digits
    below 1 (``0.26``).  A ward reads "52.5 hours", not "52.51"."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return "\u2013"
    v = float(value)  # type: ignore[arg-type]
    if chart in PROPORTION_CHARTS:
        return f"{v * 100:.0f}%"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    if abs(v) >= 1:
        text = f"{v:.1f}"
        return text[:-2] if text.endswith(".0") else text
    return "0" if v == 0 else f"{v:.2g}"


def _day(value: object) -> str:
    if value is None or pd.isna(value):
        return "\u2013"
    d = pd.Timestamp(value)  # type: ignore[arg-type]
    return f"{d.day} {d:%b %Y}"


def _words(value: object) -> str:
    """A text cell's words; nothing for a missing value (None or NaN, never "nan")."""
    return "" if pd.isna(value) else str(value)


def _icon_html(icon: Icon) -> str:
    mark_text = icon.letter or ("&ndash;" if icon.key == "common_cause" else "")
    return (f'<span class="wb-ticon wb-ticon-{html.escape(icon.key)}" '
            f'title="{html.escape(icon.plain)}" style="border-color:{icon.colour};'
            f'color:{icon.colour}">{mark_text}</span>')


def summary_table_html(table: pd.DataFrame, *, css: bool = True,
                       css_class: str = "wb-summary") -> str:
    """The summary table as an HTML ``<table>`` (one row per ward x measure, as ordered).

    Rows carry ``data-site``, ``data-ward``, ``data-measure``, ``data-variation`` and
    ``data-assurance`` so pages and tests can find and filter them.
    """
    head = ("<tr><th>Ward</th><th>Measure</th><th>Variation</th><th>Assurance</th>"
            "<th>Latest</th><th>Mean</th><th>Limits</th><th>Target</th>"
            "<th>Data up to</th></tr>")
    body = []
    for r in table.to_dict("records"):
        v_icon, a_icon = icons(r)
        chart = str(r.get("chart", ""))
        limits = f"{number(r['lcl'], chart)} \u2013 {number(r['ucl'], chart)}"
        stale = f'<span class="wb-stale">{html.escape(str(r["stale_words"]).capitalize())}' \
                "</span>" if r.get("stale") and r.get("stale_words") else ""
        # the variation column names variation exceptions only; old counts show by their date
        words = (r.get("exception_words") or "") if int(r["exception"]) in (0, 3, 4) else ""
        body.append(
            f'<tr class="wb-exc-{int(r["exception"])}" data-site="{html.escape(str(r["site"]))}" '
            f'data-ward="{html.escape(str(r["ward"]))}" '
            f'data-measure="{html.escape(str(r["measure"]))}" '
            f'data-variation="{html.escape(str(r["variation"]))}" '
            f'data-assurance="{html.escape(a_icon.key)}">'
            f'<td title="{html.escape(str(r["site"]))}">{html.escape(str(r["ward_name"]))}</td>'
            f'<td>{html.escape(str(r["measure_name"]))}<span class="wb-grain">'
            f'{html.escape(_words(r.get("caption")))}</span></td>'
            f'<td>{_icon_html(v_icon)} <span class="wb-exception">{html.escape(words)}</span></td>'
            f'<td>{_icon_html(a_icon) if a_icon.key != "none" else "No target"}</td>'
            f'<td class="wb-num">{number(r["latest"], chart)}</td>'
            f'<td class="wb-num">{number(r["mean"], chart)}</td>'
            f'<td class="wb-num">{limits}</td>'
            f'<td class="wb-num">{number(r["target"], chart)}</td>'
            f'<td class="wb-num">{_day(r["data_up_to"])}{stale}</td></tr>')
    style_block = SUMMARY_CSS if css else ""
    return (f'{style_block}<table class="{html.escape(css_class)}"><thead>{head}</thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


#: (heading, column key, x position in pixels, alignment)
_COLUMNS: tuple[tuple[str, str, int, str], ...] = (
    ("Ward", "ward_name", 0, "left"), ("Measure", "measure_name", 175, "left"),
    ("Latest", "latest_text", 610, "right"), ("Mean", "mean_text", 675, "right"),
    ("Limits", "limits_text", 790, "right"), ("Target", "target_text", 850, "right"),
    ("Data up to", "up_to_text", 985, "right"),
)
ROW_HEIGHT = 26
ICON_X = {"variation": 445, "assurance": 520}


def summary_table_spec(table: pd.DataFrame, *, title: str = "Summary of measures") -> dict[str, Any]:
    """The summary table as a Vega-Lite spec (for :func:`workbench.charts.export.write_chart`:
    PNG or SVG for a board paper).  Icons are drawn as the charts' badges, smaller."""
    rows = []
    for i, r in enumerate(table.to_dict("records")):
        v_icon, a_icon = icons(r)
        chart = str(r.get("chart", ""))
        rows.append({
            "row": i, "ward_name": str(r["ward_name"]), "measure_name": str(r["measure_name"]),
            "latest_text": number(r["latest"], chart), "mean_text": number(r["mean"], chart),
            "limits_text": f"{number(r['lcl'], chart)} \u2013 {number(r['ucl'], chart)}",
            "target_text": number(r["target"], chart),
            "up_to_text": _day(r["data_up_to"]) + (" (old)" if r.get("stale") else ""),
            "v_colour": v_icon.colour, "v_letter": v_icon.letter or
            ("\u2013" if v_icon.key == "common_cause" else ""),
            "a_colour": a_icon.colour if a_icon.key != "none" else "#ffffff",
            "a_letter": a_icon.letter if a_icon.key != "none" else "",
            "a_words": a_icon.plain, "v_words": v_icon.plain,
        })
    height = max(1, len(rows)) * ROW_HEIGHT
    y = {"field": "row", "type": "ordinal", "axis": None, "scale": {"paddingOuter": 0.2}}
    text = {"fontSize": 12, "font": style.FONT, "baseline": "middle", "color": style.TEXT}
    layers = []
    for heading, key, x, align in _COLUMNS:
        layers.append(layer(f"col_{key}", mark("text", align=align, limit=240 if key == "measure_name" else 170, **text),
                            {"x": {"value": x}, "y": y, "text": {"field": key}}))
        layers.append(layer(f"head_{key}", mark("text", text=heading, align=align,
                                                fontWeight="bold", **{**text, "baseline": "bottom",
                                                                       "color": style.MUTED_TEXT}),
                            {"x": {"value": x}, "y": {"value": -6}}, values=[{}]))
    for kind, prefix in (("variation", "v"), ("assurance", "a")):
        layers.append(layer(f"{kind}_ring", mark("point", shape="circle", filled=True,
                                                 fill="white", strokeWidth=2.5, size=300),
                            {"x": {"value": ICON_X[kind]}, "y": y,
                             "stroke": {"field": f"{prefix}_colour", "type": "nominal",
                                        "scale": None},
                             "tooltip": {"field": f"{prefix}_words"}}))
        layers.append(layer(f"{kind}_mark", mark("text", align="center", fontWeight="bold",
                                                 **{**text, "fontSize": 11}),
                            {"x": {"value": ICON_X[kind]}, "y": y,
                             "text": {"field": f"{prefix}_letter"},
                             "color": {"field": f"{prefix}_colour", "type": "nominal",
                                       "scale": None}}))
    for heading, kind in (("Variation", "variation"), ("Assurance", "assurance")):
        layers.append(layer(f"head_{kind}", mark("text", text=heading, align="center",
                                                 fontWeight="bold", **{**text,
                                                                       "baseline": "bottom",
                                                                       "color": style.MUTED_TEXT}),
                            {"x": {"value": ICON_X[kind]}, "y": {"value": -6}}, values=[{}]))
    return {"layer": layers, "data": {"values": rows}, "width": 990, "height": height,
            "title": {"text": title, "anchor": "start", "font": style.FONT, "fontSize": 16,
                      "offset": 24},
            "config": {"view": {"stroke": None}}, "padding": 10}
