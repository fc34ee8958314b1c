"""``workbench cycle new`` and the plan form: one typed plan, one record."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

TODAY = dt.date(2026, 12, 3)


def test_the_form_and_the_command_line_make_the_same_record(demo_ws, tmp_path: Path) -> None:
    """The same plan typed in the form and given to ``workbench cycle new``: the same bytes."""
    import shutil

    from typer.testing import CliRunner

    from workbench.cli import _register, app
    from workbench.store.workspace import resolve_workspace
    from workbench.ui.steps import run_page

    if "brief" not in {c.name for c in app.registered_commands}:
        _register()
    other = tmp_path / "copy"
    shutil.copytree(demo_ws.root, other)
    page = run_page(workspace=str(demo_ws.root), db=demo_ws.db_url, ward="nh-ed",
                    theme="poor_escalation", change_idea="senior_advice_line",
                    as_of=TODAY.isoformat())
    form = page.form()
    widgets = {c: w for w in _walk(form) for c in getattr(w, "_dom_classes", ())}
    widgets["wb-plan-measures"].value = ("time_to_senior_review", "triage_minutes")
    widgets["wb-plan-owner"].value = "ED nurse in charge"
    widgets["wb-plan-objective"].value = "Senior advice fast, without slowing triage."
    widgets["wb-plan-q1-question"].value = "Will triage slow down?"
    widgets["wb-plan-q1-prediction"].value = "No longer than now"
    widgets["wb-plan-q1-measure"].value = "triage_minutes"
    widgets["wb-plan-q1-expect"].value = "no_rise"
    widgets["wb-plan-q2-question"].value = "Senior review within 30 minutes?"
    widgets["wb-plan-q2-prediction"].value = "Mostly"
    widgets["wb-plan-q2-measure"].value = "time_to_senior_review"
    widgets["wb-plan-q2-expect"].value = "at_most"
    widgets["wb-plan-q2-level"].value = "30"
    widgets["wb-plan-reason"].value = "trial beside the sepsis work"
    widgets["wb-plan-save"].click()
    assert "Saved cycle" in widgets["wb-plan-message"].value, widgets["wb-plan-message"].value
    ident = "nh-ed-senior-advice-line-20261203"
    ws2 = resolve_workspace(other, f"sqlite:///{other / 'data' / 'workbench.sqlite'}")
    result = CliRunner().invoke(app, [
        "cycle", "new", "--workspace", str(ws2.root), "--ward", "nh-ed",
        "--theme", "poor_escalation", "--change-idea", "senior_advice_line",
        "--owner", "ED nurse in charge",
        "--objective", "Senior advice fast, without slowing triage.",
        "--measure", "time_to_senior_review", "--measure", "triage_minutes",
        "--question", "Will triage slow down? | No longer than now | | triage_minutes | no_rise",
        "--question", "Senior review within 30 minutes? | Mostly | | time_to_senior_review | "
                      "at_most 30",
        "--start", TODAY.isoformat(), "--reason", "trial beside the sepsis work"])
    assert result.exit_code == 0, result.output
    form_bytes = (demo_ws.cycles_dir / f"{ident}.yaml").read_bytes()
    cli_bytes = (ws2.cycles_dir / f"{ident}.yaml").read_bytes()
    # the CLI counts today as the real today: the status may differ only if the machine's date
    # is before the start; on or after it both are running
    if dt.date.today() >= TODAY:
        assert cli_bytes == form_bytes
    else:
        assert cli_bytes.replace(b"status: planned", b"status: running") == form_bytes


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def test_cycle_decide_keeps_each_predictions_result(demo_ws) -> None:
    """``cycle new`` then ``cycle decide`` after the test: the judgement's reading is stored."""
    import yaml
    from typer.testing import CliRunner

    from workbench.cli import _register, app
    from workbench.services.judgement import judge_cycle

    if "brief" not in {c.name for c in app.registered_commands}:
        _register()
    ws = ["--workspace", str(demo_ws.root)]
    made = CliRunner().invoke(app, [
        "cycle", "new", "w7-senior-line", *ws, "--ward", "nh-w7", "--theme", "poor_escalation",
        "--change-idea", "senior_advice_line", "--owner", "Matron", "--objective", "Faster",
        "--measure", "time_to_senior_review", "--measure", "bleeps_urgent_help",
        "--question", "Faster? | Yes | | time_to_senior_review",
        "--question", "More bleeps? | No | | bleeps_urgent_help | no_rise",
        "--question", "Staff happier? | Yes",
        "--start", "2026-11-02", "--reason", "trial"])
    assert made.exit_code == 0, made.output
    decided = CliRunner().invoke(app, ["cycle", "decide", "w7-senior-line", "adapt", *ws,
                                       "--reason", "Mixed", "--on", "2026-11-20"])
    assert decided.exit_code == 0, decided.output
    record = yaml.safe_load((demo_ws.cycles_dir / "w7-senior-line.yaml").read_text("utf-8"))
    judged = judge_cycle(demo_ws, "w7-senior-line", as_of=dt.date(2026, 11, 20))
    chart = record["study"]["chart"]
    assert [(r["question"], r["result"]) for r in chart] == \
        [(p.question, p.result) for p in judged.predictions]
    # the last question has no measure: the chart cannot read it, and says so
    assert chart[-1]["result"] == "unclear" and record["study"]["chart_as_of"] == \
        dt.date(2026, 11, 20)
