"""Assembling the PDF: page frame, header and footer on every page, outline, metadata.

``render_pdf`` turns a (redacted) ReportData into bytes; it is pure and needs no database.
Headers and footers carry the protective marking, the child reference, "page n of m", the
content versions, the app version and the document id. "of m" needs the page count, so
pages are held until the end and decorated then (``_DecoratedCanvas``). If the layout still
fails (a LayoutError), the story is rebuilt without tables and tried once more.
"""

from __future__ import annotations

import io
import threading
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate
from reportlab.platypus.doctemplate import LayoutError

from ... import __version__
from ..release import appendix_by_default
from ..report_data import ReportData
from .family import FamilyCopy
from .flow import Flow, Heading
from .fonts import SANS, SANS_BOLD, register_fonts
from .hardening import ensure_hardened
from .sections import VARIANT_TITLES, ProfessionalRecord
from .styles import LEVEL_COLOURS, MUTED, make_styles
from .textsafe import REASONS, TextNotes, plain

DEFAULT_MARKING = "OFFICIAL-SENSITIVE"
MAX_MARKING = 60
AUTHOR = "Heard screening-app"
PAGE_W, PAGE_H = A4
MARGIN_X = 18 * mm
HEADER_H = 16 * mm
FOOTER_H = 17 * mm
# The professional copies' body size: a no-concerns ED record fits on two pages (13.4).
PROFESSIONAL_SIZE = 9.3
# reportlab keeps global state (settings, font registry, caches): one render at a time, so
# exports started from several worker threads queue instead of interfering.
_RENDER_LOCK = threading.Lock()


@dataclass(frozen=True)
class PageInfo:
    """What the header and footer show; plain text, already made printable."""

    marking: str
    reference: str
    variant_title: str
    document_id: str
    versions: str
    draft: bool


def clean_marking(marking: str | None) -> str:
    text = plain((marking or "").strip()) or DEFAULT_MARKING
    return text if len(text) <= MAX_MARKING else text[:MAX_MARKING - 1] + "\u2026"


@lru_cache(maxsize=256)
def _fit(text: str, font: str, size: float, width: float) -> str:
    """Cut text with an ellipsis to fit a width (for one-line header fields)."""
    if stringWidth(text, font, size) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if stringWidth(text[:mid] + "\u2026", font, size) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo] + "\u2026"


@lru_cache(maxsize=64)
def _wrap(text: str, font: str, size: float, width: float, max_lines: int) -> tuple[str, ...]:
    words, lines, current = text.split(" "), [], ""
    for word in words:
        trial = f"{current} {word}".strip()
        if stringWidth(trial, font, size) <= width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _fit(lines[-1] + " \u2026", font, size, width)
    return tuple(_fit(line, font, size, width) for line in lines)


def decorate(canvas: Canvas, page: int, total: int, info: PageInfo) -> None:
    """Header and footer of one page."""
    canvas.saveState()
    left, right = MARGIN_X, PAGE_W - MARGIN_X
    width = right - left
    top = PAGE_H - 9 * mm
    canvas.setFillColor(MUTED)
    canvas.setFont(SANS_BOLD, 9)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawCentredString(PAGE_W / 2, top, info.marking)
    canvas.setFont(SANS, 7.5)
    canvas.setFillColor(MUTED)
    canvas.drawString(left, top - 10, _fit(f"Heard \u00b7 {info.variant_title}", SANS, 7.5,
                                           width / 2 - 4))
    canvas.drawRightString(right, top - 10, _fit(f"Child reference: {info.reference}", SANS, 7.5,
                                                  width / 2 - 4))
    if info.draft:
        strong, _ = LEVEL_COLOURS["act-now"]
        canvas.setFillColor(strong)
        canvas.setFont(SANS_BOLD, 7.5)
        canvas.drawString(left, top, "DRAFT")
        canvas.setFillColor(MUTED)
    canvas.setStrokeColor(MUTED)
    canvas.setLineWidth(0.4)
    canvas.line(left, top - 14, right, top - 14)

    base = 8 * mm
    canvas.line(left, base + 27, right, base + 27)
    canvas.setFont(SANS, 7)
    canvas.drawString(left, base + 19, _fit(
        f"Document {info.document_id} \u00b7 screening-app {__version__}", SANS, 7,
        width - 70))
    canvas.drawRightString(right, base + 19, f"Page {page} of {total}")
    # The family copy names no instrument or content version (review finding 3).
    lines = _wrap(f"Content: {info.versions}", SANS, 6.5, width, 2) if info.versions else ()
    for n, line in enumerate(lines):
        canvas.setFont(SANS, 6.5)
        canvas.drawString(left, base + 11 - n * 7.5, line)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont(SANS_BOLD, 9)
    canvas.drawCentredString(PAGE_W / 2, base - 8, info.marking)
    canvas.restoreState()


def _canvas_class(info: PageInfo) -> type[Canvas]:
    class _DecoratedCanvas(Canvas):
        """Holds every page until the end, then adds headers, footers and bookmarks."""

        def __init__(self, *args, **kwargs):  # noqa: ANN002, ANN003
            super().__init__(*args, **kwargs)
            self._held: list[dict] = []
            self._marks: list[tuple[str, str, int]] = []

        def mark(self, key: str, title: str, level: int) -> None:
            self._marks.append((key, title, level))

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._held.append(dict(self.__dict__))
            self._startPage()
            self._marks = []

        def save(self) -> None:
            total = len(self._held)
            for number, state in enumerate(self._held, start=1):
                self.__dict__.update(state)
                for key, title, level in self._marks:
                    self.bookmarkPage(key, fit="XYZ", top=PAGE_H)
                    self.addOutlineEntry(title, key, level=level)
                decorate(self, number, total, info)
                Canvas.showPage(self)
            self._held = []
            Canvas.save(self)

    return _DecoratedCanvas


