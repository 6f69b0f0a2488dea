"""Defects 27 and 31 in the walkthrough: a draft started by mistake is discarded from the
app with a reason (it leaves the drafts list, nothing deleted); an amended draft says it
is an amendment, of which version, and why."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from .helpers import click, start_assessment


def test_a_draft_started_by_mistake_is_discarded_with_a_reason(window, qtbot, ctx):
    opened = start_assessment(window, qtbot, "custody", age=15, reference="WRONG-CHILD")
    page = window.walkthrough
    while page.act_now_dialog is not None:  # the custody checklist may interrupt first
        click(qtbot, page.act_now_dialog.button)
    click(qtbot, page.discard_button)
    dialog = page.discard_dialog
    assert dialog is not None and not dialog.ok.isEnabled(), "a reason is required"
    qtbot.keyClicks(dialog.reason, "Wrong setting: this was a school nursing visit")
    click(qtbot, dialog.ok)
    QApplication.processEvents()
    assert window.home.isVisible()
    stored = ctx.store.load(opened.id)
    assert stored.status == "discarded"
    assert opened.id not in {d.id for d in ctx.list_drafts()}


def test_an_amended_draft_says_it_is_an_amendment(window, qtbot, ctx):
    from .helpers import Walker, calm, complete

    start_assessment(window, qtbot, "gp", age=10, reference="AMEND-1")
    Walker(window, qtbot, calm).walk_all()
    complete(window.review, qtbot)
    amended = window.assessment.amend("Wrong age entered")
    window.show_walkthrough(amended)
    page = window.walkthrough
    assert "version 2 (amendment)" in page.title.text()
    shown = page.banner.findChildren(type(page.title))
    text = " ".join(w.text() for w in shown).replace("\u2068", "").replace("\u2069", "")
    assert page.banner.isVisible() and "amends version 1" in text
    assert "Wrong age entered" in text
