"""One broken record of each kind never takes the workspace down (issue 14, item 3).

A broken cycle, a cycle naming an unknown measure, a broken action, a broken review and a broken
wards-file entry: listings, the landing page, the roll-up (service, page and command) keep
working, and each shows one line naming every skipped record by file, line and field.
"""

from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from workbench.domain.errors import NotFoundError, RecordError, ValidationFailed
from workbench.services.actions import list_actions
from workbench.services.cycles import get_cycle, list_cycles, load_cycles, new_cycle
from workbench.services.reviews import list_reviews
from workbench.services.skipped import skipped_lines, skipped_records
from workbench.services.wards import list_wards
from workbench.store.workspace import Workspace

TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def ws(demo_copy: Workspace) -> Workspace:
    """A fresh copy of the demo workspace (tests/conftest.py)."""
    return demo_copy


def _break_one_of_each(ws: Workspace) -> None:
    good = (ws.cycles_dir / "w7-stop-and-call.yaml").read_text("utf-8")
    (ws.cycles_dir / "zz-bad-date.yaml").write_text(
        good.replace("id: w7-stop-and-call", "id: zz-bad-date").replace(
            "start: 2026-", "start: 2026-02-30\nx_start: 2026-"), "utf-8")
    (ws.cycles_dir / "zz-unknown-measure.yaml").write_text(
        good.replace("id: w7-stop-and-call", "id: zz-unknown-measure").replace(
            "measures:\n- ", "measures:\n- no_such_measure\n- "), "utf-8")
    (ws.actions_dir / "act-999.yaml").write_text("id: act-999\ntext: [unclosed\n", "utf-8")
    review = (ws.reviews_dir / "sar-2026-01.yaml").read_text("utf-8")
    (ws.reviews_dir / "zz-review.yaml").write_text(
        review.replace("id: sar-2026-01", "id: zz-review").replace("type: SAR\n", ""), "utf-8")
    wards = ws.wards_file.read_text("utf-8")
    ws.wards_file.write_text(wards + "- id: zz-ward\n  site: Nowhere\n", "utf-8")


def test_listings_keep_the_good_records_and_name_each_broken_one(ws: Workspace) -> None:
    counts = (len(list_cycles(ws)), len(list_actions(ws)), len(list_reviews(ws)),
              len(list_wards(ws)))
    _break_one_of_each(ws)
    assert (len(list_cycles(ws)), len(list_actions(ws)), len(list_reviews(ws)),
            len(list_wards(ws))) == counts
    found = {(p.file, p.line, p.field) for p in skipped_records(ws)}
    lines = (ws.wards_file.read_text("utf-8").count("\n"))
    assert found == {
        ("pdsa/wards.yaml", lines - 1, "12.name"),
        ("pdsa/reviews/zz-review.yaml", 1, "type"),
        ("pdsa/cycles/zz-bad-date.yaml", (ws.cycles_dir / "zz-bad-date.yaml").read_text(
            "utf-8").splitlines().index("start: 2026-02-30") + 1, "start"),
        ("pdsa/cycles/zz-unknown-measure.yaml", (ws.cycles_dir / "zz-unknown-measure.yaml")
         .read_text("utf-8").splitlines().index("- no_such_measure") + 1, "measures[0]"),
        ("pdsa/actions/act-999.yaml", 3, None),
    }
    text = "\n".join(skipped_lines(ws))
    assert text.count("Skipped ") == 5 and "unknown measure 'no_such_measure'" in text
    assert str(ws.root) not in text
    # the ward's own listing skips the broken cycle too, and says so for every ward
    assert [c.id for c in load_cycles(ws, ward=get_cycle(ws, "w7-stop-and-call").ward).records] == ["w7-stop-and-call"]


def test_the_rollup_and_the_landing_page_keep_working(ws: Workspace) -> None:
    from workbench.services.rollup import rollup, rollup_data
    from workbench.ui.landing import gather, page_html
    from workbench.ui.rollup import sections_html

    _break_one_of_each(ws)
    r = rollup(ws, TODAY)
    assert len(r.skipped) == 5 and rollup_data(r)["skipped_records"] == r.skipped
    page = sections_html(ws, r)
    assert page.count('class="wb-skipped') == 5 and "pdsa/cycles/zz-bad-date.yaml" in page
    home = page_html(gather(ws, TODAY))
    assert "Skipped pdsa/actions/act-999.yaml" in home and str(ws.root) not in home


