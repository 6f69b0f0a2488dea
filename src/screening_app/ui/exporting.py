"""Export buttons for the review page, shown only for exporters that are installed.

An export runs on a worker thread (QThreadPool) so the window stays responsive; the dialog
shows a busy indicator, then where the file went and its document id (printed on every
page and kept in the audit trail), or the error in a sentence.
"""

from __future__ import annotations

import importlib
import logging
import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QStandardPaths, QThreadPool, Signal
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

from ..assessments import OpenAssessment
from .widgets import PlainLabel, heading

log = logging.getLogger(__name__)

VARIANT_LABELS = {
    "full": "Full record (for the professional record)",
    "partner": "For partners (no private staff notes or internal identifiers)",
    "family": "For the child and family (plain words, no scores)",
}


def pdf_exporter() -> Callable | None:
    """``export_pdf(ctx, assessment_id, out_path, variant)`` if this build has it."""
    try:
        module = importlib.import_module("screening_app.export.pdf")
    except ImportError:
        return None
    function = getattr(module, "export_pdf", None)
    return function if callable(function) else None


def fhir_exporter() -> Callable | None:
    """A FHIR QuestionnaireResponse writer, once the export package provides one."""
    try:
        module = importlib.import_module("screening_app.export.fhir")
    except ImportError:
        return None
    function = getattr(module, "export_fhir", None)
    return function if callable(function) else None


def safe_filename(text: str, limit: int = 60) -> str:
    """Letters, digits, dot, dash and underscore only: no path, bidi or control characters."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip(".-")
    return cleaned[:limit] or "assessment"


class _Signals(QObject):
    done = Signal(str)
    failed = Signal(str)


class ExportJob(QRunnable):
    """Runs one export off the GUI thread; reports through ``signals`` (queued)."""

    def __init__(self, function: Callable, ctx, assessment_id: str, path: Path,  # noqa: ANN001
                 variant: str):
        super().__init__()
        self.signals = _Signals()
        self.function = function
        self.args = (ctx, assessment_id, path, variant)

    def run(self) -> None:
        try:
            document_id = self.function(*self.args)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a sentence on screen
            self.signals.failed.emit(describe(exc))
            return
        self.signals.done.emit(str(document_id))


def describe(exc: BaseException) -> str:
    from ..store import StoreError

    name = type(exc).__name__
    if isinstance(exc, StoreError) or name in ("PdfExportError", "PdfLayoutError"):
        return str(exc)
    log.warning("export failed: %s: %s", name, exc)
    return f"The export failed ({name}: {exc})."


class ExportDialog(QDialog):
    finished_export = Signal(str, str)  # path, document id

    def __init__(self, assessment: OpenAssessment, function: Callable,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.assessment = assessment
        self.function = function
        self.job: ExportJob | None = None
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
        self.job = ExportJob(self.function, self.assessment.ctx, self.assessment.id, path,
                             self.variant.currentData())
        self.job.signals.done.connect(lambda doc, p=path: self._done(p, doc))
        self.job.signals.failed.connect(self._failed)
        self.export_button.setEnabled(False)
        self.progress.show()
        self.message.setText("Making the PDF…")
        QThreadPool.globalInstance().start(self.job)

    def _done(self, path: Path, document_id: str) -> None:
        self.progress.hide()
        self.export_button.setEnabled(True)
        self.message.setText(f"Saved to {path}\nDocument id {document_id}")
        self.finished_export.emit(str(path), document_id)
        self.job = None

    def _failed(self, message: str) -> None:
        self.progress.hide()
        self.export_button.setEnabled(True)
        self.message.setText(f"Not exported: {message}")
        self.job = None

    def reject(self) -> None:
        if self.job is not None:
            return  # wait for the export to finish: never leave a half-made file
        super().reject()


def export_buttons(parent: QWidget, assessment: OpenAssessment, banner) -> list[QPushButton]:  # noqa: ANN001
    """Buttons for the exporters present. FHIR has none yet: ``screening_app.export`` has no
    FHIR writer in this build (``fhir_exporter`` finds it once it lands)."""
    buttons = []
    pdf = pdf_exporter()
    if pdf is not None:
        button = QPushButton("Export &PDF…", parent)
        button.setAccessibleName("Export a PDF")
        button.setObjectName("export-pdf")

        def open_dialog() -> None:
            dialog = ExportDialog(assessment, pdf, parent)
            dialog.finished_export.connect(lambda path, doc: banner.show_message(
                f"PDF saved to {path} (document id {doc}).", error=False))
            dialog.finished.connect(dialog.deleteLater)
            parent.export_dialog = dialog
            dialog.open()
        button.clicked.connect(open_dialog)
        buttons.append(button)
    return buttons
