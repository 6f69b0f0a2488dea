"""Small shared widgets. Every label here shows plain text: user and content text is never
interpreted as markup (Qt would otherwise guess rich text from a leading '<')."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QFont, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QWidget,
)

if TYPE_CHECKING:
    from PySide6.QtWidgets import QFormLayout  # its enums cost start-up; only a type here


def button_text(text: str) -> str:
    """Text for a button or check box: '&' shown as itself, not as a mnemonic marker."""
    return text.replace("&", "&&")


class PlainLabel(QLabel):
    """A QLabel that never interprets its text as rich text, wrapped and selectable-free."""

    def __init__(self, text: str = "", parent: QWidget | None = None, *, wrap: bool = True,
                 scale: float = 1.0, bold: bool = False):
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(wrap)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self._scale = scale
        self._bold = bold
        if scale != 1.0 or bold:
            self._apply_font()
        self.setText(text)

    def set_scale(self, scale: float, bold: bool | None = None) -> None:
        self._scale = scale
        if bold is not None:
            self._bold = bold
        self._apply_font()

    def _apply_font(self) -> None:
        font = QFont(self.font())
        font.setPointSizeF(QApplication.font().pointSizeF() * self._scale)
        font.setBold(self._bold)
        self.setFont(font)

    def event(self, event: QEvent) -> bool:
        # An explicitly set font stops following the application font; follow it by hand
        # so that the text-size setting reaches headings too.
        if event.type() == QEvent.Type.ApplicationFontChange and (self._scale != 1.0
                                                                   or self._bold):
            self._apply_font()
        return super().event(event)


def heading(text: str, level: int = 1, parent: QWidget | None = None) -> PlainLabel:
    scale = {1: 1.6, 2: 1.3, 3: 1.1}.get(level, 1.0)
    label = PlainLabel(text, parent, scale=scale, bold=True)
    label.setAccessibleName(text)
    return label


def hint(text: str, parent: QWidget | None = None) -> PlainLabel:
    """Secondary text: a little smaller, same colour (placeholder grey is too faint to read)."""
    return PlainLabel(text, parent, scale=0.9)


class Banner(QFrame):
    """A message across the top of a page: errors that need attention, with an action."""

    action_clicked = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("banner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QHBoxLayout(self)
        self.message = PlainLabel("", self, bold=True)
        self.message.setAccessibleName("Message")
        layout.addWidget(self.message, 1)
        self.action = QPushButton(self)
        self.action.setAutoDefault(True)
        self.action.clicked.connect(self.action_clicked)
        layout.addWidget(self.action)
        self.dismiss = QPushButton("Dismiss", self)
        self.dismiss.setAccessibleName("Dismiss message")
        self.dismiss.clicked.connect(self.hide)
        layout.addWidget(self.dismiss)
        self.hide()

    def show_message(self, text: str, *, action: str | None = None, error: bool = True) -> None:
        from .theme import banner_palette

        self.setPalette(banner_palette(self.palette(), error=error))
        self.message.setText(text)
        self.action.setVisible(action is not None)
        if action:
            self.action.setText(action)
            self.action.setAccessibleName(action)
        self.setAccessibleName(text)
        self.show()


def hline(parent: QWidget | None = None) -> QFrame:
    line = QFrame(parent)
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line


def name_headers(table: QTableWidget, what: str) -> None:
    """Screen readers name a table's header rows too: say whose columns and rows they are."""
    table.horizontalHeader().setAccessibleName(f"{what}: columns")
    table.verticalHeader().setAccessibleName(f"{what}: rows")


def form_row(form: QFormLayout, text: str, field: QWidget) -> PlainLabel:
    """A form row whose label is plain text and names its field (the field's buddy)."""
    label = PlainLabel(text, wrap=False)
    label.setBuddy(field)
    if not field.accessibleName():
        field.setAccessibleName(text)
    form.addRow(label, field)
    return label


class _WheelOnlyWhenFocused:
    """Mixed into a combo box, spin box or date field: the mouse wheel over it without the
    focus scrolls the page around it and never changes its value (walk finding: scrolling
    the review with the wheel changed an action's due date from 2026 to 2020, unseen)."""

    def _wheel_only_when_focused(self) -> None:
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # type: ignore[attr-defined]

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt's name)
        if self.hasFocus():  # type: ignore[attr-defined]
            super().wheelEvent(event)  # type: ignore[misc]
            return
        area = self.parentWidget()  # type: ignore[attr-defined]
        while area is not None and not isinstance(area, QAbstractScrollArea):
            area = area.parentWidget()
        if area is not None:
            QApplication.sendEvent(area.verticalScrollBar(), event)
        event.accept()


class DropDown(_WheelOnlyWhenFocused, QComboBox):
    """A combo box whose list opens below it, never centred on the current choice, where an
    ordinary click picked the wrong setting (defect 27), and whose choice the mouse wheel
    changes only while it has the focus."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._wheel_only_when_focused()

    def showPopup(self) -> None:  # noqa: N802 (Qt's name)
        super().showPopup()
        popup = self.view().window()
        below = self.mapToGlobal(QPoint(0, self.height()))
        screen = self.screen().availableGeometry()
        top = below.y()
        if top + popup.height() > screen.bottom() + 1:  # no room below: open above instead
            top = max(screen.top(), self.mapToGlobal(QPoint(0, 0)).y() - popup.height())
        popup.move(below.x(), top)


class DateField(_WheelOnlyWhenFocused, QDateEdit):
    """A date field that Tab always leaves, and that the wheel changes only with the focus.
    Qt's own moves Tab between day, month and year, and while it shows its special value
    ("Any date") Tab did nothing at all, so the keyboard was trapped in it (walk finding);
    the arrow keys and typing still move between the parts."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._wheel_only_when_focused()

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802 (Qt's name)
        return QWidget.focusNextPrevChild(self, forward)


class NumberField(_WheelOnlyWhenFocused, QSpinBox):
    """A spin box whose value the mouse wheel changes only while it has the focus."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._wheel_only_when_focused()
