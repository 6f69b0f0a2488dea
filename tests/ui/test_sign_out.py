"""Issue 15 walk finding: there was no Sign out in the app.

Session > Sign out (Ctrl+Shift+L) saves what is typed, closes the side windows and pages
that show a record, ends the session (audited, key overwritten: ``Workspace.sign_out``)
and goes back to the start-up sign-in (``ui/app.py`` ``open_session``), where the next
practitioner signs in and sees only their own team's records. On a development database
there is nobody to sign out: the command is greyed out and says why.
"""

from __future__ import annotations

import argparse

import pytest
import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QShortcut
from PySide6.QtWidgets import QApplication, QMessageBox

from screening_app.app import Locked, StoreError
from screening_app.security.access import sign_in
from screening_app.security.roles import Role
from screening_app.settings import UserSettings
from screening_app.store import Store
from screening_app.ui.app import open_session
from screening_app.ui.locking import SignInDialog

from ..security.helpers import PASSWORD, secured_database
from ..security.test_gui_lock import visible_text
from .helpers import start_assessment

REFERENCE = "NIA-ED-REF-5521"
MARKER = "typed just before signing out"


@pytest.fixture
def url(tmp_path):
    return secured_database(tmp_path, ("Nia", Role.PRACTITIONER, "ED"),
                            ("Noor", Role.PRACTITIONER, "ED"),
                            ("Cal", Role.PRACTITIONER, "Custody"))


def signed_in_at_start_up(qtbot, url: str, name: str):  # noqa: ANN001, ANN201
    """The window as ``run_app`` makes it, signed in as ``name`` through the start-up
    sign-in (a generator for a fixture: it yields the window, then closes its workspace).
    The name Heard was started with is the one offered the first time."""
    from screening_app.ui.main_window import MainWindow

    window = MainWindow(UserSettings(), persist_settings=False)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    begin = open_session(argparse.Namespace(db=url, user=name, content=[]), window, None)
    seen = answer_sign_in(name)
    begin()
    qtbot.waitUntil(lambda: window.ws is not None, timeout=30_000)
    assert seen == [name]
    yield window
    if window.idle is not None:
        window.idle.stop()
    if window.ws is not None:
        window.ws.close()


@pytest.fixture
def started(qtbot, monkeypatch, url):
    from screening_app.ui.items import entry

    monkeypatch.setattr(entry, "DEBOUNCE_MS", 60_000)  # typed text waits: sign-out saves it
    yield from signed_in_at_start_up(qtbot, url, "Nia")


def sign_in_dialog() -> SignInDialog | None:
    return next((w for w in QApplication.topLevelWidgets()
                 if isinstance(w, SignInDialog) and w.isVisible()), None)


def answer_sign_in(name: str | None, *, on_prompt=None) -> list[str]:  # noqa: ANN001
    """When the sign-in dialog is up (it runs its own event loop), sign in as ``name``, or
    cancel for None; ``on_prompt()`` first looks at the window behind it. Returns the
    names the dialog offered."""
    offered: list[str] = []

    def attempt() -> None:
        dialog = sign_in_dialog()
        if dialog is None or not dialog.ok.isEnabled():
            QTimer.singleShot(20, attempt)
            return
        offered.append(dialog.name.text())
        try:
            if on_prompt is not None:
                on_prompt()
        finally:  # a failed look must not leave the dialog waiting for ever
            answer(dialog)

    def answer(dialog: SignInDialog) -> None:
        if name is None:
            dialog.reject()
            return
        dialog.name.setText(name)
        dialog.password.setText(PASSWORD)
        dialog.ok.click()
    QTimer.singleShot(0, attempt)
    return offered


def saved_answers(url: str, assessment_id: str) -> set:
    check = sign_in(url, "Nia", PASSWORD)
    try:
        return set(Store(check.database, scope=check.principal).load(assessment_id)
                   .answer_triples())
    finally:
        check.close()


