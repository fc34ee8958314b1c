"""The landing page and a ward board, as ward staff see them in Chromium."""

from __future__ import annotations

from typing import Any

import pytest

from workbench.services.wards import list_wards
from workbench.store.workspace import resolve_workspace

pytestmark = pytest.mark.browser


def test_landing_lists_every_ward_with_a_link_to_its_board(guarded: Any, server: Any) -> None:
    ws = resolve_workspace(server.workspace, server.db)
    wards = list_wards(ws)
    guarded.goto("/", ".wb-ward-link")
    page = guarded.page
    assert page.url.endswith("/voila/render/home.ipynb")
    links = page.locator("a.wb-ward-link")
    assert links.count() == len(wards) == 12
    hrefs = {links.nth(i).get_attribute("data-ward"): links.nth(i).get_attribute("href")
             for i in range(links.count())}
    assert hrefs == {w.id: f"board.ipynb?ward={w.id}" for w in wards}
    assert page.locator(".wb-active-cycles tr[data-cycle='dl-high-risk-bundle']").count() == 1
    # the wards and links are plain HTML, drawn before the widgets: the signals come after
    page.wait_for_selector(".wb-signals-week", timeout=60_000)
    assert page.locator(".wb-signals-week").count() == 1
    page.locator("a.wb-ward-link[data-ward='sh-dl']").click()
    page.wait_for_selector(".wb-board-sh-dl .wb-board-title", timeout=60_000)
    assert "Discharge Lounge" in page.locator(".wb-board-title").inner_text()
    assert "Traceback" not in page.content()


def test_board_shows_charts_icons_and_the_current_test(guarded: Any) -> None:
    guarded.goto("/voila/render/board.ipynb?ward=sh-dl", ".wb-board-chart svg")
    page = guarded.page
    assert page.locator(".wb-board-chart svg g.role-mark").count() > 10
    cards = page.locator(".wb-signal")
    assert cards.count() == 4
    assert page.locator(".wb-signal .wb-icon").count() == 4
    words = page.locator(".wb-signal .wb-words").all_inner_texts()
    assert all(w.strip() for w in words)
    assert not any("special cause" in w.lower() for w in words)  # plain words, no jargon
    cycle = page.locator(".wb-board-cycle").inner_text()
    assert "High-risk discharge bundle" in cycle and "why" in cycle
    assert "next check" in cycle
    assert page.locator("button.wb-counts-save").is_enabled()
    assert page.locator(".wb-counts-denominator-bundle_use input").count() == 1
    assert page.locator(".wb-counts-denominator-discharge_delay_hours").count() == 0


def test_a_page_that_draws_charts_asks_for_the_vega_bundle_as_it_arrives(guarded: Any) -> None:
    """The board names the bundle in its head (fetched while its cells run); the chart's own
    script element then finds it fetched: one request.  The landing page draws no chart."""
    from workbench.charts.widget import bundle_route

    page = guarded.page
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if "/workbench/vega/" in r.url else None)
    guarded.goto("/voila/render/board.ipynb?ward=sh-dl", ".wb-board-chart svg")
    # a drawing kept from an earlier test is shown without the bundle; pointing at the chart
    # draws it live, with the bundle
    page.hover(".wb-board-chart")
    page.wait_for_selector(".wb-board-chart[data-wb-drawn=live] svg")
    page.mouse.move(0, 0)
    head = page.locator("head link[rel='preload'][as='script']")
    assert head.count() == 1
    assert head.get_attribute("href").endswith(bundle_route())
    assert len(asked) == 1 and asked[0].endswith(bundle_route())
    # a classic script run inside one function: Vega-Embed is there, the bundle's own
    # top-level names (such as its "__default") are not among the page's globals
    assert page.evaluate("typeof window.vegaEmbed") == "function"
    assert page.evaluate("typeof __default") == "undefined"
    guarded.goto("/voila/render/home.ipynb", ".wb-ward-link")
    assert page.locator("head link[rel='preload'][as='script']").count() == 0


def test_pages_typeset_mathematics_with_mathjax_2_from_the_server(guarded: Any) -> None:
    """Voila typesets an empty paragraph on every page as it starts; the workbench points it at
    MathJax 2 on its own server (``serve.app.page_settings``) instead of the MathJax 3 inside
    Voila's scripts, which made every page load and run about 0.9 MB more while its widgets
    were drawn.  MathJax 2 comes from the server, its files are kept by the browser, it
    typesets, and it logs no error."""
    from tests.browser.conftest import Watch
    from workbench.serve.app import MATHJAX_ROUTE, mathjax_folder

    if mathjax_folder() is None:
        pytest.fail("MathJax 2 is not installed: run scripts/setup --test (libjs-mathjax)")
    page = guarded.page
    mathjax: list[Any] = []
    page.on("response", lambda r: mathjax.append(r) if MATHJAX_ROUTE in r.url else None)
    with Watch(page) as watch:
        guarded.goto("/voila/render/01_pick_theme.ipynb?ward=nh-ucc",
                     "button.wb-pick-save:not([disabled])")
        page.wait_for_function("() => window.MathJax && window.MathJax.Hub")
        assert any("/MathJax.js?config=TeX-AMS_CHTML-full,Safe" in r.url for r in mathjax), \
            [r.url for r in mathjax]
        assert all(r.status in (200, 304) for r in mathjax), [(r.url, r.status) for r in mathjax]
        versioned = [r for r in mathjax if "?V=" in r.url]
        assert versioned and all("immutable" in r.headers["cache-control"] for r in versioned)
        drawn = page.evaluate("""() => new Promise((done) => {
            const p = document.createElement("p");
            p.textContent = "$x^2 + 1$";
            document.body.appendChild(p);
            MathJax.Hub.Queue(["Typeset", MathJax.Hub, p], () => {
                done(p.querySelector(".mjx-chtml") !== null);
            });
        })""")
        assert drawn, "MathJax 2 did not typeset $x^2 + 1$"
        assert watch.look() == []


