"""Issue 15: the design system is painted by our own widgets over Qt's Fusion (an app-wide
style sheet made start-up about 40% slower, and a Python ``QStyle`` about 20%). These fail
if any part of the look is lost: a focus ring on every focusable control type, the accent on
the primary and on checked buttons and answers, the card's fill and border (the current
card's in the accent), and padding and rings that follow the text size."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from screening_app.ui.items.wrapping import WrappingCheckBox, WrappingRadioButton
from screening_app.ui.theme import (
    Card,
    apply_design,
    apply_font_scale,
    dark_palette,
    design_colours,
    ensure_design,
    fill_when_checked,
    focus_ring,
    set_card,
    set_primary,
)

from .test_design import share_around, share_of


@pytest.fixture(params=["light", "dark"])
def scheme(request, qapp):
    from PySide6.QtWidgets import QStyleFactory

    palette = dark_palette() if request.param == "dark" else \
        QStyleFactory.create("Fusion").standardPalette()
    apply_design(qapp, palette)
    yield request.param
    apply_design(qapp, QStyleFactory.create("Fusion").standardPalette())


@pytest.fixture
def shown(qtbot, qapp):
    """A window to put controls in; returns a function that adds one and shows them."""
    ensure_design(qapp)
    holder = QWidget()
    layout = QVBoxLayout(holder)
    qtbot.addWidget(holder)

    def add(widget: QWidget) -> QWidget:
        layout.addWidget(widget)
        holder.show()
        holder.activateWindow()
        qtbot.waitExposed(holder)
        QApplication.processEvents()
        return widget

    return add


def focus(qtbot, widget: QWidget) -> None:
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
    QApplication.processEvents()


def focusable_controls() -> list[QWidget]:
    table = QTableView()
    model = QStandardItemModel(3, 2, table)
    table.setModel(model)
    combo = QComboBox()
    combo.addItems(["Emergency department", "Custody"])
    spin = QSpinBox()
    spin.setValue(12)
    tool = QToolButton()
    tool.setText("Guidance")
    return [QPushButton("Accept"), tool, WrappingRadioButton("Yes"), WrappingCheckBox("Declined"),
            QLineEdit("ED-2291"), QPlainTextEdit("notes"), combo, spin, table]


def test_no_style_sheet_and_no_python_style(window, qapp):
    """The invariant that keeps start-up fast: Qt's own Fusion, no sheet is parsed and no
    style method calls into Python."""
    assert qapp.style().name().lower() == "fusion"
    assert type(qapp.style()).__module__ == "PySide6.QtWidgets"  # Qt's, not a subclass
    assert qapp.styleSheet() == ""
    assert [w for w in qapp.allWidgets() if w.styleSheet()] == []
    apply_font_scale(qapp, 2.0)  # nor after a change of text size or scheme
    try:
        apply_design(qapp, dark_palette())
        assert qapp.styleSheet() == ""
    finally:
        apply_font_scale(qapp, 1.0)


def test_every_focusable_control_shows_the_focus_ring(scheme, shown, qtbot):
    ring = design_colours()["focus"]
    other = shown(QPushButton("elsewhere"))
    for control in focusable_controls():
        shown(control)
        focus(qtbot, other)
        without = share_around(control, ring, 60)
        focus(qtbot, control)
        assert share_around(control, ring, 60) > without + 0.01, \
            f"{scheme}: no focus ring on {type(control).__name__}"


def test_primary_and_checked_buttons_are_filled_with_the_accent(scheme, shown):
    accent = design_colours()["accent"]
    plain = shown(QPushButton("Cancel"))
    primary = shown(QPushButton("Start assessment"))
    set_primary(primary)
    checked = shown(QPushButton("Yes"))
    checked.setCheckable(True)
    fill_when_checked(checked)
    assert share_of(checked, accent) < 0.1  # not yet chosen
    checked.setChecked(True)
    QApplication.processEvents()
    assert share_of(plain, accent) < 0.1
    assert share_of(primary, accent) > 0.5, f"{scheme}: the primary action is not filled"
    assert share_of(checked, accent) > 0.5, f"{scheme}: a checked button is not filled"
    primary.setEnabled(False)  # a disabled primary action does not look clickable
    QApplication.processEvents()
    assert share_of(primary, accent) < 0.1


def test_a_checked_answer_is_filled_with_the_accent(scheme, shown):
    accent = design_colours()["accent"]
    for answer in (shown(WrappingRadioButton("Yes")), shown(WrappingCheckBox("Declined"))):
        before = share_of(answer, accent)
        answer.setChecked(True)
        QApplication.processEvents()
        assert share_of(answer, accent) > before + 0.03, \
            f"{scheme}: a checked {type(answer).__name__} shows no accent"


def test_a_card_paints_its_fill_and_border_and_the_current_one_the_accent(scheme, shown):
    colours = design_colours()
    card = Card()
    card.setMinimumSize(200, 80)
    set_card(card)
    shown(card)
    image = card.grab().toImage()
    middle = image.pixelColor(image.width() // 2, image.height() // 2)
    edge = image.pixelColor(image.width() // 2, 0)
    assert middle == colours["card"], f"{scheme}: the card is not filled"
    assert share_of(card, colours["border"], 30) > 0, f"{scheme}: the card has no border"
    assert edge != middle
    assert share_of(card, colours["accent"]) == 0
    set_card(card, current=True)
    QApplication.processEvents()
    assert share_of(card, colours["accent"]) > 0.02, f"{scheme}: the current card is not outlined"


def test_padding_and_rings_follow_the_text_size(shown, qtbot, qapp):
    card = Card()
    set_card(card)
    button = QPushButton("Accept")
    shown(card)
    shown(button)

    def measure() -> tuple[int, int]:
        QApplication.processEvents()
        focus(qtbot, button)
        ring = focus_ring()
        assert ring is not None and ring.isVisible()
        return (card.width() - card.contentsRect().width(),
                round(share_around(button, design_colours()["focus"], 60)
                      * (button.width() + 12) * (button.height() + 12)))

    inset, ring = measure()
    try:
        apply_font_scale(qapp, 2.0)
        big_inset, big_ring = measure()
    finally:
        apply_font_scale(qapp, 1.0)
    assert big_inset >= inset * 1.7
    assert big_ring >= ring * 2.5  # a longer and a wider ring


def test_the_focus_ring_follows_the_focus_and_never_takes_a_click(shown, qtbot):
    first, second = shown(QPushButton("First")), shown(QPushButton("Second"))
    focus(qtbot, first)
    ring = focus_ring()
    assert ring is not None and ring.geometry().contains(first.geometry())
    focus(qtbot, second)
    assert ring.geometry().contains(second.geometry())
    assert not ring.geometry().intersects(first.geometry())
    assert ring.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    second.hide()  # the control goes: the ring goes with the focus, never stays behind
    QApplication.processEvents()
    now = QApplication.focusWidget()
    assert not ring.isVisible() or (now is not None and now is not second
                                    and ring.geometry().contains(now.geometry()))


def test_a_spin_box_is_ringed_not_the_editor_inside_it(shown, qtbot):
    spin = shown(QSpinBox())
    focus(qtbot, spin)
    ring = focus_ring()
    assert ring is not None and ring.parentWidget() is spin.parentWidget()
    assert ring.geometry().contains(spin.geometry())
