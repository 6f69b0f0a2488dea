"""Each question widget on its own: built from an item model, answering through signals."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from screening_app.content.models import DECLINED, Item
from screening_app.ui.items import create_item_widget, widget_class
from screening_app.ui.items.choice import SingleChoiceItem, YesNoItem
from screening_app.ui.items.entry import DateItem, LongTextItem, NumberItem, ShortTextItem
from screening_app.ui.items.info import InfoItem
from screening_app.ui.items.multi import MultiChoiceItem
from screening_app.ui.items.scale import FaceButton, ScaleItem

OPTIONS = [{"code": "0", "label": "Not at all", "child_label": "Never"},
           {"code": "1", "label": "Several days & nights", "child_label": "Sometimes"},
           {"code": "2", "label": "Nearly every day"}]


def item(**fields) -> Item:
    fields.setdefault("id", "q")
    fields.setdefault("prompt", "Staff wording?")
    return Item.model_validate(fields)


def make(qtbot, it: Item, *, child: bool = False, setting: str = "gp"):
    widget = create_item_widget(it, setting, child=child)
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.mark.parametrize(("fields", "cls"), [
    ({"type": "yes_no"}, YesNoItem),
    ({"type": "single_choice", "options": OPTIONS}, SingleChoiceItem),
    ({"type": "multi_choice", "options": OPTIONS}, MultiChoiceItem),
    ({"type": "scale", "min": 1, "max": 5}, ScaleItem),
    ({"type": "scale", "min": 0, "max": 100}, NumberItem),
    ({"type": "number", "min": 0, "max": 120, "unit": "kg"}, NumberItem),
    ({"type": "date"}, DateItem),
    ({"type": "text", "max_length": 200}, ShortTextItem),
    ({"type": "text"}, LongTextItem),
    ({"type": "child_words"}, LongTextItem),
    ({"type": "info"}, InfoItem),
])
def test_one_widget_class_per_type(fields, cls):
    assert widget_class(item(**fields)) is cls


def test_setting_wording_and_child_wording(qtbot):
    it = item(type="yes_no", setting_prompts={"custody": "Custody wording?"},
              child_prompt="Child wording?")
    assert make(qtbot, it, setting="custody").prompt_label.text() == "Custody wording?"
    assert make(qtbot, it, setting="gp").prompt_label.text() == "Staff wording?"
    assert make(qtbot, it, child=True).prompt_label.text() == "Child wording?"


def test_choice_by_click_and_by_number_key(qtbot):
    widget = make(qtbot, item(type="single_choice", options=OPTIONS, guidance="Ask gently."))
    assert [b.accessibleName() for b in widget.buttons] == [
        "Not at all", "Several days & nights", "Nearly every day", "Declined to answer"]
    assert widget.buttons[1].text() == "Several days && nights"  # shown as '&', no mnemonic
    with qtbot.waitSignal(widget.answered) as got:
        qtbot.mouseClick(widget.buttons[2], Qt.MouseButton.LeftButton)
    assert got.args == ["2"]
    with qtbot.waitSignals([widget.answered, widget.advance]) as got:
        qtbot.keyClick(widget.buttons[2], Qt.Key.Key_1)  # key 1 = the first option ("0")
    assert widget.value == "0" and widget.buttons[0].isChecked()
    with qtbot.waitSignal(widget.answered) as got:
        qtbot.keyClick(widget.buttons[0], Qt.Key.Key_4)
    assert got.args == [DECLINED]
    with qtbot.assertNotEmitted(widget.answered):
        qtbot.keyClick(widget.buttons[0], Qt.Key.Key_9)  # no ninth option
    assert widget.guidance_label.isHidden()
    qtbot.mouseClick(widget.guidance_button, Qt.MouseButton.LeftButton)
    assert widget.guidance_label.isVisible()
    widget.set_value("1")
    assert widget.buttons[1].isChecked()
    widget.set_value(None)
    assert not any(b.isChecked() for b in widget.buttons)


def test_child_choice_uses_child_labels_and_no_guidance(qtbot):
    widget = make(qtbot, item(type="single_choice", options=OPTIONS, guidance="g"), child=True)
    assert [b.accessibleName() for b in widget.buttons][:3] == [
        "Never", "Sometimes", "Nearly every day"]
    assert widget.guidance_button is None
    assert widget.buttons[-1].accessibleName() == "I'd rather not say"


def test_multi_choice_ticks_and_untick_clears(qtbot):
    widget = make(qtbot, item(type="multi_choice", options=OPTIONS))
    with qtbot.waitSignal(widget.answered) as got:
        qtbot.mouseClick(widget.buttons[2], Qt.MouseButton.LeftButton)
    assert got.args == [["2"]]
    with qtbot.waitSignal(widget.answered) as got, qtbot.assertNotEmitted(widget.advance):
        qtbot.keyClick(widget.buttons[2], Qt.Key.Key_1)
    assert got.args == [["0", "2"]]
    qtbot.mouseClick(widget.buttons[0], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(widget.cleared):
        qtbot.mouseClick(widget.buttons[2], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(widget.answered) as got:
        qtbot.mouseClick(widget.declined_box, Qt.MouseButton.LeftButton)
    assert got.args == [DECLINED] and not widget.buttons[0].isEnabled()


def test_scale_digits_pick_values_and_child_sees_faces(qtbot):
    widget = make(qtbot, item(type="scale", min=0, max=10, min_label="None", max_label="Lots"))
    assert widget.buttons[0].accessibleName() == "0, None"
    with qtbot.waitSignal(widget.answered) as got:
        qtbot.keyClick(widget.buttons[0], Qt.Key.Key_7)
    assert got.args == [7]
    child = make(qtbot, item(type="scale", min=1, max=5, min_label="Bad", max_label="Good"),
                 child=True)
    faces = [b for b in child.buttons if isinstance(b, FaceButton)]
    assert [f.mood for f in faces] == [0, 0.25, 0.5, 0.75, 1]
    with qtbot.waitSignal(child.answered) as got:
        qtbot.mouseClick(faces[4], Qt.MouseButton.LeftButton)
    assert got.args == [5]
    assert child.grab().width() > 0  # paints


def test_number_parses_and_explains(qtbot):
    widget = make(qtbot, item(type="number", min=0, max=120, unit="kg"))
    qtbot.keyClicks(widget.editor, "twelve")
    with qtbot.assertNotEmitted(widget.answered):
        qtbot.keyClick(widget.editor, Qt.Key.Key_Return)
    assert "not a number" in widget.error.text().lower() and widget.error.isVisible()
    widget.editor.clear()
    qtbot.keyClicks(widget.editor, "42.5")
    with qtbot.waitSignal(widget.answered) as got:
        qtbot.keyClick(widget.editor, Qt.Key.Key_Return)
    assert got.args == [42.5]


def test_date_accepts_uk_order(qtbot):
    widget = make(qtbot, item(type="date"))
    qtbot.keyClicks(widget.editor, "31/01/2026")
    with qtbot.waitSignal(widget.answered) as got:
        qtbot.keyClick(widget.editor, Qt.Key.Key_Return)
    assert got.args == ["2026-01-31"]
    widget.set_value("2020-02-01")
    assert widget.editor.text() == "01/02/2020"


def test_text_waits_for_a_pause_and_declined_disables(qtbot, fast_typing):
    widget = make(qtbot, item(type="child_words"))
    with qtbot.waitSignal(widget.answered, timeout=2000) as got:
        qtbot.keyClicks(widget.editor, "I don't like school")
    assert got.args == ["I don't like school"]
    assert widget.editor.tabChangesFocus()
    with qtbot.waitSignal(widget.answered) as got:
        qtbot.mouseClick(widget.declined_box, Qt.MouseButton.LeftButton)
    assert got.args == [DECLINED] and not widget.editor.isEnabled()
    with qtbot.waitSignal(widget.answered) as got:  # unticked: the typed words count again
        qtbot.mouseClick(widget.declined_box, Qt.MouseButton.LeftButton)
    assert got.args == ["I don't like school"] and widget.editor.isEnabled()
    widget.editor.clear()
    with qtbot.waitSignal(widget.answered):
        qtbot.mouseClick(widget.declined_box, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(widget.cleared):
        qtbot.mouseClick(widget.declined_box, Qt.MouseButton.LeftButton)


def test_info_has_no_controls(qtbot):
    widget = make(qtbot, item(type="info", prompt="Explain to the child why you are asking."))
    assert widget.declined_box is None and not widget.item.answerable


def test_text_is_sent_on_focus_out_and_within_half_a_second(qtbot):
    """Issue 15.7 / defect 25: a crash loses at most the last half second of typing."""
    from PySide6.QtWidgets import QLineEdit

    from screening_app.ui.items import entry

    assert entry.DEBOUNCE_MS <= 500
    widget = make(qtbot, item(type="text"))
    other = QLineEdit()
    qtbot.addWidget(other)
    widget.show()
    other.show()
    widget.editor.setFocus()
    qtbot.keyClicks(widget.editor, "said just now")
    with qtbot.waitSignal(widget.answered, timeout=100) as got:  # well before the pause
        other.setFocus()
    assert got.args == ["said just now"]
    with qtbot.waitSignal(widget.answered, timeout=entry.DEBOUNCE_MS + 300) as got:
        widget.editor.setFocus()
        qtbot.keyClicks(widget.editor, " again")
    assert got.args == ["said just now again"]


def test_the_declined_box_is_in_line_with_the_answers_above_it(qtbot):
    """Walk finding: in a tick-all-that-apply question "Declined to answer" stood 3 px to
    the left of the answers' boxes (its row had other spacing than theirs)."""
    widget = make(qtbot, item(type="multi_choice", options=OPTIONS))
    qtbot.waitExposed(widget)
    lefts = {b.mapTo(widget, b.rect().topLeft()).x() for b in widget.buttons}
    declined = widget.declined_box
    assert len(lefts) == 1
    assert declined.mapTo(widget, declined.rect().topLeft()).x() == lefts.pop()
