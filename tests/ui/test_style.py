"""One palette, one stylesheet: the pages' colours are named once and their CSS lives in one
template."""

from __future__ import annotations

import re
from pathlib import Path

from workbench.domain import palette
from workbench.ui.style import TEMPLATES, style_tag, stylesheet

SRC = Path(__file__).resolve().parents[2] / "src" / "workbench"
HEX = re.compile(r"#[0-9a-fA-F]{6}\b")


def test_the_stylesheet_reads_every_colour_from_the_palette() -> None:
    template = (TEMPLATES / "pages.css.j2").read_text("utf-8")
    assert not HEX.findall(template), "colours are named in workbench.domain.palette"
    css = stylesheet()
    assert "{{" not in css and "}}" not in css
    used = {c.lower() for c in HEX.findall(css)}
    assert used <= {c.lower() for c in palette.colours().values()}
    assert palette.NHS_BLUE in used and palette.NHS_RED in used


def test_no_page_module_carries_its_own_css_or_colours() -> None:
    # the pages' CSS is the one template; their colours come from the palette
    for path in sorted((SRC / "ui").rglob("*.py")):
        text = path.read_text("utf-8")
        assert "<style" not in text or path.name == "style.py", f"{path}: CSS outside the sheet"
        assert not HEX.findall(text), f"{path}: a colour not taken from the palette"
    assert not HEX.findall((SRC / "charts" / "style.py").read_text("utf-8"))


def test_the_board_still_prints_on_one_a4_landscape_page() -> None:
    css = stylesheet()
    assert "@page { size: A4 landscape;" in css
    printed = css[css.index("@media print {"):]
    # the forms and buttons are not printed; the chart is
    for hidden in (".wb-counts", ".wb-settings", ".wb-board-actions"):
        assert hidden in printed.split("display: none")[0]
    assert ".wb-board-chart svg { width: 100% !important" in printed


def test_the_class_names_people_rely_on_are_styled() -> None:
    css = stylesheet()
    for name in ("wb-board", "wb-board-cycle", "wb-signal", "wb-icon", "wb-board-chart",
                 "wb-counts", "wb-message-ok", "wb-message-error", "wb-home", "wb-ward-link",
                 "wb-rollup", "wb-driver", "wb-spread", "wb-funnel", "wb-box", "wb-table"):
        assert f".{name}" in css, name
    assert style_tag().count("<style") == 1


def test_same_tab_gives_links_without_a_target_the_same_tab_and_leaves_the_others() -> None:
    from workbench.ui.style import same_tab

    markup = ('<p><a href="board.ipynb?ward=sh-dl">Discharge Lounge</a> '
              '<A class="x" href="quiz.ipynb">quiz</A> '
              '<a href="x.csv" target="_blank">file</a> <abbr>SPC</abbr></p>')
    out = same_tab(markup)
    assert out.count('target="_self"') == 2
    assert '<a href="x.csv" target="_blank">' in out
    assert "<abbr>SPC</abbr>" in out