def test_unknown_ward_shows_a_plain_message_not_a_traceback(guarded: Any) -> None:
    guarded.goto("/voila/render/board.ipynb?ward=no-such-ward", ".wb-page-error")
    text = guarded.page.locator(".wb-page-error").inner_text()
    assert "unknown ward 'no-such-ward'" in text
    assert "Traceback" not in guarded.page.content()


def test_print_view_is_a4_landscape_without_the_form(guarded: Any) -> None:
    guarded.goto("/voila/render/board.ipynb?ward=nh-ucc", ".wb-board-chart svg")
    page = guarded.page
    assert "size: A4 landscape" in page.content()
    page.emulate_media(media="print")
    assert not page.locator(".wb-counts").is_visible()
    assert page.locator(".wb-board-cycle").is_visible()
    size = page.eval_on_selector(".wb-board-title", "e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 36  # 30pt: readable from two metres


def test_board_chart_loads_the_vega_bundle_once_from_the_server(guarded: Any) -> None:
    """The chart widget carries its spec only: the Vega bundle (about 0.9 MB) is one file the
    server serves and the browser keeps. With Altair's own offline widget, every chart's state
    carried the whole bundle, so a board's largest websocket message was over 0.9 MB."""
    from workbench.charts.widget import ROUTE

    page = guarded.page
    bundles: list[Any] = []
    frames: list[int] = []
    page.on("response", lambda r: bundles.append(r) if ROUTE in r.url else None)
    page.on("websocket", lambda ws: ws.on(
        "framereceived", lambda f: frames.append(len(f if isinstance(f, (str, bytes)) else ""))))
    guarded.goto("/voila/render/board.ipynb?ward=sh-dl", ".wb-board-chart svg")
    page.wait_for_function("document.querySelectorAll('.wb-board-chart svg text').length > 20")
    assert len(bundles) == 1, [r.url for r in bundles]
    assert bundles[0].status == 200
    assert "immutable" in bundles[0].headers["cache-control"]
    assert frames and max(frames) < 500_000, max(frames)
    # the same bundle, and no other, for a second visit
    guarded.goto("/voila/render/board.ipynb?ward=nh-ucc", ".wb-board-chart svg")
    assert {r.url for r in bundles} == {bundles[0].url}


def test_the_widgets_scripts_come_from_the_browsers_cache_on_the_second_page(guarded: Any) -> None:
    """Voila serves its widgets' scripts as ``no-cache``; the workbench lets the browser keep the
    ones named by their content (``workbench.serve.app.LabextensionFiles``), so a second page
    asks the server for none of them."""
    page = guarded.page
    scripts: list[Any] = []
    page.on("response", lambda r: scripts.append(r) if "/voila/labextensions/" in r.url else None)
    guarded.goto("/voila/render/board.ipynb?ward=sh-dl", "button.wb-counts-save:not([disabled])")
    hashed = [r for r in scripts if "remoteEntry." in r.url]
    assert hashed, [r.url for r in scripts]
    assert all("immutable" in r.headers.get("cache-control", "") for r in hashed)
    scripts.clear()
    guarded.goto("/voila/render/board.ipynb?ward=nh-ucc", "button.wb-counts-save:not([disabled])")
    asked_again = [r.url for r in scripts if r.status == 304]  # "not modified": it was asked
    assert asked_again == [], asked_again


def test_the_servers_kernels_talk_over_their_own_sockets_not_tcp_ports(server: Any) -> None:
    """A kernel on TCP is given ports that are free when chosen and bound a moment later, so
    kernels starting at once (two servers, a batch run) once took the same port; the page got
    a warm kernel that had died at start-up and never drew.  Over Unix sockets named after each
    kernel there is nothing to share."""
    import json
    import stat
    import time
    from pathlib import Path

    import psutil

    from workbench.serve.config import PREHEATED

    def bound(path: Path) -> bool:
        try:
            return stat.S_ISSOCK(path.stat().st_mode)
        except FileNotFoundError:
            return False

    kernels = [p for p in psutil.Process(server.proc.pid).children(recursive=True)
               if any("ipykernel" in part for part in p.cmdline())]
    assert len(kernels) >= sum(PREHEATED.values())
    checked = 0
    for kernel in kernels:
        argv = kernel.cmdline()
        info = json.loads(Path(argv[argv.index("-f") + 1]).read_text("utf-8"))
        assert info["transport"] == "ipc", info
        # bound by the kernel as it starts (a replacement for a used warm kernel may still be)
        paths = [Path(f"{info['ip']}-{info[channel + '_port']}")
                 for channel in ("shell", "iopub", "stdin", "control", "hb")]
        deadline = time.monotonic() + 120
        while not all(bound(p) for p in paths) and kernel.is_running():
            assert time.monotonic() < deadline, [str(p) for p in paths if not bound(p)]
            time.sleep(0.2)
        checked += all(bound(p) for p in paths)
    assert checked >= sum(PREHEATED.values())  # every warm kernel, at least
