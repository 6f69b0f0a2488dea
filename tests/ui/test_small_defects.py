"""The walkthrough review's smaller defects, checked by driving the app (defects 28, 29):
Alt+S starts a new assessment from home; after Alt+B back to page 1, focus is on a question,
never lost on the disabled Back button."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from .helpers import Walker, calm, click, focused, start_assessment


def test_alt_s_starts_a_new_assessment_from_home(window, qtbot, ctx):
    window.home.start_button.setFocus()
    qtbot.keyClick(focused(), Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    # A mnemonic "animates" the click: it lands a moment later.
    qtbot.waitUntil(lambda: window.start_page is not None and window.start_page.isVisible())


def test_focus_after_back_to_page_one_is_on_a_question(window, qtbot, ctx):
    start_assessment(window, qtbot, "ed", age=14)
    page = window.walkthrough
    Walker(window, qtbot, calm).walk_page()
    click(qtbot, page.next_button)
    assert page.index == 1
    qtbot.keyClick(focused(), Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.index == 0)
    QApplication.processEvents()
    widget = focused()
    assert widget is not page.back_button and widget.isEnabled()
    assert page.view.isAncestorOf(widget), f"focus is on {widget!r}"
