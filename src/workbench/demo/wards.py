"""Demo wards on three sites, the measures each tracks, and how their counts behave."""

from __future__ import annotations

from typing import Any

# (id, name, site, specialty, measures)
WARDS: list[tuple[str, str, str, str, list[str]]] = [
    ("nh-ucc", "Urgent Care Centre", "North Hospital", "urgent care",
     ["bruising_prompt_use", "huddle_compliance", "gp_same_day_summary", "repeat_attendances",
      "triage_minutes"]),
    ("nh-cau", "Children's Assessment Unit", "North Hospital", "paediatrics",
     ["form_completion", "tool_use", "repeat_attendances", "felt_listened_to"]),
    ("nh-ed", "Emergency Department", "North Hospital", "emergency medicine",
     ["sepsis_screen_first_hour", "time_to_senior_review", "days_between_missed_escalations",
      "triage_minutes", "bruising_prompt_use"]),
    ("nh-w7", "Ward 7 Acute Medicine", "North Hospital", "adult medicine",
     ["time_to_senior_review", "bleeps_urgent_help", "plan_clarity_audit"]),
    ("sh-amu", "Acute Medical Unit", "South Hospital", "adult medicine",
     ["joint_call_before_discharge", "gp_follow_up_3d", "readmissions_30d", "carer_feedback",
      "discharge_delay_hours"]),
    ("sh-ldl", "Learning Disability Liaison", "South Hospital", "learning-disability liaison",
     ["referral_named_lead", "form_completion", "carer_feedback"]),
    ("sh-dl", "Discharge Lounge", "South Hospital", "discharge lounge",
     ["bundle_use", "unplanned_returns_7d", "discharges_between_returns", "discharge_delay_hours"]),
    ("sh-w12", "Ward 12 Older People", "South Hospital", "care of older people",
     ["plan_clarity_audit", "discharge_risk_summary", "summary_sent_24h", "receipt_checks",
      "staff_minutes_per_discharge"]),
    ("cm-willow", "Willow Ward", "Community and Mental Health", "adult mental health",
     ["form_completion", "felt_listened_to", "reflection_attendance"]),
    ("cm-crisis", "Children's Crisis Team", "Community and Mental Health", "child mental health",
     ["referral_named_lead", "reflection_attendance", "actions_closed_on_time"]),
    ("cm-mat", "Maternity Triage", "Community and Mental Health", "maternity",
     ["sepsis_screen_first_hour", "time_to_senior_review", "record_quality_spot_checks"]),
    ("cm-miu", "Minor Injuries Unit", "Community and Mental Health", "urgent care",
     ["bruising_prompt_use", "repeat_attendances", "triage_minutes"]),
]

# Baseline behaviour of each measure: p -> (mean denominator, proportion); c -> mean count;
# u -> (mean denominator, rate); i -> (mean, sd); g -> success probability; t -> mean days.
BASELINE: dict[str, tuple[float, ...]] = {
    "bruising_prompt_use": (3.0, 0.30),
    "huddle_compliance": (5.0, 0.40),
    "gp_same_day_summary": (5.0, 0.35),
    "repeat_attendances": (4.0,),
    "triage_minutes": (14.0, 3.0),
    "form_completion": (8.0, 0.45),
    "tool_use": (9.0, 0.55),
    "felt_listened_to": (18.0, 0.55),
    "sepsis_screen_first_hour": (9.0, 0.62),
    "time_to_senior_review": (52.0, 11.0),
    "days_between_missed_escalations": (9.0,),
    "bleeps_urgent_help": (0.28, 9.0),
    "plan_clarity_audit": (10.0, 0.50),
    "joint_call_before_discharge": (4.0, 0.25),
    "gp_follow_up_3d": (4.0, 0.30),
    "readmissions_30d": (30.0, 0.17),
    "carer_feedback": (10.0, 0.45),
    "discharge_delay_hours": (5.5, 1.2),
    "referral_named_lead": (5.0, 0.50),
    "bundle_use": (8.0, 0.35),
    "unplanned_returns_7d": (22.0, 0.09),
    "discharges_between_returns": (0.08,),
    "discharge_risk_summary": (7.0, 0.55),
    "summary_sent_24h": (7.0, 0.70),
    "receipt_checks": (6.0, 0.40),
    "reflection_attendance": (12.0, 0.50),
    "actions_closed_on_time": (9.0, 0.60),
    "record_quality_spot_checks": (10.0, 0.60),
    "staff_minutes_per_discharge": (24.0, 5.0),
}

# Changes that moved the data: (ward, measure, from date, new parameters).  They follow the
# demo cycles: a change adopted or adapted shows a real shift after its start date.
EFFECTS: list[tuple[str, str, str, tuple[float, ...]]] = [
    ("nh-ucc", "bruising_prompt_use", "2026-08-17", (3.0, 0.86)),
    ("nh-ucc", "repeat_attendances", "2026-08-17", (3.0,)),
    ("nh-ucc", "huddle_compliance", "2026-09-07", (5.0, 0.82)),
    ("nh-ucc", "repeat_attendances", "2026-09-07", (2.3,)),
    ("nh-ucc", "gp_same_day_summary", "2026-09-28", (5.0, 0.62)),
    ("nh-ucc", "triage_minutes", "2026-08-17", (15.0, 3.0)),
    ("sh-amu", "joint_call_before_discharge", "2026-08-03", (4.0, 0.80)),
    ("sh-amu", "gp_follow_up_3d", "2026-08-03", (4.0, 0.75)),
    ("sh-amu", "readmissions_30d", "2026-08-03", (30.0, 0.08)),
    ("sh-amu", "carer_feedback", "2026-08-03", (10.0, 0.78)),
    ("sh-amu", "discharge_delay_hours", "2026-08-03", (6.0, 1.2)),
    ("nh-ed", "sepsis_screen_first_hour", "2026-09-14", (9.0, 0.80)),
    ("sh-w12", "plan_clarity_audit", "2026-10-05", (10.0, 0.68)),
    ("sh-dl", "bundle_use", "2026-11-12", (8.0, 0.70)),
    ("cm-miu", "bruising_prompt_use", "2026-10-19", (3.0, 0.74)),
    ("nh-ed", "bruising_prompt_use", "2026-11-09", (3.0, 0.80)),
]


def ward_records() -> list[dict[str, Any]]:
    """The demo wards as record data."""
    return [{"id": i, "name": n, "site": s, "specialty": sp, "measures": m}
            for i, n, s, sp, m in WARDS]
