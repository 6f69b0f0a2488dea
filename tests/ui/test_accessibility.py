"""Every control has a name a screen reader can say; every label is plain text; the whole
assessment can be done with the keyboard alone."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from screening_app.content.models import SETTINGS
from screening_app.demo import build_demo

from .helpers import Walker, click, first, focused, start_assessment

INTERACTIVE = (QAbstractButton, QLineEdit, QAbstractSpinBox, QComboBox, QPlainTextEdit,
               QTextEdit, QAbstractItemView)


def unnamed_controls(root: QWidget) -> list[str]:
    """Visible interactive widgets under ``root`` with no accessible name."""
    missing = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        takes_focus = bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        if not (isinstance(widget, INTERACTIVE) or takes_focus) or isinstance(widget, QLabel):
            continue
        if isinstance(widget, QLineEdit) and isinstance(widget.parentWidget(),
                                                        (QAbstractSpinBox, QComboBox)):
            continue  # the spin box or combo box is the control and carries the name
        iface = QAccessible.queryAccessibleInterface(widget)
        name = iface.text(QAccessible.Text.Name) if iface is not None else ""
        if not name.strip():
            missing.append(f"{type(widget).__name__} {widget.objectName()!r} "
                           f"text={getattr(widget, 'text', lambda: '')()!r}")
    return missing


def rich_labels(root: QWidget) -> list[str]:
    return [f"{type(w).__name__}: {w.text()[:40]!r}" for w in root.findChildren(QLabel)
            if w.textFormat() != Qt.TextFormat.PlainText]


def check(root: QWidget, where: str) -> None:
    assert not unnamed_controls(root), f"{where}: {unnamed_controls(root)}"
    assert not rich_labels(root), f"{where}: {rich_labels(root)}"


def open_dialogs() -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if w.isVisible() and w.isModal()]


@pytest.mark.parametrize("setting", SETTINGS)
def test_every_page_names_every_control(window, qtbot, ctx, setting):
    assert setting in ctx.catalog.pathways, f"no {setting} pathway installed"
    build_demo(ctx, settings=[setting])
    window.home.refresh()
    check(window, "home")
    click(qtbot, window.home.search_button)
    check(window, "home with results")
    start_assessment(window, qtbot, setting, age=13)
    check(window.start_page, "start")
    page = window.walkthrough
    # Every pathway has questions for the child at 13: child mode is checked in each, handed
    # over before staff answer (child mode never steps into answers staff gave).
    assert page.child_button.isVisible(), f"{setting}: no hand-to-child button"
    click(qtbot, page.child_button)
    check(window.code_dialog, "hand-over code")
    qtbot.keyClicks(window.code_dialog.code, "2468")
    qtbot.keyClicks(window.code_dialog.again, "2468")
    click(qtbot, window.code_dialog.ok)
    child = window.child
    assert child.items, f"{setting}: child mode has no questions"
    for _ in range(len(child.items)):
        check(window, "child mode")
        click(qtbot, child.next_button)
    check(window, "child mode, finished")
    qtbot.keyClicks(child.unlock.field, "2468")
    click(qtbot, child.unlock.button)
    qtbot.waitUntil(lambda: not window.in_child_mode)  # the code is checked off-thread
    walker = Walker(window, qtbot, first)
    seen = None
    for _ in range(400):
        if page.view is not seen:  # a new page: open every guidance, then check it
            seen = page.view
            for widget in page.view.answerable():
                if widget.guidance_button is not None:
                    click(qtbot, widget.guidance_button)
            check(window, f"{setting} walkthrough page {page.index + 1}")
        todo = [w for w in page.view.answerable() if w.value is None]
        if todo:
            walker.answer(todo[0])
            for dialog in open_dialogs():
                check(dialog, "dialog")
            continue
        check(window, f"{setting} walkthrough page {page.index + 1} answered")
        if page.index == len(page.pages) - 1:
            break
        click(qtbot, page.next_button)
        walker.acknowledge_interruptions()
    click(qtbot, page.review_button)
    check(window, "review")
    for button in window.review.findChildren(QAbstractButton):
        if button.objectName().startswith("edit:"):
            click(qtbot, button)
            check(window.review.dialog, "edit dialog")
            window.review.dialog.reject()
            break


def test_keyboard_alone_completes_an_assessment(window, qtbot, ctx):
    """Tab, digits, typing and Enter only: from home to a completed assessment."""
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.home.start_button)
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    start = window.start_page
    qtbot.waitUntil(lambda: start.isVisible())
    assert focused() is start.setting
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)      # -> "Age in years"
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)      # -> the age box
    assert focused() in (start.age, start.age.findChild(QLineEdit))
    qtbot.keyClicks(focused(), "14")
    for _ in range(3):                             # -> the reference
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        if focused() is start.reference:
            break
    assert focused() is start.reference
    qtbot.keyClicks(focused(), "KEYS-1")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    page = window.walkthrough
    assert page.isVisible()
    assessment = window.assessment
    for _ in range(400):
        if window.review is not None and window.review.isVisible():
            break
        widget = focused()
        dialog = page.act_now_dialog
        if dialog is not None:
            assert widget.window() is dialog
            # Enter never acknowledges (it was the key that moved on): Tab to the button,
            # then Space, a deliberate press.
            qtbot.keyClick(widget, Qt.Key.Key_Space if widget is dialog.button
                           else Qt.Key.Key_Tab)
            qtbot.wait(1)
            continue
        item = page.view.item_containing(widget)
        if widget is page.back_button:  # Tab from the last question: Next is one more Tab
            qtbot.keyClick(widget, Qt.Key.Key_Tab)
            continue
        if isinstance(widget, QPlainTextEdit):
            qtbot.keyClicks(widget, "typed")
            qtbot.keyClick(widget, Qt.Key.Key_Tab)
        elif isinstance(widget, QLineEdit):
            text = "3" if type(item).__name__ == "NumberItem" else (
                "01/02/2020" if type(item).__name__ == "DateItem" else "typed")
            qtbot.keyClicks(widget, text)
            qtbot.keyClick(widget, Qt.Key.Key_Return)
        elif item is not None and item.value is None:
            digit = "2" if getattr(item, "values", [None])[:2] == ["yes", "no"] else "1"
            qtbot.keyClick(widget, digit)
            if type(item).__name__ == "MultiChoiceItem":
                qtbot.keyClick(focused(), Qt.Key.Key_Return)
        else:
            qtbot.keyClick(widget, Qt.Key.Key_Return)
    else:
        raise AssertionError("the keyboard walk did not reach the review")
    review = window.review
    assert focused() is review.complete_button
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    if review.pending_decisions():  # it asks first; Tab to "Complete anyway", Space
        qtbot.waitUntil(lambda: focused().window() is review.dialog)
        for _ in range(4):
            if focused() is review.confirm_button:
                break
            qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        qtbot.keyClick(focused(), Qt.Key.Key_Space)
    stored = ctx.store.load(assessment.id)
    assert stored.status == "complete"
    shown = [(m.id, i.id) for m, i in assessment.session.visible_items() if i.answerable]
    assert all(assessment.session.answers.get(k) is not None for k in shown)


def test_text_size_setting_scales_fonts_and_headings(window, qtbot):
    app = QApplication.instance()
    before = app.font().pointSizeF()
    heading = window.home.findChildren(QLabel)[0]
    heading_before = heading.font().pointSizeF()
    try:
        window.home.text_size.setCurrentIndex(window.home.text_size.findData(2.0))
        assert app.font().pointSizeF() == pytest.approx(before * 2)
        assert heading.font().pointSizeF() == pytest.approx(heading_before * 2)
        assert window.home.start_button.font().pointSizeF() == pytest.approx(before * 2)
        assert window.settings.font_scale == 2.0
    finally:
        window.home.text_size.setCurrentIndex(0)
    assert app.font().pointSizeF() == pytest.approx(before)


def test_follows_the_system_colour_scheme(qtbot):
    """On "system" the app takes the palette the platform gives it whenever the platform says
    its scheme changed; a practitioner may force dark or light.

    The offscreen platform cannot switch scheme itself, so the test does what a desktop does
    when it goes dark: hand over a dark palette and emit ``colorSchemeChanged``.
    """
    from PySide6.QtGui import QGuiApplication, QPalette

    from screening_app.ui import theme as theme_module

    app = QApplication.instance()
    original_palette, original_style = QPalette(app.palette()), app.style().name()
    hints = QGuiApplication.styleHints()
    theme = theme_module.Theme(app, "system")
    try:
        assert not theme_module.is_dark()
        app.setPalette(theme_module.dark_palette())  # the desktop went dark
        hints.colorSchemeChanged.emit(hints.colorScheme())
        assert theme_module.is_dark()  # and the app with it
        assert theme_module.level_colour("act-now").lightness() > 128  # readable on dark
        app.setPalette(original_palette)  # light again
        hints.colorSchemeChanged.emit(hints.colorScheme())
        assert not theme_module.is_dark()
        theme.set_choice("dark")  # a practitioner may force it
        assert theme_module.is_dark()
        hints.colorSchemeChanged.emit(hints.colorScheme())  # the system no longer decides
        assert theme_module.is_dark()
        theme.set_choice("light")
        assert not theme_module.is_dark()
    finally:
        hints.colorSchemeChanged.disconnect(theme._system_changed)
        app.setStyle(original_style)  # forcing a scheme switches to Fusion: undo it
        app.setPalette(original_palette)
        theme.setParent(None)
