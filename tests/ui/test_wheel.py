"""Walk finding: scrolling a page with the mouse wheel over a combo box, a spin box or a
date field that does not have the focus changed its value unseen (an action's due date went
from 2026 to 2020). The wheel scrolls the page instead; with the focus it still changes it."""

from __future__ import annotations

from PySide6.QtCore import QDate, QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QScrollArea, QSpinBox, QVBoxLayout, QWidget

from screening_app.ui.widgets import DateField, DropDown, NumberField


def wheel(widget: QWidget, steps: int = -1) -> None:
    """One notch of the mouse wheel over the middle of ``widget`` (down: negative)."""
    middle = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(middle, QPointF(widget.mapToGlobal(middle.toPoint())), QPoint(0, 0),
                        QPoint(0, 120 * steps), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)
    QApplication.processEvents()


def test_the_wheel_scrolls_the_page_not_an_unfocused_field(qtbot):
    area = QScrollArea()
    qtbot.addWidget(area)
    page = QWidget()
    layout = QVBoxLayout(page)
    combo = DropDown()
    combo.addItems(["Emergency department", "Custody", "General practice"])
    date = DateField()
    date.setDate(QDate(2026, 12, 1))
    number = NumberField()
    number.setValue(5)
    other = QSpinBox()  # the control case: Qt's own behaviour, which the guard changes
    other.setValue(5)
    for field in (combo, date, number, other):
        layout.addWidget(field)
    layout.addSpacing(3000)  # a page that scrolls
    area.setWidget(page)
    area.resize(400, 300)
    area.show()
    qtbot.waitExposed(area)
    bar = area.verticalScrollBar()
    for field in (combo, date, number):
        before = bar.value()
        wheel(field)
        assert bar.value() > before, f"the page did not scroll over {type(field).__name__}"
    assert combo.currentIndex() == 0
    assert date.date() == QDate(2026, 12, 1)
    assert number.value() == 5
    wheel(other)
    assert other.value() != 5  # Qt's own spin box does change: the guard is what helps
    number.setFocus()
    qtbot.waitUntil(number.hasFocus)
    wheel(number, steps=1)
    assert number.value() == 6  # with the focus the wheel still sets the value
