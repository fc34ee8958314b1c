"""Planning a cycle through the typed plan (services.plans): one set of rules for every surface."""

from __future__ import annotations

import datetime as dt

import pytest

from workbench.domain.errors import PatientDataError, ValidationFailed, WorkbenchError
from workbench.services.plans import (
    PlanInput,
    QuestionInput,
    plan_cycle,
    plan_record,
    read_level,
)
from workbench.store.workspace import Workspace

TODAY = dt.date(2026, 12, 3)


def plan(**over: object) -> PlanInput:
    base = dict(ward="nh-w7", theme="poor_escalation", change_idea="senior_advice_line",
                owner="Matron", objective="Senior review within 30 minutes",
                measures=("time_to_senior_review", "bleeps_urgent_help"),
                questions=(QuestionInput("Faster?", "Under 30 minutes", "A named senior",
                                         "time_to_senior_review"),),
                start=TODAY, active_reason="trial beside the ward's other change")
    base.update(over)
    return PlanInput(**base)  # type: ignore[arg-type]


def snapshot(ws: Workspace) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(ws.cycles_dir.glob("*.yaml"))}


def test_a_plan_gets_its_id_status_and_the_measures_better_direction(demo_ws) -> None:
    made = plan_cycle(demo_ws, plan(), today=TODAY)
    assert made.id == "nh-w7-senior-advice-line-20261203"
    assert made.status.value == "running" and made.end == dt.date(2026, 12, 17)
    assert (made.questions[0].measure, made.questions[0].expect) == \
        ("time_to_senior_review", "fall")  # a time: lower is better
    later = plan_cycle(demo_ws, plan(id="later", start=dt.date(2026, 12, 7)), today=TODAY)
    assert later.status.value == "planned"


@pytest.mark.parametrize(
    ("over", "words"),
    [
        ({"owner": " "}, "owner: name the person or role"),
        ({"objective": ""}, "objective: say what the change should achieve"),
        ({"measures": ()}, "measures: choose at least one process measure"),
        ({"end": TODAY}, "end: 2026-12-03 is not after the start"),
        ({"questions": ()}, "question 1: ask at least one question"),
        ({"questions": (QuestionInput("", "Yes"),)}, "question 1: write the question"),
        ({"questions": (QuestionInput("Faster?", ""),)}, "prediction 1: predict what will"),
        ({"questions": (QuestionInput("Q", "P", measure="triage_minutes"),)},
         "measure 1: 'triage_minutes' is not one of the plan's measures"),
        ({"questions": (QuestionInput("Q", "P", expect="rise"),)},
         "measure 1: 'rise' needs the measure"),
        ({"questions": (QuestionInput("Q", "P", measure="time_to_senior_review",
                                      expect="soon"),)}, "expect 1: 'soon' is not a prediction"),
        ({"questions": (QuestionInput("Q", "P", measure="time_to_senior_review",
                                      expect="at_most"),)}, "level 1: 'at_most' needs a level"),
        ({"questions": (QuestionInput("Q", "P", measure="time_to_senior_review",
                                      expect="at_most", level="half an hour"),)},
         "level 1: 'half an hour' is not a number"),
        ({"questions": (QuestionInput("Q", "P", measure="time_to_senior_review", expect="fall",
                                      level="30"),)}, "level 1: a level is read only with"),
        ({"measures": ("time_to_senior_review", "sepsis_screen_first_hour")},
         "measures: Ward 7 Acute Medicine does not count sepsis_screen_first_hour"),
        ({"theme": "vibes"}, "theme: unknown theme 'vibes'"),
        ({"active_reason": ""}, "active_reason: Ward 7 Acute Medicine already has"),
    ],
)
def test_each_bad_field_is_refused_by_name_and_nothing_changes(demo_ws, over, words) -> None:
    # nh-w7 runs one change (w7-stop-and-call) against a limit of 2: plan one more first so
    # that a third needs the reason
    plan_cycle(demo_ws, plan(id="first"), today=TODAY)
    before = snapshot(demo_ws)
    with pytest.raises(ValidationFailed) as err:
        plan_cycle(demo_ws, plan(**over), today=TODAY)
    assert words in str(err.value)
    assert snapshot(demo_ws) == before


