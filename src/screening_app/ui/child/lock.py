"""Who may take the screen back from a child.

``staff_check(ctx)`` is the one place a real password or PIN check slots in: when the
application context offers ``verify_staff(secret) -> bool`` (the security work will add
it), child mode asks for that. Until then, the staff member chooses a short unlock code on
handing the screen over; only a salted hash of it is kept, in memory, for that hand-over.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ..widgets import PlainLabel, heading

StaffCheck = Callable[[str], bool]
MIN_CODE = 4
MAX_FAILURES = 5      # then the unlock field rests for LOCKOUT_MS
LOCKOUT_MS = 30_000


def staff_check(ctx: object) -> StaffCheck | None:
    """The context's staff password/PIN check, when it has one."""
    check = getattr(ctx, "verify_staff", None)
    return check if callable(check) else None


class UnlockCode:
    """A hand-over code held as a salted PBKDF2 hash; ``check`` compares in constant time."""

    def __init__(self, code: str):
        if len(code) < MIN_CODE:
            raise ValueError(f"the code needs at least {MIN_CODE} characters")
        self._salt = os.urandom(16)
        self._digest = self._hash(code)

    def _hash(self, code: str) -> bytes:
        return hashlib.pbkdf2_hmac("sha256", code.encode("utf-8"), self._salt, 100_000)

    def check(self, attempt: str) -> bool:
        return hmac.compare_digest(self._hash(attempt), self._digest)


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

    def unlock_code(self) -> UnlockCode:
        return UnlockCode(self.code.text())
