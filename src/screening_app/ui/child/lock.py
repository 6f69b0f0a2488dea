"""Handing the screen to a child on a development database: the staff member chooses the
code that takes it back. The policy (hashing, retries, resting) is the application layer's
(``screening_app.app.handback``); signed in, the staff password is asked for instead.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ...app.handback import MIN_CODE
from ..widgets import PlainLabel, heading


class SetCodeDialog(QDialog):
    """The staff member chooses the code that will take the screen back."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Hand the screen to the child")
        self.setModal(True)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Hand the screen to the child", 2, self))
        layout.addWidget(PlainLabel(
            "The child will see only their own questions, in large print. Choose a code "
            f"(at least {MIN_CODE} characters) that you will type to take the screen back. "
            "Do not let the child see it.", self))
        form = QFormLayout()
        self.code = QLineEdit(self)
        self.code.setEchoMode(QLineEdit.EchoMode.Password)
        self.code.setAccessibleName("Unlock code")
        self.again = QLineEdit(self)
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.again.setAccessibleName("Unlock code again")
        for text, field in (("Unlock code", self.code), ("Type it again", self.again)):
            label = PlainLabel(text, self, wrap=False)
            label.setBuddy(field)
            form.addRow(label, field)
        layout.addLayout(form)
        self.problem = PlainLabel("", self)
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Hand over")
        self.ok.setAccessibleName("Hand over to the child")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.code.textChanged.connect(self._check)
        self.again.textChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        code, again = self.code.text(), self.again.text()
        problem = ""
        if len(code) < MIN_CODE:
            problem = f"The code needs at least {MIN_CODE} characters."
        elif again and again != code:
            problem = "The two codes are different."
        self.problem.setText(problem if code else "")
        self.ok.setEnabled(not problem and again == code)
