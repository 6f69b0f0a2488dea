"""Any number of options: check boxes (big toggle buttons for a child).

Unticking every box takes the answer back (unanswered), rather than saving "none": content
that needs an explicit "none of these" has it as an option.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QGridLayout, QHBoxLayout, QVBoxLayout

from ..widgets import button_text
from .base import KEY_GAP, ItemWidget, key_cap, key_name, position_for_letter
from .choice import child_button
from .wrapping import WrappingCheckBox


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
                button = WrappingCheckBox(button_text(label), self.body)
                row = QHBoxLayout()
                row.setSpacing(KEY_GAP)
                if key_name(n):
                    row.addWidget(key_cap(n, self.body), 0, Qt.AlignmentFlag.AlignTop)
                row.addWidget(button, 1)
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
        return self.choose_position(9 if digit == 0 else digit - 1)

    def choose_letter(self, letter: int) -> bool:
        return not self.child and self.choose_position(position_for_letter(letter))

    def declined_position(self) -> int | None:
        return None if self.child else len(self.item.options)

    def choose_position(self, index: int) -> bool:
        if index == len(self.buttons) and self.declined_box is not None \
                and self.declined_box.isEnabled():
            self.declined_box.click()
            return True
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
