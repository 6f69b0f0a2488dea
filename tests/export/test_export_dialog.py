"""The desktop door of sharing safely (issue 13): the export dialog on the review's run famA,
with real widgets (pytest-qt), a real store and the PDFs parsed back."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from screening_app.ui.exporting import ExportDialog

from .helpers import pdf_text, squash
from .review_run import PILL, PRESENTING, REFERENCE, fam_a, workspace

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def dialog(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # Documents does not exist yet
    ws = workspace(tmp_path)
    aid, _ = fam_a(ws)
    d = ExportDialog(ws.open(aid))
    qtbot.addWidget(d)
    d.show()
    yield d
    ws.close()


def choose(d: ExportDialog, variant: str) -> None:
    d.variant.setCurrentIndex(d.variant.findData(variant))


def export(qtbot, d: ExportDialog) -> None:
    d.start()
    qtbot.waitUntil(lambda: not d.exporting, timeout=60000)


def test_the_family_copy_says_why_it_is_held_back_and_needs_the_check(qtbot, dialog, tmp_path):
    d = dialog
    choose(d, "family")
    assert d.family_box.isVisible() and not d.partner_box.isVisible()
    assert "domestic abuse at home" in d.concerns.text()
    d.path.setText(str(tmp_path / "family.pdf"))
    export(qtbot, d)
    assert d.message.text().startswith("Not exported: the family copy is held back")
    assert not (tmp_path / "family.pdf").exists()
    d.confirm_safe.setChecked(True)
    d.safe_reason.setText("Seen alone; she keeps it at her nan's")
    d.visit_reason.setCurrentIndex(d.visit_reason.findData("school-drop-in"))
    export(qtbot, d)
    assert d.message.text().startswith("Saved to"), d.message.text()
    text = squash("".join(pdf_text((tmp_path / "family.pdf").read_bytes())))
    assert squash(PRESENTING) not in text and squash(PILL) not in text
    assert squash("You came to see the school nurse.") in text


def test_the_partner_copy_asks_for_whom_and_why(qtbot, dialog, tmp_path):
    d = dialog
    choose(d, "partner")
    assert d.partner_box.isVisible() and not d.family_box.isVisible()
    assert not any(box.isChecked() for box in d.include.values())  # all off by default
    d.path.setText(str(tmp_path / "partner.pdf"))
    export(qtbot, d)
    assert "named recipient" in d.message.text()
    d.organisation.setText("Northshire MASH")
    d.role.setText("duty social worker")
    d.purpose.setText("Safeguarding referral")
    export(qtbot, d)
    assert "For Northshire MASH (duty social worker): Safeguarding referral" in d.message.text()
    assert "Left out: sexual health and relationships" in d.message.text()
    page1 = squash(pdf_text((tmp_path / "partner.pdf").read_bytes())[0])
    assert squash("For: Northshire MASH (duty social worker)") in page1
    assert squash(f"Child reference: {REFERENCE}") in page1
    entries = d.assessment.ws.store.load(d.assessment.id).exports
    assert [e.variant for e in entries] == ["partner"]


def test_changing_the_copy_keeps_the_folder_and_suggests_its_own_name(dialog, tmp_path):
    d = dialog
    folder = tmp_path / "shared"
    assert d.path.text().endswith(f"heard-{REFERENCE}-full.pdf")
    d.path.setText(str(folder / f"heard-{REFERENCE}-full.pdf"))
    d._suggested = d.path.text()  # as if chosen with Browse: the suggested name, new folder
    choose(d, "family")
    assert d.path.text() == str(folder / f"heard-{REFERENCE}-family.pdf")
    d.path.setText(str(folder / "my-name.pdf"))  # a name the user typed is kept
    choose(d, "partner")
    assert d.path.text() == str(folder / "my-name.pdf")
    assert d.message.text() == ""


def test_an_existing_file_is_replaced_only_when_confirmed(qtbot, dialog, tmp_path,
                                                           monkeypatch):
    d = dialog
    target = tmp_path / "existing.pdf"
    target.write_bytes(b"another child's record")
    d.path.setText(str(target))
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: answers.pop(0))
    d.start()
    assert d.message.text() == "Not exported: choose another name."
    assert target.read_bytes() == b"another child's record"
    export(qtbot, d)
    assert target.read_bytes().startswith(b"%PDF-")


def test_the_default_folder_is_made_on_the_first_export(qtbot, dialog, tmp_path):
    d = dialog
    suggested = Path(d.path.text())
    assert suggested.parent == tmp_path / "home" / "Documents"
    assert not suggested.parent.exists()
    export(qtbot, d)
    assert suggested.read_bytes().startswith(b"%PDF-"), d.message.text()


def test_a_print_goes_through_the_same_rules_and_is_recorded(qtbot, dialog, tmp_path):
    """Printed to a PDF file through Qt print support (no real printer here): the family
    copy is held back for a print as for an export; a print is recorded like an export and
    leaves no spool file behind."""
    import pypdf
    from PySide6.QtPrintSupport import QPrinter

    d = dialog
    printed = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(printed))

    def print_now() -> None:
        d.print_with(printer)
        qtbot.waitUntil(lambda: not d.exporting, timeout=60000)

    choose(d, "family")
    print_now()
    assert d.message.text().startswith("Not exported: the family copy is held back")
    assert not printed.exists()
    choose(d, "partner")
    d.organisation.setText("Northshire MASH")
    d.purpose.setText("Safeguarding referral")
    print_now()
    pages = len(pypdf.PdfReader(printed).pages)
    assert pages >= 2
    assert d.message.text().startswith(f"Sent {pages} page(s) to the printer"), d.message.text()
    assert [e.variant for e in d.assessment.ws.store.load(d.assessment.id).exports] == \
        ["partner"]
    assert not list(Path(tempfile.gettempdir()).glob("heard-print-*"))
