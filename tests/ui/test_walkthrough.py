"""A whole assessment in each installed setting, through the real widgets."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from screening_app.content.models import SETTINGS
from screening_app.store import StoreError
from screening_app.ui.items.choice import RadioItem

from .helpers import Walker, calm, click, complete, first, start_assessment


def installed(catalog) -> list[str]:
    return [s for s in SETTINGS if s in catalog.pathways]


def test_every_setting_is_installed(catalog):
    assert installed(catalog) == list(SETTINGS)


@pytest.mark.parametrize("setting", SETTINGS)
def test_full_assessment_in_each_setting(window, qtbot, ctx, setting):
    assert setting in ctx.catalog.pathways, f"no {setting} pathway installed"
    assessment = start_assessment(window, qtbot, setting, reference=f"WALK-{setting}")
    walker = Walker(window, qtbot, calm)
    pages = walker.walk_all()
    assert pages >= 2
    review = window.review
    complete(review, qtbot)
    assert review.amend_button.isVisible() and not review.complete_button.isVisible()
    stored = ctx.store.load(assessment.id)
    assert stored.status == "complete"
    # Every question shown was answered, and the store holds exactly what the screen showed.
    reopened = ctx.open(assessment.id)
    shown = [(m.id, i.id) for m, i in reopened.session.visible_items() if i.answerable]
    assert shown and all(reopened.session.answers.get(k) is not None for k in shown)


def test_answering_yes_everywhere_raises_and_records_act_now(window, qtbot, ctx):
    assessment = start_assessment(window, qtbot, "ed")
    walker = Walker(window, qtbot, first)
    walker.walk_all()
    assert walker.acknowledged, "answering yes to everything raised no act-now flag"
    stored = ctx.store.load(assessment.id)
    assert {a.flag_id for a in stored.acknowledgements} >= set(walker.acknowledged)
    assert assessment.unacknowledged_act_now() == []
    assert window.review.complete_button.isEnabled()


def _go_to_module(window, qtbot, module_id: str) -> None:
    page = window.walkthrough
    walker = Walker(window, qtbot, calm)
    for _ in range(40):
        if page.view.page.module.id == module_id:
            return
        walker.walk_page()
        click(qtbot, page.next_button)
    raise AssertionError(f"never reached {module_id}")


def test_branching_shows_and_hides_at_once(window, qtbot, ctx):
    start_assessment(window, qtbot, "ed")
    _go_to_module(window, qtbot, "asq")
    view = window.walkthrough.view
    q1, q5 = view.widget_for("q1"), view.widget_for("q5")
    assert q5.isHidden()
    click(qtbot, q1.buttons[q1.values.index("yes")])
    assert not q5.isHidden() and q5.isVisible()
    page = window.walkthrough
    qtbot.waitUntil(lambda: page.act_now_dialog is not None)
    click(qtbot, page.act_now_dialog.button)
    qtbot.waitUntil(lambda: page.act_now_dialog is None)
    click(qtbot, q1.buttons[q1.values.index("no")])
    qtbot.waitExposed(page.reason_dialog)  # taking back a disclosure needs a reason
    qtbot.keyClicks(page.reason_dialog.reason, "asked again, she says no")
    click(qtbot, page.reason_dialog.ok)
    assert q5.isHidden()


def test_act_now_interrupts_at_once_and_must_be_acknowledged(window, qtbot, ctx):
    assessment = start_assessment(window, qtbot, "ed")
    _go_to_module(window, qtbot, "asq")
    page = window.walkthrough
    view = page.view
    click(qtbot, view.widget_for("q1").buttons[0])  # yes
    # A positive screen means the child cannot leave until evaluated for safety (ASQ
    # toolkit), so even the non-acute positive interrupts at once.
    dialog = page.act_now_dialog
    assert dialog is not None and dialog.isVisible() and dialog.isModal()
    assert dialog.flag.id == "asq-non-acute"
    dialog.reject()  # Escape / close cannot dismiss it
    assert dialog.isVisible()
    assert ctx.store.load(assessment.id).acknowledgements == []
    click(qtbot, dialog.button)
    qtbot.waitUntil(lambda: page.act_now_dialog is None)
    q5 = view.widget_for("q5")
    click(qtbot, q5.buttons[q5.values.index("yes")])
    dialog = page.act_now_dialog
    assert dialog is not None and dialog.flag.id == "asq-acute"
    assert "Do not leave the child alone" in dialog.action.text()
    raised = {f.id: f for f in assessment.session.evaluation.flags}
    assert dialog.action.text() == raised["asq-acute"].action
    click(qtbot, dialog.button)
    qtbot.waitUntil(lambda: page.act_now_dialog is None)
    acks = ctx.store.load(assessment.id).acknowledgements
    assert [a.flag_id for a in acks] == ["asq-non-acute", "asq-acute"]
    assert acks[0].by == "Nurse Test"
    assert "(acknowledged)" in page.flags.model.data(page.flags.model.index(0))


def test_saved_is_shown_only_after_the_commit(window, qtbot, ctx, monkeypatch):
    assessment = start_assessment(window, qtbot, "ed")
    view = window.walkthrough.view
    widget = next(w for w in view.answerable() if isinstance(w, RadioItem))
    real = ctx.store.record_answer
    seen = []

    def record(*args, **kwargs):
        seen.append(widget.status.text())
        return real(*args, **kwargs)

    monkeypatch.setattr(ctx.store, "record_answer", record)
    click(qtbot, widget.buttons[0])
    assert seen == ["Saving…"]
    assert widget.status.text() == "Saved"
    assert window.walkthrough.saved_label.text().startswith("Saved")
    stored = {(a.module, a.item): a.value for a in ctx.store.load(assessment.id).answers}
    assert stored[(view.page.module.id, widget.item.id)] == widget.values[0]


def test_store_error_shows_a_banner_and_keeps_the_answer(window, qtbot, ctx, monkeypatch):
    assessment = start_assessment(window, qtbot, "ed")
    page = window.walkthrough
    widget = next(w for w in page.view.answerable() if isinstance(w, RadioItem))
    real = ctx.store.record_answer

    def full_disk(*args, **kwargs):
        raise StoreError("not saved: the disk holding heard.db is full. Free some space; "
                         "nothing saved before was lost")

    monkeypatch.setattr(ctx.store, "record_answer", full_disk)
    click(qtbot, widget.buttons[1])
    assert page.banner.isVisible()
    assert "disk holding heard.db is full" in page.banner.message.text()
    assert widget.status.text() == "Not saved"
    assert widget.buttons[1].isChecked()  # the value stays on screen
    assert ctx.store.load(assessment.id).answers == []
    monkeypatch.setattr(ctx.store, "record_answer", real)
    click(qtbot, page.banner.action)  # Try again
    assert not page.banner.isVisible()
    stored = ctx.store.load(assessment.id).answers
    assert [(a.item, a.value) for a in stored] == [(widget.item.id, widget.values[1])]


def test_typed_text_is_saved_after_a_pause_and_before_navigation(window, qtbot, ctx):
    from screening_app.ui.items.entry import TypedItem

    assessment = start_assessment(window, qtbot, "ed")
    page = window.walkthrough
    walker = Walker(window, qtbot, calm)
    for _ in range(40):
        typed = [w for w in page.view.answerable() if isinstance(w, TypedItem)]
        if typed:
            break
        walker.walk_page()
        click(qtbot, page.next_button)
    widget = typed[0]
    widget.editor.setFocus()
    qtbot.keyClicks(widget.editor, "first words")
    qtbot.waitUntil(lambda: widget.status.text() == "Saved", timeout=3000)
    # More typing, then straight to the next page: nothing is lost.
    qtbot.keyClicks(widget.editor, " and more")
    key = (page.view.page.module.id, widget.item.id)
    click(qtbot, page.next_button)
    stored = {(a.module, a.item): a.value for a in ctx.store.load(assessment.id).answers}
    assert stored[key].endswith("first words and more")


def test_changing_a_disclosure_answer_asks_why_and_the_flag_stays_on_review(window, qtbot,
                                                                            ctx):
    """Issue 11.8 through the desktop door: the same rule as tests/app/test_rules.py."""
    from PySide6.QtWidgets import QLabel

    assessment = start_assessment(window, qtbot, "ed")
    _go_to_module(window, qtbot, "asq")
    page = window.walkthrough
    q1 = page.view.widget_for("q1")
    click(qtbot, q1.buttons[q1.values.index("yes")])
    qtbot.waitUntil(lambda: page.act_now_dialog is not None)
    click(qtbot, page.act_now_dialog.button)
    qtbot.waitUntil(lambda: page.act_now_dialog is None)
    click(qtbot, q1.buttons[q1.values.index("no")])
    dialog = page.reason_dialog
    qtbot.waitExposed(dialog)
    assert any("stays on the record" in w.text() for w in dialog.findChildren(QLabel))
    dialog.reject()  # not changed: the earlier answer is back on screen
    assert assessment.session.answers[("asq", "q1")] == "yes"
    assert q1.value == "yes"
    assert q1.status.text() == "", "nothing is being saved after a cancel"
    click(qtbot, q1.buttons[q1.values.index("no")])
    dialog = page.reason_dialog
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.reason, "misread the question")
    click(qtbot, dialog.ok)
    assert assessment.session.answers[("asq", "q1")] == "no"
    window.show_review(assessment)
    retracted = [w for w in window.review.findChildren(QLabel)
                 if w.objectName().startswith("retracted:")]
    assert retracted and "raised, then changed" in retracted[0].text()


def test_the_enter_that_moves_on_never_acknowledges_an_act_now_unseen(window, qtbot, ctx):
    """Walk finding: answering with the keys (1, then Enter = next) acknowledged the act-now
    interruption with the same Enter, before anyone read it. The dialog opens on its text;
    Enter does nothing there; only a deliberate press of the button acknowledges."""
    assessment = start_assessment(window, qtbot, "ed")
    _go_to_module(window, qtbot, "asq")
    page = window.walkthrough
    q1 = page.view.widget_for("q1")
    q1.buttons[0].setFocus()
    qtbot.keyClick(q1.buttons[0], Qt.Key.Key_1)  # yes, by its number key
    qtbot.waitUntil(lambda: page.act_now_dialog is not None)
    dialog = page.act_now_dialog
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.scroll)
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
        qtbot.keyClick(QApplication.focusWidget(), key)
        qtbot.keyClick(dialog, key)
    assert dialog.isVisible() and not dialog.button.isDefault()
    assert ctx.store.load(assessment.id).acknowledgements == []
    dialog.button.setFocus()
    qtbot.keyClick(dialog.button, Qt.Key.Key_Return)  # not even on the button itself
    assert ctx.store.load(assessment.id).acknowledgements == []
    qtbot.keyClick(dialog.button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: page.act_now_dialog is None)
    assert [a.flag_id for a in ctx.store.load(assessment.id).acknowledgements] == [
        "asq-non-acute"]
