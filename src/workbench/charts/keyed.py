"""A chart's spec with its data set apart and a key for its shape, so a browser can keep the
compiled chart.

Drawing a Vega-Lite chart in the browser starts with compiling it to Vega, which for a ward's
board (four charts, 74 layers) is about a third of the drawing.  What the compiler makes
depends on the spec's shape (marks, encodings, titles, scales), not on the rows of data.  So
:func:`keyed` moves every table of rows into the spec's top-level ``datasets`` under names
that follow their order (``wb_data_0``, ``wb_data_1``, ...) and writes a key for everything
else in ``usermeta``.  The browser side (:mod:`workbench.charts.widget`) keeps the compiled
Vega of a key without its rows, and next time fills in the rows of the same names instead of
compiling: after a day's counts are saved the shape is the same, so the board skips the
compiler; any change of shape (a new phase, a title, a target) gives a new key.

A second key, of the shape *and* the rows, names the drawing itself: the browser keeps the
last few SVG drawings by it and shows the one kept for a key at once, before Vega has drawn
the live chart (the same drawing, with its tooltips) over it.

The compiled output does not depend on the rows: ``tests/charts/test_charts_keyed.py`` checks
it with vl-convert, which holds the same Vega-Lite as the browser's bundle.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

DATA_PREFIX = "wb_data_"
"""The names the rows are kept under, numbered in the order the spec first uses them."""

KEY_FIELD = "workbenchShape"
"""The field of ``usermeta`` that holds the key."""

DRAWING_FIELD = "workbenchDrawing"
"""The field of ``usermeta`` that holds the key of the shape and the rows together."""


def keyed(spec: dict[str, Any], salt: str) -> dict[str, Any]:
    """*spec* with its rows in ``datasets`` under ordered names and its shape's key in
    ``usermeta``; *spec* itself is left as it is.

    Parameters
    ----------
    spec : dict
        A Vega-Lite spec.  Rows are taken from ``data: {"values": [...]}`` anywhere in it
        (layers, concatenations, lookups) and from its own ``datasets``; other data (a URL, a
        generator) stays where it is and is part of the shape.
    salt : str
        Joined to the key: what else the compiled chart depends on (the Vega-Lite version,
        through the bundle's address), so a new version never reuses an old compilation.

    Returns
    -------
    dict
        The new spec (it shares the rows with *spec*).  Two specs that differ only in their
        rows get the same key (:data:`KEY_FIELD`) and different drawing keys
        (:data:`DRAWING_FIELD`); equal specs get equal keys of both kinds.
    """
    given = spec.get("datasets") or {}
    rows: dict[str, Any] = {}
    renamed: dict[str, str] = {}

    def name_for(values: Any) -> str:
        name = f"{DATA_PREFIX}{len(rows)}"
        rows[name] = values
        return name

    def named(value: dict[str, Any]) -> dict[str, Any]:  # a ``data`` entry, its rows named
        if isinstance(value.get("values"), list):
            rest = {k: v for k, v in value.items() if k != "values"}
            return {**rest, "name": name_for(value["values"])}
        name = value.get("name")
        if isinstance(name, str) and name in given:
            if name not in renamed:
                renamed[name] = name_for(given[name])
            return {**value, "name": renamed[name]}
        return value

    def rebuilt(node: Any) -> Any:  # new dicts and lists; the rows themselves are shared
        if isinstance(node, list):
            return [rebuilt(item) for item in node]
        if not isinstance(node, dict):
            return node
        return {field: (named(value) if field == "data" and isinstance(value, dict)
                        else rebuilt(value))
                for field, value in node.items()}

    out: dict[str, Any] = rebuilt({k: v for k, v in spec.items() if k != "datasets"})
    for name, values in given.items():  # named but never used: kept, as Vega-Lite keeps them
        if name not in renamed:
            renamed[name] = name_for(values)
    out["datasets"] = rows
    shape = {**out, "datasets": sorted(rows)}
    text = json.dumps([salt, shape], sort_keys=True, separators=(",", ":"), default=str)
    usermeta = dict(out.get("usermeta") or {})
    key = hashlib.sha256(text.encode("utf-8")).hexdigest()
    usermeta[KEY_FIELD] = key
    both = json.dumps([key, rows], sort_keys=True, separators=(",", ":"), default=str)
    usermeta[DRAWING_FIELD] = hashlib.sha256(both.encode("utf-8")).hexdigest()
    out["usermeta"] = usermeta
    return out


def shape_key(spec: dict[str, Any]) -> str:
    """The key of its shape :func:`keyed` wrote into *spec* (``""`` if none)."""
    usermeta = spec.get("usermeta")
    return str(usermeta.get(KEY_FIELD, "")) if isinstance(usermeta, dict) else ""


def drawing_key(spec: dict[str, Any]) -> str:
    """The key of its shape and rows :func:`keyed` wrote into *spec* (``""`` if none)."""
    usermeta = spec.get("usermeta")
    return str(usermeta.get(DRAWING_FIELD, "")) if isinstance(usermeta, dict) else ""
