"""Review: results with their sources, decisions with reasons, completion, export."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton

from screening_app.ui.exporting import safe_filename

from .helpers import Walker, click, complete, first, start_assessment


def review_texts(window) -> str:
    return "\n".join(w.text() for w in window.review.findChildren(QLabel))


def test_review_shows_results_sources_flags_and_child_words(window, qtbot, ctx):
    assessment = start_assessment(window, qtbot, "ed", age=15)
    Walker(window, qtbot, first).walk_all()
    text = review_texts(window)
    result = assessment.result()
    for module in result.modules:
        assert module.title in text
        if module.scores:  # a screen: its result with the instrument's attribution
            assert f"Source: {module.source} (version {module.version})" in text
    for flag in result.flags:
        assert flag.title in text and flag.action in text
    for rec in result.recommendations:
        assert rec.text in text
    assert "In their own words" in text  # the child's own words, verbatim
    for need in result.communication.needs:
        assert need in text
    assert "Answers by domain" in text


def test_decisions_are_recorded_with_reasons(window, qtbot, ctx):
    assessment = start_assessment(window, qtbot, "ed", age=15)
    Walker(window, qtbot, first).walk_all()
    review = window.review
    flags = [f.id for f in assessment.result().flags]
    titles = {f.id: f.title for f in assessment.result().flags}
    recs = [r.id for r in assessment.result().recommendations]
    assert flags and recs
    accept = review.findChild(QPushButton, f"accept:flag:{flags[0]}")
    click(qtbot, accept)
    override = review.findChild(QPushButton, f"override:recommendation:{recs[0]}")
    click(qtbot, override)
    dialog = review.dialog
    qtbot.waitExposed(dialog)
    assert not dialog.ok.isEnabled()  # no reason, no override
    qtbot.keyClicks(dialog.reason, "Already under CAMHS <b>today</b>")
    click(qtbot, dialog.ok)
    edit = review.findChild(QPushButton, f"edit:flag:{flags[-1]}")
    click(qtbot, edit)
    dialog = review.dialog
    qtbot.waitExposed(dialog)
    assert dialog.text_edit.toPlainText() == titles[flags[-1]]
    dialog.text_edit.selectAll()
    qtbot.keyClicks(dialog.text_edit, "Reworded action")
    qtbot.keyClicks(dialog.reason, "Local wording")
    click(qtbot, dialog.ok)
    decisions = {d.target: d for d in ctx.store.load(assessment.id).decisions}
    assert decisions[f"flag:{flags[0]}"].decision == "accept"
    overridden = decisions[f"recommendation:{recs[0]}"]
    assert overridden.decision == "override"
    assert overridden.reason == "Already under CAMHS <b>today</b>"
    edited = decisions[f"flag:{flags[-1]}"]
    assert (edited.decision, edited.text, edited.reason) == (
        "edit", "Reworded action", "Local wording")
    status = review.findChild(QLabel, f"decision:recommendation:{recs[0]}")
    assert "Already under CAMHS <b>today</b>" in status.text()


def test_complete_is_blocked_until_act_now_is_acknowledged(window, qtbot, ctx):
    assessment = start_assessment(window, qtbot, "ed", age=15)
    page = window.walkthrough
    # Raise an act-now flag, then go to review without acknowledging (dialog left open).
    walker = Walker(window, qtbot, first)
    for _ in range(20):
        if page.view.page.module.id == "asq":
            break
        walker.walk_page()
        click(qtbot, page.next_button)
    view = page.view
    for item_id in ("q1", "q5"):
        widget = view.widget_for(item_id)
        click(qtbot, widget.buttons[widget.values.index("yes")])
    dialog = page.act_now_dialog
    assert dialog is not None
    page.act_now_dialog = None  # as if the dialog were lost (e.g. a crash before acknowledging)
    dialog.hide()
    window.show_review(assessment)
    review = window.review
    assert not review.complete_button.isEnabled()
    assert "Acknowledge" in review.blocker.text()
    for _ in assessment.unacknowledged_act_now():
        review.complete()  # asks for each acknowledgement instead of completing
        qtbot.waitExposed(review.dialog)
        click(qtbot, review.dialog.button)
    assert not assessment.unacknowledged_act_now()
    # The ASQ questions left blank are safety screens: completing needs each answered or
    # the reason it was not asked.
    assert not review.complete_button.isEnabled()
    assert "safety screen" in review.blocker.text()
    for screen in assessment.unresolved_safety_screens():
        button = review.findChild(QPushButton, f"not-asked:{screen.module}.{screen.item}")
        click(qtbot, button)
        qtbot.waitExposed(review.dialog)
        qtbot.keyClicks(review.dialog.reason, "Asked by the crisis team instead")
        click(qtbot, review.dialog.ok)
    assert review.complete_button.isEnabled()
    complete(review, qtbot)
    assert ctx.store.load(assessment.id).status == "complete"


def test_pdf_export_runs_on_a_worker(window, qtbot, ctx, tmp_path):
    assessment = start_assessment(window, qtbot, "gp", reference="PDF/../1")
    Walker(window, qtbot).walk_all()
    review = window.review
    button = review.findChild(QPushButton, "export-pdf")
    assert button is not None and button.isVisible()
    click(qtbot, button)
    dialog = review.export_dialog
    qtbot.waitExposed(dialog)
    assert safe_filename("PDF/../1") in dialog.path.text()
    target = tmp_path / "out.pdf"
    dialog.path.setText(str(target))
    with qtbot.waitSignal(dialog.finished_export, timeout=60000) as signal:
        click(qtbot, dialog.export_button)
        assert dialog.progress.isVisible()
    assert target.read_bytes().startswith(b"%PDF")
    path, document_id = signal.args
    assert path == str(target)
    exports = ctx.store.load(assessment.id).exports
    assert [e.document_id for e in exports] == [document_id]
    dialog.reject()
    assert review.banner.isVisible() and document_id in review.banner.message.text()


def test_pdf_export_failure_is_a_sentence(window, qtbot, ctx, tmp_path):
    start_assessment(window, qtbot, "gp")
    click(qtbot, window.walkthrough.review_button)
    click(qtbot, window.review.findChild(QPushButton, "export-pdf"))
    dialog = window.review.export_dialog
    dialog.path.setText(str(tmp_path / "missing-folder" / "x.pdf"))
    click(qtbot, dialog.export_button)
    qtbot.waitUntil(lambda: not dialog.exporting, timeout=60000)
    assert dialog.message.text().startswith("Not exported:")
    assert "does not exist" in dialog.message.text()
