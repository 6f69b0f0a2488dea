"""Paragraph styles and colours. Styling comes from here, never from user text."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle

from .fonts import MONO, SANS, SANS_BOLD

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#b8b8b8")
PANEL = colors.HexColor("#f2f2f2")
WORDS_PANEL = colors.HexColor("#eef4fb")

LEVEL_COLOURS = {
    # (strong colour for the label, pale background for the panel)
    "act-now": (colors.HexColor("#a4000f"), colors.HexColor("#fde8ea")),
    "refer": (colors.HexColor("#8a4b00"), colors.HexColor("#fff1db")),
    "consider": (colors.HexColor("#1f4e79"), colors.HexColor("#e8f0f8")),
}
LEVEL_LABELS = {"act-now": "ACT NOW", "refer": "REFER", "consider": "CONSIDER"}


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    label: ParagraphStyle
    bullet: ParagraphStyle
    words: ParagraphStyle
    words_prompt: ParagraphStyle
    level: ParagraphStyle
    level_note: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    banner: ParagraphStyle
    mono: ParagraphStyle
    muted_bullet: ParagraphStyle
    muted_small: ParagraphStyle
    muted_cell: ParagraphStyle
    identity: ParagraphStyle
    appendix_line: ParagraphStyle
    question: ParagraphStyle
    appendix_module: ParagraphStyle
    mono_id: ParagraphStyle


def make_styles(base_size: float = 9.5) -> Styles:
    """The family copy uses a larger base size; everything scales from it."""
    lead = base_size * 1.35

    def style(name: str, **kw) -> ParagraphStyle:  # noqa: ANN003
        kw.setdefault("fontName", SANS)
        kw.setdefault("fontSize", base_size)
        kw.setdefault("leading", lead)
        kw.setdefault("textColor", INK)
        kw.setdefault("alignment", TA_LEFT)
        kw.setdefault("splitLongWords", 1)
        kw.setdefault("bulletFontName", SANS)
        return ParagraphStyle(name, **kw)

    return Styles(
        title=style("title", fontName=SANS_BOLD, fontSize=base_size * 1.9,
                    leading=base_size * 2.3, spaceAfter=2),
        subtitle=style("subtitle", textColor=MUTED, spaceAfter=6),
        h1=style("h1", fontName=SANS_BOLD, fontSize=base_size * 1.35,
                 leading=base_size * 1.7, spaceBefore=8, spaceAfter=3),
        h2=style("h2", fontName=SANS_BOLD, fontSize=base_size * 1.05,
                 leading=base_size * 1.4, spaceBefore=4, spaceAfter=1),
        body=style("body", spaceAfter=3),
        small=style("small", fontSize=base_size * 0.82, leading=base_size * 1.1,
                    textColor=MUTED, spaceAfter=2),
        label=style("label", fontName=SANS_BOLD, fontSize=base_size * 0.9,
                    leading=base_size * 1.2, textColor=MUTED),
        bullet=style("bullet", leftIndent=12, bulletIndent=2, spaceAfter=2),
        words=style("words", leftIndent=10, rightIndent=4, backColor=WORDS_PANEL,
                    borderPadding=(3, 4, 3, 6), spaceAfter=0),
        words_prompt=style("words_prompt", fontSize=base_size * 0.9, textColor=MUTED,
                           spaceBefore=4, spaceAfter=4),
        level=style("level", fontName=SANS_BOLD, fontSize=base_size * 0.95,
                    textColor=colors.white, leading=base_size * 1.2),
        level_note=style("level_note", fontSize=base_size * 0.72, leading=base_size * 0.95,
                         textColor=colors.white, spaceBefore=2),
        cell=style("cell", fontSize=base_size * 0.92, leading=base_size * 1.22),
        cell_bold=style("cell_bold", fontName=SANS_BOLD, fontSize=base_size * 0.92,
                        leading=base_size * 1.22),
        banner=style("banner", fontName=SANS_BOLD, textColor=colors.HexColor("#a4000f"),
                     backColor=colors.HexColor("#fde8ea"), borderPadding=4, spaceBefore=2,
                     spaceAfter=8),
        mono=style("mono", fontName=MONO, fontSize=base_size * 0.82,
                   leading=base_size * 1.1, textColor=MUTED),
        muted_bullet=style("muted_bullet", leftIndent=12, bulletIndent=2, textColor=MUTED,
                           spaceAfter=2),
        muted_cell=style("muted_cell", fontSize=base_size * 0.92, leading=base_size * 1.22,
                         textColor=MUTED),
        muted_small=style("muted_small", leftIndent=12, fontSize=base_size * 0.82,
                          leading=base_size * 1.1, textColor=MUTED),
        identity=style("identity", fontName=SANS_BOLD, fontSize=base_size * 1.4,
                       leading=base_size * 1.75, spaceBefore=2, spaceAfter=5),
        question=style("question", fontSize=base_size * 0.86, leading=base_size * 1.12),
        appendix_line=style("appendix_line", fontSize=base_size * 0.82,
                            leading=base_size * 1.1, leftIndent=8, spaceAfter=1),
        appendix_module=style("appendix_module", fontSize=base_size * 0.92,
                              leading=base_size * 1.22, spaceBefore=2, spaceAfter=1),
        # an id never splits: it is far shorter than a line at this size
        mono_id=style("mono_id", fontSize=base_size * 0.85, leading=base_size * 1.15,
                      textColor=MUTED, splitLongWords=0, spaceBefore=2),
    )
