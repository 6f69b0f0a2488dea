"""Issue 15.5: the review as a "what do I do now" task list."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFrame, QMessageBox, QPushButton, QToolButton

from .helpers import Walker, calm, click, first, focused, raise_asq_acute, start_assessment


def to_review(window, qtbot, setting: str, choose=first):  # noqa: ANN001
    assessment = start_assessment(window, qtbot, setting, reference=f"TASK-{setting}")
    Walker(window, qtbot, choose).walk_all()
    return assessment, window.review


def flag_cards(review) -> list[QFrame]:
    return [w for w in review.scroll.widget().findChildren(QFrame)
            if w.objectName().startswith("flag-card:")]


def test_act_now_and_refer_cards_come_first_with_sources_behind_why(window, qtbot, ctx):
    assessment, review = to_review(window, qtbot, "custody")
    cards = flag_cards(review)
    assert cards and all(c.property("card") for c in cards)
    levels = {f.id: f.level for f in assessment.result().flags}
    order = [levels[c.objectName().split(":", 1)[1]] for c in cards]
    rank = {"act-now": 0, "refer": 1}
    assert order == sorted(order, key=lambda level: rank.get(level, 2))
    first_card = cards[0]
    detail = first_card.findChild(QFrame, "why-detail")
    assert detail is not None and not detail.isVisible()
    why = next(b for b in first_card.findChildren(QToolButton) if b.text() == "Why?")
    click(qtbot, why)
    assert detail.isVisible() and "Source:" in detail.text()


def test_a_decision_keeps_the_scroll_position_and_focus(window, qtbot, ctx):
    window.resize(1366, 600)
    _assessment, review = to_review(window, qtbot, "custody")
    accepts = [b for b in review.scroll.widget().findChildren(QPushButton)
               if b.objectName().startswith("accept:")]
    assert len(accepts) >= 3
    target = accepts[-1]
    review.scroll.ensureWidgetVisible(target)
    QApplication.processEvents()
    before = review.scroll.verticalScrollBar().value()
    assert before > 0
    name = target.objectName()
    click(qtbot, target)
    QApplication.processEvents()
    assert window.focusWidget().objectName() == name, "focus left the decided row"
    assert abs(review.scroll.verticalScrollBar().value() - before) <= 4, "the page jumped"


def test_unanswered_questions_link_back_to_each(window, qtbot, ctx):
    start_assessment(window, qtbot, "ed", reference="TASK-GAPS")
    page = window.walkthrough
    blank = page.view.answerable()[0]
    click(qtbot, page.review_button)
    review = window.review
    links = [b for b in review.scroll.widget().findChildren(QPushButton)
             if b.objectName().startswith("go-to:")]
    assert links, "no links to the unanswered questions"
    wanted = f"go-to:{page.view.page.module.id}.{blank.item.id}"
    link = next(b for b in links if b.objectName() == wanted)
    click(qtbot, link)
    assert window.walkthrough.isVisible()
    assert window.walkthrough.view.item_containing(focused()).item.id == blank.item.id


def test_complete_asks_when_decisions_are_pending(window, qtbot, ctx):
    assessment, review = to_review(window, qtbot, "custody", calm)
    assert review.pending_decisions()
    click(qtbot, review.complete_button)
    box = review.dialog
    assert isinstance(box, QMessageBox) and box.isVisible()
    click(qtbot, next(b for b in box.buttons() if b is not review.confirm_button))
    assert ctx.store.load(assessment.id).status != "complete"
    click(qtbot, review.complete_button)
    click(qtbot, review.confirm_button)
    assert ctx.store.load(assessment.id).status == "complete"


def test_communication_profile_is_shown_during_the_walkthrough(window, qtbot, ctx):
    """Issue 15.5: how to talk with the child is in view while talking with them."""
    assessment = start_assessment(window, qtbot, "custody", reference="TASK-TALK")
    page = window.walkthrough
    walker = Walker(window, qtbot, first)
    for _ in range(len(page.pages)):
        if assessment.result().communication.profile:
            break
        walker.walk_page()
        click(qtbot, page.next_button)
        walker.acknowledge_interruptions()
    profile = assessment.result().communication.profile
    assert profile, "no communication needs came from the first options"
    talk = page.flags.talk
    assert talk.isVisible()
    assert all(need.need in talk.text() for need in profile)
    from .layout_check import layout_problems

    assert not layout_problems(window), layout_problems(window)


def test_a_finished_screen_with_nothing_found_is_a_result(window, qtbot, ctx):
    """Defect 15: not "no result yet" for a completed screen answered No throughout."""
    from PySide6.QtWidgets import QLabel

    _assessment, review = to_review(window, qtbot, "ed", calm)
    texts = [w.text() for w in review.scroll.widget().findChildren(QLabel)]
    finished = [m for m in review.assessment.result().modules if m.scores and m.complete]
    assert finished
    for m in finished:
        line = next(t for t in texts if t.startswith(f"{m.title}: "))
        assert "no result yet" not in line, line


def test_act_now_acknowledgement_keeps_a_note_shown_at_review(window, qtbot, ctx):
    """Defect 10: the act-now acknowledgement has a note field; review shows who and when."""
    opened, page = raise_asq_acute(window, qtbot, ctx, "ED-NOTE")
    dialog = page.act_now_dialog
    flag_id = dialog.flag.id
    qtbot.keyClicks(dialog.note, "Told the nurse in charge; 1:1 observation")
    click(qtbot, dialog.button)
    stored = {a.flag_id: a for a in ctx.store.load(opened.id).acknowledgements}
    assert stored[flag_id].note == "Told the nurse in charge; 1:1 observation"
    while page.act_now_dialog is not None:
        click(qtbot, page.act_now_dialog.button)
    window.show_review(window.assessment)
    from PySide6.QtWidgets import QLabel

    card = window.review.scroll.widget().findChild(QFrame, f"flag-card:{flag_id}")
    texts = " ".join(w.text() for w in card.findChildren(QLabel))
    texts = texts.replace("\u2068", "").replace("\u2069", "")  # user text is isolated
    assert "Acknowledged by Nurse Test" in texts and "1:1 observation" in texts


def test_an_act_now_not_yet_acknowledged_is_acknowledged_from_its_review_card(window, qtbot,
                                                                              ctx):
    """15.5: the review's act-now card has its own Acknowledge (with the note), so the task
    list alone can clear what blocks completion."""
    from PySide6.QtWidgets import QLabel

    from screening_app.ui.screenshots import answer_until

    opened = ctx.start(setting="ed", age=15, reference="ED-ACK", presenting_issue="Fall")
    answer_until(opened, "asq")
    opened.answer("asq", "q1", "yes")
    opened.answer("asq", "q5", "yes")
    window.show_review(ctx.open(opened.id))
    review = window.review
    content = review.scroll.widget()
    button = content.findChild(QPushButton, "acknowledge:flag:asq-acute")
    assert button is not None and button.isVisible()
    click(qtbot, button)
    dialog = review.dialog
    assert dialog is not None and dialog.flag.id == "asq-acute"
    qtbot.keyClicks(dialog.note, "1:1 observation; CAMHS called")
    click(qtbot, dialog.button)
    stored = {a.flag_id: a for a in ctx.store.load(opened.id).acknowledgements}
    assert stored["asq-acute"].note == "1:1 observation; CAMHS called"
    QApplication.processEvents()
    content = review.scroll.widget()
    assert content.findChild(QPushButton, "acknowledge:flag:asq-acute") is None
    card = content.findChild(QFrame, "flag-card:asq-acute")
    texts = " ".join(w.text() for w in card.findChildren(QLabel))
    assert "Acknowledged by Nurse Test" in texts.replace("\u2068", "").replace("\u2069", "")


def test_after_an_edit_or_an_acknowledgement_a_stray_space_decides_nothing(window, qtbot,
                                                                           ctx):
    """Walk finding: after the Edit dialog (or the act-now acknowledgement) closed, focus was
    on Accept, so the next Space accepted the flag over the edit; and the edited wording did
    not show on the card."""
    from PySide6.QtWidgets import QLabel

    from screening_app.ui.screenshots import answer_until

    opened = ctx.start(setting="ed", age=15, reference="ED-SPACE", presenting_issue="Fall")
    answer_until(opened, "asq")
    opened.answer("asq", "q1", "yes")
    opened.answer("asq", "q5", "yes")
    window.show_review(ctx.open(opened.id))
    review = window.review
    target = "flag:asq-acute"
    click(qtbot, review.scroll.widget().findChild(QPushButton, f"acknowledge:{target}"))
    click(qtbot, review.dialog.button)
    QApplication.processEvents()
    assert not window.focusWidget().objectName().startswith("accept:")
    click(qtbot, review.scroll.widget().findChild(QPushButton, f"edit:{target}"))
    dialog = review.dialog
    dialog.text_edit.setPlainText("Stay with the child; urgent CAMHS review now")
    qtbot.keyClicks(dialog.reason, "the family asked for plainer words")
    click(qtbot, dialog.ok)
    QApplication.processEvents()
    assert window.focusWidget().objectName() == f"edit:{target}"
    title = review.scroll.widget().findChild(QLabel, "flag-title:asq-acute")
    assert title.text().endswith("Stay with the child; urgent CAMHS review now")
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Space)  # reopens the edit: no decision
    QApplication.processEvents()
    if review.dialog is not None and review.dialog.isVisible():
        review.dialog.reject()
    decisions = [d.decision for d in ctx.store.load(opened.id).decisions
                 if d.target == target]
    assert decisions == ["edit"]
