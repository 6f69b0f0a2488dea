"""screening-app export ID --pdf OUT [--variant full|partner|family]: a document to share.

Every export is recorded in the audit trail (``store.record_export``) with who the copy is
for and why, and the PDF carries that record's document id on every page; the file is
written whole or not at all, and never over an existing file without ``--overwrite``. The
sharing rules are the application layer's (``app.sharing``); this door only collects the
answers: ``--recipient``/``--purpose`` for a partner copy, ``--confirm-safe`` for a family
copy that is held back, ``--pseudonymous`` for a record with no child reference.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .common import CommandError, open_context

if TYPE_CHECKING:
    from ..app import Workspace
    from ..app.sharing import ExportRequest


def add_pdf_options(p: argparse.ArgumentParser, *, variant: bool = True) -> None:
    """The PDF options shared by ``export`` and ``assess``."""
    from ..export.report_data import VARIANTS

    if variant:
        p.add_argument("--variant", choices=VARIANTS, default="full",
                       help="full: the professional record (default); partner: for a named "
                            "recipient and purpose (needs --recipient and --purpose); family: "
                            "plain words for the child and family, no scores")
    p.add_argument("--marking", metavar="TEXT", default=None,
                   help="protective marking printed at the top and bottom of every page "
                        "(default OFFICIAL-SENSITIVE)")
    p.add_argument("--appendix", "--annex", dest="annex", action=argparse.BooleanOptionalAction,
                   default=None,
                   help="add (or leave out) the appendix of the questions not asked or not "
                        "answered; default: in the full variant, not in a partner copy")
    p.add_argument("--overwrite", action="store_true",
                   help="replace OUT if it already exists (otherwise an existing file is "
                        "never replaced)")
    p.add_argument("--pseudonymous", action="store_true",
                   help="confirm that a record with no child reference is exported without "
                        "one on purpose")


def add_sharing_options(p: argparse.ArgumentParser) -> None:
    from ..export.release import INCLUDABLE, LAWFUL_BASES, VISIT_REASONS

    partner = p.add_argument_group("partner copy (--variant partner)")
    partner.add_argument("--recipient", metavar="TEXT",
                         help="the organisation the copy goes to (required)")
    partner.add_argument("--role", metavar="TEXT",
                         help="the recipient's role, e.g. 'duty social worker'")
    partner.add_argument("--purpose", metavar="TEXT",
                         help="why this recipient needs the copy (required)")
    partner.add_argument("--lawful-basis", choices=LAWFUL_BASES, default=None,
                         help="default: from the record's consent decision")
    partner.add_argument("--include", metavar="DOMAIN", nargs="+", default=[],
                         choices=INCLUDABLE,
                         help="add a domain left out by default: " + ", ".join(INCLUDABLE))
    partner.add_argument("--safeguarding-override", metavar="REASON",
                         help="share although the child refused and 'do not share' was "
                              "recorded: the safeguarding reason (kept in the audit trail)")
    family = p.add_argument_group("family copy (--variant family)")
    family.add_argument("--confirm-safe", metavar="REASON",
                        help="I have checked this is safe to give: why (needed when a flag "
                             "concerns the household or the child asked to keep something "
                             "from a parent; kept in the audit trail)")
    family.add_argument("--visit-reason", choices=VISIT_REASONS, default=None,
                        help="the reason for the visit printed on the family copy")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="write a stored assessment as a PDF")
    p.add_argument("id", metavar="ID")
    p.add_argument("--pdf", required=True, metavar="OUT", type=Path, help="write the PDF here")
    add_pdf_options(p)
    add_sharing_options(p)
    p.set_defaults(handler=run)


def check_folder(out: Path) -> None:
    """Fail before any work when the output folder is missing or the target is not an
    ordinary file (whether an existing file may be replaced is checked at export)."""
    from ..export.target import TargetRefused, check_target

    try:
        check_target(out, overwrite=True)
    except TargetRefused as exc:
        raise CommandError(str(exc)) from None


def request_from(args: argparse.Namespace) -> ExportRequest:
    from ..app.sharing import ExportRequest

    return ExportRequest(
        appendix=getattr(args, "annex", None),
        pseudonymous=bool(getattr(args, "pseudonymous", False)),
        recipient_organisation=getattr(args, "recipient", None),
        recipient_role=getattr(args, "role", None), purpose=getattr(args, "purpose", None),
        lawful_basis=getattr(args, "lawful_basis", None),
        include=frozenset(getattr(args, "include", None) or ()),
        safeguarding_override=getattr(args, "safeguarding_override", None),
        confirm_safe=getattr(args, "confirm_safe", None),
        visit_reason=getattr(args, "visit_reason", None))


def write_pdf(ws: Workspace, assessment_id: str, out: Path, variant: str,
              marking: str | None, annex: bool | None,
              args: argparse.Namespace | None = None) -> str:
    """Export and turn export failures into one-line command errors; warnings (e.g. the
    child did not want this shared) go to stderr."""
    from ..export.pdf import PdfExportError, PdfLayoutError

    options = args if args is not None else argparse.Namespace()
    try:
        # The appendix is the request's choice: the core applies the variant's default.
        request = dataclasses.replace(request_from(options), appendix=annex)
        made = ws.export_document(assessment_id, out, variant, marking, request=request,
                                  overwrite=bool(getattr(options, "overwrite", False)))
    except (PdfExportError, PdfLayoutError) as exc:
        raise CommandError(str(exc)) from None
    for warning in made.release.warnings:
        print(f"screening-app: warning: {warning}", file=sys.stderr)
    if made.release.left_out:
        print("screening-app: left out of this copy: " + "; ".join(made.release.left_out)
              + " (add with --include)", file=sys.stderr)
    return made.document_id


def run(args: argparse.Namespace) -> int:
    check_folder(args.pdf)
    document_id = write_pdf(open_context(args), args.id, args.pdf, args.variant, args.marking,
                            args.annex, args)
    print(document_id)
    return 0
