"""Typed answers: numbers and dates in a line edit, text in a line or a box.

Typed answers are sent when the practitioner pauses (about a second), leaves the field,
presses Enter, or moves to another page; the page calls ``flush`` before navigation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFocusEvent, QFont, QTextCursor
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLineEdit, QPlainTextEdit, QVBoxLayout

from ...content.models import ItemType
from ...engine.answers import date_from_typed, number_from_text
from ..widgets import PlainLabel
from .base import CHILD_SCALE, ItemWidget

DEBOUNCE_MS = 400  # a crash loses at most the last half second of typing (issue 15.7)
SHORT_TEXT = 300  # longer limits get a multi-line box


# Focus that arrives by the keyboard or because the page moved to the field: a click
# places the caret itself, and coming back to the window keeps it where it was.
CARET_TO_END = frozenset({Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason,
                          Qt.FocusReason.ShortcutFocusReason, Qt.FocusReason.OtherFocusReason})


class AnswerLine(QLineEdit):
    """A typed answer on one line. Coming back to it puts the caret after what is there,
    so typing adds to the answer: not before it ("okschool"), nor over it (Qt selects
    the whole text on Tab)."""

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusInEvent(event)
        if event.reason() in CARET_TO_END:
            self.end(False)


class AnswerBox(QPlainTextEdit):
    """A typed answer in a box; coming back to it puts the caret at the end (AnswerLine)."""

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusInEvent(event)
        if event.reason() in CARET_TO_END:
            self.moveCursor(QTextCursor.MoveOperation.End)


class TypedItem(ItemWidget):
    """Common to typed answers: a pause timer and flushing of what was typed."""

    def build(self, layout: QVBoxLayout) -> None:
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.flush)
        self.build_editor(layout)
        if self.child:
            font = QFont(self.editor.font())
            font.setPointSizeF(QApplication.font().pointSizeF() * CHILD_SCALE)
            self.editor.setFont(font)
        self.editor.setAccessibleName(self.prompt)
        if self.item.guidance and not self.child:
            self.editor.setAccessibleDescription(self.item.guidance)
        self.body.setFocusProxy(self.editor)

    def build_editor(self, layout: QVBoxLayout) -> None:
        raise NotImplementedError

    def text(self) -> str:
        raise NotImplementedError

    def parse(self, text: str) -> Any:
        """The value to send, or raise ValueError with a message for the practitioner."""
        return text

    def _typed(self) -> None:
        self.status.setText("")
        self._timer.start()

    def flush(self) -> None:
        self._timer.stop()
        if self.declined_box is not None and self.declined_box.isChecked():
            return
        text = self.text()
        if not text.strip():
            self.take_back()
            return
        try:
            value = self.parse(text)
        except ValueError as exc:
            message = str(exc)
            self.show_error(message[:1].upper() + message[1:])
            return
        if value != self.value:
            self.give(value)

    def current_input(self) -> Any:
        text = self.text()
        if not text.strip():
            return None
        try:
            return self.parse(text)
        except ValueError:
            return None

    def pending(self) -> bool:
        return self._timer.isActive()


class LineItem(TypedItem):
    placeholder = ""
    editor_class: type[QLineEdit] = QLineEdit  # a number or a date: Tab selects it, to retype

    def build_editor(self, layout: QVBoxLayout) -> None:
        self.editor = self.editor_class(self.body)
        self.editor.setPlaceholderText(self.placeholder)
        self.editor.textEdited.connect(self._typed)
        self.editor.editingFinished.connect(self.flush)
        row = QHBoxLayout()
        row.addWidget(self.editor, 1)
        extra = self.after_editor()
        if extra:
            row.addWidget(PlainLabel(extra, self.body, wrap=False))
        row.addStretch(1)
        layout.addLayout(row)

    def after_editor(self) -> str:
        return ""

    def text(self) -> str:
        return self.editor.text()

    def show_value(self, value: Any) -> None:
        self.editor.setText("" if value is None else self.display(value))

    def display(self, value: Any) -> str:
        return str(value)


class NumberItem(LineItem):
    def build_editor(self, layout: QVBoxLayout) -> None:
        super().build_editor(layout)
        self.editor.setMaxLength(32)
        self.editor.setMaximumWidth(self.editor.fontMetrics().horizontalAdvance("0" * 14))

    def after_editor(self) -> str:
        bits = []
        if self.item.unit:
            bits.append(self.item.unit)
        if self.item.min is not None and self.item.max is not None:
            bits.append(f"({self.item.min:g} to {self.item.max:g})")
        return " ".join(bits)

    def parse(self, text: str) -> Any:
        # The core's one reading of a number (ASCII digits, finite, in range): a field
        # never turns other scripts' digits or "1e999" into a value the CLI would refuse.
        return number_from_text(text, grouping=True)

    def display(self, value: Any) -> str:
        return f"{value:g}" if isinstance(value, float) else str(value)


class DateItem(LineItem):
    placeholder = "DD/MM/YYYY"

    def build_editor(self, layout: QVBoxLayout) -> None:
        super().build_editor(layout)
        self.editor.setMaxLength(32)
        self.editor.setMaximumWidth(self.editor.fontMetrics().horizontalAdvance("0" * 16))

    def parse(self, text: str) -> Any:
        return date_from_typed(text).isoformat()  # the core's reading: real, 1900-2100

    def display(self, value: Any) -> str:
        try:
            return dt.date.fromisoformat(str(value)).strftime("%d/%m/%Y")
        except ValueError:
            return str(value)


class ShortTextItem(LineItem):
    editor_class = AnswerLine
    def build_editor(self, layout: QVBoxLayout) -> None:
        super().build_editor(layout)
        self.editor.setMaxLength(self.item.max_length)


class _FocusOut(QObject):
    def __init__(self, item: TypedItem):
        super().__init__(item)
        self.item = item

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.FocusOut:
            self.item.flush()
        return False


class LongTextItem(TypedItem):
    """Free text and the child's own words: kept exactly as typed."""

    def build_editor(self, layout: QVBoxLayout) -> None:
        self.editor = AnswerBox(self.body)
        self.editor.setTabChangesFocus(True)
        lines = 6 if self.child else 3
        self.editor.setFixedHeight(self.editor.fontMetrics().lineSpacing() * lines + 16)
        if self.item.type == ItemType.CHILD_WORDS and not self.child:
            self.editor.setPlaceholderText("Write down exactly what the child says, in their "
                                           "own words.")
        self.editor.textChanged.connect(self._typed)
        self.editor.installEventFilter(_FocusOut(self))
        self.counter = PlainLabel("", self.body, wrap=False, scale=0.85)
        self.counter.hide()
        layout.addWidget(self.editor)
        layout.addWidget(self.counter)

    def _typed(self) -> None:
        if self._showing:
            return
        length = len(self.editor.toPlainText())
        near = length > self.item.max_length * 0.8
        self.counter.setVisible(near)
        if near:
            self.counter.setText(f"{length:,} of {self.item.max_length:,} characters")
        super()._typed()

    _showing = False

    def text(self) -> str:
        return self.editor.toPlainText()

    def show_value(self, value: Any) -> None:
        self._showing = True
        try:
            self.editor.setPlainText("" if value is None else str(value))
        finally:
            self._showing = False


def text_item_class(item) -> type[TypedItem]:  # noqa: ANN001
    if item.type == ItemType.TEXT and item.max_length <= SHORT_TEXT:
        return ShortTextItem
    return LongTextItem


__all__ = ["DEBOUNCE_MS", "DateItem", "LongTextItem", "NumberItem", "ShortTextItem",
           "TypedItem", "text_item_class"]
