"""Issue 15 walk (third): small desktop faults a tester met in a real window.

Keyboard focus after signing in, unlocking and a wrong hand-back password; the focused
field kept in view after a text-size change; the caret at the end of a text answer one
comes back to; the one primary action of each sign-in, set-up and export dialog filled;
in child mode, the "I'd rather not say" box in the child's text size and a progress bar
that counts the child's questions only.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QScrollArea, QWidget

from screening_app.security.roles import Role
from screening_app.ui.items.base import CHILD_SCALE
from screening_app.ui.items.entry import LongTextItem, ShortTextItem
from screening_app.ui.locking import FirstRunDialog, RecoveryKeyDialog, SignInDialog
from screening_app.ui.theme import apply_font_scale

from ..security.helpers import PASSWORD, secured_database
from .helpers import click, focused, start_assessment
from .test_sign_out import signed_in_at_start_up


@pytest.fixture
def url(tmp_path):
    return secured_database(tmp_path, ("Nia", Role.PRACTITIONER, "ED"))


@pytest.fixture
def signed_in_window(qtbot, url, fast_typing):
    yield from signed_in_at_start_up(qtbot, url, "Nia")


@pytest.fixture
def text_size_back(qapp):
    yield
    apply_font_scale(qapp, 1.0)


def in_view(widget: QWidget) -> bool:
    """Whether ``widget`` is wholly inside the viewport of the scroll area it sits in."""
    area = widget.parentWidget()
    while area is not None and not isinstance(area, QScrollArea):
        area = area.parentWidget()
    assert area is not None, "not in a scroll area"
    port = area.viewport()
    top_left = widget.mapTo(port, widget.rect().topLeft())
    return port.rect().contains(QRect(top_left, widget.size()))


# -- 1. focus after sign-in, unlock and a wrong hand-back password ----------------------------
def test_after_signing_in_the_start_button_has_the_focus(signed_in_window, qtbot):
    window = signed_in_window
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    assert focused() is window.home.start_button


def test_unlock_gives_the_focus_back_to_the_control_that_had_it(signed_in_window, qtbot):
    window = signed_in_window
    start_assessment(window, qtbot, "ed", reference="W3-LOCK")
    page = window.walkthrough
    page.go_to("voice", "worries")
    widget = next(w for w in page.view.answerable() if w.item.id == "worries")
    widget.editor.setFocus()
    assert focused() is widget.editor
    window.lock()
    assert window.locked
    lock = window.lock_page
    qtbot.keyClicks(lock.password, PASSWORD)
    qtbot.keyClick(lock.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.locked, timeout=10_000)
    again = next(w for w in window.walkthrough.view.answerable() if w.item.id == "worries")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is again.editor, timeout=2000)


def test_a_wrong_hand_back_password_leaves_the_field_focused_and_selected(window, qtbot, ctx):
    opened = ctx.start(setting="school-nurse", age=13, reference="W3-CHILD",
                       presenting_issue="Year 8")
    window.open_by_id(opened.id)
    window._begin_child_mode(ctx.hand_to_child("tiger7"))
    child = window.child
    click(qtbot, child.finish_button)
    field = child.unlock.field
    qtbot.keyClicks(field, "1234")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "not right" in child.unlock.message.text())
    assert window.in_child_mode
    assert field.isEnabled() and focused() is field
    assert field.selectedText() == field.text() == "1234"  # typing replaces it
    qtbot.keyClicks(field, "tiger7")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.in_child_mode)


# -- 2. the focused field stays in view when the text size changes ----------------------------
def lowest_in_view(area: QScrollArea) -> QWidget:
    """With ``area`` scrolled to its top, the lowest control there that takes Tab: 200%
    text pushes it furthest down (the tester's 53-200pct.png)."""
    area.verticalScrollBar().setValue(0)
    QApplication.processEvents()
    controls = [w for w in area.widget().findChildren(QWidget)
                if w.isVisibleTo(area) and w.isEnabled()
                and w.focusPolicy() & Qt.FocusPolicy.TabFocus and in_view(w)]
    assert controls, "nothing to focus in view"
    return max(controls, key=lambda w: w.mapTo(area.widget(), w.rect().bottomLeft()).y())


def test_a_text_size_change_keeps_the_focused_walkthrough_field_in_view(
        window, qtbot, text_size_back):
    start_assessment(window, qtbot, "ed", reference="W3-SIZE")
    page = window.walkthrough
    page.go_to("voice", "worries")
    target = lowest_in_view(page.scroll)
    target.setFocus()
    assert in_view(target) and page.scroll.verticalScrollBar().value() == 0
    window.set_font_scale(2.0)
    qtbot.wait(100)  # the layouts follow the new text size on the event loop
    assert focused() is target and in_view(target)


def test_a_text_size_change_keeps_the_focused_review_control_in_view(
        window, qtbot, ctx, text_size_back):
    start_assessment(window, qtbot, "ed", reference="W3-REVIEW")
    window.show_review(window.assessment)
    review = window.review
    target = lowest_in_view(review.scroll)
    target.setFocus()
    assert in_view(target) and review.scroll.verticalScrollBar().value() == 0
    window.set_font_scale(2.0)
    qtbot.wait(100)  # the layouts follow the new text size on the event loop
    assert focused() is target and in_view(target)


# -- 3. the caret goes to the end of a text answer one comes back to -------------------------
@pytest.mark.parametrize("reason", [Qt.FocusReason.TabFocusReason,
                                    Qt.FocusReason.BacktabFocusReason,
                                    Qt.FocusReason.OtherFocusReason])
def test_coming_back_to_a_long_text_answer_puts_the_caret_at_the_end(window, qtbot, ctx,
                                                                     reason):
    start_assessment(window, qtbot, "ed", reference="W3-CARET")
    page = window.walkthrough
    page.go_to("voice", "worries")
    widget = next(w for w in page.view.answerable() if w.item.id == "worries")
    assert isinstance(widget, LongTextItem)
    widget.set_value("ok")
    page.next_button.setFocus()
    widget.editor.setFocus(reason)
    assert focused() is widget.editor
    qtbot.keyClicks(widget.editor, " school")
    assert widget.editor.toPlainText() == "ok school"


@pytest.mark.parametrize("reason", [Qt.FocusReason.TabFocusReason,
                                    Qt.FocusReason.OtherFocusReason])
def test_coming_back_to_a_short_text_answer_puts_the_caret_at_the_end(qtbot, reason):
    from PySide6.QtWidgets import QPushButton, QVBoxLayout

    from screening_app.content.models import Item
    from screening_app.ui.items import create_item_widget

    holder = QWidget()
    qtbot.addWidget(holder)
    layout = QVBoxLayout(holder)
    short = create_item_widget(Item.model_validate(
        {"id": "q", "prompt": "Who came with the child?", "type": "text", "max_length": 200}),
        "ed", parent=holder)
    assert isinstance(short, ShortTextItem)
    other = QPushButton("Elsewhere", holder)
    layout.addWidget(short)
    layout.addWidget(other)
    holder.show()
    qtbot.waitExposed(holder)
    with qtbot.waitActive(holder):
        holder.activateWindow()
    short.set_value("ok")
    short.editor.setCursorPosition(0)  # where a click had left it
    other.setFocus()
    short.editor.setFocus(reason)
    assert focused() is short.editor
    qtbot.keyClicks(short.editor, " school")
    assert short.editor.text() == "ok school"


def test_a_click_still_puts_the_caret_where_it_lands(window, qtbot, ctx):
    start_assessment(window, qtbot, "ed", reference="W3-CLICK")
    page = window.walkthrough
    page.go_to("voice", "worries")
    widget = next(w for w in page.view.answerable() if w.item.id == "worries")
    widget.set_value("ok")
    page.next_button.setFocus()
    editor: QPlainTextEdit = widget.editor
    cursor = editor.textCursor()
    cursor.setPosition(0)
    start = editor.cursorRect(cursor).center()
    qtbot.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton, pos=start)
    assert editor.textCursor().position() == 0


