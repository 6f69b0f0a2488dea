"""Small flowable helpers shared by the section builders: safe paragraphs, headings, tables.

Every string goes through ``textsafe`` before it reaches a Paragraph. Tables have fixed
column widths and ``splitInRow`` so a long cell splits across pages; in ``flat`` mode (the
retry after a LayoutError) there are no tables at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer, Table, TableStyle

from .styles import RULE, Styles
from .textsafe import TextNotes, chunks, is_blank, markup


class Para(Paragraph):
    """A Paragraph that remembers its last wrap: KeepTogether, tables and frames each ask
    for the same width more than once, and line breaking is the slowest step."""

    _last_wrap: tuple[float, tuple[float, float]] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        last = self._last_wrap
        if last is not None and last[0] == availWidth and "blPara" in self.__dict__:
            return last[1]  # split() drops blPara when it moves the paragraph on: re-wrap then
        size = super().wrap(availWidth, availHeight)
        self._last_wrap = (availWidth, size)
        return size


class Heading(Para):
    """A section heading that also becomes a bookmark in the PDF outline."""

    def __init__(self, text: str, style, level: int, key: str):  # noqa: ANN001
        super().__init__(text, style)
        self.outline_level = level
        self.outline_key = key


@dataclass
class Flow:
    styles: Styles
    notes: TextNotes
    width: float
    flat: bool = False
    _keys: int = field(default=0)

    # -- text ------------------------------------------------------------------------------
    def safe(self, text: str) -> str:
        """Markup for one short user or content string."""
        return markup(text, self.notes)

    def para(self, text: str, style=None) -> Paragraph:  # noqa: ANN001
        return Para(self.safe(text), style or self.styles.body)

    def rich(self, parts: list[tuple[str, bool]], style=None, *,  # noqa: ANN001
             bullet: bool = False) -> Paragraph:
        """One paragraph from (text, bold) parts; bold is our markup around escaped text."""
        out = []
        for text, bold in parts:
            piece = self.safe(text)
            out.append(f"<b>{piece}</b>" if bold else piece)
        return Para("".join(out), style or self.styles.body,
                    bulletText="\u2022" if bullet else None)

    def long_text(self, text: str, style=None, *, quote: bool = False) -> list[Flowable]:  # noqa: ANN001
        """Text of any length as bounded paragraphs (never one huge unsplittable block)."""
        style = style or self.styles.body
        if is_blank(text):
            self.notes.blank_answers += 1
            shown = "(empty)" if text == "" else "(only spaces or tabs)"
            return [Para(f"<i>{shown}</i>", style)]
        pieces = chunks(text)
        out = []
        for n, piece in enumerate(pieces):
            body = self.safe(piece)
            if quote and n == 0:
                body = "\u201c" + body
            if quote and n == len(pieces) - 1:
                body += "\u201d"
            out.append(Para(body, style))
        return out

    # -- structure -------------------------------------------------------------------------
    def heading(self, text: str, level: int = 0, *, room_lines: int = 6) -> list[Flowable]:
        """A heading that never ends a page: a new page unless ``room_lines`` follow it."""
        self._keys += 1
        style = self.styles.h1 if level == 0 else self.styles.h2
        room = style.leading * room_lines
        return [CondPageBreak(room), Heading(self.safe(text), style, level, f"s{self._keys}")]

    def bullets(self, items: list[str], style=None) -> list[Paragraph]:  # noqa: ANN001
        style = style or self.styles.bullet
        return [Para(self.safe(t), style, bulletText="\u2022") for t in items]

    def gap(self, points: float = 4) -> Spacer:
        return Spacer(1, points)

    def table(self, rows: list[list], widths: list[float], style_cmds: list | None = None,
              *, grid: bool = True, split_rows: bool = True,
              header: bool = False) -> list[Flowable]:
        """A fixed-width table; in flat mode, plain paragraphs.

        ``split_rows``: a row may split across pages (needed when a cell can be long); tables
        whose rows are bounded keep each row whole instead.
        """
        if self.flat:
            out: list[Flowable] = []
            for row in rows:
                for cell in row:
                    for part in cell if isinstance(cell, list) else [cell]:
                        if isinstance(part, Flowable):
                            out.append(part)
                        elif part:
                            out.append(Para(self.safe(str(part)), self.styles.cell))
                out.append(self.gap(3))
            return out
        cmds = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ]
        if grid:
            cmds.append(("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE))
        cmds.extend(style_cmds or [])
        return [Table(rows, colWidths=widths, style=TableStyle(cmds),
                      splitInRow=1 if split_rows else 0, hAlign="LEFT",
                      repeatRows=1 if header else 0)]

    def panel(self, label: str, note: str, right: list[Flowable], strong: colors.Color,
              pale: colors.Color, left_width: float) -> list[Flowable]:
        """A coloured label cell (label and a small note) beside a pale content cell."""
        st = self.styles
        if self.flat:
            head = ParagraphStyle("flat_level", parent=st.cell_bold, textColor=strong)
            return [Para(f"{self.safe(label)} ({self.safe(note)})", head), *right, self.gap(4)]
        left = [Para(self.safe(label), st.level), Para(self.safe(note), st.level_note)]
        cmds = [
            ("BACKGROUND", (0, 0), (0, 0), strong),
            ("BACKGROUND", (1, 0), (1, 0), pale),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]
        # Kept whole: a panel split across pages left a coloured sliver at the page's top.
        return [*self.table([[left, right]], [left_width, self.width - left_width], cmds,
                            grid=False, split_rows=False), self.gap(4)]
