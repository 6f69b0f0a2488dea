"""screening-app export ID --pdf OUT [--variant full|partner|family]: a document to share.

Every export is recorded in the audit trail (``store.record_export``) and the PDF carries
that record's document id on every page; the file is written atomically.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from .common import CommandError, open_context

if TYPE_CHECKING:
    from ..app import Workspace


def add_pdf_options(p: argparse.ArgumentParser, *, variant: bool = True) -> None:
    """The PDF options shared by ``export`` and ``assess``."""
    from ..export.report_data import VARIANTS

    if variant:
        p.add_argument("--variant", choices=VARIANTS, default="full",
                       help="full: the professional record (default); partner: for sharing, "
                            "without private staff notes or internal identifiers; family: plain "
                            "words for the child and family, no scores")
    p.add_argument("--marking", metavar="TEXT", default=None,
                   help="protective marking printed at the top and bottom of every page "
                        "(default OFFICIAL-SENSITIVE)")
    p.add_argument("--annex", action=argparse.BooleanOptionalAction, default=None,
                   help="add (or leave out) the annex listing every question and its status; "
                        "default: in the full variant only")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="write a stored assessment as a PDF")
    p.add_argument("id", metavar="ID")
    p.add_argument("--pdf", required=True, metavar="OUT", type=Path, help="write the PDF here")
    add_pdf_options(p)
    p.set_defaults(handler=run)


def check_folder(out: Path) -> None:
    """Fail before any work when the output folder is missing."""
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise CommandError(f"cannot write {out}: folder {folder} does not exist")


def write_pdf(ws: Workspace, assessment_id: str, out: Path, variant: str,
              marking: str | None, annex: bool | None) -> str:
    """Export and turn export failures into one-line command errors."""
    from ..export.pdf import PdfExportError, PdfLayoutError

    try:
        return ws.export_pdf(assessment_id, out, variant, marking, annex=annex)
    except (PdfExportError, PdfLayoutError) as exc:
        raise CommandError(str(exc)) from None


def run(args: argparse.Namespace) -> int:
    check_folder(args.pdf)
    document_id = write_pdf(open_context(args), args.id, args.pdf, args.variant, args.marking,
                            args.annex)
    print(document_id)
    return 0
