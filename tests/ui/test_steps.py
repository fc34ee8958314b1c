"""The step pages' widgets, built headless: forms save through the services, refusals show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from workbench.services.cycles import get_cycle
from workbench.store.workspace import Workspace, resolve_workspace
from workbench.ui.steps import StepRefused, baseline_page, check_page, pick_page, run_page


@pytest.fixture
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    from workbench.demo import build_demo

    root = tmp_path_factory.mktemp("steps") / "ws"
    space = resolve_workspace(root, db=f"sqlite:///{root / 'data' / 'workbench.sqlite'}")
    build_demo(space)
    return space


def _walk(widget: Any) -> Iterator[Any]:
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def find(root: Any, css: str) -> Any:
    """The one widget carrying CSS class *css* (how browser tests find them too)."""
    found = [w for w in _walk(root) if css in getattr(w, "_dom_classes", ())]
    assert len(found) == 1, f"expected one widget with class {css}, found {len(found)}"
    return found[0]


def click(root: Any, css: str) -> None:
    find(root, css).click()


def test_plan_form_saves_a_cycle(ws: Workspace) -> None:
    page = run_page(workspace=str(ws.root), db=ws.db_url, ward="nh-w7", theme="poor_escalation",
                    change_idea="senior_advice_line", as_of="2026-11-23")
    form = page.form()
    assert find(form, "wb-plan-idea").value == "senior_advice_line"
    assert "time_to_senior_review" in find(form, "wb-plan-measures").value
    find(form, "wb-plan-owner").value = "Ward 7 manager"
    find(form, "wb-plan-objective").value = "Every deteriorating patient seen by a senior fast."
    find(form, "wb-plan-q1-question").value = "Will senior review be quicker?"
    find(form, "wb-plan-q1-prediction").value = "Under 30 minutes"
    find(form, "wb-plan-q1-measure").value = "time_to_senior_review"
    click(form, "wb-plan-save")
    message = find(form, "wb-plan-message").value
    assert "Saved cycle" in message, message
    saved = get_cycle(ws, "nh-w7-senior-advice-line-20261123")
    assert saved.owner == "Ward 7 manager" and saved.questions[0].expect == "fall"
    assert saved.status.value == "running" and saved.end == dt.date(2026, 12, 7)


def test_plan_form_offers_what_can_show_a_result_and_says_why_not(ws: Workspace) -> None:
    # The Children's Assessment Unit enters "felt listened to" weekly (Mondays, to 16 Nov): a
    # two-week test from Thursday 3 Dec holds Mondays 7 and 14 Dec only (the judgement's count)
    page = run_page(workspace=str(ws.root), db=ws.db_url, ward="nh-cau",
                    theme="muted_lived_experience", change_idea="child_lived_experience_prompt",
                    as_of="2026-12-03")
    form = page.form()
    measures = find(form, "wb-plan-measures")
    offered = [v for _, v in measures.options]
    # the theme's measure it counts first, then every other measure the unit counts
    assert offered == ["form_completion", "tool_use", "repeat_attendances"]
    # ticked first: the theme's usable measure, and the first outcome the unit counts (a plan
    # needs a process and an outcome or balancing measure)
    assert measures.value == ("form_completion", "repeat_attendances")
    greyed = find(form, "wb-plan-greyed").value
    assert ("counted weekly: a two-week test gives 2 points; the check needs at least 9 "
            "\u2014 make the test 9 weeks") in greyed
    assert "Carers who felt heard</span>: Children&#x27;s Assessment Unit does not count it " \
        "yet" in greyed
    q1 = find(form, "wb-plan-q1-measure")
    assert [v for _, v in q1.options] == ["", *offered]
    # nine weeks hold nine Mondays (7 Dec .. 1 Feb): now it is offered, and the choice is kept
    measures.value = ("form_completion", "repeat_attendances")
    find(form, "wb-plan-end").value = dt.date(2027, 2, 4)
    assert "felt_listened_to" in [v for _, v in measures.options]
    assert measures.value == ("form_completion", "repeat_attendances")
    assert "counted weekly" not in find(form, "wb-plan-greyed").value
    find(form, "wb-plan-owner").value = "CAU sister"
    find(form, "wb-plan-objective").value = "Every child's own words in the record."
    find(form, "wb-plan-q1-question").value = "Will repeat attendances rise?"
    find(form, "wb-plan-q1-prediction").value = "No"
    q1.value = "repeat_attendances"
    find(form, "wb-plan-q1-expect").value = "no_rise"
    find(form, "wb-plan-reason").value = "trial"
    click(form, "wb-plan-save")
    message = find(form, "wb-plan-message").value
    assert "Saved cycle" in message, message
    saved = get_cycle(ws, "nh-cau-child-lived-experience-prompt-20261203")
    assert saved.measures == ["form_completion", "repeat_attendances"]
    assert (saved.questions[0].measure, saved.questions[0].expect) == \
        ("repeat_attendances", "no_rise")
    assert saved.end == dt.date(2027, 2, 4) and saved.status.value == "running"


def test_plan_form_shows_problems_and_saves_nothing(ws: Workspace) -> None:
    page = run_page(workspace=str(ws.root), ward="nh-w7", theme="poor_escalation")
    form = page.form()
    before = sorted(p.name for p in ws.cycles_dir.iterdir())
    click(form, "wb-plan-save")
    message = find(form, "wb-plan-message").value
    assert "Not saved" in message and "Traceback" not in message
    assert all(f in message for f in ("owner", "objective", "question 1", "prediction 1"))
    find(form, "wb-plan-owner").value = "Ward 7 manager"
    find(form, "wb-plan-objective").value = "Call 943 476 5919 first"
    find(form, "wb-plan-q1-question").value = "Quicker?"
    find(form, "wb-plan-q1-prediction").value = "Yes"
    click(form, "wb-plan-save")
    assert "NHS number" in find(form, "wb-plan-message").value
    assert sorted(p.name for p in ws.cycles_dir.iterdir()) == before


def test_running_view_and_log_form(ws: Workspace) -> None:
    page = run_page(workspace=str(ws.root), cycle="dl-high-risk-bundle", as_of="2026-11-20")
    page.log()
    before = page.log_view.value.count("<tr>") - 1  # the header row
    form = page.form()
    click(form, "wb-log-save")
    assert "write what happened" in find(form, "wb-log-message").value
    find(form, "wb-log-note").value = "Two bundles missed on the late shift."
    click(form, "wb-log-save")
    assert "Added to the log" in find(form, "wb-log-message").value
    assert get_cycle(ws, "dl-high-risk-bundle").do_log[-1].note.startswith("Two bundles")
    # the table redraws: the count in the message and the rows shown agree (it said "3 note(s)"
    # while the table still showed 2)
    rows = page.log_view.value.count("<tr>") - 1
    assert rows == before + 1 == len(get_cycle(ws, "dl-high-risk-bundle").do_log)
    assert f"it now has {rows} notes" in find(form, "wb-log-message").value
    assert "Two bundles missed" in page.log_view.value


def test_decide_form_records_and_refuses_stale(ws: Workspace) -> None:
    first = check_page(workspace=str(ws.root), cycle="miu-infant-bruising-prompt").forms()
    second = check_page(workspace=str(ws.root), cycle="miu-infant-bruising-prompt").forms()
    find(first, "wb-decide-choice").value = "adopt"
    find(first, "wb-decide-reason").value = "The prompt is used on nearly every shift."
    click(first, "wb-decide-save")
    assert "Decision recorded: adopt" in find(first, "wb-decide-message").value
    find(second, "wb-decide-choice").value = "abandon"
    find(second, "wb-decide-reason").value = "Too slow."
    click(second, "wb-decide-save")
    assert "someone saved this record" in find(second, "wb-decide-message").value
    assert get_cycle(ws, "miu-infant-bruising-prompt").act.decision.value == "adopt"
    # each prediction's result, as the one judgement reads it on the day, is kept in the record
    from workbench.services.judgement import judge_cycle

    saved = get_cycle(ws, "miu-infant-bruising-prompt")
    assert saved.study is not None and saved.act is not None
    judged = judge_cycle(ws, saved.id, as_of=saved.act.decided_on)
    assert saved.study.chart_as_of == judged.as_of == saved.act.decided_on
    assert [(r.question, r.measure, r.result) for r in saved.study.chart] == \
        [(p.question, p.measure, p.result) for p in judged.predictions]
    assert len(saved.study.chart) == len(saved.questions)
    from workbench.services.wards import list_wards, save_wards

    # the next ward must count what the test measured before the change can spread to it
    save_wards(ws, [w.model_copy(update={"measures": [*w.measures, "bruising_prompt_use"]})
                    if w.id == "nh-cau" else w for w in list_wards(ws)])
    find(first, "wb-spread-ward").value = "nh-cau"
    click(first, "wb-spread-save")
    assert "Spread to Children&#x27;s Assessment Unit" in find(first, "wb-spread-message").value
    click(first, "wb-spread-save")
    assert "already runs on Children" in find(first, "wb-spread-message").value


def test_pick_form_records_a_pick_and_links_to_the_plan(ws: Workspace) -> None:
    form = pick_page(workspace=str(ws.root), ward="nh-ucc", as_of="2026-11-22").form()
    find(form, "wb-pick-theme").value = "unsafe_transfers"
    idea = find(form, "wb-pick-idea")
    assert "high_risk_discharge_bundle" in [v for _, v in idea.options]
    idea.value = "high_risk_discharge_bundle"
    link = find(form, "wb-pick-link").value
    assert "03_run_change.ipynb?ward=nh-ucc&amp;review_theme=unsafe_transfers" in link
    click(form, "wb-pick-save")
    assert "Recorded" in find(form, "wb-pick-message").value
    assert (ws.pdsa / "picks.yaml").read_text().count("high_risk_discharge_bundle") == 1


def test_baseline_form_recomputes(ws: Workspace) -> None:
    page = baseline_page(workspace=str(ws.root), ward="nh-ed",
                         measure="sepsis_screen_first_hour")
    form = page.form()
    find(form, "wb-size-hoped").value = "95%"
    click(form, "wb-size-run")
    assert "hoped for 95%" in find(form, "wb-size-result").value
    find(form, "wb-size-hoped").value = "lots"
    click(form, "wb-size-run")
    assert "not a number" in find(form, "wb-size-message").value


def test_reports_have_no_forms_and_refuse_bad_parameters(ws: Workspace) -> None:
    page = check_page(workspace=str(ws.root), ward="nh-ucc", interactive=False)
    assert page.ok and page.forms() is None
    with pytest.raises(StepRefused, match="unknown ward 'nh-uc'"):
        pick_page(workspace=str(ws.root), ward="nh-uc", interactive=False)
    with pytest.raises(StepRefused, match="YYYY-MM-DD"):
        run_page(workspace=str(ws.root), ward="nh-ucc", as_of="22/11/2026", interactive=False)
    quiet = baseline_page(workspace=str(ws.root), ward="nh-ucc", measure="nope")
    assert not quiet.ok and quiet.form() is None
    assert StepRefused("x")._render_traceback_() == ["StepRefused: x"]


def test_step_1_leaves_out_changes_the_ward_adopted_or_is_testing_and_says_so(
        ws: Workspace) -> None:
    # the Urgent Care Centre adopted the infant bruising prompt (ucc-infant-bruising-prompt)
    adopted = get_cycle(ws, "ucc-infant-bruising-prompt")
    assert adopted.act is not None and adopted.act.decision.value == "adopt"
    page = pick_page(workspace=str(ws.root), ward="nh-ucc", as_of="2026-11-22")
    option = next(o for o in page.data.options if o.theme.id == adopted.theme)
    assert adopted.change_idea not in [i.id for i in option.ideas]
    assert adopted.change_idea in [x.idea.id for x in option.left_out]
    form = page.form()
    find(form, "wb-pick-theme").value = adopted.theme
    assert adopted.change_idea not in [v for _, v in find(form, "wb-pick-idea").options]
    note = find(form, "wb-pick-left-out").value
    assert "already adopted on this ward" in note and (adopted.title or "") in note


def test_step_four_charts_draw_the_points_the_verdict_reads(ws: Workspace) -> None:
    """The discharge lounge's bundle is charted weekly on its board, but its two-week test is
    judged on the daily counts as stored: step four's charts draw exactly those counts, shade
    the verdict's window and say so in the caption."""
    import pandas as pd

    from workbench.services.observations import measure_frames

    page = check_page(workspace=str(ws.root), cycle="dl-high-risk-bundle", as_of="2026-11-22",
                      interactive=False)
    charts = {item[0]["title"]["text"]: item[0] for item in page.chart_items()
              if not isinstance(item, str)}
    verdicts = {m.name: m for m in page.judgement.measures}
    assert set(charts) == set(verdicts)
    stored = measure_frames(ws, "sh-dl", [m.measure for m in verdicts.values()],
                            end=page.judgement.as_of)
    for name, spec in charts.items():
        mv = verdicts[name]
        rows = pd.DataFrame(spec["data"]["values"])
        shaded = rows[rows["in_test"]]
        assert len(shaded) == mv.test_points > 2  # 11 daily counts, not 2 weekly totals
        data = stored[mv.measure]
        days = data[(data["date"] >= pd.Timestamp(mv.window.start))
                    & (data["date"] <= pd.Timestamp(mv.window.end))]
        want = (days["value"] / days["denominator"]) if days["denominator"].notna().all() \
            else days["value"]
        assert list(pd.to_datetime(shaded["x"])) == list(days["date"])
        assert shaded["y"].to_numpy() == pytest.approx(want.to_numpy())
        caption = spec["title"]["subtitle"][0]
        assert caption.startswith("Each count as stored: the points the test verdict reads")
        # the limits drawn through the test are the verdict's: the baseline's, frozen before
        # the change (judge_window's baseline centre), not limits worked out again after it
        assert "limits set before the change" in " ".join(spec["title"]["subtitle"])
        assert shaded["cl"].to_numpy() == pytest.approx(mv.baseline_centre)
    assert "(the board shows weekly totals, Mon\u2013Sun)" in \
        charts["High-risk discharges with the bundle"]["title"]["subtitle"][0]