def test_sign_out_saves_the_typing_closes_everything_and_the_next_user_signs_in(
        started, qtbot, url):
    window = started
    nia = window.ws
    assert window.who.text() == "Signed in as Nia · ED"
    opened = start_assessment(window, qtbot, "ed", reference=REFERENCE)
    page = window.walkthrough
    page.go_to("voice", "worries")
    widget = next(w for w in page.view.answerable() if w.item.id == "worries")
    widget.editor.setFocus()
    qtbot.keyClicks(widget.editor, MARKER)
    assert widget.status.text() != "Saved"  # still waiting: only sign-out's flush saves it
    window.show_directory()
    side = window.side_window
    assert side.isVisible()

    behind: dict[str, object] = {}

    def look_behind_the_prompt() -> None:
        behind.update(
            ws=window.ws, who=window.who.text(),
            side=shiboken6.isValid(side) and side.isVisible(),  # closed, or deleted
            signed_out_page=window.signed_out_page is not None
            and window.signed_out_page.isVisible(),
            pages=(window.walkthrough, window.review, window.start_page),
            text=visible_text(window), answers=saved_answers(url, opened.id))

    assert window.sign_out_action.isEnabled()
    offered = answer_sign_in("Cal", on_prompt=look_behind_the_prompt)
    window.sign_out_action.trigger()
    qtbot.waitUntil(lambda: window.ws is not None and window.ws.user == "Cal",
                    timeout=30_000)

    # Behind the sign-in prompt: nobody signed in, nothing of Nia's record on screen.
    assert behind["ws"] is None and behind["who"] == "Not signed in"
    assert behind["signed_out_page"] and not behind["side"]
    assert behind["pages"] == (None, None, None)
    assert REFERENCE not in behind["text"] and MARKER not in behind["text"]
    assert "Nia signed out" in behind["text"]
    assert ("voice", "worries", MARKER) in behind["answers"]  # the typing was saved first
    assert offered == [""]  # the next person types their own name
    # Nia's workspace is closed: no key, every call refused.
    assert not nia.signed_in
    with pytest.raises(Locked):
        nia.list_drafts()

    # Cal (Custody) is at home and sees none of the ED team's records.
    assert window.home.isVisible() and window.who.text() == "Signed in as Cal · Custody"
    assert window.home.drafts.rowCount() == 0 and window.home.results.rowCount() == 0
    assert REFERENCE not in visible_text(window)
    with pytest.raises(StoreError):
        window.ws.open(opened.id)
    assert window.sign_out_action.isEnabled()


def test_a_cancelled_sign_in_after_signing_out_can_be_tried_again(started, qtbot):
    window = started
    answer_sign_in(None)
    window.sign_out()
    page = window.signed_out_page
    qtbot.waitUntil(lambda: "cancelled" in page.message.text(), timeout=30_000)
    assert page.isVisible() and window.ws is None
    assert not window.sign_out_action.isEnabled()
    assert window.sign_out_action.toolTip() == "Nobody is signed in."
    answer_sign_in("Noor")
    page.button.click()
    qtbot.waitUntil(lambda: window.ws is not None, timeout=30_000)
    assert window.ws.user == "Noor" and window.home.isVisible()


def test_answers_the_database_did_not_take_keep_the_user_signed_in(started, qtbot, url):
    """Someone else changed the draft meanwhile: the answer is kept for them to deal with,
    so signing out now would lose it."""
    window = started
    opened = start_assessment(window, qtbot, "ed", reference=REFERENCE)
    other = sign_in(url, "Noor", PASSWORD)
    try:
        from screening_app.app import signed_workspace

        noor = signed_workspace(window.ws.catalog, other)
        noor.open(opened.id).answer("voice", "worries", "Noor's answer")
    finally:
        other.close()
    page = window.walkthrough
    page.go_to("voice", "worries")
    widget = next(w for w in page.view.answerable() if w.item.id == "worries")
    widget.editor.setFocus()
    qtbot.keyClicks(widget.editor, MARKER)
    window.sign_out()
    assert window.ws is not None and window.ws.signed_in and page.saver.unsaved
    box = window.problem_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "not saved yet" in box.text()
    box.close()


def test_sign_out_is_greyed_out_on_a_development_database(window):
    action = window.sign_out_action
    assert not action.isEnabled()
    assert "development database has no sign-in" in action.toolTip()
    assert action in window.menuBar().actions()[0].menu().actions()
    assert window.menuBar().actions()[0].menu().toolTipsVisible()
    action.trigger()  # disabled: nothing happens
    assert window.ws is not None and window.ws.list_drafts() == []


def test_the_sign_out_shortcut_is_its_own(window):
    keys = [a.shortcut().toString() for a in window.findChildren(QAction)
            if not a.shortcut().isEmpty()]
    keys += [s.key().toString() for s in window.findChildren(QShortcut)]
    assert window.sign_out_action.shortcut().toString() == "Ctrl+Shift+L"
    assert keys.count("Ctrl+Shift+L") == 1, keys
