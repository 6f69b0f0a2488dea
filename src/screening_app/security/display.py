"""Stored text shown on a terminal, made harmless (red-team finding 11).

Text a user typed (a child's words, a reference, an erasure reason) can hold terminal control
sequences: ESC ``[2J`` clears the screen, SGR 8 hides text, OSC 8 plants a link, CR
overwrites a line, U+202E reverses what follows. :func:`visible` shows every control (C0,
DEL, C1), every bidirectional-text control and every invisible format character as a
visible escape (``\\x1b``, ``\\u202e``), and lone surrogates too; :func:`json_text` does the
same inside JSON strings (``\\u001b``), which stays valid JSON that reads back exactly.
"""

from __future__ import annotations

import json
import re
from typing import Any

# C0 and DEL, C1, bidi embeddings/overrides/isolates and marks, zero-width and other
# invisible format characters, line/paragraph separators, lone surrogates.
_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069"
                     "\ufeff\ufff9-\ufffb\ud800-\udfff]")


# The same without C0: json.dumps already escapes those inside strings, and the newlines of
# indented JSON outside strings must stay as they are.
_HIDDEN_IN_JSON = re.compile("[\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069"
                             "\ufeff\ufff9-\ufffb\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str | None) -> str:
    """``text`` with every control and invisible character shown as an escape."""
    if not text:
        return text or ""
    return _HIDDEN.sub(_escape, text)


def json_text(value: Any, **options: Any) -> str:
    """JSON of ``value`` (UTF-8 kept readable) with those characters as ``\\uXXXX``."""
    text = json.dumps(value, ensure_ascii=False, **options)
    return _HIDDEN_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
