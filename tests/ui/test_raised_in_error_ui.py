"""Defect 21 (H-149): an act-now flag raised by a mis-click is marked "raised in error" with
a reason, from the act-now dialog and from the review's flag card; it then shows apart
with who and why, and no longer blocks completion."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QFrame, QLabel, QPushButton

from .helpers import click, raise_asq_acute


def _texts(widget) -> str:  # noqa: ANN001
    text = " ".join(w.text() for w in widget.findChildren(QLabel))
    return text.replace("\u2068", "").replace("\u2069", "")  # user text is isolated


def _give_reason(qtbot, dialog, reason: str) -> None:  # noqa: ANN001
    assert dialog is not None and dialog.isVisible()
    assert not dialog.ok.isEnabled(), "a reason is required"
    qtbot.keyClicks(dialog.reason, reason)
    click(qtbot, dialog.ok)


def test_the_act_now_dialog_marks_a_flag_raised_in_error_with_a_reason(window, qtbot, ctx):
    opened, page = raise_asq_acute(window, qtbot, ctx, "ED-ERR")
    dialog = page.act_now_dialog
    flag_id = dialog.flag.id
    assert dialog.error_button is not None and dialog.error_button.isVisible()
    click(qtbot, dialog.error_button)
    _give_reason(qtbot, dialog.reason_dialog, "Mis-click: she said no")
    qtbot.waitUntil(lambda: page.act_now_dialog is None or page.act_now_dialog.flag.id
                    != flag_id)
    stored = ctx.store.load(opened.id)
    assert [(d.target, d.decision, d.reason) for d in stored.decisions] == [
        (f"flag:{flag_id}", "error", "Mis-click: she said no")]
    assert flag_id not in {a.flag_id for a in stored.acknowledgements}
    shown = [page.flags.model.flag_at(r).id for r in range(page.flags.model.rowCount())]
    assert flag_id not in shown, "not shown as an active flag in the walkthrough"
    while page.act_now_dialog is not None:
        click(qtbot, page.act_now_dialog.button)
    window.show_review(window.assessment)
    content = window.review.scroll.widget()
    assert content.findChild(QFrame, f"flag-card:{flag_id}") is None
    card = content.findChild(QFrame, f"in-error-card:{flag_id}")
    assert card is not None
    texts = _texts(card)
    assert "Marked raised in error by Nurse Test" in texts
    assert "Mis-click: she said no" in texts


def test_the_review_card_marks_a_flag_raised_in_error_and_it_stops_blocking(window, qtbot,
                                                                              ctx):
    from screening_app.ui.screenshots import answer_until

    opened = ctx.start(setting="ed", age=15, reference="ED-ERR2", presenting_issue="Fall")
    answer_until(opened, "asq")
    opened.answer("asq", "q1", "yes")
    opened.answer("asq", "q5", "yes")
    flag_id = "asq-acute"
    for other in opened.unacknowledged_act_now():
        if other != flag_id:
            opened.acknowledge(other)
    for screen in opened.unresolved_safety_screens():
        opened.record_not_asked(screen.module, screen.item, "crisis team asked")
    window.show_review(ctx.open(opened.id))
    review = window.review
    assert not review.complete_button.isEnabled(), "the act-now flag still blocks"
    button = review.scroll.widget().findChild(QPushButton, f"error:flag:{flag_id}")
    assert button is not None and button.text() == "Raised in error…"
    click(qtbot, button)
    _give_reason(qtbot, review.dialog, "Wrong child's answers")
    QApplication.processEvents()
    assert flag_id in window.assessment.flags_in_error()
    content = review.scroll.widget()
    assert content.findChild(QFrame, f"flag-card:{flag_id}") is None
    card = content.findChild(QFrame, f"in-error-card:{flag_id}")
    assert "Wrong child's answers" in _texts(card)
    # H-149: q1 is still 'yes', so the positive-screen flag the acute one superseded is back
    # and blocks until acknowledged; the mistaken act-now itself no longer blocks
    assert content.findChild(QFrame, "flag-card:asq-non-acute") is not None
    assert not review.complete_button.isEnabled()
    window.assessment.acknowledge("asq-non-acute")
    review.refresh(focus_target=f"flag:{flag_id}")
    assert review.complete_button.isEnabled(), "a mistaken act-now must not block completion"
    assert window.focusWidget().objectName() == f"accept:flag:{flag_id}", \
        "focus stays with the decided flag"
    assert ctx.store.load(opened.id).decisions[-1].decision == "error"


def test_a_flag_raised_again_after_its_marking_lapsed_needs_a_decision(window, qtbot, ctx):
    """Walk finding: after 'raised in error', a later answer raised the flag again, but the
    review still showed the old marking as the decision and left the flag off the list of
    decisions pending. Now the card says the marking lapsed, and the flag is pending."""
    from screening_app.ui.screenshots import answer_until

    opened = ctx.start(setting="ed", age=15, reference="ED-ERR3")
    answer_until(opened, "asq")
    opened.answer("asq", "q1", "yes")
    opened.answer("asq", "q5", "yes")
    opened.decide("flag:asq-acute", "error", reason="Mis-click")
    opened.answer("asq", "q5", "no", reason="corrected")
    opened.answer("asq", "q5", "yes")  # then the child did say yes
    result = opened.result()
    assert result.decision_for("flag:asq-acute") is None
    assert result.lapsed_in_error("flag:asq-acute").reason == "Mis-click"
    window.show_review(ctx.open(opened.id))
    content = window.review.scroll.widget()
    card = content.findChild(QFrame, "flag-card:asq-acute")
    assert card is not None and content.findChild(QFrame, "in-error-card:asq-acute") is None
    lapsed = card.findChild(QLabel, "lapsed:flag:asq-acute")
    assert lapsed is not None and "a later answer raised it again" in lapsed.text()
    assert card.findChild(QLabel, "decision:flag:asq-acute") is None
    title = next(f.title for f in result.flags if f.id == "asq-acute")
    assert title in window.review.pending_decisions()


def test_flag_colours_follow_a_scheme_change_on_an_open_review(window, qtbot, ctx):
    """Walk finding: switched to dark with the review open, act-now titles kept the light
    scheme's red on the dark card (about 1.9:1)."""
    from PySide6.QtGui import QPalette

    from screening_app.ui import theme as theme_module
    from screening_app.ui.screenshots import answer_until

    opened = ctx.start(setting="ed", age=15, reference="ED-DARK")
    answer_until(opened, "asq")
    opened.answer("asq", "q1", "yes")
    window.show_review(ctx.open(opened.id))
    app = QApplication.instance()
    original = QPalette(app.palette())

    def title_colours() -> set[str]:
        card = window.review.scroll.widget().findChild(QFrame, "flag-card:asq-non-acute")
        return {label.palette().color(label.foregroundRole()).name()
                for label in card.findChildren(QLabel)}

    light = theme_module.level_colour("act-now").name()
    assert light in title_colours()
    try:
        app.setPalette(theme_module.dark_palette())
        dark = theme_module.level_colour("act-now").name()
        qtbot.waitUntil(lambda: dark in title_colours())
        assert light not in title_colours()
    finally:
        app.setPalette(original)


