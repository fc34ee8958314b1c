"""Small builders for Vega-Lite dicts: field definitions, marks and named layers.

Plain dicts, no validation: the specs these build are checked against the Vega-Lite schema by
the chart tests (``alt.LayerChart.from_dict(spec).to_dict()`` validates).
"""

from __future__ import annotations

from typing import Any

#: Vega-Lite's measurement types by their shorthand letter (``"label:N"``).
_TYPES = {"Q": "quantitative", "N": "nominal", "O": "ordinal", "T": "temporal"}


def field(shorthand: str, **extra: Any) -> dict[str, Any]:
    """A field definition from ``"name:T"`` shorthand (T one of Q, N, O, T) plus options.

    >>> field("label:N", title="Change")
    {'field': 'label', 'type': 'nominal', 'title': 'Change'}
    """
    name, _, kind = shorthand.rpartition(":")
    return {"field": name, "type": _TYPES[kind], **extra}


def mark(kind: str, **props: Any) -> dict[str, Any]:
    """A mark definition: ``{"type": kind, ...}``."""
    return {"type": kind, **props}


def layer(name: str, mark_def: dict[str, Any], encoding: dict[str, Any], *,
          values: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    """One named layer, with its own inline rows when *values* is given."""
    spec: dict[str, Any] = {"name": name, "mark": mark_def, "encoding": encoding, **extra}
    if values is not None:
        spec["data"] = {"values": values}
    return spec