def test_step_forms_share_layouts_and_styles(ws: Workspace) -> None:
    """Each widget once made its own layout and style: 86 models for step three's plan form,
    each a message from the kernel after the page was asked for.  Alike widgets now share."""
    forms = {
        "pick": pick_page(workspace=str(ws.root), ward="nh-ucc", as_of="2026-11-22").form(),
        "size": baseline_page(workspace=str(ws.root), ward="nh-ed").form(),
        "plan": run_page(workspace=str(ws.root), ward="nh-cau", as_of="2026-11-23").form(),
        "log": run_page(workspace=str(ws.root), cycle="dl-high-risk-bundle",
                        as_of="2026-11-20").form(),
        "check": check_page(workspace=str(ws.root), cycle="miu-infant-bruising-prompt").forms(),
    }
    for name, form in forms.items():
        widgets = list(_walk(form))
        layouts = {id(x.layout) for x in widgets}
        styles = {id(x.style) for x in widgets if getattr(x, "style", None) is not None}
        assert len(widgets) >= 6, name
        # one per width (default, 70%), and the decision's "why now", shown and hidden alone
        assert len(layouts) <= 3, f"{name}: {len(layouts)} layouts for {len(widgets)} widgets"
        assert len(styles) <= 6, f"{name}: {len(styles)} styles for {len(widgets)} widgets"
