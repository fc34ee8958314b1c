"""Form widgets share their layout and style models (:mod:`workbench.ui.parts`)."""

from __future__ import annotations

import ipywidgets as w

from workbench.ui.parts import LABEL_WIDTH, Parts


def test_alike_widgets_share_one_layout_and_one_style() -> None:
    part = Parts()
    title = part(w.Text, "wb-a", description="Title", width="70%")
    owner = part(w.Text, "wb-b", description="Owner", width="70%")
    level = part(w.Text, "wb-c", description="Level")
    assert title.layout is owner.layout and title.style is owner.style
    assert title.layout.width == "70%" and level.layout is not title.layout
    assert level.layout.width is None and level.style is title.style
    assert title.style.description_width == LABEL_WIDTH  # no label is cut short
    assert "wb-a" in title._dom_classes and "wb-b" in owner._dom_classes


def test_each_kind_of_widget_gets_a_style_of_its_own_kind() -> None:
    part = Parts()
    text = part(w.Text, "wb-t", description="Note")
    drop = part(w.Dropdown, "wb-d", description="Ward", options=["a"])
    button = part(w.Button, "wb-b", description="Save")
    box = part(w.VBox, "wb-v", children=[text, drop, button])
    assert type(text.style) is not type(drop.style)
    assert drop.style.description_width == LABEL_WIDTH
    # a button's description is its label, not a label beside it: its style has no width
    assert "description_width" not in button.style.trait_names()
    assert box.layout is text.layout  # the default layout, shared


def test_a_widget_shown_and_hidden_by_its_layout_has_its_own() -> None:
    part = Parts()
    shared = part(w.Text, "wb-a", description="Why", width="70%")
    own = part(w.Text, "wb-b", description="Why now", width="70%", own_layout=True)
    own.layout.display = "none"
    assert own.layout is not shared.layout and shared.layout.display is None
    assert own.layout.width == "70%" and own.style is shared.style
