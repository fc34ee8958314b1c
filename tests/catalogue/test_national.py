"""The national themes crosswalk: sources named with years, every reference checked."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from workbench.catalogue import load_catalogue
from workbench.catalogue.national import FILE, load_national, parse_national
from workbench.domain.errors import CatalogueError

THEMES = list(load_catalogue().themes)


def _shipped() -> dict:
    text = resources.files("workbench.catalogue").joinpath("data", FILE).read_text("utf-8")
    return yaml.safe_load(text)


def test_every_review_theme_answers_national_themes_from_named_sources() -> None:
    nat = load_national()
    assert set(nat.crosswalk) == set(THEMES)
    # the three national sources the issue asks for, each with its body and year
    assert {(s.body, s.year) for s in nat.sources.values()} == {
        ("Child Safeguarding Practice Review Panel", 2021),
        ("Child Safeguarding Practice Review Panel", 2024),
        ("Local Government Association and ADASS (Partners in Care and Health)", 2024)}
    assert {s.kind for s in nat.sources.values()} == {"children", "adults"}
    for theme in THEMES:
        answers = nat.for_theme(theme)
        assert answers, theme
    # the Panel's 2020 report named six practice themes; all six are in the table
    assert sum(t.source == "cspr_panel_2020" for t in nat.themes.values()) == 6
    # the seed's infant scenario (weak recognition) answers the Panel's vulnerable babies theme
    assert "cspr23_vulnerable_babies" in [t.id for t in nat.for_theme("weak_recognition")]
    assert "sar24_transitions_discharge" in [t.id for t in nat.for_theme("unsafe_transfers")]
    assert nat.cite(nat.themes["cspr20_critical_thinking"]).endswith("(published 2021))")


def _dump(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False)


@pytest.mark.parametrize(("change", "needle"), [
    (lambda d: d["crosswalk"][0]["national"].append("made_up"),
     "crosswalk row weak_recognition: unknown national theme made_up"),
    (lambda d: d["crosswalk"].pop(), "review theme muted_lived_experience has no crosswalk row"),
    (lambda d: d["sources"][0].update(year="last year"),
     "sources entry 1 (cspr_panel_2020), field 'year'"),
    (lambda d: d["national_themes"][0].update(source="nowhere"),
     "national theme cspr20_daily_life: unknown source nowhere"),
    (lambda d: d["national_themes"].append({**d["national_themes"][0]}),
     "national_themes repeats cspr20_daily_life"),
    (lambda d: d["national_themes"].append({"id": "spare", "source": "cspr_panel_2020",
                                            "name": "Spare", "meaning": "Unused."}),
     "national theme spare is mapped to no review theme"),
    (lambda d: d["crosswalk"][1].update(theme="poor_escalatoin"),
     "crosswalk row poor_escalatoin: not one of the review themes"),
])
def test_bad_crosswalk_is_refused_naming_the_entry(change, needle: str) -> None:
    data = _shipped()
    change(data)
    with pytest.raises(CatalogueError, match=needle.replace("(", r"\(").replace(")", r"\)")):
        parse_national(_dump(data), THEMES)


def test_broken_yaml_is_refused_with_the_file_name() -> None:
    with pytest.raises(CatalogueError, match="national_themes.yaml is not valid YAML"):
        parse_national("sources: [unclosed", THEMES)
    with pytest.raises(CatalogueError, match="'sources' must be a non-empty list"):
        parse_national("sources: []\nnational_themes: []\ncrosswalk: []\n", THEMES)
