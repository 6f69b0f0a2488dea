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


def test_the_child_cannot_go_back_to_what_the_nurse_answered(window, qtbot, ctx):
    """Defect 26: Back in child mode runs over the child's own questions only."""
    from .test_child_mode import hand_over

    opened = ctx.start(setting="school-nurse", age=12, reference="BACK-1")
    first = next((m.id, i.id) for m, i in opened.session.visible_items()
                 if i.child_facing and not i.staff_note and i.answerable)
    value = opened.session.catalog.module(first[0]).item(first[1])
    opened.answer(*first, 3 if value.type.value == "scale" else value.codes()[0])
    window.open_by_id(opened.id)
    hand_over(window, qtbot)
    child = window.child
    keys = [(m.id, i.id) for m, i in child.items]
    assert first not in keys, "the nurse's answer is not the child's to see or change"
    for _ in range(3):
        child.back()
        assert (child.items[child.index][0].id, child.items[child.index][1].id) != first
