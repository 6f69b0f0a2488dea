"""Radio buttons and check boxes whose text wraps (Qt's own never wrap, so a long option
ran off a 1366-px window at 200% text). The indicator and the focus ring are the style's;
only the text is laid out here, over as many lines as the width allows."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QRadioButton,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QWidget,
)

_FLAGS = int(Qt.TextFlag.TextWordWrap | Qt.TextFlag.TextShowMnemonic
             | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
MIN_CHARACTERS = 16  # the narrowest an option gets before the page must scroll


class _Wrapping:
    """Mixed into QRadioButton / QCheckBox."""

    _indicator: QStyle.SubElement

    def _setup(self) -> None:
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)  # type: ignore[attr-defined]

    def _option(self) -> QStyleOptionButton:
        option = QStyleOptionButton()
        self.initStyleOption(option)  # type: ignore[attr-defined]
        option.text = ""
        return option

    def _frame(self) -> tuple[int, int, int]:
        """(text's left edge, padding right, padding top/bottom) from the style."""
        option = self._option()
        style = self.style()  # type: ignore[attr-defined]
        indicator = style.subElementRect(self._indicator, option, self)
        gap = style.pixelMetric(QStyle.PixelMetric.PM_RadioButtonLabelSpacing, option, self)
        bare = super().sizeHint()  # type: ignore[misc]
        one_line = self.fontMetrics().height()  # type: ignore[attr-defined]
        vertical = max(0, (bare.height() - max(one_line, indicator.height())) // 2)
        left = indicator.right() + 1 + gap
        return left, max(vertical, 2), vertical

    def _text_size(self, width: int) -> QSize:
        rect = self.fontMetrics().boundingRect(  # type: ignore[attr-defined]
            QRect(0, 0, max(width, 1), 100_000), _FLAGS, self.text())  # type: ignore[attr-defined]
        return rect.size()

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        left, right, vertical = self._frame()
        text = self._text_size(width - left - right)
        indicator = self.style().subElementRect(  # type: ignore[attr-defined]
            self._indicator, self._option(), self).height()
        return max(text.height(), indicator) + 2 * vertical

    def sizeHint(self) -> QSize:  # noqa: N802
        left, right, _ = self._frame()
        natural = self.fontMetrics().horizontalAdvance(  # type: ignore[attr-defined]
            self.text().replace("&&", "&"))  # type: ignore[attr-defined]
        width = left + natural + right + 2
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        left, right, _ = self._frame()
        chars = self.fontMetrics().averageCharWidth() * MIN_CHARACTERS  # type: ignore[attr-defined]
        width = min(self.sizeHint().width(), left + chars + right)
        return QSize(width, self.heightForWidth(width))

    def hitButton(self, pos: QPoint) -> bool:  # noqa: N802
        return self.rect().contains(pos)  # type: ignore[attr-defined]

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)  # type: ignore[arg-type]
        style = self.style()  # type: ignore[attr-defined]
        option = self._option()
        control = (QStyle.ControlElement.CE_RadioButton
                   if self._indicator == QStyle.SubElement.SE_RadioButtonIndicator
                   else QStyle.ControlElement.CE_CheckBox)
        style.drawControl(control, option, painter, self)
        left, right, vertical = self._frame()
        area = QRect(left, vertical, self.width() - left - right,  # type: ignore[attr-defined]
                     self.height() - 2 * vertical)  # type: ignore[attr-defined]
        style.drawItemText(painter, area, _FLAGS, self.palette(),  # type: ignore[attr-defined]
                           self.isEnabled(), self.text(),  # type: ignore[attr-defined]
                           QPalette.ColorRole.WindowText)
        painter.end()


class WrappingRadioButton(_Wrapping, QRadioButton):
    _indicator = QStyle.SubElement.SE_RadioButtonIndicator

    def __init__(self, text: str, parent: QWidget | None = None):
        super().__init__(text, parent)
        self._setup()


class WrappingCheckBox(_Wrapping, QCheckBox):
    _indicator = QStyle.SubElement.SE_CheckBoxIndicator

    def __init__(self, text: str, parent: QWidget | None = None):
        super().__init__(text, parent)
        self._setup()
