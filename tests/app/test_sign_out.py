"""Signing out (the desktop app's Sign out): recorded in the audit trail as the user's, the
key overwritten and every call refused afterwards, as on close; nothing to sign out of on a
development database."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from screening_app.app import Locked
from screening_app.security.access import sign_in
from screening_app.security.records import verify_trail
from screening_app.security.trail import iter_entries

from .conftest import ADMIN, ADMIN_PASSWORD


def trail(url: str) -> list:
    admin = sign_in(url, ADMIN, ADMIN_PASSWORD)
    try:
        with Session(admin.database.reader) as session:
            entries = list(iter_entries(session))
        assert verify_trail(admin).ok  # the entry is part of the signed chain
    finally:
        admin.close()
    return entries


def test_sign_out_is_audited_and_closes_the_workspace(signed_in, secured_url):
    nia = signed_in("Nia")
    draft = nia.start(setting="ed", age=14, reference="OUT-1")
    key = nia.signed.data_key
    assert key is not None and any(key)
    assert nia.sign_out()
    assert not nia.signed_in and nia.signed is None
    assert not any(key)  # overwritten in place, as on close
    with pytest.raises(Locked):
        nia.list_drafts()
    with pytest.raises(Locked):
        draft.answer("voice", "worries", "after signing out")
    last = [e for e in trail(secured_url) if e.action == "sign-out"]
    assert [(e.actor, e.role) for e in last] == [("Nia", "practitioner")]


def test_signing_out_of_a_locked_workspace_closes_it(signed_in, secured_url):
    nia = signed_in("Nia")
    assert nia.lock()
    assert nia.sign_out() and not nia.signed_in and not nia.locked
    actions = [e.action for e in trail(secured_url) if e.actor == "Nia"]
    assert actions[-1] == "lock"  # no key while locked: nothing more was written


def test_a_development_workspace_has_nobody_to_sign_out(ws):
    assert not ws.sign_out()
    assert ws.list_drafts() == []  # still open
