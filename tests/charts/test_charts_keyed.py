"""A chart's rows set apart and its shape keyed, so the browser can keep its compiled chart;
and a second key of the shape and rows together, so it can keep the drawing itself.

The browser reuses the Vega it compiled for a key, with the new rows filled in by name.  That
is only right if Vega-Lite's output does not depend on the rows, which the last tests check
with vl-convert: it holds the same Vega-Lite version as the bundle the browser draws with.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import altair as alt
import pandas as pd
import pytest

from workbench.charts.keyed import (
    DATA_PREFIX,
    DRAWING_FIELD,
    KEY_FIELD,
    drawing_key,
    keyed,
    shape_key,
)

SALT = "workbench/vega/vega-1-vl6.4-script.js"


def _spec(title: str = "Falls", rows: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    rows = rows if rows is not None else [{"x": 1, "y": 2}, {"x": 2, "y": 3}]
    return {
        "title": title,
        "data": {"values": rows},
        "layer": [
            {"mark": "line", "encoding": {"x": {"field": "x", "type": "quantitative"},
                                          "y": {"field": "y", "type": "quantitative"}}},
            {"data": {"values": [{"y": 2.5}]}, "mark": "rule",
             "encoding": {"y": {"field": "y", "type": "quantitative"}}},
        ],
    }


def test_rows_move_to_datasets_under_names_in_order_of_use() -> None:
    spec = _spec()
    before = copy.deepcopy(spec)
    out = keyed(spec, SALT)
    assert spec == before  # the caller's spec is left as it is
    assert out["data"] == {"name": f"{DATA_PREFIX}0"}
    assert out["layer"][1]["data"] == {"name": f"{DATA_PREFIX}1"}
    assert out["datasets"] == {f"{DATA_PREFIX}0": spec["data"]["values"],
                               f"{DATA_PREFIX}1": [{"y": 2.5}]}
    assert out["title"] == "Falls" and out["layer"][0] == spec["layer"][0]
    assert len(shape_key(out)) == 64


def test_new_rows_keep_the_key_and_any_change_of_shape_or_version_changes_it() -> None:
    key = shape_key(keyed(_spec(), SALT))
    more = [{"x": i, "y": i * 2} for i in range(30)]  # a day's counts saved: more points
    assert shape_key(keyed(_spec(rows=more), SALT)) == key
    assert shape_key(keyed(_spec(title="Falls (weekly)"), SALT)) != key
    assert shape_key(keyed(_spec(), SALT.replace("vl6.4", "vl6.5"))) != key
    changed = _spec()
    changed["layer"][0]["mark"] = "point"
    assert shape_key(keyed(changed, SALT)) != key


def test_altairs_named_datasets_are_renamed_so_their_key_does_not_follow_the_rows() -> None:
    """Altair names each table by a hash of its rows ("data-<hash>"): renamed in order."""
    def chart(values: list[int]) -> dict[str, Any]:
        frame = pd.DataFrame({"x": range(len(values)), "y": values})
        spec: dict[str, Any] = alt.Chart(frame).mark_line().encode(x="x:Q", y="y:Q").to_dict()
        return spec

    a, b = chart([1, 2, 3]), chart([4, 5, 6, 7])
    assert a["datasets"].keys() != b["datasets"].keys()
    ka, kb = keyed(a, SALT), keyed(b, SALT)
    assert ka["data"] == kb["data"] == {"name": f"{DATA_PREFIX}0"}
    assert ka["datasets"][f"{DATA_PREFIX}0"] == next(iter(a["datasets"].values()))
    assert shape_key(ka) == shape_key(kb)


def test_data_that_is_not_rows_stays_in_the_shape() -> None:
    spec = {"data": {"url": "counts.csv"}, "mark": "point"}
    out = keyed(spec, SALT)
    assert out["data"] == {"url": "counts.csv"} and out["datasets"] == {}
    other = keyed({"data": {"url": "other.csv"}, "mark": "point"}, SALT)
    assert shape_key(out) != shape_key(other)


def test_the_key_sits_beside_any_usermeta_the_spec_had() -> None:
    out = keyed({**_spec(), "usermeta": {"note": "kept"}}, SALT)
    assert out["usermeta"]["note"] == "kept" and out["usermeta"][KEY_FIELD] == shape_key(out)
    assert out["usermeta"][DRAWING_FIELD] == drawing_key(out)
    assert shape_key({"mark": "point"}) == "" and drawing_key({"mark": "point"}) == ""


def test_the_drawing_key_follows_the_rows_as_well_as_the_shape() -> None:
    """The browser shows a kept drawing only for the same shape and the same rows: one count
    changed, one more day, another title or another version each give another drawing key."""
    key = drawing_key(keyed(_spec(), SALT))
    assert len(key) == 64 and key != shape_key(keyed(_spec(), SALT))
    assert drawing_key(keyed(copy.deepcopy(_spec()), SALT)) == key  # equal specs, equal keys
    changed = [{"x": 1, "y": 2}, {"x": 2, "y": 4}]  # one count corrected
    assert shape_key(keyed(_spec(rows=changed), SALT)) == shape_key(keyed(_spec(), SALT))
    assert drawing_key(keyed(_spec(rows=changed), SALT)) != key
    more = [{"x": 1, "y": 2}, {"x": 2, "y": 3}, {"x": 3, "y": 3}]  # a day's counts saved
    assert drawing_key(keyed(_spec(rows=more), SALT)) != key
    assert drawing_key(keyed(_spec(title="Falls (weekly)"), SALT)) != key
    assert drawing_key(keyed(_spec(), SALT.replace("vl6.4", "vl6.5"))) != key
    swapped = _spec()  # the same values in other tables are other rows
    swapped["layer"][1]["data"] = {"values": [{"y": 3.5}]}
    assert drawing_key(keyed(swapped, SALT)) != key


def _compiled_with_rows_filled(spec: dict[str, Any]) -> dict[str, Any]:
    """What the browser does on a kept chart: compile the shape without rows, then fill the
    rows in by name."""
    import vl_convert as vlc

    from workbench.charts.render import vl_version

    bare = {**spec, "datasets": {name: [] for name in spec["datasets"]}}
    vega: dict[str, Any] = vlc.vegalite_to_vega(bare, vl_version=vl_version())
    filled = 0
    for data in vega["data"]:
        if data["name"] in spec["datasets"] and isinstance(data.get("values"), list):
            data["values"] = spec["datasets"][data["name"]]
            filled += 1
    assert filled == len(spec["datasets"])
    return vega


def _board_spec(real_result: Any) -> dict[str, Any]:
    """Four Making Data Count charts in a grid, as on a ward's board (74 layers there)."""
    from workbench.charts import spc_spec
    from workbench.charts.multiples import grid

    charts = [spc_spec(real_result, title=f"Measure {i}", width=480, height=200,
                       change_label="Safety huddle", label_limits=True, target=0.7)
              for i in range(4)]
    spec: dict[str, Any] = grid(charts, columns=2, config={"view": {"stroke": None}})
    return spec


