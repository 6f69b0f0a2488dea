"""Issue 15.3: a keyboard path that is fast and safe: the focused question is outlined and
scrolled into view, resume lands on the first unanswered question, Enter never passes an
unanswered question silently, options past the tenth have keys, Tab follows reading order,
and no two mnemonics on a screen share a letter."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel

from screening_app.ui.items.multi import MultiChoiceItem
from screening_app.ui.pages.walkthrough import SKIP_WARNING
from screening_app.ui.theme import apply_font_scale

from .helpers import click, focused, start_assessment


def radio_page(page, wanted: int = 4):
    """Show the page with the most one-answer questions (number keys move on)."""
    from screening_app.ui.items.choice import RadioItem

    def radios(index: int) -> int:
        page._show_page(index)
        return sum(isinstance(w, RadioItem) for w in page.view.answerable())

    best = max(range(len(page.pages)), key=radios)
    page._show_page(best)
    shown = [w for w in page.view.answerable() if isinstance(w, RadioItem)]
    assert len(shown) >= wanted, "no page with enough one-answer questions"
    return shown


def card_of(page, widget):
    return page.view.item_containing(widget)


def in_view(page, widget) -> bool:
    port = page.scroll.viewport()
    top_left = widget.mapTo(port, widget.rect().topLeft())
    return port.rect().contains(QRect(top_left, widget.size()))


@pytest.fixture
def large_text(qapp):
    apply_font_scale(qapp, 2.0)
    yield
    apply_font_scale(qapp, 1.0)


def test_number_keys_keep_the_focused_question_outlined_and_in_view(window, qtbot, ctx,
                                                                    large_text):
    window.resize(1366, 600)  # 200% text on a short window: the page must scroll
    start_assessment(window, qtbot, "ed", age=14)
    page = window.walkthrough
    shown = radio_page(page)
    shown[0].focus_first()
    qtbot.wait(5)
    moved = 0
    for _ in range(len(shown) - 1):
        widget = card_of(page, focused())
        qtbot.keyClick(focused(), Qt.Key.Key_1)
        qtbot.wait(5)
        now = card_of(page, focused())
        if now is None or now is widget:
            break
        moved += 1
        assert in_view(page, focused()), f"{now.item.id} has focus but is scrolled out of view"
        current = [w for w in page.view.widgets.values() if w.property("current")]
        assert current == [now], "exactly the focused question is outlined"
    assert moved >= 3 and page.scroll.verticalScrollBar().value() > 0


def test_resume_lands_on_the_first_unanswered_question(window, qtbot, ctx):
    opened = start_assessment(window, qtbot, "ed", age=14)
    page = window.walkthrough
    shown = radio_page(page, 3)
    for widget in shown[:2]:
        widget.focus_first()
        qtbot.keyClick(focused(), Qt.Key.Key_2)
    shown[1].focus_first()  # the practitioner looks back at the second answer, then leaves
    click(qtbot, page.home_button)
    window.open_by_id(opened.id)
    page = window.walkthrough
    qtbot.wait(5)
    assert card_of(page, focused()).item.id == shown[2].item.id
    given = {w.item.id: page.view.widget_for(w.item.id).value for w in shown[:2]}
    qtbot.keyClick(focused(), Qt.Key.Key_1)  # answers the third, overwrites nothing
    assert {w.item.id: page.view.widget_for(w.item.id).value for w in shown[:2]} == given
    assert page.view.widget_for(shown[2].item.id).value is not None


def test_enter_warns_before_leaving_a_question_blank(window, qtbot, ctx):
    start_assessment(window, qtbot, "ed", age=14)
    page = window.walkthrough
    first, second = radio_page(page, 3)[:2]
    first.focus_first()
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert card_of(page, focused()) is first, "Enter passed an unanswered question"
    assert first.error.isVisible() and first.error.text() == SKIP_WARNING
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert card_of(page, focused()) is second
    assert first.value is None
    # Number then Enter: the number answers and moves on; Enter does not skip the next one.
    qtbot.keyClick(focused(), Qt.Key.Key_1)
    third = card_of(page, focused())
    assert second.value is not None and third is not second
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert card_of(page, focused()) is third


def test_options_after_the_tenth_have_letter_keys(window, qtbot, ctx):
    start_assessment(window, qtbot, "custody", age=14)
    page = window.walkthrough
    for index in range(len(page.pages)):
        page._show_page(index)
        long = [w for w in page.view.answerable()
                if isinstance(w, MultiChoiceItem) and len(w.buttons) > 11]
        if long:
            break
    else:
        raise AssertionError("no list with more than 11 options in custody")
    widget = long[0]
    caps = [label.text() for label in widget.findChildren(QLabel) if label.frameShape()]
    assert caps[:12] == ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "a", "b"]
    widget.focus_first()
    qtbot.keyClick(focused(), Qt.Key.Key_B)
    assert widget.buttons[11].isChecked() and widget.value == [widget.codes[11]]
    if widget.declined_box is not None:  # "declined" has the key after the last option
        assert caps[len(widget.buttons)] == chr(ord("a") + len(widget.buttons) - 10)


def test_tab_follows_reading_order(window, qtbot, ctx):
    """Header buttons, then the questions from the top, then Back and Next (defect 29)."""
    start_assessment(window, qtbot, "ed", age=14)
    page = window.walkthrough
    page.home_button.setFocus()
    qtbot.keyClick(page.home_button, Qt.Key.Key_Tab)
    first = page.view.answerable()[0]
    assert first.isAncestorOf(focused()), "Tab from the header skipped the first question"
    last = page.view.answerable()[-1]
    last.focus_first()
    for _ in range(40):  # on through the last question's controls
        if not last.isAncestorOf(focused()):
            break
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() in (page.back_button, page.next_button), focused()


def mnemonics(window) -> Counter:
    letters: Counter = Counter()
    texts = [b.text() for b in window.findChildren(QAbstractButton) if b.isVisible()]
    texts += [label.text() for label in window.findChildren(QLabel)
              if label.isVisible() and label.buddy() is not None]
    if window.menuBar().isVisible():
        texts += [a.text() for a in window.menuBar().actions()]
    for text in texts:
        match = re.search(r"(?<!&)&([^&\s])", text.replace("&&", ""))
        if match:
            letters[match.group(1).lower()] += 1
    return letters


def test_no_mnemonic_clashes_on_any_screen(window, qtbot, ctx):
    screens = {"home": lambda: None}
    problems = []

    def check(name: str) -> None:
        QApplication.processEvents()
        clashes = {k: n for k, n in mnemonics(window).items() if n > 1}
        if clashes:
            problems.append(f"{name}: {clashes}")

    check("home")
    window.show_start()
    check("start")
    window.show_home()
    start_assessment(window, qtbot, "ed", age=14)
    check("walkthrough")
    window.show_review(window.assessment)
    check("review")
    assert screens and not problems, "\n".join(problems)
