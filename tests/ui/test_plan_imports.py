"""Step three's page uses its forms and the plan rules live in services: no import circle."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def graph():  # type: ignore[no-untyped-def]
    import grimp  # import-linter's own graph: imports inside functions count too

    return grimp.build_graph("workbench")


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("workbench.ui.steps._forms", "workbench.ui.steps.run"),  # the old two-file circle
        ("workbench.services.cycles", "workbench.services.plans"),  # plans use cycles, one way
        ("workbench.services.judgement.points", "workbench.services.plans"),
    ],
)
def test_no_import_back(graph, importer: str, imported: str) -> None:  # type: ignore[no-untyped-def]
    assert not graph.direct_import_exists(importer=importer, imported=imported)
    assert graph.find_shortest_chain(importer=importer, imported=imported) is None


def test_the_page_and_the_command_line_reach_the_one_plan_rule(graph) -> None:  # type: ignore[no-untyped-def]
    for surface in ("workbench.ui.steps._forms", "workbench.cli.records_cmds"):
        assert graph.direct_import_exists(importer=surface, imported="workbench.services.plans")
    # the cycle id and status are made in services only
    assert not graph.direct_import_exists(importer="workbench.cli.records_cmds",
                                          imported="workbench.ui.steps.run")
