"""The review page's export: a dialog that asks which copy and where, then exports.

The export (``Workspace.export_pdf``: recorded in the audit trail first, then written
atomically) runs on the store worker so the window stays responsive; the dialog shows a
busy indicator, then where the file went and its document id (printed on every page and
kept in the audit trail), or the error in a sentence.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..app import OpenAssessment, RuleRefused, StoreError
from .background import run_in_background
from .widgets import Banner, PlainLabel, heading

log = logging.getLogger(__name__)

VARIANT_LABELS = {
    "full": "Full record (for the professional record)",
    "partner": "For partners (no private staff notes or internal identifiers)",
    "family": "For the child and family (plain words, no scores)",
}


def safe_filename(text: str, limit: int = 60) -> str:
    """Letters, digits, dot, dash and underscore only: no path, bidi or control characters."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip(".-")
    return cleaned[:limit] or "assessment"


def describe(exc: BaseException) -> str:
    name = type(exc).__name__
    if isinstance(exc, (StoreError, RuleRefused)) or name in ("PdfExportError",
                                                             "PdfLayoutError"):
        return str(exc)
    log.error("export failed", exc_info=(type(exc), exc, exc.__traceback__))
    return f"The export failed ({name}). Details are in the log."


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
        self.variant = QComboBox(self)
        self.variant.setAccessibleName("Which version")
        for code, label in VARIANT_LABELS.items():
            self.variant.addItem(label, code)
        self.variant.currentIndexChanged.connect(self._suggest_path)
        form.addRow(self._label("Version", self.variant), self.variant)
        row = QHBoxLayout()
        self.path = QLineEdit(self)
        self.path.setAccessibleName("Save as")
        row.addWidget(self.path, 1)
        self.browse = QPushButton("Browse…", self)
        self.browse.setAccessibleName("Choose where to save")
        self.browse.clicked.connect(self._browse)
        row.addWidget(self.browse)
        form.addRow(self._label("Save as", self.path), row)
        layout.addLayout(form)
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
        self.export_button = QPushButton("Export", self)
        self.export_button.setDefault(True)
        self.export_button.setAccessibleName("Export the PDF")
        self.export_button.clicked.connect(self.start)
        buttons.addWidget(self.export_button)
        layout.addLayout(buttons)
        self.setMinimumWidth(560)
        self._suggest_path()

    @staticmethod
    def _label(text: str, buddy: QWidget) -> PlainLabel:
        label = PlainLabel(text, wrap=False)
        label.setBuddy(buddy)
        return label

    def _suggest_path(self) -> None:
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        record = self.assessment.record
        name = safe_filename(f"heard-{record.reference or record.id[:8]}-"
                             f"{self.variant.currentData()}")
        self.path.setText(str(Path(folder) / f"{name}.pdf"))

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(self, "Save the PDF as", self.path.text(),
                                                "PDF (*.pdf)")
        if chosen:
            self.path.setText(chosen)

    def start(self) -> None:
        path = Path(self.path.text().strip()).expanduser()
        if not path.name:
            self.message.setText("Choose where to save the PDF.")
            return
        ws, assessment_id, variant = self.assessment.ws, self.assessment.id, \
            self.variant.currentData()
        self.exporting = True
        self.export_button.setEnabled(False)
        self.progress.show()
        self.message.setText("Making the PDF…")
        run_in_background(lambda: ws.export_pdf(assessment_id, path, variant),
                          lambda doc, p=path: self._done(p, doc),
                          lambda exc: self._failed(describe(exc)))

    def _done(self, path: Path, document_id: str) -> None:
        self.progress.hide()
        self.export_button.setEnabled(True)
        self.message.setText(f"Saved to {path}\nDocument id {document_id}")
        self.finished_export.emit(str(path), document_id)
        self.exporting = False

    def _failed(self, message: str) -> None:
        self.progress.hide()
        self.export_button.setEnabled(True)
        self.message.setText(f"Not exported: {message}")
        self.exporting = False

    def reject(self) -> None:
        if self.exporting:
            return  # wait for the export to finish: never leave a half-made file
        super().reject()


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
