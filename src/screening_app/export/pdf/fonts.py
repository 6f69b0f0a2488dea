"""The embedded fonts: DejaVu Sans (regular, bold) and DejaVu Sans Mono, from resources/fonts.

Fonts are registered by explicit path (no font finder, no cache file in a shared temp
folder) and embedded as subsets, so Welsh, Polish, Cyrillic, Greek and most Latin, Hebrew
and Arabic letters print. ``covers`` tells which characters the fonts can draw.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ...paths import resources_dir

SANS = "HeardSans"
SANS_BOLD = "HeardSans-Bold"
MONO = "HeardMono"

_FILES = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    MONO: "DejaVuSansMono.ttf",
}


class FontMissingError(RuntimeError):
    """A shipped font file is missing: the install is incomplete."""


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


@lru_cache(maxsize=1)
def register_fonts() -> frozenset[int]:
    """Register the fonts once; return the code points the body font can draw."""
    folder = fonts_dir()
    for name, filename in _FILES.items():
        path = folder / filename
        if not path.is_file():
            raise FontMissingError(f"font file {path} is missing; reinstall screening-app")
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(path)))
    addMapping(SANS, 0, 0, SANS)
    addMapping(SANS, 1, 0, SANS_BOLD)
    addMapping(SANS, 0, 1, SANS)
    addMapping(SANS, 1, 1, SANS_BOLD)
    regular = pdfmetrics.getFont(SANS).face.charToGlyph
    bold = pdfmetrics.getFont(SANS_BOLD).face.charToGlyph
    # A character counts as printable only when both weights have it. Characters beyond the
    # Basic Multilingual Plane (most emoji) are left out although DejaVu draws a few: reportlab
    # writes their ToUnicode entry as invalid hex, so they would vanish from copied,
    # searched and screen-read text. They get the visible marker instead.
    return frozenset(cp for cp in regular if cp in bold and cp <= 0xFFFF)


def covers(code_point: int) -> bool:
    return code_point in register_fonts()