class _Doc(BaseDocTemplate):
    def __init__(self, buffer: io.BytesIO, **kw):  # noqa: ANN003
        super().__init__(buffer, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
                         topMargin=HEADER_H + 4 * mm, bottomMargin=FOOTER_H + 4 * mm, **kw)
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        self._outline_level = -1

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 (reportlab's name)
        if isinstance(flowable, Heading):
            level = min(flowable.outline_level, self._outline_level + 1)
            self._outline_level = level
            title = plain(flowable.getPlainText())
            self.canv.mark(flowable.outline_key, title[:120], level)  # type: ignore[attr-defined]


def _notes(flow: Flow, report: ReportData, info: PageInfo) -> list[Flowable]:
    """The closing "About this document" section."""
    f, s, notes = flow, flow.styles, flow.notes
    out: list[Flowable] = [*f.heading("About this document", level=1, room_lines=3)]
    out.append(f.para(f"{info.variant_title}. Protective marking: {info.marking}. "
                      f"Document id {info.document_id}, recorded in the audit trail when this "
                      f"file was made. Made by screening-app {__version__}.", s.small))
    entered = Counter(ln.by for m in report.annex for ln in m.lines if ln.by)
    if entered:  # who entered the answers (the full copy; the audit trail has each one)
        out.append(f.para("Answers entered by " + "; ".join(
            f"{who} ({n})" for who, n in entered.most_common()) + ".", s.small))
    if report.redactions:
        out.append(f.para("Left out of this copy: " + "; ".join(report.redactions) + ".",
                          s.small))
    if report.content_changed:
        out.append(f.para("The questionnaire content has changed since this assessment was "
                          "made (" + ", ".join(report.content_changed) + "); results shown are "
                          "those recorded.", s.small))
    if notes.replaced:
        total = sum(notes.replaced.values())
        kinds = "; ".join(f"{n} {REASONS[k]}" for k, n in sorted(notes.replaced.items()))
        out.append(f.para(f"{total} character(s) could not be printed and are shown as "
                          f"[U+XXXX] codes instead: {kinds}. The record itself keeps the "
                          f"original text.", s.small))
    if notes.right_to_left:
        out.append(f.para("Some text is in a right-to-left script (such as Arabic, Hebrew or "
                          "Urdu). It is printed in the order it was typed and may read "
                          "reversed or unjoined here; check the electronic record.", s.small))
    if notes.blank_answers:
        out.append(f.para(f"{notes.blank_answers} answer(s) were empty or only spaces; they are "
                          f"shown as such.", s.small))
    return out


def _story(report: ReportData, info: PageInfo, *, annex: bool, flat: bool,
           notes: TextNotes) -> list[Flowable]:
    styles = make_styles(12 if report.variant == "family" else PROFESSIONAL_SIZE)
    flow = Flow(styles=styles, notes=notes, width=PAGE_W - 2 * MARGIN_X, flat=flat)
    if report.variant == "family":
        story = FamilyCopy(report, flow).story()
    else:
        story = ProfessionalRecord(report, flow, annex=annex).story()
    # The note is built last, when every string has been seen, but announced on page 1.
    closing = _notes(flow, report, info)
    if notes.replaced or notes.right_to_left:
        after_subtitle = next(n for n, f in enumerate(story) if isinstance(f, Heading)) + 2
        story.insert(after_subtitle, flow.para(
            "Some characters could not be printed as typed; see \"About this document\" at "
            "the end.", styles.small))
    return story + closing


def render_pdf(report: ReportData, *, document_id: str, marking: str | None = None,
               annex: bool | None = None, notes: TextNotes | None = None) -> bytes:
    """The PDF of an already redacted report. ``annex`` (the appendix of questions not asked
    or not answered) defaults to the release's choice (``plan_release``)."""
    with _RENDER_LOCK:
        return _render(report, document_id=document_id, marking=marking, annex=annex,
                       notes=notes)


def _render(report: ReportData, *, document_id: str, marking: str | None,
            annex: bool | None, notes: TextNotes | None) -> bytes:
    ensure_hardened()
    register_fonts()
    if annex is None:  # the release made for this copy says; a bare report, its variant
        annex = report.release.appendix if report.release is not None \
            else appendix_by_default(report.variant)
    versions = ", ".join(f"{name} {version}" for name, version in report.content_versions)
    info = PageInfo(
        marking=clean_marking(marking), reference=plain(report.reference or "none"),
        variant_title=VARIANT_TITLES[report.variant], document_id=plain(document_id),
        versions="" if report.variant == "family" else plain(versions) or "-",
        draft=report.is_draft)
    last_error: LayoutError | None = None
    for flat in (False, True):
        used = notes if notes is not None else TextNotes()
        used.replaced.clear()
        used.right_to_left = False
        used.blank_answers = 0
        story = _story(report, info, annex=annex, flat=flat, notes=used)
        buffer = io.BytesIO()
        doc = _Doc(buffer, title=f"Heard screening record: {info.variant_title}",
                   author=AUTHOR, subject="Screening and wellbeing record",
                   creator=f"screening-app {__version__}", keywords=[], lang="en-GB",
                   displayDocTitle=1)
        try:
            doc.build(story, canvasmaker=_canvas_class(info))
        except LayoutError as exc:
            last_error = exc
            continue
        return buffer.getvalue()
    raise PdfLayoutError(f"the PDF could not be laid out: {last_error}")


class PdfLayoutError(RuntimeError):
    """Even the table-free layout failed; the message says why."""


__all__ = ["DEFAULT_MARKING", "PdfLayoutError", "render_pdf"]
