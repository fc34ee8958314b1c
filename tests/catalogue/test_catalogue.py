"""The catalogue ships the seed document's content and validates itself on load."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workbench.catalogue import load_catalogue
from workbench.catalogue import loader as loader_mod
from workbench.domain.errors import CatalogueError, NotFoundError

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "serious-case-reviews-into-practice.txt"


def seed_text() -> str:
    """The source document, which sits beside the repository in ``shared/seed``."""
    if not SEED.exists():
        pytest.skip(f"the seed document is not beside this checkout ({SEED})")
    return re.sub(r"\s+", " ", SEED.read_text("utf-8").lower())

# Every measure the seed document names (its "Measurement And Audit" section and the second
# table's "How To Measure" column), mapped to the catalogue id that defines it.
SEED_MEASURES = {
    "percent of discharges with shared risk summary": "discharge_risk_summary",
    "percent of sepsis screens done in the first hour": "sepsis_screen_first_hour",
    "percent of referrals with a named lead": "referral_named_lead",
    "time to senior review": "time_to_senior_review",
    "huddle compliance": "huddle_compliance",
    "bundle use": "bundle_use",
    "summary sent in 24 hours": "summary_sent_24h",
    "receipt checks": "receipt_checks",
    "form completion": "form_completion",
    "tool use": "tool_use",
    "attendance": "reflection_attendance",
    "actions closed on time": "actions_closed_on_time",
    "audit of plan clarity": "plan_clarity_audit",
    "spot checks of record quality": "record_quality_spot_checks",
    "unplanned returns within seven days": "unplanned_returns_7d",
    "seven-day returns": "unplanned_returns_7d",
    "bleeps for rapid review": "bleeps_urgent_help",
    "bleeps for urgent help": "bleeps_urgent_help",
    "repeat attendances": "repeat_attendances",
    "readmissions": "readmissions_30d",
    "patient and carer reports on feeling listened to": "felt_listened_to",
    "carer feedback": "carer_feedback",
}


def test_eight_themes_in_the_seed_order() -> None:
    cat = load_catalogue()
    assert [t.name for t in cat.themes.values()] == [
        "Weak recognition", "Poor escalation", "Fragmented records", "Narrow assessment",
        "Weak supervision", "Thin documentation", "Unsafe transfers", "Muted lived experience"]
    for theme in cat.themes.values():
        assert theme.looks_like and theme.practical_fix


def test_the_seed_names_every_theme_we_ship() -> None:
    seed = seed_text()
    for theme in load_catalogue().themes.values():
        assert theme.name.lower() in seed


def test_finding_map_has_the_seed_table_rows() -> None:
    cat = load_catalogue()
    assert [r.finding for r in cat.finding_map.values()] == [
        "Escalation delay", "Missed patterns", "Discharge gaps", "Lost voice",
        "Fragmented records", "Shallow notes", "Weak supervision", "Narrow assessment"]
    for row in cat.finding_map.values():
        assert all(m in cat.measures for m in row.measures)
        assert all(c in cat.change_ideas for c in row.change_ideas)


@pytest.mark.parametrize(("seed_words", "measure_id"), sorted(SEED_MEASURES.items()))
def test_every_measure_the_seed_names_is_defined(seed_words: str, measure_id: str) -> None:
    seed = seed_text()
    assert seed_words in seed, "the mapping itself must quote the seed"
    m = load_catalogue().measure(measure_id)
    assert m.definition and m.numerator and m.unit
    if m.needs_denominator:
        assert m.denominator
    assert m.balancing == "" or m.balancing in load_catalogue().measures


def test_measures_cover_every_chart_type_the_issue_lists() -> None:
    charts = {m.chart.value for m in load_catalogue().measures.values()}
    assert {"p", "u", "c", "i", "g", "t"} <= charts


def test_every_method_area_has_change_ideas() -> None:
    cat = load_catalogue()
    assert {c.method_area for c in cat.change_ideas.values()} == set(cat.method_areas)
    assert len(cat.method_areas) == 8


def test_review_types() -> None:
    types = load_catalogue().review_types
    assert set(types) == {"CSPR", "SAR", "SCR", "DHR", "PSII", "AAR", "SWARM", "thematic"}
    for rt in types.values():
        assert {"England", "Wales", "Scotland", "Northern Ireland"} <= set(rt.nations)


def test_unknown_measure_suggests_the_nearest() -> None:
    with pytest.raises(NotFoundError, match="Did you mean 'bundle_use'"):
        load_catalogue().measure("bundel_use")


def test_broken_catalogue_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    real = loader_mod._read

    def broken(name: str, model: type) -> list:
        items = real(name, model)
        if name == "finding_map.yaml":
            items[0] = items[0].model_copy(update={"measures": ("no_such_measure",)})
        return items

    monkeypatch.setattr(loader_mod, "_read", broken)
    load_catalogue.cache_clear()
    try:
        with pytest.raises(CatalogueError, match="unknown measure no_such_measure"):
            load_catalogue()
    finally:
        load_catalogue.cache_clear()