# -- 4. the primary action of the sign-in, set-up, recovery, unlock and export dialogs ------
def test_each_dialogs_one_action_is_the_primary(qtbot, window, ctx):
    from screening_app.ui.exporting import ExportDialog
    from screening_app.ui.locking import LockPage

    sign_in_dialog = SignInDialog(lambda _n, _p: None)
    first_run = FirstRunDialog(lambda _n, _t, _p: None)
    recovery = RecoveryKeyDialog("ABCD-EFGH")
    lock = LockPage()
    opened = ctx.start(setting="ed", age=14, reference="W3-EXPORT", presenting_issue="Fall")
    export = ExportDialog(opened, window)
    for widget in (sign_in_dialog, first_run, recovery, lock, export):
        qtbot.addWidget(widget)
    expected = {sign_in_dialog: sign_in_dialog.ok, first_run: first_run.ok,
                recovery: recovery.ok, lock: lock.button, export: export.export_button}
    for widget, button in expected.items():
        primary = [b for b in widget.findChildren(QWidget) if b.property("primary")]
        assert primary == [button], f"{type(widget).__name__}: {[b.text() for b in primary]}"
        assert button.font().bold()


# -- 5. child mode: the declined box's text size, and progress over the child's questions ---
def test_the_childs_declined_box_is_in_the_childs_text_size(window, qtbot, ctx):
    opened = ctx.start(setting="school-nurse", age=13, reference="W3-DECLINE",
                       presenting_issue="Year 8")
    window.open_by_id(opened.id)
    window._begin_child_mode(ctx.hand_to_child("tiger7"))
    child = window.child
    for _ in range(len(child.items)):
        if isinstance(child.widget, LongTextItem) and child.widget.declined_box is not None:
            break
        child.next()
    widget = child.widget
    assert isinstance(widget, LongTextItem) and widget.declined_box is not None
    app_size = QApplication.font().pointSizeF()
    assert widget.declined_box.font().pointSizeF() == pytest.approx(app_size * CHILD_SCALE)
    assert widget.declined_box.font().pointSizeF() == pytest.approx(
        widget.prompt_label.font().pointSizeF())


def test_child_progress_starts_near_zero_after_staff_answered_most(window, qtbot, ctx):
    """Staff answered the school-nurse pathway up to the child's own words; the child's
    first question is question 1 of theirs, not 85% of the way through."""
    from screening_app.ui.screenshots import answer_until

    opened = ctx.start(setting="school-nurse", age=13, reference="W3-PROGRESS",
                       presenting_issue="Year 8")
    answer_until(opened, "voice")
    window.open_by_id(opened.id)
    window._begin_child_mode(ctx.hand_to_child("tiger7"))
    child = window.child
    assert child.counter.text() == "Question 1"
    total = child.progress.maximum()
    assert child.progress.value() == 1, f"{child.progress.value()} of {total}"
    childs = [(m.id, i.id) for m, i in child.items if i.answerable]
    assert total >= len(childs)
    staffs = {key for key in opened.session.answers if not opened.is_childs(*key)}
    assert not staffs & set(child._possible), "staff's answers are counted as the child's"
