"""The one-page brief and the micro-teach card: exactly one A4 page, whatever the length."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from workbench.briefs.card import card_html, card_page, card_pdf
from workbench.briefs.onepage import brief_html, brief_page, brief_pdf, weekly_frame
from workbench.briefs.page import Page, Section, bold, line, page_html, plain_text
from workbench.briefs.pdf import page_pdf
from workbench.store.workspace import Workspace

TODAY = dt.date(2026, 11, 22)
A4 = (595.0, 842.0)


def pages(data: bytes) -> tuple[int, str, tuple[float, float]]:
    reader = PdfReader(io.BytesIO(data))
    box = reader.pages[0].mediabox
    text = " ".join(p.extract_text() for p in reader.pages)
    return len(reader.pages), " ".join(text.split()), (float(box.width), float(box.height))


def is_a4(size: tuple[float, float]) -> bool:
    return abs(size[0] - A4[0]) < 1 and abs(size[1] - A4[1]) < 1


def test_brief_pdf_is_one_page_with_the_why_change_owner_measure_and_dates(
        stored_ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "out" / "brief.pdf"
    data = brief_pdf(stored_ws, "ucc-infant-bruising-prompt", path, today=TODAY)
    assert path.read_bytes() == data
    count, text, size = pages(data)
    assert count == 1 and is_a4(size)
    for words in ("Bruising in non-mobile infants prompt at triage", "Why: the review finding",
                  "Repeat attendance was not recognised as a pattern", "Weak recognition",
                  "Add a prompt for bruising", "Urgent care nurse lead",
                  "Infant bruising prompt completed at triage", "17 Aug 2026 to 31 Aug 2026",
                  "Next:", "PSIRF-2026-P1", "[team: confirmed]"):
        assert words in text, words
    assert "shortened" not in text
    assert b"/Subtype /Image" in data or b"/Subtype/Image" in data  # the chart


def test_running_cycle_says_when_the_next_check_is(stored_ws: Workspace) -> None:
    page = brief_page(stored_ws, "dl-high-risk-bundle", today=TODAY)
    text = plain_text(page)
    assert "weekly check on Thu 26 Nov 2026" in text and page.chart_png


def test_brief_html_has_the_same_content_and_the_chart(stored_ws: Workspace, tmp_path: Path) -> None:
    html = brief_html(stored_ws, "amu-ld-discharge-template", tmp_path / "b.html", today=TODAY)
    assert html.startswith("<!DOCTYPE html>") and "@page { size: A4" in html
    assert "data:image/png;base64," in html
    for words in ("Learning disability discharge template", "SAR sar-2026-01",
                  "AMU discharge coordinator", "Joint calls before complex discharges",
                  "spreading to sh-w12"):
        assert words in html, words


def test_very_long_content_still_fits_one_page_with_a_visible_mark(
        stored_ws: Workspace, tmp_path: Path) -> None:
    from workbench.domain.records import Question
    from workbench.services.cycles import get_cycle, save_cycle
    from workbench.services.reviews import get_review, save_review

    long = "The team saw the same thing again on a busy night shift and wrote it down. " * 13
    cycle = get_cycle(stored_ws, "ucc-infant-bruising-prompt")
    qs = [Question(question=f"Question {i}: {long[:400]}", prediction=long[:480],
                   measure="bruising_prompt_use", expect="increase") for i in range(12)]
    save_cycle(stored_ws, cycle.model_copy(update={
        "title": "A very long title " * 11, "objective": long[:1000], "scope": long[:500],
        "questions": qs, "team": [f"Team {i}" for i in range(30)]}))
    review = get_review(stored_ws, "cspr-2026-03")
    findings = [f.model_copy(update={"text": long[:2000]}) for f in review.findings]
    save_review(stored_ws, review.model_copy(update={"findings": findings}))
    data = brief_pdf(stored_ws, "ucc-infant-bruising-prompt", tmp_path / "long.pdf", today=TODAY)
    count, text, size = pages(data)
    assert count == 1 and is_a4(size)
    assert "(shortened)" in text and "\u2026" in text
    assert "Dates and the next check" in text and "Test runs:" in text  # kept sections survive
    assert "Printed 22 Nov 2026" in text  # the footer is still on the page
    card = card_pdf(stored_ws, "ucc-infant-bruising-prompt", tmp_path / "card.pdf", today=TODAY)
    count, text, _ = pages(card)
    assert count == 1 and "Three recall questions" in text


@pytest.mark.parametrize("size", [0, 1, 40, 400, 4000])
def test_page_engine_never_spills_onto_a_second_page(size: int) -> None:
    words = "word " * size
    page = Page(kicker="k " * size, title="Title " * max(1, size // 10),
                meta=line(bold("Owner: "), words),
                sections=[Section(f"Section {i}", [line(words), line(bold("b "), words)],
                                  chart=i == 1, keep=i == 3) for i in range(6)],
                footer="Footer " * max(1, size // 20), chart_note="note " * size)
    count, text, _ = pages(page_pdf(page))
    assert count == 1 and "Section 0" in text
    if size >= 400:
        assert "(shortened)" in text


def test_card_has_the_case_the_tweak_and_three_questions(stored_ws: Workspace, tmp_path: Path) -> None:
    page = card_page(stored_ws, "amu-ld-discharge-template", today=TODAY)
    text = plain_text(page)
    assert "An adult with a learning disability was admitted" in text
    assert "From now on: Use a discharge template" in text
    assert text.count("\n1. ") + text.count("\n2. ") + text.count("\n3. ") == 3
    assert "Answers" in text and "1 = " in text
    html = card_html(stored_ws, "amu-ld-discharge-template", tmp_path / "c.html", today=TODAY)
    assert "wb-card" in html and "Ten minutes, in this order" in html
    count, pdf_text, _ = pages(card_pdf(stored_ws, "amu-ld-discharge-template", today=TODAY))
    assert count == 1 and "The one checklist tweak" in pdf_text


def test_html_escapes_text() -> None:
    page = Page(kicker="<k>", title="a & b", sections=[Section("<h>", [line("<script>x</script>")])],
                footer="f")
    html = page_html(page, standalone=False)
    assert "<script>x" not in html and "&lt;script&gt;" in html and "a &amp; b" in html


def test_weekly_frame_sums_rates_and_averages_times() -> None:
    import pandas as pd

    from workbench.catalogue import load_catalogue

    cat = load_catalogue()
    days = pd.date_range("2026-06-01", periods=63, freq="D")
    frame = pd.DataFrame({"date": days, "value": 1.0, "denominator": 2.0})
    weekly = weekly_frame(frame, cat.measure("bruising_prompt_use"), dt.date(2026, 6, 3))
    assert weekly is not None and (weekly["denominator"].iloc[1:-1] == 14).all()
    assert weekly["date"].iloc[1] == pd.Timestamp("2026-06-03")
    times = weekly_frame(frame.assign(denominator=float("nan")), cat.measure("triage_minutes"),
                         dt.date(2026, 6, 3))
    assert times is not None and (times["value"] == 1.0).all()
    assert weekly_frame(frame.head(10), cat.measure("bruising_prompt_use"), dt.date(2026, 6, 3)) is None


def test_unbroken_text_and_unusual_characters_stay_on_one_page() -> None:
    blob = "x" * 5000
    page = Page(kicker="k", title=blob, footer=blob,
                sections=[Section("S", [line(blob), line("Zo\u00eb \u2014 \u201cquotes\u201d "
                                                         "\U0001f600 \u65e5\u672c <b>&amp;")])] * 4)
    count, text, _ = pages(page_pdf(page))
    assert count == 1 and "x" * 50 in text and "(shortened)" in text
