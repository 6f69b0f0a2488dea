"""The screen a child answers on: their questions only, one at a time, in large print.

Nothing else is on screen: no reference, no flags, no staff notes or guidance. The child
can finish at any time; taking the screen back needs the staff member's password (signed
in) or hand-over code, by the application layer's policy (``Workspace.hand_to_child``:
retries, resting after too many). If an answer raises
an act-now flag, the child is thanked and asked to hand the screen back at once; the flag
interrupts the staff member as soon as they unlock.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ...app import Changes, ChildHandover, HandbackAttempt, OpenAssessment
from .. import plan
from ..background import run_in_background
from ..items import ItemWidget, create_item_widget
from ..saver import AnswerSaver
from ..theme import set_primary
from ..widgets import PlainLabel

BIG = 1.6


class BigButton(QPushButton):
    """Back and Next for a child: large, and larger again when the text size grows."""

    def __init__(self, text: str, parent: QWidget | None = None):
        super().__init__(text, parent)
        self._grow()

    def _grow(self) -> None:
        font = QFont(self.font())
        font.setPointSizeF(QApplication.font().pointSizeF() * BIG)
        self.setFont(font)
        height = self.fontMetrics().height()
        self.setMinimumHeight(int(height * 2))
        self.setMinimumWidth(int(self.fontMetrics().horizontalAdvance(self.text()) + height * 2))

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ApplicationFontChange:
            self._grow()
        return super().event(event)


def big_button(text: str, parent: QWidget, name: str) -> QPushButton:
    button = BigButton(text, parent)
    button.setAccessibleName(name)
    button.setAutoDefault(True)
    return button


class UnlockPanel(QWidget):
    """For the staff member: the code (or password) that ends child mode."""

    unlocked = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.handover: ChildHandover | None = None
        self.checking = False
        layout = QVBoxLayout(self)
        self.prompt = PlainLabel("For staff: type your code to take the screen back.", self)
        layout.addWidget(self.prompt)
        row = QHBoxLayout()
        self.field = QLineEdit(self)
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setAccessibleName("Staff unlock code")
        self.field.returnPressed.connect(self.try_unlock)
        row.addWidget(self.field, 1)
        self.button = QPushButton("Unlock", self)
        self.button.setAccessibleName("Unlock for staff")
        self.button.setAutoDefault(True)
        self.button.clicked.connect(self.try_unlock)
        row.addWidget(self.button)
        layout.addLayout(row)
        self.message = PlainLabel("", self)
        self.message.setObjectName("unlock-message")
        layout.addWidget(self.message)

    def reset(self, handover: ChildHandover) -> None:
        self.handover = handover
        self.prompt.setText(handover.prompt)
        self.field.clear()
        self.message.setText("")
        self._enable(True)

    def try_unlock(self) -> None:
        """The check (a password is Argon2: a moment) runs off the GUI thread."""
        handover = self.handover
        if handover is None or self.checking or not self.field.isEnabled():
            return
        secret = self.field.text()
        self.checking = True
        self._enable(False)
        run_in_background(lambda: handover.attempt(secret), self._checked, self._failed)

    def _checked(self, outcome: HandbackAttempt) -> None:
        self.checking = False
        self.message.setText(outcome.message)
        if outcome.accepted:
            self.field.clear()  # stays disabled until the next hand-over (reset)
            self.unlocked.emit()
        elif outcome.wait_seconds:
            self.field.clear()
            QTimer.singleShot(outcome.wait_seconds * 1000, self, lambda: self._enable(True))
        else:
            self._enable(True)

    def _failed(self, exc: BaseException) -> None:
        self.checking = False
        self._enable(True)
        self.message.setText("The check could not be made just now. Try again.")
        raise exc  # the excepthook logs it

    def _enable(self, on: bool) -> None:
        self.field.setEnabled(on)
        self.button.setEnabled(on)
        if on:
            if self.message.text().startswith("Too many"):
                self.message.setText("")
            # Disabling the field during the check took the focus away: give it back, the
            # wrong code selected so that typing the right one replaces it.
            if self.isVisible():
                self.field.setFocus(Qt.FocusReason.OtherFocusReason)
                self.field.selectAll()


class ChildModePage(QWidget):
    unlocked = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("child-mode")
        self.assessment: OpenAssessment | None = None
        self.saver: AnswerSaver | None = None
        self.items: list = []
        self.index = 0
        self.widget: ItemWidget | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        self.header = PlainLabel("Your turn", self, scale=2.2, bold=True)
        layout.addWidget(self.header)
        self.counter = PlainLabel("", self, scale=BIG)
        layout.addWidget(self.counter)
        # Progress through the child's own questions only. Its total is every child
        # question the pathway could ask that staff have not answered, so it never jumps
        # back (branching skips ahead).
        self.progress = QProgressBar(self)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName("How far through your questions")
        layout.addWidget(self.progress)
        self._possible: list[tuple[str, str]] = []
        self._first: tuple[str, str] | None = None  # the child's first question
        self.stack = QStackedWidget(self)
        layout.addWidget(self.stack, 1)

        # The question scrolls rather than squeezing its faces and buttons on a small screen.
        self.question_scroll = QScrollArea(self)
        self.question_scroll.setWidgetResizable(True)
        self.question_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.question_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.question_area = QWidget(self.question_scroll)
        self.question_layout = QVBoxLayout(self.question_area)
        self.question_layout.setContentsMargins(0, 12, 0, 12)
        self.question_scroll.setWidget(self.question_area)
        self.stack.addWidget(self.question_scroll)

        self.end_area = QWidget(self)
        end_layout = QVBoxLayout(self.end_area)
        self.end_message = PlainLabel("", self.end_area, scale=2.0, bold=True)
        end_layout.addWidget(self.end_message)
        end_layout.addStretch(1)
        self.stack.addWidget(self.end_area)

        self.problem = PlainLabel("", self, scale=BIG)
        self.problem.hide()
        layout.addWidget(self.problem)

        nav = QHBoxLayout()
        self.back_button = big_button("Back", self, "Back to the last question")
        self.back_button.clicked.connect(self.back)
        nav.addWidget(self.back_button)
        nav.addStretch(1)
        self.next_button = big_button("Next", self, "Next question")
        set_primary(self.next_button)
        self.next_button.clicked.connect(self.next)
        nav.addWidget(self.next_button)
        layout.addLayout(nav)

        self.finish_button = QPushButton("I have finished: give the screen back", self)
        self.finish_button.setAccessibleName("Finish and give the screen back")
        self.finish_button.clicked.connect(lambda: self.finish())
        layout.addWidget(self.finish_button, 0, Qt.AlignmentFlag.AlignRight)
        self.unlock = UnlockPanel(self)
        self.unlock.unlocked.connect(self._unlocked)
        self.unlock.hide()
        layout.addWidget(self.unlock)

    # -- starting and ending ----------------------------------------------------------------
    def begin(self, assessment: OpenAssessment, saver: AnswerSaver,
              handover: ChildHandover) -> None:
        self.assessment = assessment
        if self.saver is not None:
            for signal, slot in self._connections():
                signal.disconnect(slot)
        self.saver = saver
        saver.as_child = True  # the child's answers are recorded as the child's
        for signal, slot in self._connections():
            signal.connect(slot)
        self.unlock.reset(handover)
        self.unlock.hide()
        self.problem.hide()
        self.items = self._childs_items()
        self._possible = []
        self._first = next(((m.id, i.id) for m, i in self.items if i.answerable), None)
        first = next((n for n, (m, i) in enumerate(self.items)
                      if i.answerable and assessment.session.answers.get((m.id, i.id)) is None),
                     0)
        self._show(first)

    def _childs_items(self) -> list:
        """The child's questions, less any staff have already answered: child mode never
        steps back into staff's answers."""
        assert self.assessment is not None
        a = self.assessment
        return [(m, i) for m, i in plan.child_items(a.session) if a.child_may_answer(m.id, i.id)]

    def _connections(self) -> list:
        assert self.saver is not None
        return [(self.saver.saved, self._saved), (self.saver.failed, self._failed),
                (self.saver.rejected, self._rejected), (self.saver.conflict, self._conflict)]

    def end(self) -> None:
        """Disconnect from the saver; the page keeps no child data once staff are back."""
        if self.saver is not None:
            self.saver.as_child = False
            for signal, slot in self._connections():
                signal.disconnect(slot)
        self.saver = None
        self.assessment = None
        self._clear_question()
        self.items = []

    def finish(self, message: str = "Thank you. Please give the screen back to the adult "
                                     "who is with you.") -> None:
        if self.widget is not None:
            self.widget.flush()
        self._clear_question()
        self.end_message.setText(message)
        self.stack.setCurrentWidget(self.end_area)
        self.counter.setText("")
        self.back_button.hide()
        self.next_button.hide()
        self.finish_button.hide()
        self.unlock.show()
        self.unlock.field.setFocus()

    def _unlocked(self) -> None:
        self.unlock.hide()
        self.unlocked.emit()

    # -- questions --------------------------------------------------------------------------
    def _clear_question(self) -> None:
        while self.question_layout.count():
            entry = self.question_layout.takeAt(0)
            widget = entry.widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.widget = None

    def _show(self, index: int) -> None:
        assert self.assessment is not None
        if self.widget is not None:
            self.widget.flush()
        self._clear_question()
        self.problem.hide()
        if not self.items or index >= len(self.items):
            self.finish("Thank you. You have answered all the questions. Please give the "
                        "screen back to the adult who is with you.")
            return
        self.index = max(0, index)
        module, item = self.items[self.index]
        self.widget = create_item_widget(item, self.assessment.session.setting, child=True,
                                         parent=self.question_area)
        value = self.assessment.session.answers.get((module.id, item.id))
        if value is not None:
            self.widget.set_value(value)
        self.widget.answered.connect(lambda v, m=module.id, i=item.id: self._answer(m, i, v))
        self.widget.cleared.connect(lambda m=module.id, i=item.id: self._answer(m, i, None))
        self.widget.advance.connect(self.next)
        self.question_layout.addWidget(self.widget)
        self.question_layout.addStretch(1)
        self.widget.show()  # a layout shows new children only on the next event loop turn
        self.stack.setCurrentWidget(self.question_scroll)
        self.counter.setText(f"Question {self.index + 1}")
        self._show_progress(module.id, item.id)
        self.back_button.setVisible(True)
        self.back_button.setEnabled(self.index > 0)
        self.next_button.setVisible(True)
        self.finish_button.setVisible(True)
        self.unlock.hide()
        self.widget.focus_first()

    def _show_progress(self, module_id: str, item_id: str) -> None:
        a = self.assessment
        assert a is not None
        # The child's own only: questions staff already answered are never shown to the
        # child, and counting them put "Question 1" at 85% (walk finding, 78-child.png).
        # Nor those branching hid before the child's first question: the child is past them.
        possible = plan.child_items_possible(a.session)
        start = possible.index(self._first) if self._first in possible else 0
        for n, key in enumerate(possible):
            if key in self._possible or not a.child_may_answer(*key):
                continue
            if n >= start or a.session.is_visible(*key):
                self._possible.append(key)  # a module started by an answer adds its own
        self.progress.setMaximum(len(self._possible))
        place = self._possible.index((module_id, item_id)) + 1 \
            if (module_id, item_id) in self._possible else self.progress.value()
        self.progress.setValue(place)
        self.progress.setFixedHeight(max(10, self.fontMetrics().height() // 2))
        self.progress.setAccessibleDescription(f"{place} of {len(self._possible)}")

    def next(self) -> None:
        if self.stack.currentWidget() is not self.question_scroll:
            return
        if self.widget is not None:
            self.widget.flush()
        if self.stack.currentWidget() is not self.question_scroll:
            return  # the answer just sent asked for the screen to come back
        self.items = self._childs_items()  # branching may add some
        self._show(self.index + 1)

    def back(self) -> None:
        if self.index > 0 and self.stack.currentWidget() is self.question_scroll:
            self._show(self.index - 1)

    def _answer(self, module_id: str, item_id: str, value: object) -> None:
        assert self.saver is not None
        self.saver.save(module_id, item_id, value)

    def _mine(self, key: tuple[str, str]) -> bool:
        if self.widget is None or not self.items:
            return False
        module, item = self.items[self.index]
        return key == (module.id, item.id)

    def _saved(self, key: tuple[str, str], changes: Changes) -> None:
        if self._mine(key) and self.widget is not None:
            self.widget.mark_saved()
            self.problem.hide()
        if any(f.level == "act-now" for f in changes.flags_raised):
            self.finish("Thank you for telling me. Please give the screen back to the "
                        "adult now.")

    def _failed(self, key: tuple[str, str], _message: str) -> None:
        if self._mine(key) and self.widget is not None:
            self.widget.mark_unsaved()
        self.problem.setText("That answer did not save. Please tell the adult.")
        self.problem.show()

    def _rejected(self, key: tuple[str, str], message: str) -> None:
        if self._mine(key) and self.widget is not None:
            self.widget.show_error(message)

    def _conflict(self, _message: str) -> None:
        self.problem.setText("That answer did not save. Please tell the adult.")
        self.problem.show()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and self.stack.currentWidget() is self.question_scroll:
            self.next()
            event.accept()
            return
        super().keyPressEvent(event)
