"""Exactly one A4 PDF page, whatever the content length.

Every text block is measured with reportlab's Paragraph wrap before it is drawn.  When the
blocks do not fit, the longest are shortened first (word by word, with a visible
"… (shortened)" mark) until the page holds them; nothing is ever drawn past the margins, and
the canvas is only ever given one page.
"""

from __future__ import annotations

import html
import io
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from workbench.briefs.page import Page, Run, Section
from workbench.domain import palette as nhs

BLUE = HexColor(nhs.NHS_BLUE)
GREY = HexColor(nhs.NHS_DARK_GREY)
INK = HexColor(nhs.NHS_BLACK)
RULE = HexColor(nhs.NHS_PALE_GREY)
WHITE = HexColor(nhs.WHITE)
MARGIN = 36.0
GAP = 5.0
CHART_H = 190.0
MIN_CHART_H = 110.0
LONG_WORD = 60
TEXT_FIRST = 300.0
"""Text height the chart makes room for before it shrinks towards ``MIN_CHART_H``."""
SHORTENED = f' <font color="{nhs.NHS_DARK_GREY}"><i>\u2026 (shortened)</i></font>'
SHORTENED_ON_BLUE = " <i>\u2026 (shortened)</i>"

BODY = ParagraphStyle("wb-body", fontName="Helvetica", fontSize=9.5, leading=12.4, textColor=INK)
HEAD = ParagraphStyle("wb-head", fontName="Helvetica-Bold", fontSize=11, leading=13,
                      textColor=BLUE)
TITLE = ParagraphStyle("wb-title", fontName="Helvetica-Bold", fontSize=16, leading=19,
                       textColor=WHITE)
KICKER = ParagraphStyle("wb-kicker", fontName="Helvetica", fontSize=9, leading=11,
                        textColor=WHITE)
META = ParagraphStyle("wb-meta", parent=BODY, fontSize=9, leading=11.5)
NOTE = ParagraphStyle("wb-note", parent=BODY, fontSize=8, leading=10, textColor=GREY)


def _tokens(lines: list[list[Run]]) -> list[str]:
    """Markup tokens, one per word, each balanced (bold words carry their own tags)."""
    out: list[str] = []
    for i, ln in enumerate(lines):
        if i:
            out.append("<br/>")
        for text, is_bold in ln:
            for whole in text.split():
                # very long "words" (links, pasted ids) are cut so shortening can keep a part
                for word in (whole[i:i + LONG_WORD] for i in range(0, len(whole), LONG_WORD)):
                    esc = html.escape(word, quote=False)
                    out.append(f"<b>{esc}</b>" if is_bold else esc)
    return out


def _height(markup: str, style: ParagraphStyle, width: float) -> float:
    _, h = Paragraph(markup, style).wrap(width, 10_000)
    return float(h)


def fit(tokens: list[str], style: ParagraphStyle, width: float, max_height: float,
        mark: str = SHORTENED) -> tuple[Paragraph | None, float, bool]:
    """The longest start of *tokens* whose paragraph fits in *max_height*.

    Returns
    -------
    (Paragraph or None, float, bool)
        The paragraph (None when not even the mark fits), its height, and whether it was
        shortened.
    """
    full = " ".join(tokens)
    para = Paragraph(full, style)
    h = float(para.wrap(width, 10_000)[1])
    if h <= max_height:
        return para, h, False
    lo, hi = 0, len(tokens) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if _height(" ".join(tokens[:mid]) + mark, style, width) <= max_height:
            lo = mid
        else:
            hi = mid - 1
    para = Paragraph(" ".join(tokens[:lo]) + mark, style)
    h = float(para.wrap(width, 10_000)[1])
    if h > max_height:
        return None, 0.0, True
    return para, h, True


def _caps(natural: list[float], budget: float) -> list[float]:
    """Water-fill *budget* over blocks: small blocks keep their height, long ones share the rest."""
    if sum(natural) <= budget:
        return natural
    order = sorted(range(len(natural)), key=lambda i: natural[i])
    caps = [0.0] * len(natural)
    left, remaining = budget, len(natural)
    for i in order:
        share = left / remaining
        caps[i] = min(natural[i], share)
        left -= caps[i]
        remaining -= 1
    return caps


