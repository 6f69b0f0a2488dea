"""PDF export: the document that leaves the room (to CAMHS, social care, L&D, GP, school).

One call for every front door (CLI, GUI worker thread, tests)::

    document_id = export_pdf(ctx, assessment_id, out_path, variant="full")

Variants: ``full`` (the professional record), ``partner`` (for sharing: no private staff
notes, no internal identifiers), ``family`` (plain words for the child and family: no
scores, no staff notes, what happens next and who to contact). Importing this package
hardens reportlab (see ``hardening``).
"""

from __future__ import annotations

from pathlib import Path

from ... import files
from ..report_data import VARIANTS, ReportData, build_report, redact
from .document import DEFAULT_MARKING, PdfLayoutError, render_pdf
from .hardening import check_hardened, ensure_hardened, harden


class PdfExportError(Exception):
    """An export that could not be written; the message is fit for the user."""


def write_atomically(path: Path | str, data: bytes) -> None:
    """Write the whole PDF or nothing (see screening_app.files)."""
    try:
        files.write_atomically(path, data)
    except files.WriteError as exc:
        raise PdfExportError(str(exc)) from None


def export_pdf(ctx, assessment_id: str, out_path: Path | str, variant: str = "full",  # noqa: ANN001
               marking: str | None = None, *, annex: bool | None = None) -> str:
    """Write one variant of an assessment's PDF to ``out_path``; return its document id.

    The export is recorded in the store (the audit trail) before the file is made, so no
    copy ever leaves without a record; the id printed on every page is that record's.
    Pure Python and no Qt: the GUI runs it in a worker thread.
    """
    from ...assessments import open_assessment

    if variant not in VARIANTS:
        raise PdfExportError(f"unknown variant {variant!r} (use one of {', '.join(VARIANTS)})")
    ensure_hardened()
    target = Path(out_path)
    if not (target.parent if str(target.parent) else Path(".")).is_dir():
        raise PdfExportError(f"cannot write {target}: folder {target.parent} does not exist")
    assessment = open_assessment(ctx, assessment_id)
    report = redact(build_report(assessment), variant)
    document_id = ctx.store.record_export(assessment_id, kind="pdf", variant=variant,
                                          by=ctx.user, destination=str(target))
    data = render_pdf(report, document_id=document_id, marking=marking, annex=annex)
    write_atomically(target, data)
    return document_id


__all__ = [
    "DEFAULT_MARKING", "VARIANTS", "PdfExportError", "PdfLayoutError", "ReportData",
    "build_report", "check_hardened", "ensure_hardened", "export_pdf", "harden", "redact",
    "render_pdf", "write_atomically",
]
