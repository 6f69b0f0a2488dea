"""One answer from a list: yes/no and single choice (radio buttons; big buttons for a child).

Keys choose by position (1 = the first option, 0 = the tenth, then a, b, c...), shown on key caps
beside each option so that a code such as PHQ's "0" is never confused with key 1.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ...content.models import DECLINED
from ..theme import TICK, fill_when_checked
from ..widgets import button_text
from .base import CHILD_SCALE, KEY_GAP, ItemWidget, key_cap, key_name, position_for_letter
from .wrapping import WrappingRadioButton


def child_button(text: str, parent: QWidget) -> QPushButton:
    """A large toggle button for a child's answer; selected, it is filled (theme.py) and
    carries a tick, so the choice never rests on colour alone."""
    plain = button_text(text)
    button = QPushButton(plain, parent)
    button.setCheckable(True)
    button.toggled.connect(lambda on: button.setText(f"{TICK} {plain}" if on else plain))
    button.setAutoDefault(False)
    font = QFont(button.font())
    font.setPointSizeF(QApplication.font().pointSizeF() * CHILD_SCALE)
    button.setFont(font)
    # Twice the text tall: a large target (about 54 px at 100%), and at 200% three answers
    # and the question still fit a 1366x768 screen without scrolling (walk finding).
    button.setMinimumHeight(int(button.fontMetrics().height() * 2.0))
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    fill_when_checked(button)
    return button


class RadioItem(ItemWidget):
    """Options from ``options()``; "declined" is the last option when the item allows it."""

    declined_in_options = True

    def options(self) -> list[tuple[Any, str]]:
        raise NotImplementedError

    def declined_label(self) -> str:
        return "I'd rather not say" if self.child else "Declined to answer"

    def horizontal(self, labels: list[str]) -> bool:
        return len(labels) <= 4 and sum(len(label) for label in labels) <= 60

    def build(self, layout: QVBoxLayout) -> None:
        options = list(self.options())
        if self.item.declinable:
            options.append((DECLINED, self.declined_label()))
        self.values = [value for value, _ in options]
        labels = [label for _, label in options]
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: list[QAbstractButton] = []
        if self.child:
            self._build_child(layout, labels)
        else:
            self._build_staff(layout, labels)
        for n, (button, label) in enumerate(zip(self.buttons, labels, strict=True)):
            button.setAccessibleName(label)
            button.setAccessibleDescription(self.prompt)
            self.group.addButton(button, n)
        self.group.idClicked.connect(self._clicked)

    def _build_staff(self, layout: QVBoxLayout, labels: list[str]) -> None:
        box = QHBoxLayout() if self.horizontal(labels) else QVBoxLayout()
        box.setSpacing(4)
        for n, label in enumerate(labels, start=1):
            row = QHBoxLayout()
            row.setSpacing(KEY_GAP)
            if key_name(n - 1):
                row.addWidget(key_cap(n - 1, self.body), 0, Qt.AlignmentFlag.AlignTop)
            button = WrappingRadioButton(button_text(label), self.body)
            row.addWidget(button, 1 if isinstance(box, QVBoxLayout) else 0)
            if isinstance(box, QHBoxLayout):
                row.addSpacing(18)
            box.addLayout(row)
            self.buttons.append(button)
        if isinstance(box, QHBoxLayout):
            box.addStretch(1)
        layout.addLayout(box)

    def _build_child(self, layout: QVBoxLayout, labels: list[str]) -> None:
        grid = QGridLayout()
        grid.setSpacing(12)
        buttons = [child_button(label, self.body) for label in labels]
        # Three across only when three of the widest fit on the screen (child mode is full
        # screen); otherwise one under another, so nothing runs off at 200% text.
        widest = max(b.sizeHint().width() for b in buttons)
        screen = (self.screen() or QApplication.primaryScreen()).availableGeometry().width()
        across = 3 if self.horizontal(labels) and 3 * (widest + 24) <= screen - 120 else 1
        for n, button in enumerate(buttons):
            grid.addWidget(button, n // across, n % across)
            self.buttons.append(button)
        layout.addLayout(grid)

    def _clicked(self, index: int) -> None:
        self.give(self.values[index])

    def show_value(self, value: Any) -> None:
        index = next((n for n, v in enumerate(self.values) if str(v) == str(value)), None)
        if index is None:
            self.group.setExclusive(False)
            for button in self.buttons:
                button.setChecked(False)
            self.group.setExclusive(True)
        else:
            self.buttons[index].setChecked(True)

    def index_for_digit(self, digit: int) -> int | None:
        index = 9 if digit == 0 else digit - 1
        return index if index < len(self.values) else None

    def choose_number(self, digit: int) -> bool:
        return self.choose_position(self.index_for_digit(digit))

    def choose_letter(self, letter: int) -> bool:
        if self.child or type(self).index_for_digit is not RadioItem.index_for_digit:
            return False  # scales are answered by their numbers only
        return self.choose_position(position_for_letter(letter))

    def choose_position(self, index: int | None) -> bool:
        if index is None or index >= len(self.buttons) or not self.buttons[index].isEnabled():
            return False
        self.buttons[index].setChecked(True)
        self.buttons[index].setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.give(self.values[index])
        return True

    def focus_first(self) -> None:
        button = self.group.checkedButton() or self.buttons[0]
        button.setFocus(Qt.FocusReason.TabFocusReason)

    def set_controls_enabled(self, enabled: bool) -> None:
        for button in self.buttons:
            button.setEnabled(enabled)


class YesNoItem(RadioItem):
    def options(self) -> list[tuple[Any, str]]:
        return [("yes", "Yes"), ("no", "No")]


class SingleChoiceItem(RadioItem):
    def options(self) -> list[tuple[Any, str]]:
        return [(o.code, (o.child_label or o.label) if self.child else o.label)
                for o in self.item.options]