def page_pdf(page: Page, target: Path | None = None) -> bytes:
    """Draw *page* on exactly one A4 page; write it to *target* when given.

    Returns
    -------
    bytes
        The PDF.
    """
    buffer = io.BytesIO()
    width, height = A4
    inner = width - 2 * MARGIN
    c = Canvas(buffer, pagesize=A4, pageCompression=1)
    c.setTitle(page.title[:200])
    c.setAuthor("workbench")

    kicker, kh, _ = fit(_tokens([[(page.kicker, False)]]), KICKER, inner - 20, 24,
                        SHORTENED_ON_BLUE)
    title, th, _ = fit(_tokens([[(page.title, False)]]), TITLE, inner - 20, 2 * TITLE.leading,
                       SHORTENED_ON_BLUE)
    band = 14 + kh + 2 + th
    top = height - MARGIN
    c.setFillColor(BLUE)
    c.roundRect(MARGIN, top - band, inner, band, 4, stroke=0, fill=1)
    if kicker is not None:
        kicker.drawOn(c, MARGIN + 10, top - 7 - kh)
    if title is not None:
        title.drawOn(c, MARGIN + 10, top - 9 - kh - th)
    y = top - band - GAP

    if page.meta:
        meta, mh, _ = fit(_tokens([page.meta]), META, inner, 3 * META.leading)
        if meta is not None:
            meta.drawOn(c, MARGIN, y - mh)
            y -= mh + GAP

    foot, fh, _ = fit(_tokens([[(page.footer, False)]]), NOTE, inner, 2 * NOTE.leading)
    bottom = MARGIN + fh + GAP
    has_chart = any(s.chart for s in page.sections)
    chart_note = _tokens([[(page.chart_note, False)]]) if page.chart_note else []
    note_h = min(_height(" ".join(chart_note), NOTE, inner), 2 * NOTE.leading) if chart_note else 0
    heads = len(page.sections) * (HEAD.leading + 4 + GAP)
    tokens = [_tokens(s.lines) for s in page.sections]
    natural = [_height(" ".join(t), BODY, inner) if t else 0.0 for t in tokens]
    budget = y - bottom - heads - (note_h + GAP if has_chart else 0)
    chart_h = 0.0
    if has_chart and page.chart_png:
        chart_h = max(MIN_CHART_H, min(CHART_H, budget - min(sum(natural), TEXT_FIRST)))
        budget -= chart_h + GAP
    kept = [natural[i] if s.keep else 0.0 for i, s in enumerate(page.sections)]
    flexible = [i for i, s in enumerate(page.sections) if not s.keep]
    caps = list(kept)
    for i, cap in zip(flexible, _caps([natural[i] for i in flexible], budget - sum(kept)),
                      strict=True):
        caps[i] = cap

    for section, toks, cap in zip(page.sections, tokens, caps, strict=True):
        y = _draw_section(c, section, toks, cap, y, inner)
        if section.chart:
            y = _draw_chart(c, page, chart_h, chart_note, note_h, y, inner)
    if foot is not None:
        c.setStrokeColor(RULE)
        c.line(MARGIN, MARGIN + fh + 2, MARGIN + inner, MARGIN + fh + 2)
        foot.drawOn(c, MARGIN, MARGIN)
    c.showPage()
    c.save()
    data = buffer.getvalue()
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return data


def _draw_section(c: Canvas, section: Section, toks: list[str], cap: float, y: float,
                  inner: float) -> float:
    head = Paragraph(html.escape(section.heading), HEAD)
    _, hh = head.wrap(inner, HEAD.leading + 2)
    head.drawOn(c, MARGIN, y - hh)
    c.setStrokeColor(RULE)
    c.line(MARGIN, y - hh - 2, MARGIN + inner, y - hh - 2)
    y -= hh + 4
    if toks:
        body, bh, _ = fit(toks, BODY, inner, max(cap, 0.0))
        if body is not None:
            body.drawOn(c, MARGIN, y - bh)
            y -= bh
    return y - GAP


def _draw_chart(c: Canvas, page: Page, chart_h: float, note: list[str], note_h: float, y: float,
                inner: float) -> float:
    if page.chart_png and chart_h > 0:
        image = ImageReader(io.BytesIO(page.chart_png))
        iw, ih = image.getSize()
        scale = min(inner / iw, chart_h / ih)
        w, h = iw * scale, ih * scale
        c.drawImage(image, MARGIN + (inner - w) / 2, y - h, w, h, mask="auto")
        y -= h + 2
    if note:
        para, ph, _ = fit(note, NOTE, inner, note_h)
        if para is not None:
            para.drawOn(c, MARGIN, y - ph)
            y -= ph
    return y - GAP