@pytest.mark.parametrize("which", ["board", "altair"])
def test_the_compiled_chart_does_not_depend_on_its_rows(which: str, real_result: Any,
                                                       chart: Any) -> None:
    """Compiled with its rows, or compiled bare and the rows filled in: the same Vega."""
    import vl_convert as vlc

    from workbench.charts.render import _spec, vl_version

    source = _board_spec(real_result) if which == "board" else _spec(chart)
    spec = keyed(json.loads(json.dumps(source)), SALT)
    assert len(spec["datasets"]) >= 2
    whole = vlc.vegalite_to_vega(spec, vl_version=vl_version())
    assert _compiled_with_rows_filled(spec) == whole


def test_the_browser_reads_the_keys_under_the_names_the_kernel_writes() -> None:
    # vega_view.js is JavaScript and cannot import keyed.py, so it names the two usermeta
    # fields itself; a rename on one side only would make every board compile and draw afresh
    # (no error anywhere, just slow), so the two spellings are tied here
    import re

    from workbench.charts.widget import view_script

    names = dict(re.findall(r'^const (SHAPE_FIELD|DRAWING_FIELD) = "([^"]+)";', view_script(),
                            flags=re.MULTILINE))
    assert names == {"SHAPE_FIELD": KEY_FIELD, "DRAWING_FIELD": DRAWING_FIELD}
