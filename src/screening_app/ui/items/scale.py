"""A whole-number scale: a row of values for staff, a picture scale of faces for a child.

The faces run from sad at the lowest value to happy at the highest; that is the convention
for child-facing scales in the content ("1 = really bad, 5 = really good"). The number and
the end labels are shown too, so the picture is never the only cue.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractButton,
    QGridLayout,
    QHBoxLayout,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..widgets import PlainLabel
from .base import CHILD_SCALE
from .choice import RadioItem, child_button

MAX_BUTTONS = 11


class FaceButton(QAbstractButton):
    """A face whose mouth runs from a frown (``mood`` 0) to a smile (``mood`` 1)."""

    def __init__(self, text: str, mood: float, parent: QWidget | None = None):
        super().__init__(parent)
        self.setText(text)
        self.mood = mood
        self.setCheckable(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def sizeHint(self) -> QSize:  # noqa: N802
        h = self.fontMetrics().height()
        return QSize(int(h * 4.4), int(h * 5.8))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self.sizeHint()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        checked = self.isChecked()
        text_h = self.fontMetrics().height()
        side = min(self.width() - 12, self.height() - text_h - 16)
        face = QRectF((self.width() - side) / 2, 6, side, side)
        if checked:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(pal.color(QPalette.ColorRole.Highlight))
            p.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 12, 12)
        ink = pal.color(QPalette.ColorRole.Text)  # features on the face's Base fill
        label_ink = pal.color(QPalette.ColorRole.HighlightedText if checked
                              else QPalette.ColorRole.WindowText)
        p.setPen(QPen(ink, max(2.0, side / 22)))
        p.setBrush(pal.color(QPalette.ColorRole.Base))
        p.drawEllipse(face)
        eye = side / 14
        p.setBrush(ink)
        for x in (0.35, 0.65):
            p.drawEllipse(QRectF(face.left() + side * x - eye / 2, face.top() + side * 0.36,
                                 eye, eye))
        bend = (self.mood - 0.5) * 2  # -1 frown .. +1 smile
        left = face.left() + side * 0.28
        right = face.right() - side * 0.28
        y = face.top() + side * (0.68 - 0.06 * bend)
        mouth = QPainterPath()
        mouth.moveTo(left, y)
        mouth.quadTo((left + right) / 2, y + side * 0.22 * bend, right, y)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(mouth)
        p.setPen(label_ink)
        p.drawText(QRectF(0, face.bottom() + 4, self.width(), text_h + 6),
                   Qt.AlignmentFlag.AlignCenter, self.text())
        if self.hasFocus():
            p.setPen(QPen(label_ink, 2, Qt.PenStyle.DashLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(QRectF(self.rect()).adjusted(3, 3, -3, -3), 12, 12)
        p.end()


class ScaleItem(RadioItem):
    def values_range(self) -> list[int]:
        return list(range(int(self.item.min), int(self.item.max) + 1))  # type: ignore[arg-type]

    def options(self) -> list[tuple[Any, str]]:
        return [(v, str(v)) for v in self.values_range()]

    def horizontal(self, labels: list[str]) -> bool:
        return True

    def _build_staff(self, layout: QVBoxLayout, labels: list[str]) -> None:
        row = QHBoxLayout()
        for label in labels:
            button = QRadioButton(label, self.body)
            row.addWidget(button)
            self.buttons.append(button)
        row.addStretch(1)
        layout.addLayout(row)
        self._end_labels(layout)

    def _build_child(self, layout: QVBoxLayout, labels: list[str]) -> None:
        """Faces in a row, the end labels under the first and last face."""
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        numbers = self.values_range()
        span = max(numbers[-1] - numbers[0], 1)
        for column, (value, label) in enumerate(zip(self.values, labels, strict=True)):
            if isinstance(value, int):
                button = FaceButton(label, (value - numbers[0]) / span, self.body)
                font = button.font()
                font.setPointSizeF(font.pointSizeF() * CHILD_SCALE)
                button.setFont(font)
                grid.addWidget(button, 0, column, Qt.AlignmentFlag.AlignHCenter)
            else:
                button = child_button(label, self.body)
                button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
                grid.addWidget(button, 0, column + 1, Qt.AlignmentFlag.AlignVCenter)
            self.buttons.append(button)
        for column, text in ((0, self.item.min_label), (len(numbers) - 1, self.item.max_label)):
            if text:
                end = PlainLabel(text, self.body, scale=CHILD_SCALE * 0.75)
                end.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
                end.setMaximumWidth(self.buttons[0].sizeHint().width() + 20)
                grid.addWidget(end, 1, column)
        grid.setColumnStretch(len(self.values) + 1, 1)
        layout.addLayout(grid)

    def _end_labels(self, layout: QVBoxLayout) -> None:
        if not (self.item.min_label or self.item.max_label):
            return
        row = QHBoxLayout()
        scale = CHILD_SCALE * 0.8 if self.child else 0.9
        row.addWidget(PlainLabel(f"{self.item.min:g} = {self.item.min_label or ''}", self.body,
                                 scale=scale))
        row.addStretch(1)
        right = PlainLabel(f"{self.item.max:g} = {self.item.max_label or ''}", self.body,
                           scale=scale)
        right.setAlignment(Qt.AlignmentFlag.AlignRight)
        row.addWidget(right)
        layout.addLayout(row)

    def build(self, layout: QVBoxLayout) -> None:
        super().build(layout)
        for button, value in zip(self.buttons, self.values, strict=True):
            if isinstance(value, int):
                button.setAccessibleName(self._accessible(value))

    def _accessible(self, value: int) -> str:
        ends = {int(self.item.min): self.item.min_label,  # type: ignore[arg-type]
                int(self.item.max): self.item.max_label}  # type: ignore[arg-type]
        end = ends.get(value)
        return f"{value}, {end}" if end else str(value)

    def index_for_digit(self, digit: int) -> int | None:
        """A digit picks that value when the scale lies within 0 to 10 (0 = 10 if no 0)."""
        numbers = self.values_range()
        if numbers[0] >= 0 and numbers[-1] <= 10:
            wanted = 10 if digit == 0 and 0 not in numbers else digit
            return numbers.index(wanted) if wanted in numbers else None
        return None


def scale_fits_buttons(item) -> bool:  # noqa: ANN001
    return item.max - item.min + 1 <= MAX_BUTTONS
