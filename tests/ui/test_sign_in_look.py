"""Defects 27 and 30: set-up and sign-in dialogs with room, messages as sentences, and
combo-box lists that open below the box."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QStyle

from screening_app.app import StoreError
from screening_app.ui.locking import FirstRunDialog, SignInDialog
from screening_app.ui.theme import ensure_design


def test_sign_in_message_is_a_sentence_and_the_dialog_has_room(qtbot):
    def refuse(name: str, password: str) -> object:
        raise StoreError("a user name cannot be empty")

    dialog = SignInDialog(refuse)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.width() >= dialog.fontMetrics().averageCharWidth() * 50
    dialog.try_sign_in()
    qtbot.waitUntil(lambda: dialog.ok.isEnabled())
    assert dialog.message.text() == "A user name cannot be empty"


def test_first_run_dialog_has_room(qtbot):
    dialog = FirstRunDialog(lambda *a: None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.width() >= dialog.fontMetrics().averageCharWidth() * 60


def test_combo_lists_open_below_the_box(qapp):
    ensure_design(qapp)
    assert QApplication.style().styleHint(QStyle.StyleHint.SH_ComboBox_Popup) == 0
