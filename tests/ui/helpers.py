"""Driving the real widgets the way a practitioner would: clicks and key presses."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from screening_app.content.models import DECLINED
from screening_app.ui.items.choice import RadioItem
from screening_app.ui.items.entry import DateItem, LongTextItem, NumberItem, ShortTextItem
from screening_app.ui.items.multi import MultiChoiceItem

LEFT = Qt.MouseButton.LeftButton


def click(qtbot, widget: QWidget) -> None:
    assert widget.isVisible() and widget.isEnabled(), f"cannot click {widget!r}"
    qtbot.mouseClick(widget, LEFT)


def start_assessment(window, qtbot, setting: str, *, age: int = 14, reference: str = "T-001"):
    """From home, through the start page, into the walkthrough. Returns the assessment."""
    click(qtbot, window.home.start_button)
    page = window.start_page
    assert page.isVisible()
    page.setting.setCurrentIndex(page.setting.findData(setting))
    page.age.setFocus()
    page.age.selectAll()
    qtbot.keyClicks(page.age, str(age))
    qtbot.keyClicks(page.reference, reference)
    click(qtbot, page.start_button)
    assert window.walkthrough is not None and window.walkthrough.isVisible()
    return window.assessment


def calm(widget: RadioItem) -> int:
    """Prefer 'no' for yes/no, the first option otherwise (never 'declined')."""
    values = [v for v in widget.values if v != DECLINED]
    if "no" in values:
        return widget.values.index("no")
    return 0


def first(widget: RadioItem) -> int:
    return 0


class Walker:
    """Answers every question shown, page by page, acknowledging act-now interruptions."""

    def __init__(self, window, qtbot, choose: Callable[[RadioItem], int] = calm):
        self.window = window
        self.qtbot = qtbot
        self.choose = choose
        self.acknowledged: list[str] = []

    @property
    def page(self):  # noqa: ANN201
        return self.window.walkthrough

    def acknowledge_interruptions(self) -> None:
        self.qtbot.wait(1)
        while self.page.act_now_dialog is not None:
            dialog = self.page.act_now_dialog
            self.qtbot.waitExposed(dialog)
            self.acknowledged.append(dialog.flag.id)
            click(self.qtbot, dialog.button)
            self.qtbot.wait(1)

    def answer(self, widget) -> None:  # noqa: ANN001
        qtbot = self.qtbot
        if isinstance(widget, RadioItem):
            click(qtbot, widget.buttons[self.choose(widget)])
        elif isinstance(widget, MultiChoiceItem):
            click(qtbot, widget.buttons[0])
        elif isinstance(widget, (NumberItem, DateItem, ShortTextItem)):
            text = {NumberItem: str(int(widget.item.min or 1)), DateItem: "01/02/2020"}.get(
                type(widget), "Typed note")
            widget.editor.setFocus()
            qtbot.keyClicks(widget.editor, text)
            qtbot.keyClick(widget.editor, Qt.Key.Key_Return)
        elif isinstance(widget, LongTextItem):
            widget.editor.setFocus()
            qtbot.keyClicks(widget.editor, "In their own words")
            qtbot.waitUntil(lambda: widget.status.text() == "Saved", timeout=3000)
        else:
            raise AssertionError(f"no way to answer {type(widget).__name__}")
        assert widget.status.text() == "Saved", (widget.item.id, widget.error.text())
        self.acknowledge_interruptions()

    def walk_page(self) -> int:
        answered = 0
        while True:
            view = self.page.view
            todo = [w for w in view.answerable() if w.value is None]
            if not todo:
                return answered
            self.answer(todo[0])
            answered += 1

    def walk_all(self, limit: int = 60) -> int:
        """Answer everything and arrive at the review page; returns the pages walked."""
        for count in range(1, limit):
            self.walk_page()
            last = self.page.index == len(self.page.pages) - 1
            click(self.qtbot, self.page.next_button)
            self.acknowledge_interruptions()
            if last:
                assert self.window.review.isVisible()
                return count
        raise AssertionError("the walkthrough did not end")


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has keyboard focus"
    return widget


def complete(review, qtbot) -> None:
    """Click Complete; when decisions are pending, confirm in the dialog it asks with."""
    from PySide6.QtWidgets import QMessageBox

    click(qtbot, review.complete_button)
    if isinstance(review.dialog, QMessageBox) and review.dialog.isVisible():
        click(qtbot, review.confirm_button)


def raise_asq_acute(window, qtbot, ctx, reference: str):  # noqa: ANN001
    """An ED draft with ASQ q1 'yes', opened in the walkthrough, then q5 'yes' clicked:
    the act-now dialog is up. Returns the assessment and the walkthrough page."""
    from screening_app.ui.screenshots import answer_until

    opened = ctx.start(setting="ed", age=15, reference=reference, presenting_issue="Fall")
    answer_until(opened, "asq")
    opened.answer("asq", "q1", "yes")
    window.open_by_id(opened.id)
    page = window.walkthrough
    page.go_to("asq", "q5")
    q5 = page.view.widget_for("q5")
    click(qtbot, q5.buttons[q5.values.index("yes")])
    qtbot.waitUntil(lambda: page.act_now_dialog is not None)
    return opened, page