def test_a_level_on_a_percentage_is_a_proportion(demo_ws) -> None:
    q = QuestionInput("Screened?", "Most", measure="sepsis_screen_first_hour",
                      expect="at least", level="80%")
    ed = dict(ward="nh-ed", theme="weak_recognition", change_idea="triage_trigger_chart",
              measures=("sepsis_screen_first_hour", "triage_minutes"), questions=(q,))
    made = plan_cycle(demo_ws, plan(**ed), today=TODAY)
    assert (made.questions[0].expect, made.questions[0].level) == ("at_least", 0.8)
    before = snapshot(demo_ws)
    bad = QuestionInput("Screened?", "Most", measure="sepsis_screen_first_hour",
                        expect="at_least", level="80")
    with pytest.raises(ValidationFailed, match="level 1: 80 is out of range for a percentage"):
        plan_cycle(demo_ws, plan(**{**ed, "questions": (bad,), "id": "x"}), today=TODAY)
    assert snapshot(demo_ws) == before


def test_a_plan_with_no_measure_that_can_show_a_result_is_refused(demo_ws) -> None:
    # Willow Ward enters both of these weekly (on Mondays): 7 and 14 December are the only
    # counts in 3..16 December
    willow = dict(ward="cm-willow", theme="weak_supervision", change_idea="case_reflection_slot",
                  measures=("reflection_attendance", "felt_listened_to"),
                  questions=(QuestionInput("Heard?", "More"),))
    before = snapshot(demo_ws)
    with pytest.raises(ValidationFailed) as err:
        plan_cycle(demo_ws, plan(**willow), today=TODAY)
    assert snapshot(demo_ws) == before
    assert str(err.value) == (
        "measures: none of the plan's measures can show a result in this test: "
        "Case reflection attendance (counted weekly: a two-week test gives 2 points; the "
        "check needs at least 9 \u2014 make the test 9 weeks); Patients and carers who felt "
        "listened to (counted weekly: a two-week test gives 2 points; the check needs at least "
        "9 \u2014 make the test 9 weeks)")
    # nine weeks from Thursday 3 December hold nine Mondays (7 Dec .. 1 Feb): saved
    made = plan_cycle(demo_ws, plan(**willow, end=dt.date(2027, 2, 4)), today=TODAY)
    assert made.end == dt.date(2027, 2, 4)


def test_patient_details_are_refused(demo_ws) -> None:
    before = snapshot(demo_ws)
    with pytest.raises(PatientDataError):
        plan_cycle(demo_ws, plan(objective="Call 943 476 5919 first"), today=TODAY)
    assert snapshot(demo_ws) == before


def test_plans_already_saved_are_not_refused_for_their_points(demo_ws) -> None:
    from workbench.services.cycles import list_cycles, save_cycle

    # the demo's decided AMU cycle watches weekly readmissions: it still loads and saves
    amu = next(c for c in list_cycles(demo_ws) if "readmissions_30d" in c.measures)
    assert save_cycle(demo_ws, amu.model_copy(update={"title": "Kept"})).title == "Kept"


def test_from_mapping_takes_plan_fields_only() -> None:
    with pytest.raises(ValidationFailed, match="status: not part of a new plan"):
        PlanInput.from_mapping({"ward": "w", "theme": "t", "change_idea": "c",
                                "status": "decided"})
    with pytest.raises(ValidationFailed, match="start: '1 Dec' is not a date"):
        PlanInput.from_mapping({"ward": "w", "theme": "t", "change_idea": "c",
                                "start": "1 Dec"})
    with pytest.raises(ValidationFailed, match="change_idea: this is needed"):
        PlanInput.from_mapping({"ward": "w", "theme": "t"})
    with pytest.raises(ValidationFailed, match="tasks: write each task"):
        PlanInput.from_mapping({"ward": "w", "theme": "t", "change_idea": "c",
                                "tasks": ["print the cards"]})
    # a question written without its prediction is refused by name, not with a crash
    half = PlanInput.from_mapping({"ward": "w", "theme": "t", "change_idea": "c",
                                   "questions": [{"question": "Faster?"}]})
    with pytest.raises(ValidationFailed, match="prediction 1: predict what will happen"):
        plan_record(half, TODAY)
    got = PlanInput.from_mapping({"ward": "w", "theme": "t", "change_idea": "c", "owner": None,
                                  "measures": ["a", "b"], "start": "2026-12-01",
                                  "questions": [{"question": "q", "prediction": "p",
                                                 "level": 0.5}]})
    assert got.measures == ("a", "b") and got.start == dt.date(2026, 12, 1)
    assert got.owner == "" and got.questions[0].level == 0.5


def test_read_level() -> None:
    assert read_level("80%") == 0.8 and read_level("12") == 12.0 and read_level(0.5) == 0.5
    assert read_level("  ") is None
    with pytest.raises(WorkbenchError, match="level 2: 'lots'"):
        read_level("lots", "level 2")
