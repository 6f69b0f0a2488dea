"""Stored text never drives the terminal (red-team finding 11): control, C1, bidi and
invisible characters come out as visible escapes, in text and in JSON."""

from __future__ import annotations

import json

import pytest

from screening_app.security.access import sign_in
from screening_app.security.display import json_text, visible
from screening_app.store import Store

from .helpers import ADMIN, ADMIN_PASSWORD, as_admin, init

HOSTILE = ("retention\x1b[8m HIDDEN: deleted to cover up \x1b[0m\r\x1b]8;;http://evil.example/"
           "\x07done \x9b31m \u202eevil\u202c \u200b \ud800")
RAW = ("\x1b", "\x07", "\r", "\x9b", "\u202e", "\u200b", "\ud800")


@pytest.mark.parametrize("char", RAW)
def test_visible_and_json_text_escape_every_hidden_character(char):
    assert char not in visible(f"a{char}b")
    assert char not in json_text({"k": f"a{char}b"})
    assert json.loads(json_text({"k": f"a{char}b"}))["k"] == f"a{char}b"  # reads back exactly
    assert visible("Ŵyneb haul, 12 years") == "Ŵyneb haul, 12 years"  # ordinary text as is


def test_audit_show_escapes_a_hostile_erasure_reason(tmp_path, capsys, monkeypatch):
    db = tmp_path / "heard.db"
    init(capsys, monkeypatch, db)
    admin = sign_in(f"sqlite:///{db}", ADMIN, ADMIN_PASSWORD)
    try:
        draft = Store(admin.database, scope=admin.principal, audit=admin.audit) \
            .create_assessment(setting="ed", age=15, by=ADMIN, content_pins={},
                               reference="REF-1")
    finally:
        admin.close()
    reason = HOSTILE.replace("\ud800", "")  # argv cannot carry a lone surrogate
    erased = as_admin(capsys, monkeypatch, db, "delete", draft.id, "--reason", reason)
    assert erased.code == 0, erased.err
    for args in (["audit", "show", draft.id], ["audit", "show", draft.id, "--json"]):
        shown = as_admin(capsys, monkeypatch, db, *args)
        assert shown.code == 0, shown.err
        assert not any(char in shown.out for char in RAW), repr(shown.out)
        assert "HIDDEN: deleted to cover up" in shown.out
    entries = json.loads(shown.out)
    assert reason.strip() in [e["reason"] for e in entries]  # JSON keeps the exact text
