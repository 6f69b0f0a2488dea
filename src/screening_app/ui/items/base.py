"""What every question widget has: the prompt, guidance on demand, a save status, and the
signals the page listens to. Subclasses add the answer controls for one item type."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...content.models import DECLINED, Item
from ..theme import Card, level_colour, set_card, spacing
from ..widgets import PlainLabel
from .wrapping import WrappingCheckBox

CHILD_SCALE = 1.8  # text size in child mode, relative to the application font


KEY_GAP = 6  # between a key cap and its answer, the same in every row (declined too)


def key_cap(position: int, parent: QWidget) -> PlainLabel:
    """The key that answers with the option at ``position`` (0-based), on a key cap."""
    cap = PlainLabel(key_name(position), parent, wrap=False, scale=0.85)
    cap.setFrameShape(QFrame.Shape.Box)
    cap.setAlignment(Qt.AlignmentFlag.AlignCenter)
    cap.setMinimumWidth(cap.fontMetrics().horizontalAdvance("00") + 6)
    cap.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    return cap


class ItemWidget(Card):
    """One question. Emits ``answered(value)`` or ``cleared()`` when the user changes it.

    ``advance`` asks the page to move focus on (an answer given by a number key). Widgets
    never save anything themselves and hold no rules: the page saves through
    ``OpenAssessment.answer`` and tells the widget how that went.
    """

    answered = Signal(object)
    cleared = Signal()
    advance = Signal()

    #: True when "declined" is one of the widget's own options rather than a check box.
    declined_in_options = False
    #: Whether answering with a number key moves on to the next question.
    advance_after_key = True

    def __init__(self, item: Item, prompt: str, *, child: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.item = item
        self.prompt = prompt
        self.child = child
        self.setObjectName(f"item-{item.id}")
        self.setFrameShape(QFrame.Shape.NoFrame)
        set_card(self)  # one card per question (theme.py)
        self._value: Any = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(spacing() // 2)
        top = QHBoxLayout()
        self.prompt_label = PlainLabel(prompt, self, scale=CHILD_SCALE if child else 1.05,
                                       bold=not child)
        top.addWidget(self.prompt_label, 1)
        self.status = PlainLabel("", self, wrap=False, scale=0.9)
        self.status.setObjectName("save-status")
        # A fixed width: a changing status must not re-wrap the prompt beside it.
        self.status.setFixedWidth(self.status.fontMetrics().horizontalAdvance("Not saved__"))
        self.status.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.status, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)

        self.guidance_button: QToolButton | None = None
        self.guidance_label: PlainLabel | None = None
        if item.guidance and not child:
            self.guidance_button = QToolButton(self)
            self.guidance_button.setText("Guidance")
            self.guidance_button.setCheckable(True)
            self.guidance_button.setAccessibleName(f"Guidance for: {prompt}")
            self.guidance_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            self.guidance_label = PlainLabel(item.guidance, self, scale=0.95)
            self.guidance_label.setFrameShape(QFrame.Shape.StyledPanel)
            self.guidance_label.setMargin(6)
            self.guidance_label.hide()
            self.guidance_button.toggled.connect(self.guidance_label.setVisible)
            row = QHBoxLayout()
            row.addWidget(self.guidance_button)
            row.addStretch(1)
            layout.addLayout(row)
            layout.addWidget(self.guidance_label)

        self.body = QWidget(self)
        body_layout = QVBoxLayout(self.body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        self.build(body_layout)
        layout.addWidget(self.body)

        self.declined_box: QCheckBox | None = None
        if item.answerable and item.declinable and not self.declined_in_options:
            text = "I'd rather not say" if child else "Declined to answer"
            self.declined_box = WrappingCheckBox(text, self)
            if child:  # the child's text size, as the prompt (walk finding, 78-child.png)
                font = QFont(self.declined_box.font())
                font.setPointSizeF(QApplication.font().pointSizeF() * CHILD_SCALE)
                self.declined_box.setFont(font)
            self.declined_box.setAccessibleName(f"{text}: {prompt}")
            self.declined_box.clicked.connect(self._declined_clicked)
            row = QHBoxLayout()
            row.setSpacing(KEY_GAP)  # in line with the answers above (walk finding)
            position = self.declined_position()
            if position is not None and key_name(position):
                row.addWidget(key_cap(position, self), 0, Qt.AlignmentFlag.AlignTop)
            row.addWidget(self.declined_box, 1)
            layout.addLayout(row)

        self.error = PlainLabel("", self)
        self.error.setObjectName("item-error")
        palette = self.error.palette()
        palette.setColor(self.error.foregroundRole(), level_colour("act-now", palette))
        self.error.setPalette(palette)
        self.error.hide()
        layout.addWidget(self.error)

    # -- for subclasses ---------------------------------------------------------------------
    def build(self, layout: QVBoxLayout) -> None:
        """Add the answer controls."""

    def show_value(self, value: Any) -> None:
        """Show a saved value in the controls without emitting anything."""

    def set_controls_enabled(self, enabled: bool) -> None:
        for child in self.body.findChildren(QWidget):
            child.setEnabled(enabled)

    def choose_number(self, digit: int) -> bool:
        """Answer with the digit key pressed; False when the key means nothing here."""
        return False

    def declined_position(self) -> int | None:
        """The key position of the "declined" check box, when it has a key."""
        return None

    def choose_letter(self, letter: int) -> bool:
        """Answer with a letter key (0 = 'a'): options after the tenth (see ``key_name``)."""
        return False

    def focus_first(self) -> None:
        widget = self.body.focusProxy() or next(
            (w for w in self.body.findChildren(QWidget)
             if w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.isVisibleTo(self)), None)
        (widget or self.declined_box or self).setFocus(Qt.FocusReason.TabFocusReason)

    def flush(self) -> None:
        """Emit an answer typed but not yet sent (text waits for a pause in typing)."""

    # -- called by the page ------------------------------------------------------------------
    @property
    def value(self) -> Any:
        return self._value

    def set_value(self, value: Any) -> None:
        self._value = value
        declined = value == DECLINED
        if self.declined_box is not None:
            self.declined_box.setChecked(declined)
            self.set_controls_enabled(not declined)
        self.show_value(None if declined and not self.declined_in_options else value)

    def mark_saved(self) -> None:
        self.status.setText("Saved")
        self.status.setAccessibleName("Saved")
        self.error.hide()

    def mark_unsaved(self, message: str | None = None) -> None:
        self.status.setText("Not saved")
        self.status.setAccessibleName("Not saved")
        if message:
            self.show_error(message)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def clear_status(self) -> None:
        self.status.setText("")
        self.error.hide()

    # -- internals ---------------------------------------------------------------------------
    def give(self, value: Any) -> None:
        """The user gave ``value``: remember it and tell the page."""
        self._value = value
        self.error.hide()
        self.status.setText("Saving…")
        self.answered.emit(value)

    def take_back(self) -> None:
        if self._value is None:
            return
        self._value = None
        self.status.setText("Saving…")
        self.cleared.emit()

    def current_input(self) -> Any:
        """What the controls hold now (None when empty or unusable), without sending it."""
        return None

    def _declined_clicked(self, checked: bool) -> None:
        self.set_controls_enabled(not checked)
        if checked:
            self.give(DECLINED)
            return
        value = self.current_input()  # what was entered before "declined" was ticked
        if value is None:
            self.take_back()
        else:
            self.give(value)
        self.focus_first()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        key = event.key()
        if mods in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier):
            chosen = None
            if Qt.Key.Key_0 <= key <= Qt.Key.Key_9 and not mods:
                chosen = self.choose_number(key - Qt.Key.Key_0)
            elif Qt.Key.Key_A <= key <= Qt.Key.Key_Z:
                chosen = self.choose_letter(key - Qt.Key.Key_A)
            if chosen:
                event.accept()
                if self.advance_after_key:
                    self.advance.emit()
                return
        super().keyPressEvent(event)


def key_name(position: int) -> str:
    """The key for the option at ``position`` (0-based): 1-9, 0 for the tenth, then a-z."""
    if position < 10:
        return str((position + 1) % 10)
    return chr(ord("a") + position - 10) if position < 36 else ""


def position_for_letter(letter: int) -> int:
    return 10 + letter
