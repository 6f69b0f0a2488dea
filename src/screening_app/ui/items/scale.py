"""A whole-number scale: a row of values for staff, a picture scale of faces for a child.

The faces run from sad at the lowest value to happy at the highest; that is the convention
for child-facing scales in the content ("1 = really bad, 5 = really good"). The number and
the end labels are shown too, so the picture is never the only cue.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractButton,
    QGridLayout,
    QHBoxLayout,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..theme import TICK
from ..widgets import PlainLabel
from .base import CHILD_SCALE
from .choice import RadioItem, child_button
from .wrapping import WrappingRadioButton

MAX_BUTTONS = 11


class FaceButton(QAbstractButton):
    """A face whose mouth runs from a frown (``mood`` 0) to a smile (``mood`` 1).

    Neighbouring faces differ in more than the mouth's bend: the saddest has sloping brows,
    the happiest an open smile, and each has its own tint. Selected: filled with the accent,
    with a tick. Focus: the app's ring in the focus colour, never a fill, so it never looks
    chosen.
    """

    def __init__(self, text: str, mood: float, parent: QWidget | None = None):
        super().__init__(parent)
        self.setText(text)
        self.mood = mood
        self.setCheckable(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def sizeHint(self) -> QSize:  # noqa: N802
        h = self.fontMetrics().height()
        return QSize(int(h * 4.4), int(h * 5.8))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        h = self.fontMetrics().height()  # faces shrink before the window must grow
        return QSize(int(h * 2.6), int(h * 3.8))

    def _tint(self, dark: bool) -> QColor:
        """Red-ish at the sad end to green-ish at the happy end, soft enough for the ink."""
        hue = int(self.mood * 120)  # 0 red .. 120 green
        return QColor.fromHsl(hue, 90, 70 if dark else 215)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        from ..theme import design_colours, is_dark

        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        colours = design_colours(pal)
        dark = is_dark(pal)
        checked = self.isChecked()
        text_h = self.fontMetrics().height()
        ring = max(3.0, text_h / 8)
        side = max(8.0, min(self.width() - 2 * ring - 8, self.height() - text_h - 2 * ring - 10))
        face = QRectF((self.width() - side) / 2, ring + 4, side, side)
        outline = QRectF(self.rect()).adjusted(ring / 2, ring / 2, -ring / 2, -ring / 2)
        if checked:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(colours["accent"])
            p.drawRoundedRect(outline, 12, 12)
        ink = QColor("#1b1c1f")  # features on the face's own light tint
        label_ink = colours["on_accent"] if checked else pal.color(QPalette.ColorRole.WindowText)
        p.setPen(QPen(ink, max(2.0, side / 22)))
        p.setBrush(self._tint(False) if not dark else self._tint(False).darker(105))
        p.drawEllipse(face)
        eye = side / 12
        p.setBrush(ink)
        for x in (0.35, 0.65):
            p.drawEllipse(QRectF(face.left() + side * x - eye / 2, face.top() + side * 0.36,
                                 eye, eye))
        bend = (self.mood - 0.5) * 2  # -1 frown .. +1 smile
        if bend <= -0.99:  # the saddest face: brows sloping up to the middle
            for x0, x1 in ((0.24, 0.42), (0.76, 0.58)):
                p.drawLine(int(face.left() + side * x0), int(face.top() + side * 0.30),
                           int(face.left() + side * x1), int(face.top() + side * 0.22))
        left = face.left() + side * 0.26
        right = face.right() - side * 0.26
        y = face.top() + side * (0.68 - 0.08 * bend)
        mouth = QPainterPath()
        mouth.moveTo(left, y)
        mouth.quadTo((left + right) / 2, y + side * 0.30 * bend, right, y)
        if bend >= 0.99:  # the happiest face: an open smile
            mouth.closeSubpath()
            p.setBrush(ink)
        else:
            p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(mouth)
        p.setPen(label_ink)
        label = (f"{TICK} " if checked else "") + self.text()
        p.drawText(QRectF(0, face.bottom() + 4, self.width(), text_h + 6),
                   Qt.AlignmentFlag.AlignCenter, label)
        p.end()  # focus: the app's one ring (theme.FocusRing), never a fill


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
            button = WrappingRadioButton(label, self.body)
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
                grid.addWidget(button, 0, column)
            else:  # "I'd rather not say" on its own row, under the faces
                button = child_button(label, self.body)
                button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
                grid.addWidget(button, 2, 0, 1, len(numbers), Qt.AlignmentFlag.AlignLeft)
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
