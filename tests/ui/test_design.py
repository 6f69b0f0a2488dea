"""Issue 15.2: the design system (ui/theme.py): a card per question, one primary action per
screen, a focus ring on every control, a filled selected state with a tick in light and
dark for staff and child, and spacing that grows with the text."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QPushButton, QStyleFactory, QWidget

from screening_app.ui.items import ItemWidget
from screening_app.ui.theme import (
    TICK,
    apply_design,
    apply_font_scale,
    dark_palette,
    design_colours,
    spacing,
)

from .helpers import click, start_assessment


@pytest.fixture(params=["light", "dark"])
def scheme(request, qapp):
    palette = dark_palette() if request.param == "dark" else \
        QStyleFactory.create("Fusion").standardPalette()
    apply_design(qapp, palette)
    yield request.param
    apply_design(qapp, QStyleFactory.create("Fusion").standardPalette())


def share_of(widget: QWidget, colour: QColor, tolerance: int = 40) -> float:
    """The share of the widget's pixels close to ``colour``."""
    return _share(widget.grab().toImage(), colour, tolerance)


def _share(image: QImage, colour: QColor, tolerance: int) -> float:
    hits = total = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            c = image.pixelColor(x, y)
            total += 1
            if abs(c.red() - colour.red()) + abs(c.green() - colour.green()) \
                    + abs(c.blue() - colour.blue()) <= tolerance:
                hits += 1
    return hits / max(total, 1)


def share_around(widget: QWidget, colour: QColor, tolerance: int = 40) -> float:
    """The share of pixels close to ``colour`` on and just around the widget, as its parent
    shows it: the focus ring (theme.FocusRing) is drawn over the widget's edge, in its
    parent."""
    out = 6
    area = widget.geometry().adjusted(-out, -out, out, out)
    return _share(widget.parentWidget().grab(area).toImage(), colour, tolerance)


def primaries(window) -> list[QPushButton]:
    QApplication.processEvents()
    return [b for b in window.findChildren(QPushButton)
            if b.isVisible() and b.property("primary")]


def test_one_primary_action_per_screen(window, qtbot, ctx):
    assert [b.text() for b in primaries(window)] == ["&Start a new assessment"]
    window.show_start()
    assert [b.text() for b in primaries(window)] == ["Start &assessment"]
    window.show_home()
    start_assessment(window, qtbot, "ed")
    assert [b.text() for b in primaries(window)] == ["&Next"]
    window.show_review(window.assessment)
    assert [b.objectName() or b.text().split()[0] for b in primaries(window)] == ["&Complete"]


def test_every_question_is_a_card(window, qtbot, ctx):
    start_assessment(window, qtbot, "ed")
    questions = window.walkthrough.view.answerable()
    assert questions and all(w.property("card") for w in questions)
    info = [w for w in window.walkthrough.view.findChildren(ItemWidget)
            if not w.item.answerable]
    assert all(not w.property("card") for w in info)  # text is not dressed as a question


def test_selected_answer_is_filled_with_the_accent(scheme, window, qtbot, ctx):
    start_assessment(window, qtbot, "ed")
    widget = window.walkthrough.view.answerable()[1]
    button = widget.buttons[0]
    accent = design_colours()["accent"]
    before = share_of(button, accent)
    click(qtbot, button)
    assert button.isChecked()
    assert share_of(button, accent) > before + 0.03, f"{scheme}: selection barely visible"


def test_childs_selected_answer_is_filled_and_ticked(scheme, window, qtbot, ctx):
    opened = ctx.start(setting="school-nurse", age=11, reference="SN-D", presenting_issue="Y7")
    window.open_by_id(opened.id)
    window._begin_child_mode(ctx.hand_to_child("1234"))
    child = window.child
    for _ in range(len(child.items)):
        plain = [b for b in getattr(child.widget, "buttons", []) if isinstance(b, QPushButton)]
        if plain:
            break
        child.next()
    button = plain[0]
    accent = design_colours()["accent"]
    assert share_of(button, accent) < 0.2
    button.setFocus()  # focus alone must not look chosen
    QApplication.processEvents()
    assert share_of(button, accent) < 0.2, f"{scheme}: a focused answer looks selected"
    click(qtbot, button)
    assert button.isChecked() and button.text().startswith(TICK)
    assert share_of(button, accent) > 0.5, f"{scheme}: the child's choice is not filled"


