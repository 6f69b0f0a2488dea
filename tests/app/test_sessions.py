"""Locking, unlocking, someone else signing in, re-authentication and team scope, on a real
encrypted database, with no screen."""

from __future__ import annotations

import pytest

from screening_app.app import Locked
from screening_app.security.errors import AuthenticationError
from screening_app.store.errors import AccessDenied

from .conftest import PASSWORD


def test_lock_forgets_the_key_and_refuses_every_call_until_unlocked(signed_in):
    nia = signed_in("Nia")
    draft = nia.start(setting="ed", age=14, reference="LOCK-1")
    draft.answer("voice", "worries", "typed before the lock")
    assert nia.lock() and nia.locked and nia.locked_as == "Nia"
    with pytest.raises(Locked):
        nia.list_drafts()
    with pytest.raises(Locked):
        draft.answer("voice", "anything_else", "while locked")
    with pytest.raises(AuthenticationError):
        nia.unlock("Nia", "not the password")
    assert nia.locked
    outcome = nia.unlock("Nia", PASSWORD)
    assert outcome.same_user and outcome.workspace is nia and not nia.locked
    draft.answer("voice", "anything_else", "after unlocking")  # the same draft goes on
    saved = {(a.module, a.item): a.value for a in nia.store.load(draft.id).answers}
    assert saved[("voice", "worries")] == "typed before the lock"


def test_someone_else_signing_in_gets_their_own_workspace(signed_in):
    nia = signed_in("Nia")
    draft = nia.start(setting="ed", age=14, reference="LOCK-2")
    nia.lock()
    outcome = nia.unlock("Cal", PASSWORD)
    cal = outcome.workspace
    try:
        assert not outcome.same_user and cal is not nia and cal.user == "Cal"
        assert cal.team == "Custody" and cal.list_drafts() == []
        with pytest.raises(AccessDenied):
            cal.open(draft.id)
        assert nia.locked  # the first user's workspace stays locked until closed
    finally:
        cal.close()


def test_reauthentication_checks_the_users_own_password(signed_in):
    nia = signed_in("Nia")
    assert nia.reauthenticate(PASSWORD)
    assert not nia.reauthenticate("someone else's password")
    handover = nia.hand_to_child()
    assert handover.uses_password and "password" in handover.prompt
    assert not handover.attempt("wrong").accepted and handover.attempt(PASSWORD).accepted


def test_a_development_workspace_has_nothing_to_lock(ws):
    assert not ws.signed_in and not ws.lock() and not ws.locked
    assert ws.idle_lock_minutes() is None