def test_the_commands_list_and_roll_up_with_a_line_per_skipped_record(ws: Workspace) -> None:
    from workbench.cli import _register, app

    _register()
    good = len(list_cycles(ws))
    _break_one_of_each(ws)
    env = {"WORKBENCH_HOME": str(ws.root), "WORKBENCH_DB": ws.db_url}
    listed = CliRunner().invoke(app, ["cycle", "list"], env=env)
    assert listed.exit_code == 0, listed.output
    assert listed.stdout.count("\n") == good and listed.stderr.count("Skipped ") == 5
    rolled = CliRunner().invoke(app, ["rollup", "--today", TODAY.isoformat()], env=env)
    assert rolled.exit_code == 0, rolled.output
    assert "Skipped pdsa/cycles/zz-unknown-measure.yaml" in rolled.stdout
    actions = CliRunner().invoke(app, ["action", "list", "--today", TODAY.isoformat()], env=env)
    assert actions.exit_code == 0 and "Skipped pdsa/actions/act-999.yaml" in actions.stderr


def test_unknown_ward_or_status_in_cycle_list_is_refused_with_the_choices(ws: Workspace) -> None:
    from workbench.cli import _register, app

    _register()
    env = {"WORKBENCH_HOME": str(ws.root), "WORKBENCH_DB": ws.db_url}
    res = CliRunner().invoke(app, ["cycle", "list", "--ward", "nh-uccc"], env=env)
    assert res.exit_code == 1 and "nh-ucc" in res.stderr and "Known wards" in res.stderr
    res = CliRunner().invoke(app, ["cycle", "list", "--status", "done"], env=env)
    assert res.exit_code == 1 and "planned, running, studying, decided" in res.stderr
    res = CliRunner().invoke(app, ["cycle", "list", "--format", "xml"], env=env)
    assert res.exit_code == 1 and "text, json" in res.stderr


def test_messages_never_show_the_server_folders(ws: Workspace) -> None:
    with pytest.raises(NotFoundError) as missing:
        get_cycle(ws, "no-such-cycle")
    assert str(ws.root) not in str(missing.value) and "w7-stop-and-call" in str(missing.value)
    _break_one_of_each(ws)
    with pytest.raises(RecordError) as broken:
        get_cycle(ws, "zz-bad-date")
    assert str(broken.value).startswith("pdsa/cycles/zz-bad-date.yaml, line ")


@pytest.mark.parametrize("status", ["planned", "running", "studying"])
def test_a_plan_is_checked_against_the_wards_measures_whatever_its_status(
        ws: Workspace, status: str) -> None:
    before = sorted(p.name for p in ws.cycles_dir.iterdir())
    plan = {"id": "t-off-ward", "ward": "nh-w7", "theme": "weak_recognition",
            "change_idea": "briefing_cards", "owner": "Lead", "objective": "Spot red flags",
            "questions": [{"question": "Used?", "prediction": "Yes"}],
            "measures": ["bruising_prompt_use", "repeat_attendances"],
            "start": "2026-06-01", "status": status, "active_reason": "test"}
    with pytest.raises(ValidationFailed, match="does not count"):
        new_cycle(ws, plan)
    assert sorted(p.name for p in ws.cycles_dir.iterdir()) == before


def test_saving_a_decided_cycle_checks_its_measures_too(ws: Workspace) -> None:
    from workbench.services.cycles import cycle_path, save_cycle

    decided = next(c for c in list_cycles(ws) if c.act is not None)
    before = cycle_path(ws, decided.id).read_bytes()
    edited = decided.model_copy(update={"measures": [*decided.measures, "no_such_measure"]})
    with pytest.raises(ValidationFailed, match="unknown measure"):
        save_cycle(ws, edited)
    assert cycle_path(ws, decided.id).read_bytes() == before


def test_a_record_past_the_size_limit_is_skipped_before_it_is_parsed(ws: Workspace) -> None:
    from workbench.store.limits import MAX_RECORD_BYTES

    before = len(list_cycles(ws))
    good = (ws.cycles_dir / "w7-stop-and-call.yaml").read_text("utf-8")
    log = "".join(f"- date: 2026-06-0{i % 9 + 1}\n  note: entry {i}\n"
                  for i in range(MAX_RECORD_BYTES // 30))
    big = ws.cycles_dir / "zz-huge.yaml"
    big.write_text(good.replace("id: w7-stop-and-call", "id: zz-huge") + "do_log:\n" + log,
                   "utf-8")
    assert big.stat().st_size > MAX_RECORD_BYTES
    problems = load_cycles(ws).problems
    assert [p.file for p in problems] == ["pdsa/cycles/zz-huge.yaml"]
    assert "a record may be at most 1 MB" in problems[0].message
    assert len(list_cycles(ws)) == before
