"""PDF rendering: the document that leaves the room (to CAMHS, social care, L&D, GP, school).

``render_pdf(report, document_id=...)`` turns a (redacted) :class:`ReportData` into bytes;
it reads nothing and records nothing. Exporting a stored assessment (recording the export in
the audit trail first, then writing the file atomically) is the application layer's
``Workspace.export_pdf``.

Variants: ``full`` (the professional record), ``partner`` (for sharing: no private staff
notes, no internal identifiers), ``family`` (plain words for the child and family: no
scores, no staff notes, what happens next and who to contact). Importing this package
hardens reportlab (see ``hardening``).
"""

from __future__ import annotations

from ..report_data import VARIANTS, ReportData, build_report, redact
from ..target import PdfExportError, TargetRefused, check_target, write_document
from .document import DEFAULT_MARKING, PdfLayoutError, render_pdf
from .hardening import check_hardened, ensure_hardened, harden

__all__ = [
    "DEFAULT_MARKING", "VARIANTS", "PdfExportError", "PdfLayoutError", "ReportData",
    "build_report", "check_hardened", "check_target", "ensure_hardened", "harden", "redact",
    "TargetRefused", "render_pdf", "write_document",
]
