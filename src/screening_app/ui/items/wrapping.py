"""Radio buttons and check boxes for answers: their text wraps (Qt's own never wrap, so a long
option ran off a 1366-px window at 200% text), and their indicator is the design's (theme.py):
as tall as the text, filled with the accent and a tick when chosen. The focus ring is the
app's one ring (theme.FocusRing)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QCheckBox, QRadioButton, QSizePolicy, QWidget

from ..theme import indicator_side, paint_indicator, sizes

_FLAGS = int(Qt.TextFlag.TextWordWrap | Qt.TextFlag.TextShowMnemonic
             | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
MIN_CHARACTERS = 16  # the narrowest an option gets before the page must scroll


class _Wrapping:
    """Mixed into QRadioButton / QCheckBox."""

    _round = True  # a radio circle; False: a check box

    def _setup(self) -> None:
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)  # type: ignore[attr-defined]

    def _frame(self) -> tuple[int, int, int, int]:
        """(indicator's side, text's left edge, padding right, padding top/bottom)."""
        unit = sizes().unit
        side = indicator_side(self.fontMetrics().height())  # type: ignore[attr-defined]
        # The indicator's outer edge on the widget's left edge, in line with the fields and
        # key caps above and below it (walk finding: the declined box stood out of line).
        across, down = max(1, round(side / 18)), max(2, unit // 4)
        return side, across + side + unit, across, down

    def _text_size(self, width: int) -> QSize:
        rect = self.fontMetrics().boundingRect(  # type: ignore[attr-defined]
            QRect(0, 0, max(width, 1), 100_000), _FLAGS, self.text())  # type: ignore[attr-defined]
        return rect.size()

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        side, left, right, down = self._frame()
        text = self._text_size(width - left - right)
        return max(text.height(), side) + 2 * down

    def sizeHint(self) -> QSize:  # noqa: N802
        _, left, right, _ = self._frame()
        natural = self.fontMetrics().horizontalAdvance(  # type: ignore[attr-defined]
            self.text().replace("&&", "&"))  # type: ignore[attr-defined]
        width = left + natural + right + 2
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        _, left, right, _ = self._frame()
        chars = self.fontMetrics().averageCharWidth() * MIN_CHARACTERS  # type: ignore[attr-defined]
        width = min(self.sizeHint().width(), left + chars + right)
        return QSize(width, self.heightForWidth(width))

    def hitButton(self, pos: QPoint) -> bool:  # noqa: N802
        return self.rect().contains(pos)  # type: ignore[attr-defined]

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        side, left, right, down = self._frame()
        painter = QPainter(self)  # type: ignore[arg-type]
        palette: QPalette = self.palette()  # type: ignore[attr-defined]
        # The indicator beside the first line of the text, however many lines it wraps to.
        first_line = max(side, self.fontMetrics().height())  # type: ignore[attr-defined]
        paint_indicator(painter, QRectF(left - sizes().unit - side, down, side, first_line),
                        palette, round_=self._round,
                        checked=self.isChecked(),  # type: ignore[attr-defined]
                        enabled=self.isEnabled())  # type: ignore[attr-defined]
        area = QRect(left, down, self.width() - left - right,  # type: ignore[attr-defined]
                     self.height() - 2 * down)  # type: ignore[attr-defined]
        group = QPalette.ColorGroup.Normal if self.isEnabled() \
            else QPalette.ColorGroup.Disabled  # type: ignore[attr-defined]
        painter.setPen(palette.color(group, QPalette.ColorRole.WindowText))
        painter.drawText(area, _FLAGS, self.text())  # type: ignore[attr-defined]
        painter.end()


class WrappingRadioButton(_Wrapping, QRadioButton):
    def __init__(self, text: str, parent: QWidget | None = None):
        super().__init__(text, parent)
        self._setup()


class WrappingCheckBox(_Wrapping, QCheckBox):
    _round = False

    def __init__(self, text: str, parent: QWidget | None = None):
        super().__init__(text, parent)
        self._setup()
