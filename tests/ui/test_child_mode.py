"""Child mode: the child's own questions only, and a lock only the staff member can open."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from screening_app.ui.items.scale import FaceButton

from .helpers import click, start_assessment

REFERENCE = "SECRET-REF-77"
PRESENTING = "Private presenting issue"


def hand_over(window, qtbot, code: str = "4321") -> None:
    page = window.walkthrough
    assert page.child_button.isVisible()
    click(qtbot, page.child_button)
    dialog = window.code_dialog
    qtbot.waitExposed(dialog)
    assert not dialog.ok.isEnabled()
    qtbot.keyClicks(dialog.code, code)
    qtbot.keyClicks(dialog.again, code)
    assert dialog.ok.isEnabled()
    click(qtbot, dialog.ok)
    assert window.in_child_mode and window.child.isVisible()


def visible_texts(window) -> str:
    texts = [w.text() for w in window.findChildren(QLabel) if w.isVisible()]
    texts += [w.text() for w in window.child.findChildren(QLabel) if w.isVisible()]
    return "\n".join(texts)


def test_child_sees_only_child_questions_in_child_words(window, qtbot, ctx):
    # Staff's own note (the command line's presenting issue) never reaches the child.
    started = ctx.start(setting="school-nurse", age=12, reference=REFERENCE,
                        presenting_issue=PRESENTING)
    window.open_by_id(started.id)
    assessment = window.assessment
    hand_over(window, qtbot)
    child = window.child
    shown = visible_texts(window)
    assert REFERENCE not in shown and PRESENTING not in shown
    assert not window.walkthrough.isVisible() and not window.walkthrough.flags.isVisible()
    assert not window.menuBar().isVisible()
    first_module, first_item = child.items[0]
    assert first_item.child_facing and not first_item.staff_note
    assert child.widget.prompt_label.text() == (first_item.child_prompt or first_item.prompt)
    assert child.widget.guidance_button is None
    # The self-rating scales are faces; answering one saves it.
    for _ in range(len(child.items)):
        if any(isinstance(b, FaceButton) for b in getattr(child.widget, "buttons", [])):
            break
        click(qtbot, child.next_button)
    faces = [b for b in child.widget.buttons if isinstance(b, FaceButton)]
    assert faces, "no picture scale in the school nurse's child questions"
    assert faces[0].accessibleName().startswith("1")
    click(qtbot, faces[-1])
    module, item = child.items[child.index]
    saved = {(a.module, a.item): a.value for a in ctx.store.load(assessment.id).answers}
    assert saved[(module.id, item.id)] == int(item.max)
    assert child.widget.status.text() == "Saved"


def test_leaving_needs_the_staff_code(window, qtbot, ctx):
    start_assessment(window, qtbot, "school-nurse", age=12, reference=REFERENCE)
    hand_over(window, qtbot, code="tiger7")
    child = window.child
    click(qtbot, child.finish_button)
    assert child.unlock.isVisible()
    window.close()  # the child cannot close their way out
    assert window.isVisible() and window.in_child_mode
    qtbot.keyClicks(child.unlock.field, "1234")
    click(qtbot, child.unlock.button)
    qtbot.waitUntil(lambda: "not right" in child.unlock.message.text())  # checked off-thread
    assert window.in_child_mode
    qtbot.keyClicks(child.unlock.field, "tiger7")
    qtbot.keyClick(child.unlock.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.in_child_mode)
    assert window.walkthrough.isVisible() and window.menuBar().isVisible()
    assert child.assessment is None and child.widget is None


def test_too_many_wrong_codes_rest_the_lock(window, qtbot, ctx):
    start_assessment(window, qtbot, "school-nurse", age=12)
    hand_over(window, qtbot)
    child = window.child
    click(qtbot, child.finish_button)
    for _ in range(5):
        qtbot.waitUntil(child.unlock.field.isEnabled)
        qtbot.keyClicks(child.unlock.field, "0000")
        qtbot.keyClick(child.unlock.field, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not child.unlock.checking)
    assert not child.unlock.field.isEnabled()
    assert "Wait 30 seconds" in child.unlock.message.text()
    assert window.in_child_mode


def test_act_now_in_child_mode_hands_back_then_interrupts_staff(window, qtbot, ctx):
    assessment = start_assessment(window, qtbot, "school-nurse", age=12)
    hand_over(window, qtbot, code="9876")
    child = window.child
    for _ in range(len(child.items)):
        if child.items[child.index][1].id == "scared":
            break
        click(qtbot, child.next_button)
    widget = child.widget
    click(qtbot, widget.buttons[widget.values.index("yes")])
    # The child is thanked and asked to hand back; no flag text reaches the child.
    assert child.end_area.isVisible() and child.unlock.isVisible()
    assert "give the screen back" in child.end_message.text()
    assert window.walkthrough.act_now_dialog is None
    assert not any(w.isVisible() for w in QApplication.topLevelWidgets()
                   if w.windowTitle() == "Act now")
    qtbot.keyClicks(child.unlock.field, "9876")
    click(qtbot, child.unlock.button)
    qtbot.waitUntil(lambda: window.walkthrough.act_now_dialog is not None, timeout=10_000)
    dialog = window.walkthrough.act_now_dialog
    assert dialog.flag.id == "sr-scared"
    click(qtbot, dialog.button)
    acks = ctx.store.load(assessment.id).acknowledgements
    assert [a.flag_id for a in acks] == ["sr-scared"]


def test_unsaved_child_answer_is_kept_for_the_staff_member(window, qtbot, ctx, monkeypatch):
    from screening_app.store import StoreError

    assessment = start_assessment(window, qtbot, "school-nurse", age=12)
    hand_over(window, qtbot, code="5555")
    child = window.child
    real = ctx.store.record_answer

    def locked(*args, **kwargs):
        raise StoreError("not saved: the database /data/heard.db is locked by another program")

    monkeypatch.setattr(ctx.store, "record_answer", locked)
    click(qtbot, child.widget.buttons[2])
    assert child.problem.isVisible()
    assert "/data/heard.db" not in child.problem.text()  # no system detail for the child
    assert child.widget.buttons[2].isChecked()
    click(qtbot, child.finish_button)
    qtbot.keyClicks(child.unlock.field, "5555")
    click(qtbot, child.unlock.button)
    page = window.walkthrough
    qtbot.waitUntil(lambda: not window.in_child_mode)
    assert page.banner.isVisible() and "not saved yet" in page.banner.message.text()
    monkeypatch.setattr(ctx.store, "record_answer", real)
    click(qtbot, page.banner.action)
    saved = ctx.store.load(assessment.id).answers
    assert len(saved) == 1 and not page.banner.isVisible()
