"""The review page's export: a dialog that asks which copy, for whom and where, then exports.

The rules are the application layer's (``Workspace.export_document`` and ``app.sharing``):
this dialog only collects the answers. A partner copy asks for the recipient (organisation
and role), the purpose, the lawful basis and which domains to include (sexual health,
identity, parents: off by default); a family copy says why it is held back and asks for
"I have checked this is safe to give" with a reason, and offers safe reasons for the visit;
a record with no reference asks for "pseudonymous" to be confirmed. The appendix of questions
not asked or not answered is a choice whose default is the core's (on for the full record,
off for a partner copy). Each copy's questions sit on a page of one stack, so the dialog
keeps its size when the copy changes. An existing file is
replaced only after a question; the default folder is made if missing; changing the copy
keeps the folder and changes the suggested name. The export runs on the store worker so
the window stays responsive.
"""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
from pathlib import Path

from PySide6.QtCore import QRect, QStandardPaths, Qt, Signal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..app import OpenAssessment, RuleRefused, StoreError
from ..app.sharing import (
    FREE_TEXT,
    INCLUDABLE,
    LAWFUL_BASES,
    PARTNER_DOMAINS,
    VISIT_REASONS,
    ExportRequest,
    appendix_by_default,
    family_concerns,
)
from ..app.workspace import Exported
from .background import run_in_background
from .theme import set_primary
from .widgets import Banner, DropDown, PlainLabel, button_text, heading

log = logging.getLogger(__name__)

VARIANT_LABELS = {
    "full": "Full record (for the professional record)",
    "partner": "For a partner agency (a named recipient and purpose)",
    "family": "For the child and family (plain words, no scores)",
}


VARIANT_PAGES = {"full": 0, "partner": 1, "family": 2}  # the stack's page of each copy


