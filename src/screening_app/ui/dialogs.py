"""Dialogs: the act-now interruption and the reasons the record needs.

All are opened with ``open()`` (modal, not blocking a nested event loop) and report
through signals, so the keyboard and tests drive them like any other widget.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QRect, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ..engine.results import RaisedFlag
from .theme import level_colour, set_primary
from .widgets import PlainLabel, heading

if TYPE_CHECKING:
    from ..app import OpenAssessment


class ActNowDialog(QDialog):
    """Interrupts with an act-now flag's action; it can only be closed by acknowledging it,
    or by marking it raised in error with the reason (defect 21: a mis-click)."""

    acknowledged = Signal(str)
    marked_in_error = Signal(str)

    def __init__(self, flag: RaisedFlag, acknowledge: Callable[[str, str | None], None],
                 parent: QWidget | None = None, *,
                 mark_in_error: Callable[[str, str], None] | None = None,
                 escalation: OpenAssessment | None = None):
        """``mark_in_error`` offers "Raised in error…"; ``escalation`` (the assessment)
        offers "Record escalation…" when the flag's action is an escalation."""
        super().__init__(parent)
        self.flag = flag
        self._acknowledge = acknowledge
        self._mark_in_error = mark_in_error
        self._escalation = escalation
        self.reason_dialog: ReasonDialog | None = None
        self.escalation_dialog: EscalationDialog | None = None
        self.setWindowTitle("Act now")
        self.setModal(True)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        layout = QVBoxLayout(self)
        level = heading("Act now", 1, self)
        palette = level.palette()
        palette.setColor(level.foregroundRole(), level_colour("act-now", palette))
        level.setPalette(palette)
        layout.addWidget(level)
        # The text scrolls when it is longer than the screen (200% text on a laptop): the
        # most important words in the app are never cut off.
        self.body = QWidget(self)
        body = QVBoxLayout(self.body)
        pad = self.fontMetrics().height() // 3  # the focus ring does not touch the text
        body.setContentsMargins(pad, pad, pad, pad)
        body.addWidget(heading(flag.title, 2, self.body))
        self.action = PlainLabel(flag.action, self.body, scale=1.15)
        self.action.setObjectName("act-now-action")
        body.addWidget(self.action)
        why = PlainLabel(f"Why: {flag.rationale}\nSource: {flag.source}", self.body, scale=0.9)
        body.addWidget(why)
        body.addStretch(1)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(self.body)
        self.scroll.setAccessibleName("What to do")
        self.scroll.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        layout.addWidget(self.scroll, 1)
        # What is being done about it, kept with the acknowledgement (defect 10).
        self.note = QLineEdit(self)
        self.note.setPlaceholderText("Note, optional: what you are doing, who you told")
        self.note.setAccessibleName("Note with the acknowledgement (optional)")
        layout.addWidget(self.note)
        self.error = PlainLabel("", self)
        self.error.hide()
        layout.addWidget(self.error)
        self.button = QPushButton("I have read this and am acting on it", self)
        self.button.setAccessibleName(f"Acknowledge: {flag.title}")
        # Never the default: the Enter that moved to the next question (the walkthrough's
        # "Enter = next") must not acknowledge a flag nobody has read. The dialog opens on
        # its text; the button is pressed with Space once it has the focus, or clicked. (No
        # auto-default either: QDialog would make the first such button the default.)
        self.button.setDefault(False)
        self.button.setAutoDefault(False)
        set_primary(self.button)
        self.button.clicked.connect(self._acknowledge_clicked)
        row = QHBoxLayout()
        self.error_button: QPushButton | None = None
        if mark_in_error is not None:
            self.error_button = QPushButton("Raised in error…", self)
            self.error_button.setAccessibleName(f"Raised in error: {flag.title}")
            self.error_button.setAutoDefault(False)
            self.error_button.clicked.connect(self.ask_why_in_error)
            row.addWidget(self.error_button)
        self.escalate_button: QPushButton | None = None
        if escalation is not None and flag.escalate_to:
            self.escalate_button = QPushButton("Record escalation…", self)
            self.escalate_button.setAccessibleName(
                f"Record escalation to the {flag.escalate_to}: {flag.title}")
            self.escalate_button.setAutoDefault(False)
            self.escalate_button.clicked.connect(self.open_escalation)
            row.addWidget(self.escalate_button)
        if row.count():
            row.addStretch(1)
            layout.addLayout(row)
        layout.addWidget(self.button)
        self.setMinimumWidth(min(640, max(420, self.fontMetrics().averageCharWidth() * 60)))

    def setVisible(self, visible: bool) -> None:  # noqa: N802
        # Sized before it is shown, so that Qt centres it on the window and keeps it on the
        # screen with its real size (sized after, it ran off the bottom of a laptop's screen
        # at 200% text, the acknowledge button with it: walk finding).
        if visible and not self.isVisible():
            self.fit_to_screen()
        super().setVisible(visible)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self._keep_on_screen()
        self.scroll.setFocus(Qt.FocusReason.OtherFocusReason)  # read first: not on a button

    def _keep_on_screen(self) -> None:
        """Qt centres a dialog on its window and keeps it on the screen, but can leave the
        frame a pixel or two over the edge: move it wholly inside."""
        screen, frame = self._available_geometry(), self.frameGeometry()
        x = max(screen.left(), min(frame.left(), screen.right() - frame.width() + 1))
        y = max(screen.top(), min(frame.top(), screen.bottom() - frame.height() + 1))
        if (x, y) != (frame.left(), frame.top()):
            self.move(self.pos() + QPoint(x - frame.left(), y - frame.top()))

    def fit_to_screen(self) -> None:
        """A readable measure (about 60 characters of the action a line), at most the
        screen's width; as tall as the text needs and never taller than the screen's
        available height, less the window's title bar. Only the text scrolls: the note and
        the buttons are always in view."""
        self.ensurePolished()
        screen = self._available_geometry()
        width = min(screen.width() - 2 * self.style().pixelMetric(
            QStyle.PixelMetric.PM_LayoutLeftMargin),
            max(self.minimumWidth(), self.fontMetrics().averageCharWidth() * 70))
        layout = self.layout()
        margins = layout.contentsMargins()
        inner = width - margins.left() - margins.right()
        shown = [layout.itemAt(n) for n in range(layout.count())]
        others = [i for i in shown if i.widget() is not self.scroll and not i.isEmpty()]
        chrome = (margins.top() + margins.bottom() + layout.spacing() * len(others)
                  + sum(i.heightForWidth(inner) if i.hasHeightForWidth()
                        else i.sizeHint().height() for i in others))
        room = screen.height() - self._title_bar_height() - chrome
        text = self.body.heightForWidth(inner)
        scrolls = text > room
        if scrolls:  # the scroll bar takes its width from the text
            text = self.body.heightForWidth(
                inner - self.scroll.verticalScrollBar().sizeHint().width())
        # No scroll bar when the text fits: left "as needed", Qt showed one with nothing
        # to scroll that covered the ends of the lines (the wrapped text's height depends
        # on its width). Then the dialog cannot be made shorter than its text either.
        self.scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded if scrolls
                                               else Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        height = chrome + max(min(text, room), 0)
        self.setMinimumHeight(0 if scrolls else height)
        self.resize(width, height)

    def _available_geometry(self) -> QRect:
        parent = self.parentWidget()
        screen = (parent.screen() if parent is not None else self.screen()) \
            or QApplication.primaryScreen()
        return screen.availableGeometry()

    def _title_bar_height(self) -> int:
        """The window manager's frame, known from the parent window once it is shown."""
        parent = self.parentWidget()
        window = parent.window() if parent is not None else None
        if window is not None and window.isVisible():
            frame = window.frameGeometry().height() - window.geometry().height()
            if frame > 0:
                return frame
        return self.style().pixelMetric(QStyle.PixelMetric.PM_TitleBarHeight)

    def _acknowledge_clicked(self) -> None:
        from ..app import StoreError

        try:
            self._acknowledge(self.flag.id, self.note.text().strip() or None)
        except StoreError as exc:
            self.error.setText(f"Not recorded: {exc}")
            self.error.show()
            return
        self.acknowledged.emit(self.flag.id)
        self.accept()

    def open_escalation(self) -> None:
        assert self._escalation is not None
        dialog = EscalationDialog(self._escalation, self.flag, self)
        dialog.finished.connect(dialog.deleteLater)
        self.escalation_dialog = dialog
        dialog.open()

    def ask_why_in_error(self) -> None:
        dialog = ReasonDialog("Raised in error", IN_ERROR_EXPLANATION, parent=self)
        dialog.accepted.connect(lambda: self._record_in_error(dialog.reason_text()))
        dialog.finished.connect(dialog.deleteLater)
        self.reason_dialog = dialog
        dialog.open()

    def _record_in_error(self, reason: str) -> None:
        from ..app import RuleRefused, StoreError

        assert self._mark_in_error is not None
        try:
            self._mark_in_error(self.flag.id, reason)
        except (StoreError, RuleRefused) as exc:
            self.error.setText(f"Not recorded: {exc}")
            self.error.show()
            return
        self.marked_in_error.emit(self.flag.id)
        self.accept()

    def reject(self) -> None:
        """Escape does not dismiss an act-now flag."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.result() != QDialog.DialogCode.Accepted:
            event.ignore()
            return
        super().closeEvent(event)


IN_ERROR_EXPLANATION = (
    "If an answer was recorded wrongly (a mis-click), change that answer instead: the screen "
    "is scored again and raises the right flag, if any. Mark a flag raised in error when it "
    "does not apply to this child, and say why. If it came from a screen result, the flag for "
    "the next result is raised instead and needs acting on. The flag stays on the record "
    "with your name and reason, shown as raised in error; a later answer to its questions "
    "raises it again.")


def in_error_recorder(assessment: OpenAssessment) -> Callable[[str, str], None]:
    """Marks a flag of ``assessment`` raised in error (the core's decision, with reason)."""
    return lambda flag_id, reason: assessment.decide(f"flag:{flag_id}", "error",
                                                     reason=reason)


class EscalationDialog(QDialog):
    """The escalation form (``actions_card.EscalationForm``) for one flag whose action is an
    escalation: prefilled with the content's ``escalate_to`` and the flag's title as the
    reason (add to it); records the escalation, then its outcome."""

    def __init__(self, assessment: OpenAssessment, flag: RaisedFlag,
                 parent: QWidget | None = None):
        from .actions_card import EscalationForm

        super().__init__(parent)
        self.setWindowTitle("Record escalation")
        self.setModal(True)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(flag.title, 2, self))
        self.form = EscalationForm(assessment.ws.actions(), assessment.id,
                                   user=assessment.ws.user,
                                   suggested_to=flag.escalate_to or "", parent=self)
        self.form.escalate_reason.setText(flag.title)  # the card finds its escalations by it
        layout.addWidget(self.form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(min(720, max(480, self.fontMetrics().averageCharWidth() * 70)))


class ReasonDialog(QDialog):
    """Asks for a reason (and optionally new wording) before a recorded decision."""

    def __init__(self, title: str, explanation: str, *, text: str | None = None,
                 reason_label: str = "Reason", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(title, 2, self))
        layout.addWidget(PlainLabel(explanation, self))
        form = QFormLayout()
        self.text_edit: QPlainTextEdit | None = None
        if text is not None:
            self.text_edit = QPlainTextEdit(self)
            self.text_edit.setPlainText(text)
            self.text_edit.setTabChangesFocus(True)
            self.text_edit.setAccessibleName("New wording")
            form.addRow(self._label("New wording", self.text_edit), self.text_edit)
        self.reason = QLineEdit(self)
        self.reason.setAccessibleName(reason_label)
        self.reason.setMaxLength(2000)
        form.addRow(self._label(reason_label, self.reason), self.reason)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Record")
        self.ok.setAccessibleName(f"Record: {title}")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        self.ok.setEnabled(False)
        self.reason.textChanged.connect(lambda t: self.ok.setEnabled(bool(t.strip())))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)

    @staticmethod
    def _label(text: str, buddy: QWidget) -> PlainLabel:
        label = PlainLabel(text, wrap=False)
        label.setBuddy(buddy)
        return label

    def reason_text(self) -> str:
        return self.reason.text().strip()

    def new_text(self) -> str | None:
        return self.text_edit.toPlainText().strip() if self.text_edit else None
