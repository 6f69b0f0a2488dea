"""Signing in, first-run set-up, the lock screen and the idle lock, for the desktop app.

The rules live in the application layer (``screening_app.app``, no Qt); these are the
screens, and each slow step (Argon2, encrypting the database) runs off the GUI thread:

* :class:`FirstRunDialog` — a database nobody has set up: the first administrator's name,
  team and password (twice), then :class:`RecoveryKeyDialog` shows the recovery key once;
* :class:`SignInDialog` — name and password, one sentence when they are wrong or locked;
* :class:`LockPage` — what the window shows while locked: no child data at all, only who
  locked it and the fields to unlock (as them, or as someone else);
* :class:`SignedOutPage` — what the window shows after Sign out: no records, a way to sign in;
* :class:`IdleWatcher` — watches keyboard and mouse use across the app and says when the
  idle deadline (:class:`~screening_app.security.idle.IdleDeadline`) has passed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from ..app import Entry, OpenAssessment

from ..app import IdleDeadline, StoreError
from .background import run_in_background
from .theme import set_primary
from .widgets import PlainLabel, heading

USE_EVENTS = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress,
                        QEvent.Type.MouseMove, QEvent.Type.Wheel, QEvent.Type.TouchBegin,
                        QEvent.Type.InputMethod})


def _password_field(parent: QWidget, name: str) -> QLineEdit:
    field = QLineEdit(parent)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    return field


def _form(parent: QWidget, rows: list[tuple[str, QWidget]]) -> QFormLayout:
    form = QFormLayout()
    for text, field in rows:
        label = PlainLabel(text, parent, wrap=False)
        label.setBuddy(field)
        form.addRow(label, field)
    return form


def sentence(text: str) -> str:
    """A message from the core as a sentence: a capital first letter (defect 30)."""
    return text[:1].upper() + text[1:]


def roomy(dialog: QDialog, characters: int = 56) -> None:
    """Wide enough that titles and fields do not wrap or cramp; grows with the text."""
    dialog.setMinimumWidth(dialog.fontMetrics().averageCharWidth() * characters)


class SignInDialog(QDialog):
    """Name and password. ``attempt(name, password)`` raises a StoreError whose text is
    shown as it is; on success the dialog is accepted and ``result_value`` holds the result."""

    def __init__(self, attempt: Callable[[str, str], object], *, name: str = "",
                 where: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.attempt = attempt
        self.result_value: object = None
        self.setWindowTitle("Sign in to Heard")
        self.setModal(True)
        roomy(self)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Sign in", 2, self))
        if where:
            layout.addWidget(PlainLabel(f"Database: {where}", self))
        self.name = QLineEdit(name, self)
        self.name.setAccessibleName("User name")
        self.password = _password_field(self, "Password")
        layout.addLayout(_form(self, [("User name", self.name), ("Password", self.password)]))
        self.message = PlainLabel("", self)
        self.message.setObjectName("sign-in-message")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Sign in")
        self.ok.setAccessibleName("Sign in")
        set_primary(self.ok)
        buttons.accepted.connect(self.try_sign_in)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        (self.password if name else self.name).setFocus()

    def try_sign_in(self) -> None:
        name, password = self.name.text().strip(), self.password.text()
        self.ok.setEnabled(False)
        self.message.setText("Signing in…")
        run_in_background(lambda: self.attempt(name, password), self._signed_in,
                          self._refused)

    def _signed_in(self, value: object) -> None:
        self.result_value = value
        self.password.clear()
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self.ok.setEnabled(True)
        if not isinstance(exc, StoreError):
            raise exc  # the excepthook logs it and shows one sentence
        self.message.setText(sentence(str(exc)))
        self.password.clear()
        self.password.setFocus()


class FirstRunDialog(QDialog):
    """Set up a database that nobody has set up: its first administrator."""

    def __init__(self, setup: Callable[[str, str, str], object], *, where: str = "",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setup = setup
        self.result_value: object = None
        self.setWindowTitle("Set up Heard")
        self.setModal(True)
        roomy(self, 64)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Set up Heard on this computer", 2, self))
        layout.addWidget(PlainLabel(
            "The records will be encrypted. Choose who will manage users: they sign in with "
            "this name and password. Use at least 12 characters; three random words make a "
            "good password." + (f" Database: {where}" if where else ""), self))
        self.name = QLineEdit(self)
        self.name.setAccessibleName("Administrator's name")
        self.team = QLineEdit("Default team", self)
        self.team.setAccessibleName("Team")
        self.password = _password_field(self, "Password")
        self.again = _password_field(self, "Password again")
        layout.addLayout(_form(self, [("Administrator's name", self.name), ("Team", self.team),
                                      ("Password", self.password),
                                      ("Type it again", self.again)]))
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)  # busy: set-up reports no steps
        self.progress.setAccessibleName("Setting up")
        self.progress.hide()
        layout.addWidget(self.progress)
        self.message = PlainLabel("", self)
        self.message.setObjectName("first-run-message")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Set up")
        self.ok.setAccessibleName("Set up")
        set_primary(self.ok)
        buttons.accepted.connect(self.try_setup)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.name.setFocus()

    def try_setup(self) -> None:
        if self.password.text() != self.again.text():
            self.message.setText("The two passwords are different.")
            return
        name, team, password = (self.name.text().strip(), self.team.text().strip(),
                                self.password.text())
        self.ok.setEnabled(False)
        self.progress.show()
        self.message.setText("Encrypting the database and creating the administrator…")
        run_in_background(lambda: self.setup(name, team, password), self._set_up,
                          self._refused)

    def _set_up(self, value: object) -> None:
        self.progress.hide()
        self.result_value = value
        self.password.clear()
        self.again.clear()
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self.progress.hide()
        self.ok.setEnabled(True)
        if not isinstance(exc, StoreError):
            raise exc  # the excepthook logs it and shows one sentence
        self.message.setText(sentence(str(exc)))


class RecoveryKeyDialog(QDialog):
    """The recovery key, shown once; the button waits until the box is ticked."""

    def __init__(self, key: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Recovery key")
        self.setModal(True)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Write down the recovery key", 2, self))
        layout.addWidget(PlainLabel(
            "It is shown only now and is not stored anywhere. With it, a new password can be "
            "given when every administrator's password is lost; without it, the records "
            "cannot be opened again. Keep it sealed, away from this computer (for example "
            "with your Caldicott Guardian).", self))
        self.key = PlainLabel(key, self, scale=1.3, bold=True)
        self.key.setObjectName("recovery-key")
        self.key.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.key)
        # Not "self.done": that would hide QDialog.done(), and the dialog would never close.
        self.written_down = QCheckBox("I have written the recovery key down", self)
        layout.addWidget(self.written_down)
        self.ok = QPushButton("Continue", self)
        set_primary(self.ok)
        self.ok.setEnabled(False)
        self.ok.clicked.connect(self.accept)
        self.written_down.toggled.connect(self.ok.setEnabled)
        layout.addWidget(self.ok)


class LockPage(QWidget):
    """The locked window: no child data, only the way back in."""

    unlock_requested = Signal(str, str)  # name, password

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        # The form keeps a readable width on a wide screen, centred (defect 30).
        self.setMaximumWidth(self.fontMetrics().averageCharWidth() * 80)
        layout.addStretch(1)
        layout.addWidget(heading("Heard is locked", 1, self))
        self.who = PlainLabel("", self)
        self.who.setObjectName("lock-who")
        layout.addWidget(self.who)
        self.name = QLineEdit(self)
        self.name.setAccessibleName("User name")
        self.password = _password_field(self, "Password")
        self.password.returnPressed.connect(self._unlock)
        layout.addLayout(_form(self, [("User name", self.name), ("Password", self.password)]))
        row = QHBoxLayout()
        self.button = QPushButton("Unlock", self)
        self.button.setAccessibleName("Unlock")
        self.button.setAutoDefault(True)
        set_primary(self.button)
        self.button.clicked.connect(self._unlock)
        row.addWidget(self.button)
        row.addStretch(1)
        layout.addLayout(row)
        self.message = PlainLabel("", self)
        self.message.setObjectName("unlock-message")
        layout.addWidget(self.message)
        layout.addStretch(2)

    def show_locked(self, name: str) -> None:
        self.who.setText(f"Locked by {name}. Their work is saved. To go on, {name} types "
                         f"their password. Someone else can sign in instead: {name}'s draft "
                         f"stays saved and is closed.")
        self.name.setText(name)
        self.password.clear()
        self.message.setText("")
        self.password.setFocus()

    def set_busy(self, busy: bool) -> None:
        for widget in (self.name, self.password, self.button):
            widget.setEnabled(not busy)
        if busy:
            self.message.setText("Unlocking…")

    def show_failure(self, message: str) -> None:
        self.message.setText(sentence(message))
        self.password.clear()
        self.password.setFocus()

    def _unlock(self) -> None:
        self.unlock_requested.emit(self.name.text().strip(), self.password.text())


class SignedOutPage(QWidget):
    """What the window shows once someone has signed out: no records, only the way back
    in (the same sign-in as at start-up)."""

    sign_in_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.setMaximumWidth(self.fontMetrics().averageCharWidth() * 80)
        layout.addStretch(1)
        layout.addWidget(heading("Nobody is signed in", 1, self))
        self.message = PlainLabel("", self)
        self.message.setObjectName("signed-out-message")
        layout.addWidget(self.message)
        row = QHBoxLayout()
        self.button = QPushButton("Sign in…", self)
        self.button.setAccessibleName("Sign in")
        self.button.clicked.connect(lambda: self.sign_in_requested.emit())
        row.addWidget(self.button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)

    def show_signed_out(self, name: str) -> None:
        self.message.setText(f"{name} signed out. Their work is saved. The next person "
                             f"signs in with their own name and password.")
        self.button.setFocus()

    def show_message(self, message: str) -> None:
        self.message.setText(message)


class IdleWatcher(QObject):
    """Application-wide: any key, click or pointer movement pushes the deadline back;
    ``idle`` fires once when it passes (checked every second, on the wall clock)."""

    idle = Signal()

    def __init__(self, minutes: float, parent: QObject | None = None,
                 deadline: IdleDeadline | None = None):
        super().__init__(parent)
        self.deadline = deadline or IdleDeadline(minutes)
        self.active = True
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.check)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if self.active and event.type() in USE_EVENTS:
            self.deadline.touch()
        return False

    def check(self) -> None:
        if self.active and self.deadline.expired():
            self.active = False
            self.idle.emit()

    def restart(self, minutes: float | None = None) -> None:
        if minutes is not None:
            self.deadline.set_minutes(minutes)
        else:
            self.deadline.touch()
        self.active = True

    def stop(self) -> None:
        self.active = False
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


# -- a record's audit trail (supervisors of its team, administrators) -------------------------
def trail_allowed(assessment: OpenAssessment) -> bool:
    return assessment.ws.may_see_trail(assessment.record.team)


def describe_entry(entry: Entry) -> str:
    detail = ", ".join(f"{k} {v}" for k, v in sorted(entry.detail_dict().items()))
    why = f" — because: {entry.reason}" if entry.reason else ""
    role = f" ({entry.role})" if entry.role else ""
    return (f"{entry.at[:19].replace('T', ' ')} UTC  {entry.actor}{role} at {entry.terminal}: "
            f"{entry.action}{why}{'  [' + detail + ']' if detail else ''}")


class AuditTrailDialog(QDialog):
    """Who did what to this record, when, from where and why (reading it is audited)."""

    def __init__(self, lines: list[str], parent: QWidget | None = None):
        from PySide6.QtWidgets import QPlainTextEdit

        super().__init__(parent)
        self.setWindowTitle("Audit trail of this record")
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Audit trail of this record", 2, self))
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setAccessibleName("Audit trail entries")
        self.text.setPlainText("\n".join(lines) or "No entries.")
        layout.addWidget(self.text, 1)
        close = QPushButton("Close", self)
        close.clicked.connect(self.accept)
        layout.addWidget(close)
        self.resize(900, 500)


def record_trail_lines(assessment: OpenAssessment) -> list[str]:
    return [describe_entry(e) for e in assessment.ws.record_trail(assessment.id)]
