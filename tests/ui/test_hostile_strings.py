"""Hostile and awkward text is kept intact, shown as plain text, and never crashes the app."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from screening_app.ui.items.entry import LongTextItem
from screening_app.wording import breakable, isolate

from ..conftest import HOSTILE_CASES
from .helpers import Walker, calm, click, start_assessment

CASES = HOSTILE_CASES
MARKUP = [c for c in CASES if "<" in c["text"] or "&" in c["text"]]


def child_words_widget(window, qtbot) -> LongTextItem:
    page = window.walkthrough
    walker = Walker(window, qtbot, calm)
    for _ in range(40):
        found = [w for w in page.view.answerable()
                 if isinstance(w, LongTextItem) and w.item.type.value == "child_words"]
        if found:
            return found[0]
        walker.walk_page()
        click(qtbot, page.next_button)
    raise AssertionError("no child's-words question in the pathway")


def test_every_hostile_string_in_the_childs_own_words(window, qtbot, ctx):
    assessment = start_assessment(window, qtbot, "gp", reference="HOSTILE")
    widget = child_words_widget(window, qtbot)
    key = (window.walkthrough.view.page.module.id, widget.item.id)
    for case in CASES:
        text = case["text"]
        widget.editor.setPlainText(text)  # as pasted
        widget.flush()
        shown = widget.editor.toPlainText()
        assert shown == text.replace("\r\n", "\n").replace("\r", "\n"), case["name"]
        stored = {(a.module, a.item): a.value for a in ctx.store.load(assessment.id).answers}
        if not text.strip():
            assert key not in stored, case["name"]  # blank is no answer
            continue
        if "\x00" in text or len(text) > widget.item.max_length:
            assert not widget.error.isHidden(), case["name"]
            assert widget.status.text() == "Not saved"
            assert widget.editor.toPlainText() == shown  # kept on screen
            continue
        assert stored[key] == shown, case["name"]
        assert widget.status.text() == "Saved"
        window.show_review(window.assessment)
        said = [w for w in window.review.findChildren(QLabel) if w.objectName() == "child-words"]
        assert [w.text() for w in said] == [f"\u201c{isolate(breakable(shown))}\u201d"]
        assert all(w.textFormat() == Qt.TextFormat.PlainText for w in said)
        window.show_walkthrough(window.assessment, reopen=False)
        widget = window.walkthrough.view.widget_for(key[1])


@pytest.mark.parametrize("case", MARKUP, ids=[c["name"] for c in MARKUP])
def test_markup_in_reference_and_presenting_issue_is_text(window, qtbot, ctx, case):
    text = case["text"][:100]
    click(qtbot, window.home.start_button)
    page = window.start_page
    page.age.setValue(12)
    page.reference.setText(text)
    click(qtbot, page.start_button)
    opened = window.assessment
    assert opened.record.reference == text.strip()
    title = window.walkthrough.title
    assert title.textFormat() == Qt.TextFormat.PlainText
    assert isolate(breakable(text.strip())) in title.text()
    click(qtbot, window.walkthrough.home_button)
    home = window.home
    assert home.drafts.data(home.drafts.index(0, 0)) == text.strip()
    # The presenting issue is given only through the command line now (defect 16).
    noted = ctx.start(setting=opened.record.setting, age=12, reference=text,
                      presenting_issue=case["text"])
    window.show_review(ctx.open(noted.id))
    summary = window.review.findChild(QLabel, "review-summary")
    assert isolate(breakable(case["text"].strip())) in summary.text()
    assert summary.textFormat() == Qt.TextFormat.PlainText