def safe_filename(text: str, limit: int = 60) -> str:
    """Letters, digits, dot, dash and underscore only: no path, bidi or control characters."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip(".-")
    return cleaned[:limit] or "assessment"


def describe(exc: BaseException) -> str:
    name = type(exc).__name__
    if isinstance(exc, (StoreError, RuleRefused)) or name in ("PdfExportError",
                                                             "PdfLayoutError",
                                                             "TargetRefused"):
        return str(exc)
    log.error("export failed", exc_info=(type(exc), exc, exc.__traceback__))
    return f"The export failed ({name}). Details are in the log."


def default_folder() -> Path:
    return Path(QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home()))


class ExportDialog(QDialog):
    finished_export = Signal(str, str)  # path, document id

    def __init__(self, assessment: OpenAssessment, parent: QWidget | None = None):
        super().__init__(parent)
        self.assessment = assessment
        self.exporting = False
        self.setWindowTitle("Export PDF")
        self.setModal(True)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Export PDF", 2, self))
        form = QFormLayout()
        self.variant = DropDown(self)
        self.variant.setAccessibleName("Which copy")
        for code, label in VARIANT_LABELS.items():
            self.variant.addItem(label, code)
        form.addRow(self._label("Copy", self.variant), self.variant)
        row = QHBoxLayout()
        self.path = QLineEdit(self)
        self.path.setAccessibleName("Save as")
        row.addWidget(self.path, 1)
        self.browse = QPushButton("Browse…", self)
        self.browse.setAccessibleName("Choose where to save")
        self.browse.clicked.connect(self._browse)
        row.addWidget(self.browse)
        form.addRow(self._label("Save as", self.path), row)
        self.appendix = QCheckBox(button_text(
            "Add the appendix: questions not asked or not answered"), self)
        self.appendix.setAccessibleName("Add the appendix of questions not asked or not "
                                        "answered")
        form.addRow("", self.appendix)
        layout.addLayout(form)
        self.pseudonymous = QCheckBox(
            "This record has no child reference: the copy is pseudonymous on purpose", self)
        self.pseudonymous.setVisible(not (assessment.record.reference or "").strip())
        layout.addWidget(self.pseudonymous)
        # Each copy's own questions on one page of a stack: the stack is as tall as its
        # tallest page, so the dialog keeps its size when the copy changes.
        self.parts = QStackedWidget(self)
        full = PlainLabel("The professional record, for this service's own file: it holds "
                          "everything recorded, staff notes included. Share it only through "
                          "your service's usual secure route.", self.parts)
        full.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.parts.addWidget(full)
        self.parts.addWidget(self._partner_box())
        self.parts.addWidget(self._family_box())
        layout.addWidget(self.parts)
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Export progress")
        self.progress.setRange(0, 0)  # busy: reportlab gives no progress to report
        self.progress.hide()
        layout.addWidget(self.progress)
        self.message = PlainLabel("", self)
        self.message.setObjectName("export-message")
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.close_button = QPushButton("Close", self)
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.close_button)
        self.print_button = QPushButton("Print…", self)
        self.print_button.setAccessibleName("Print this copy")
        self.print_button.clicked.connect(self._print)
        buttons.addWidget(self.print_button)
        self.export_button = QPushButton("Export", self)
        self.export_button.setDefault(True)
        self.export_button.setAccessibleName("Export the PDF")
        set_primary(self.export_button)
        self.export_button.clicked.connect(self.start)
        buttons.addWidget(self.export_button)
        layout.addLayout(buttons)
        # Wide enough for the longest choice without wrapping, at any text size.
        self.setMinimumWidth(min(1200, max(600, self.fontMetrics().horizontalAdvance("x" * 90))))
        self._suggested = ""
        self.path.setText(str(default_folder() / self._suggested_name()))
        self._suggested = self.path.text()
        self.variant.currentIndexChanged.connect(self._variant_changed)
        self._variant_changed()

    # -- the parts of each copy --------------------------------------------------------------
    def _partner_box(self) -> QGroupBox:
        box = self.partner_box = QGroupBox("Who the copy is for, and why", self)
        form = QFormLayout(box)
        self.organisation = QLineEdit(box)
        self.organisation.setAccessibleName("Recipient organisation")
        form.addRow(self._label("Organisation", self.organisation), self.organisation)
        self.role = QLineEdit(box)
        self.role.setAccessibleName("Recipient role")
        form.addRow(self._label("Role", self.role), self.role)
        self.purpose = QLineEdit(box)
        self.purpose.setAccessibleName("Purpose")
        form.addRow(self._label("Purpose", self.purpose), self.purpose)
        self.basis = DropDown(box)
        self.basis.setAccessibleName("Lawful basis")
        self.basis.addItem("As recorded in the consent decision", None)
        for code, label in LAWFUL_BASES.items():
            self.basis.addItem(label[:1].upper() + label[1:], code)
        form.addRow(self._label("Lawful basis", self.basis), self.basis)
        self.include: dict[str, QCheckBox] = {}
        labels = {**{k: d.label for k, d in PARTNER_DOMAINS.items()}, **FREE_TEXT}
        # Two columns: at 200% text the dialog still fits a 1366x768 screen.
        grid = QGridLayout()
        for n, code in enumerate(INCLUDABLE):
            check = QCheckBox(button_text(labels[code][:1].upper() + labels[code][1:]), box)
            check.setAccessibleName(f"Include {labels[code]}")
            self.include[code] = check
            grid.addWidget(check, n // 2, n % 2)
        form.addRow(self._label("Include", self.include[INCLUDABLE[0]]), grid)
        self.override = QLineEdit(box)
        self.override.setAccessibleName("Safeguarding override reason")
        self.override.setPlaceholderText("Only if the child refused and 'do not share' was "
                                         "recorded")
        form.addRow(self._label("Safeguarding override", self.override), self.override)
        return box

    def _family_box(self) -> QGroupBox:
        box = self.family_box = QGroupBox("Is it safe to give?", self)
        form = QFormLayout(box)
        concerns = family_concerns(self.assessment.result())
        self.concerns = PlainLabel(
            ("Held back: " + "; ".join(concerns) + ". A copy taken home may be read by the "
             "person the child spoke about.") if concerns else
            "Nothing recorded makes this copy unsafe to take home; check with the child.", box)
        self.concerns.setObjectName("family-concerns")
        form.addRow(self.concerns)
        self.visit_reason = DropDown(box)
        self.visit_reason.setAccessibleName("Reason for the visit on the copy")
        self.visit_reason.addItem("Leave out", None)
        for code, text in VISIT_REASONS.items():
            self.visit_reason.addItem(text, code)
        form.addRow(self._label("Why we met", self.visit_reason), self.visit_reason)
        self.confirm_safe = QCheckBox("I have checked this is safe to give", box)
        self.confirm_safe.setVisible(bool(concerns))
        form.addRow(self.confirm_safe)
        self.safe_reason = QLineEdit(box)
        self.safe_reason.setAccessibleName("Why it is safe to give")
        self.safe_reason.setVisible(bool(concerns))
        form.addRow(self.safe_reason)
        return box

    @staticmethod
    def _label(text: str, buddy: QWidget) -> PlainLabel:
        label = PlainLabel(text, wrap=False)
        label.setBuddy(buddy)
        return label

    def _suggested_name(self) -> str:
        record = self.assessment.record
        return safe_filename(f"heard-{record.reference or record.id[:8]}-"
                             f"{self.variant.currentData()}") + ".pdf"

    def _variant_changed(self) -> None:
        """Keep the folder (and a name the user typed); suggest a name for this copy."""
        variant = self.variant.currentData()
        current = Path(self.path.text().strip()).expanduser()
        if self.path.text() == self._suggested or not current.name:
            self.path.setText(str(current.parent / self._suggested_name()))
            self._suggested = self.path.text()
        self.parts.setCurrentIndex(VARIANT_PAGES[variant])
        # The default is the core's (on for the full record, off for a partner copy); the
        # family copy lists no questions.
        self.appendix.setChecked(appendix_by_default(variant))
        self.appendix.setEnabled(variant != "family")
        self.message.setText("")

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(self, "Save the PDF as", self.path.text(),
                                                "PDF (*.pdf)")
        if chosen:
            self.path.setText(chosen)

    def request(self) -> ExportRequest:
        family = self.variant.currentData() == "family"
        return ExportRequest(
            pseudonymous=self.pseudonymous.isChecked(),
            recipient_organisation=self.organisation.text(), recipient_role=self.role.text(),
            purpose=self.purpose.text(), lawful_basis=self.basis.currentData(),
            include=frozenset(c for c, box in self.include.items() if box.isChecked()),
            safeguarding_override=self.override.text() or None,
            confirm_safe=self.safe_reason.text() if family and self.confirm_safe.isChecked()
            else None,
            visit_reason=self.visit_reason.currentData(),
            appendix=self.appendix.isChecked() and not family)

    # -- exporting ---------------------------------------------------------------------------
    def start(self) -> None:
        path = Path(self.path.text().strip()).expanduser()
        if not path.name:
            self.message.setText("Choose where to save the PDF.")
            return
        if not path.parent.exists() and path.parent == default_folder():
            try:
                path.parent.mkdir(parents=True)  # the first export: make the usual folder
            except OSError as exc:
                self.message.setText(f"Not exported: cannot make {path.parent} "
                                     f"({exc.strerror or exc}); choose another folder.")
                return
        overwrite = False
        if path.is_file():
            answer = QMessageBox.question(
                self, "Replace the file?", f"{path.name} already exists in {path.parent}. "
                "Replace it with this copy?")
            if answer != QMessageBox.StandardButton.Yes:
                self.message.setText("Not exported: choose another name.")
                return
            overwrite = True
        ws, assessment_id, variant = self.assessment.ws, self.assessment.id, \
            self.variant.currentData()
        request = self.request()
        self.exporting = True
        self.export_button.setEnabled(False)
        self.progress.show()
        self.message.setText("Making the PDF…")
        run_in_background(lambda: ws.export_document(assessment_id, path, variant,
                                                     request=request, overwrite=overwrite),
                          lambda made, p=path: self._done(p, made),
                          lambda exc: self._failed(describe(exc)))

    def _done(self, path: Path, made: Exported) -> None:
        self.progress.hide()
        self.export_button.setEnabled(True)
        document_id, release = made.document_id, made.release
        lines = [f"Saved to {path}", f"Document id {document_id}",
                 f"For {release.recipient}: {release.purpose}"]
        if release.left_out:
            lines.append("Left out: " + "; ".join(release.left_out))
        lines += list(release.warnings)
        self.message.setText("\n".join(lines))
        self.finished_export.emit(str(path), document_id)
        self.exporting = False

    def _failed(self, message: str) -> None:
        self.progress.hide()
        self.export_button.setEnabled(True)
        self.message.setText(f"Not exported: {message}")
        self.exporting = False

    # -- printing ----------------------------------------------------------------------------
    def _print(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec() == QDialog.DialogCode.Accepted:
            self.print_with(printer)

    def print_with(self, printer: QPrinter) -> None:
        """Make the copy through the same rules as an export (audited as a print, to the
        printer's name), then send its pages to ``printer``; the spool file is removed."""
        spool = Path(tempfile.mkdtemp(prefix="heard-print-"))  # private (0700)
        ws, assessment_id, variant = self.assessment.ws, self.assessment.id, \
            self.variant.currentData()
        request = self.request()
        where = f"printer {printer.printerName() or printer.outputFileName() or 'default'}"
        self.exporting = True
        self.print_button.setEnabled(False)
        self.progress.show()
        self.message.setText("Making the copy to print…")

        def done(made: Exported) -> None:
            try:
                pages = print_pages(made.path, printer)
            except Exception as exc:  # noqa: BLE001 - a printer failure is a sentence
                log.error("printing failed", exc_info=exc)
                self._failed(f"the printer did not take the copy ({type(exc).__name__})")
            else:
                self.progress.hide()
                self.message.setText(f"Sent {pages} page(s) to the {where}\n"
                                     f"Document id {made.document_id}")
                self.exporting = False
            finally:
                shutil.rmtree(spool, ignore_errors=True)
                self.print_button.setEnabled(True)

        def failed(exc: BaseException) -> None:
            shutil.rmtree(spool, ignore_errors=True)
            self.print_button.setEnabled(True)
            self._failed(describe(exc))

        run_in_background(lambda: ws.export_document(
            assessment_id, spool / "copy.pdf", variant, request=request, action="print",
            destination=where), done, failed)

    def reject(self) -> None:
        if self.exporting:
            return  # wait for the export to finish: never leave a half-made file
        super().reject()


PRINT_DPI = 300  # enough for text; more only makes the spool larger


def print_pages(pdf: Path, printer: QPrinter) -> int:
    """Paint each page of ``pdf`` on ``printer`` (pages drawn by PDFium); returns the count."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    painter = QPainter()
    try:
        if not painter.begin(printer):
            raise RuntimeError("the printer could not be started")
        dpi = min(printer.resolution(), PRINT_DPI)
        for number in range(len(document)):
            if number:
                printer.newPage()
            bitmap = document[number].render(scale=dpi / 72, rev_byteorder=True)
            image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                           QImage.Format.Format_RGB888)
            area = painter.viewport()
            size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(area.x(), area.y(), size.width(), size.height()), image)
        return len(document)
    finally:
        if painter.isActive():
            painter.end()
        document.close()


def export_buttons(parent: QWidget, assessment: OpenAssessment,
                   banner: Banner) -> list[QPushButton]:
    """The review page's export buttons (PDF, in three variants)."""
    button = QPushButton("Export &PDF…", parent)
    button.setAccessibleName("Export a PDF")
    button.setObjectName("export-pdf")

    def open_dialog() -> None:
        dialog = ExportDialog(assessment, parent)
        dialog.finished_export.connect(lambda path, doc: banner.show_message(
            f"PDF saved to {path} (document id {doc}).", error=False))
        dialog.finished.connect(dialog.deleteLater)
        parent.export_dialog = dialog  # type: ignore[attr-defined]
        dialog.open()
    button.clicked.connect(open_dialog)
    return [button]
