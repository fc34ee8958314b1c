"""Every page, and every link the pages themselves generate, opens cleanly in Chromium.

Starting from the landing page and a few pages a facilitator opens first, the walk follows each
link on each page (one visit per kind of link: the same notebook with the same query names) and
fails on any request answered 4xx/5xx, any JavaScript dialog or JupyterLab dialog (the "Error
Loading Theme" box that once covered step 3's plan form), any script error, and any traceback or
"cannot be shown" text on the page.  Every link's query names are also checked against the names
Voila and the Jupyter server read themselves (``?theme=`` opened that dialog).
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest

from tests.browser.conftest import Watch
from workbench.serve.config import VOILA_QUERY_NAMES

pytestmark = [pytest.mark.browser, pytest.mark.slow]

START = [
    "/",
    "/voila/render/01_pick_theme.ipynb?ward=nh-ucc",
    "/voila/render/03_run_change.ipynb?cycle=dl-high-risk-bundle",
    "/voila/render/04_check_result.ipynb?cycle=miu-infant-bruising-prompt",
    "/voila/render/monthly_brief.ipynb",
]
"""Where the walk starts: the landing page links to the rest; step pages opened with a ward or
a test show the links a facilitator follows (plan this change, check the result...)."""

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "links"
"""A screenshot of every page the walk opened, to look at as a ward sister would."""

MAX_PAGES = 30


@dataclass
class Visit:
    """What one page did while it loaded."""

    url: str
    failed: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


def _kind(url: str) -> tuple[str, tuple[str, ...]]:
    parts = urlsplit(url)
    return parts.path, tuple(sorted(k for k, _ in parse_qsl(parts.query)))


def _visit(page: Any, url: str) -> Visit:
    visit = Visit(url)
    with Watch(page, visit.failed, console=False) as watch:
        page.goto(url)
        if "/voila/render/" in page.url:
            page.wait_for_selector("#rendered_cells", state="visible", timeout=120_000)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(500)  # widgets draw their views
        watch.look()
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        visit.links = [h for h in hrefs if isinstance(h, str)]
    return visit


def test_every_page_and_every_link_opens_without_errors(server: Any, guarded: Any) -> None:
    page = guarded.page
    origin = server.url
    queue = deque(origin + path for path in START)
    seen: set[tuple[str, tuple[str, ...]]] = set()
    failures: list[str] = []
    shadowing: set[str] = set()
    visited: list[str] = []
    while queue and len(visited) < MAX_PAGES:
        url = queue.popleft()
        kind = _kind(url)
        if kind in seen:
            continue
        seen.add(kind)
        visit = _visit(page, url)
        if visit.failed and all(p.startswith("script error:") for p in visit.failed):
            # seen in 2 of 5 walks on a loaded machine: anywidget's "Failed to initialize
            # model" (an aborted chart model) on step 4, never on a second visit. A script
            # error that comes back on a second visit fails the test.
            print(f"script error on {url}, visiting again: {visit.failed}")
            visit = _visit(page, url)
        visited.append(url)
        SHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.=-]+", "_", url.removeprefix(origin).strip("/"))[:120]
        page.screenshot(path=str(SHOTS / f"{len(visited):02d}-{name or 'root'}.png"),
                        full_page=True)
        failures.extend(f"{url}: {p}" for p in visit.failed)
        for link in visit.links:
            absolute = urljoin(page.url, link).split("#", 1)[0]
            if not absolute.startswith(origin):
                continue  # outside links are refused by the guarded page itself
            names = {k for k, _ in parse_qsl(urlsplit(absolute).query)}
            if names & VOILA_QUERY_NAMES and "token" not in names:
                shadowing.add(absolute)
            if _kind(absolute) not in seen:
                queue.append(absolute)
    assert not shadowing, f"links use Voila's own query names: {sorted(shadowing)}"
    assert not failures, "\n".join(failures)
    kinds = {urlsplit(u).path.rsplit("/", 1)[-1] for u in visited}
    # the walk reached the board, the four steps, the quiz and the roll-up from the landing page
    assert {"board.ipynb", "01_pick_theme.ipynb", "02_size_baseline.ipynb",
            "03_run_change.ipynb", "04_check_result.ipynb", "quiz.ipynb",
            "rollup.ipynb"} <= kinds, visited
    assert any("review_theme=" in u for u in visited), "step 1's plan link was followed"
