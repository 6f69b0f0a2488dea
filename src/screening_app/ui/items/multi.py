"""Any number of options: check boxes (big toggle buttons for a child).

Unticking every box takes the answer back (unanswered), rather than saving "none": content
that needs an explicit "none of these" has it as an option.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QCheckBox, QGridLayout, QHBoxLayout, QVBoxLayout

from ..widgets import button_text
from .base import ItemWidget
from .choice import child_button, key_cap


class MultiChoiceItem(ItemWidget):
    advance_after_key = False  # several may be ticked: a key press stays on this question

    def build(self, layout: QVBoxLayout) -> None:
        self.codes = [o.code for o in self.item.options]
        labels = [(o.child_label or o.label) if self.child else o.label
                  for o in self.item.options]
        self.buttons: list[QAbstractButton] = []
        grid = QGridLayout()
        for n, label in enumerate(labels):
            if self.child:
                button = child_button(label, self.body)
                grid.addWidget(button, n // 2, n % 2)
            else:
                button = QCheckBox(button_text(label), self.body)
                row = QHBoxLayout()
                if n < 10:
                    row.addWidget(key_cap(n + 1, self.body))
                row.addWidget(button)
                row.addStretch(1)
                grid.addLayout(row, n, 0)
            button.setAccessibleName(label)
            button.setAccessibleDescription(self.prompt)
            button.clicked.connect(self._changed)
            self.buttons.append(button)
        layout.addLayout(grid)

    def checked_codes(self) -> list[str]:
        return [c for c, b in zip(self.codes, self.buttons, strict=True) if b.isChecked()]

    def current_input(self) -> list[str] | None:
        return self.checked_codes() or None

    def _changed(self) -> None:
        codes = self.checked_codes()
        if codes:
            self.give(codes)
        else:
            self.take_back()

    def show_value(self, value: object) -> None:
        chosen = set(value) if isinstance(value, list) else set()
        for code, button in zip(self.codes, self.buttons, strict=True):
            button.setChecked(code in chosen)

    def choose_number(self, digit: int) -> bool:
        index = 9 if digit == 0 else digit - 1
        if index >= len(self.buttons) or not self.buttons[index].isEnabled():
            return False
        button = self.buttons[index]
        button.setChecked(not button.isChecked())
        button.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._changed()
        return True

    def focus_first(self) -> None:
        self.buttons[0].setFocus(Qt.FocusReason.TabFocusReason)

    def set_controls_enabled(self, enabled: bool) -> None:
        for button in self.buttons:
            button.setEnabled(enabled)