def test_focus_ring_on_buttons_and_boxes(scheme, window, qtbot, ctx):
    window.show_start()
    focus = design_colours()["focus"]
    for control in (window.start_page.start_button, window.start_page.setting):
        window.start_page.age.setFocus()
        QApplication.processEvents()
        without = share_around(control, focus, 60)
        control.setFocus()
        QApplication.processEvents()
        assert share_around(control, focus, 60) > without + 0.02, \
            f"{scheme}: no visible focus ring on {type(control).__name__}"


def test_spacing_grows_with_the_text(window, qtbot, ctx, qapp):
    start_assessment(window, qtbot, "ed")
    card = window.walkthrough.view.answerable()[0]

    def inset() -> int:
        QApplication.processEvents()
        return card.width() - card.contentsRect().width()

    small, unit = inset(), spacing()
    try:
        apply_font_scale(qapp, 2.0)
        assert spacing() >= unit * 1.7
        assert inset() > small
    finally:
        apply_font_scale(qapp, 1.0)


def test_a_selected_act_now_flag_keeps_its_red(scheme, window, qtbot, ctx):
    """Defect 31: the first flag is selected; an act-now row must not turn highlight-blue."""
    from screening_app.ui.screenshots import answer_until
    from screening_app.ui.theme import level_colour

    opened = ctx.start(setting="ed", age=15, reference="ED-RED", presenting_issue="Fall")
    answer_until(opened, "asq")
    opened.answer("asq", "q1", "yes")
    opened.answer("asq", "q5", "yes")
    for flag in opened.unacknowledged_act_now():
        opened.acknowledge(flag)
    window.open_by_id(opened.id)
    panel = window.walkthrough.flags
    view = panel.view
    row = next(n for n in range(panel.model.rowCount())
               if panel.model.flag_at(n).level == "act-now")
    view.setCurrentIndex(panel.model.index(row))
    QApplication.processEvents()
    rect = view.visualRect(panel.model.index(row))
    image = view.viewport().grab(rect).toImage()
    red = level_colour("act-now")
    reds = sum(abs(image.pixelColor(x, y).red() - red.red())
               + abs(image.pixelColor(x, y).green() - red.green())
               + abs(image.pixelColor(x, y).blue() - red.blue()) < 90
               for y in range(image.height()) for x in range(image.width()))
    assert reds > 20, f"{scheme}: the selected act-now flag lost its colour"


def test_the_flag_list_follows_a_live_switch_to_dark(window, qtbot, ctx, qapp):
    """Walk finding: after switching to dark, the walkthrough's flag list kept light-scheme
    red on the dark list (1.8:1) until the page was built again."""
    from PySide6.QtCore import Qt

    from screening_app.ui.screenshots import answer_until
    from screening_app.ui.theme import level_colour

    opened = ctx.start(setting="ed", age=15, reference="ED-DARK", presenting_issue="Fall")
    answer_until(opened, "asq")
    opened.answer("asq", "q1", "yes")
    for flag in opened.unacknowledged_act_now():
        opened.acknowledge(flag)
    window.open_by_id(opened.id)
    model = window.walkthrough.flags.model
    row = next(n for n in range(model.rowCount()) if model.flag_at(n).level == "act-now")

    def shown() -> QColor:
        return model.data(model.index(row), Qt.ItemDataRole.ForegroundRole)

    assert shown() == level_colour("act-now")
    light = shown()
    try:
        apply_design(qapp, dark_palette())
        assert shown() == level_colour("act-now") != light
    finally:
        apply_design(qapp, QStyleFactory.create("Fusion").standardPalette())
