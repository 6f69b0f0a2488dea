"""User text into reportlab safely: escaped, visibly marked where it cannot print, chunked.

Every string that did not come from our own code goes through here. It is escaped with
``xml.sax.saxutils.escape`` so it is never read as markup; the only markup in the result is
ours (line breaks and the marker for unprintable characters). Characters the embedded fonts
cannot draw, control characters and direction overrides are replaced by a visible
``[U+XXXX]`` marker and counted, so nothing is dropped silently. Long text is cut into
paragraphs of bounded size, so a 1 MB answer or a 200,000-character word flows across pages
instead of raising LayoutError.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from xml.sax.saxutils import escape

from .fonts import MONO, register_fonts

MARKER_COLOUR = "#8a1c1c"
TAB = "\u00a0" * 4  # a visible gap that Paragraph does not collapse

# Direction overrides and isolates (Trojan Source); shown, never obeyed.
BIDI_CONTROLS = frozenset(range(0x202A, 0x202F)) | frozenset(range(0x2066, 0x206A))
# Joiners and selectors that belong to the marked character before them (emoji sequences).
_JOINERS = frozenset({0x200D, *range(0xFE00, 0xFE10)})

# Bounded paragraph size: a chunk never takes more than a page, so layout cannot fail.
CHUNK_CHARS = 2500
CHUNK_LINES = 30
_SPLIT_WINDOW = 200

CONTROL, DIRECTION, NO_GLYPH, UNPRINTABLE = ("control", "direction", "no-glyph",
                                             "unprintable")
REASONS = {
    CONTROL: "control characters (such as bell or escape)",
    DIRECTION: "text-direction override characters",
    NO_GLYPH: "characters the embedded font has no glyph for (for example emoji or "
              "Chinese, Japanese and Korean characters)",
    UNPRINTABLE: "private-use or invalid characters",
}


@dataclass
class TextNotes:
    """What happened to user text in one document, for the note at its end."""

    replaced: Counter = field(default_factory=Counter)
    right_to_left: bool = False
    blank_answers: int = 0

    @property
    def any(self) -> bool:
        return bool(self.replaced) or self.right_to_left or bool(self.blank_answers)


def _reason(cp: int, printable: frozenset[int]) -> str | None:
    """Why a character must be replaced, or None when it prints as itself."""
    if cp in (0x09, 0x0A):
        return None
    if cp < 0x20 or 0x7F <= cp < 0xA0:
        return CONTROL
    if cp in BIDI_CONTROLS:
        return DIRECTION
    if 0xD800 <= cp <= 0xDFFF or 0xE000 <= cp <= 0xF8FF or cp >= 0xF0000 \
            or 0xFDD0 <= cp <= 0xFDEF or (cp & 0xFFFE) == 0xFFFE:
        return UNPRINTABLE
    if cp not in printable:
        return NO_GLYPH
    return None


def _is_rtl(ch: str) -> bool:
    return unicodedata.bidirectional(ch) in ("R", "AL")


@lru_cache(maxsize=1)
def _safe_characters() -> frozenset[str]:
    """Characters that print as themselves (plus tab and newline): the fast path."""
    printable = register_fonts()
    return frozenset(chr(cp) for cp in printable if _reason(cp, printable) is None) \
        | {"\t", "\n"}


def segments(text: str, notes: TextNotes | None = None) -> list[tuple[bool, str]]:
    """Split text into (printable, piece) runs; unprintable runs hold the characters."""
    distinct = set(text)
    if distinct <= _safe_characters():  # the usual case, checked at C speed
        if notes is not None and not notes.right_to_left:
            notes.right_to_left = any(ch >= "\u0590" and _is_rtl(ch) for ch in distinct)
        return [(True, text)] if text else []
    printable = register_fonts()
    out: list[tuple[bool, str]] = []
    buf: list[str] = []
    bad: list[str] = []
    for ch in text:
        cp = ord(ch)
        reason = _reason(cp, printable)
        if reason is None and bad and cp in _JOINERS:
            reason = NO_GLYPH  # keep an emoji sequence in one marker
        if reason is None:
            if bad:
                out.append((False, "".join(bad)))
                bad = []
            buf.append(ch)
            if notes is not None and not notes.right_to_left and cp >= 0x0590 and _is_rtl(ch):
                notes.right_to_left = True
        else:
            if buf:
                out.append((True, "".join(buf)))
                buf = []
            bad.append(ch)
            if notes is not None:
                notes.replaced[reason] += 1
    if bad:
        out.append((False, "".join(bad)))
    if buf:
        out.append((True, "".join(buf)))
    return out


def marker(chars: str) -> str:
    return "[" + " ".join(f"U+{ord(c):04X}" for c in chars) + "]"


def plain(text: str, notes: TextNotes | None = None) -> str:
    """Text for canvas.drawString (headers, footers, outline): no markup, markers inline."""
    text = normalise_newlines(text).replace("\n", " ").replace("\t", " ")
    return "".join(piece if ok else marker(piece) for ok, piece in segments(text, notes))


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _markup_line(line: str, notes: TextNotes | None) -> str:
    parts = []
    for ok, piece in segments(line, notes):
        if ok:
            parts.append(escape(piece).replace("\t", TAB))
        else:
            parts.append(f'<font name="{MONO}" color="{MARKER_COLOUR}">{marker(piece)}</font>')
    return "".join(parts)


def markup(text: str, notes: TextNotes | None = None) -> str:
    """One short piece of user text as safe Paragraph markup (escaped, <br/> for lines)."""
    return "<br/>".join(_markup_line(line, notes) for line in normalise_newlines(text).split("\n"))


_BREAK = re.compile(r"\s")


def _split_long_line(line: str, limit: int) -> list[str]:
    """Cut a line longer than ``limit`` at a space near the limit, else hard at the limit."""
    pieces = []
    while len(line) > limit:
        window = line[limit - _SPLIT_WINDOW:limit]
        spaces = [m.end() for m in _BREAK.finditer(window)]
        cut = limit - _SPLIT_WINDOW + spaces[-1] if spaces else limit
        pieces.append(line[:cut])
        line = line[cut:]
    pieces.append(line)
    return pieces


def chunks(text: str, limit: int = CHUNK_CHARS, max_lines: int = CHUNK_LINES) -> list[str]:
    """Plain text cut into pieces of at most ``limit`` characters and ``max_lines`` lines."""
    out: list[str] = []
    current: list[str] = []
    size = 0
    for line in normalise_newlines(text).split("\n"):
        for piece in _split_long_line(line, limit):
            if current and (size + len(piece) > limit or len(current) >= max_lines):
                out.append("\n".join(current))
                current, size = [], 0
            current.append(piece)
            size += len(piece) + 1
    if current:
        out.append("\n".join(current))
    return out


def is_blank(text: str) -> bool:
    return not text.strip()