def test_marking_an_acute_screen_in_error_interrupts_with_the_flag_that_comes_back(
        window, qtbot, ctx):
    """H-149: q1 is still 'yes', so the acute ASQ flag marked raised in error brings back the
    positive-screen act-now, which interrupts at once like any new act-now."""
    from screening_app.ui.screenshots import answer_until

    opened = ctx.start(setting="ed", age=15, reference="ED-BACK", presenting_issue="Fall")
    answer_until(opened, "asq")
    opened.answer("asq", "q1", "yes")
    opened.answer("asq", "q5", "yes")  # acute: the non-acute flag is never raised
    window.open_by_id(opened.id)
    page = window.walkthrough
    qtbot.waitUntil(lambda: page.act_now_dialog is not None)
    while page.act_now_dialog.flag.id != "asq-acute":
        click(qtbot, page.act_now_dialog.button)
        qtbot.waitUntil(lambda: page.act_now_dialog is not None)
    click(qtbot, page.act_now_dialog.error_button)
    _give_reason(qtbot, page.act_now_dialog.reason_dialog, "q5 was a mis-click")
    qtbot.waitUntil(lambda: page.act_now_dialog is not None
                    and page.act_now_dialog.flag.id == "asq-non-acute")
    assert "asq-non-acute" in window.assessment.unacknowledged_act_now()


def test_words_typed_after_the_marking_interrupt_with_the_acute_flag_at_once(
        window, qtbot, ctx):
    """Walk finding: the acute flag marked in error, then the child's words typed into q5's
    'please describe': the acute act-now interrupts at once, not sections later."""
    from screening_app.ui.screenshots import answer_until

    opened = ctx.start(setting="ed", age=15, reference="ED-AGAIN", presenting_issue="Fall")
    answer_until(opened, "asq")
    opened.answer("asq", "q1", "yes")
    opened.answer("asq", "q5", "yes")
    for flag_id in opened.unacknowledged_act_now():
        if flag_id == "asq-acute":
            opened.decide("flag:asq-acute", "error", reason="mis-click")
        else:
            opened.acknowledge(flag_id)
    for flag_id in opened.unacknowledged_act_now():  # the one that came back (H-149)
        opened.acknowledge(flag_id)
    window.open_by_id(opened.id)
    page = window.walkthrough
    QApplication.processEvents()
    assert page.act_now_dialog is None
    page.go_to("asq", "q5_describe")
    words = page.view.widget_for("q5_describe")
    words.focus_first()
    qtbot.keyClicks(QApplication.focusWidget(), "every night")
    page.flush()
    qtbot.waitUntil(lambda: page.act_now_dialog is not None)
    assert page.act_now_dialog.flag.id == "asq-acute"
