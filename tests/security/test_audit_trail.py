"""The audit trail: views and exports leave entries, tampering is caught, and an action
whose audit entry cannot be written does not happen."""

from __future__ import annotations

import json

import pytest

from .helpers import (
    add_user,
    as_admin,
    as_user,
    assess,
    audit_entries,
    data_key,
    init,
    raw_connection,
)


@pytest.fixture
def db(tmp_path, capsys, monkeypatch):
    path = tmp_path / "heard.db"
    init(capsys, monkeypatch, path)
    add_user(capsys, monkeypatch, path, "Nia", "practitioner", "ED")
    return path


def test_view_and_export_each_leave_an_entry(db, capsys, monkeypatch):
    record = assess(capsys, monkeypatch, db, "Nia")
    created = [e["action"] for e in audit_entries(capsys, monkeypatch, db, record)]
    assert created[0] == "create" and "answer" in created and "view" not in created
    shown = as_user(capsys, monkeypatch, db, "Nia", "show", record)
    assert shown.code == 0, shown.err
    entries = audit_entries(capsys, monkeypatch, db, record)
    views = [e for e in entries if e["action"] == "view"]
    assert len(views) == 1
    view = views[0]
    assert view["actor"] == "Nia" and view["role"] == "practitioner" and view["team"] == "ED"
    assert view["terminal"] and view["os_user"] and view["at"].endswith("Z")

    out = db.parent / "record.pdf"
    exported = as_user(capsys, monkeypatch, db, "Nia", "export", record, "--pdf", str(out),
                       "--pseudonymous")
    assert exported.code == 0, exported.err
    document_id = exported.out.strip()
    exports = [e for e in audit_entries(capsys, monkeypatch, db, record)
               if e["action"] == "export"]
    assert len(exports) == 1
    assert exports[0]["detail"]["document_id"] == document_id
    assert exports[0]["detail"]["variant"] == "full"
    # audit entries carry identifiers, never the answers themselves
    assert all("value" not in e["detail"] for e in audit_entries(capsys, monkeypatch, db,
                                                                  record))


def test_reading_the_trail_is_itself_audited(db, capsys, monkeypatch):
    record = assess(capsys, monkeypatch, db, "Nia")
    audit_entries(capsys, monkeypatch, db, record)
    entries = audit_entries(capsys, monkeypatch, db, record)
    assert [e["action"] for e in entries].count("audit-view") == 2


def _tamper(db, sql_steps: list[tuple[str, tuple]]) -> None:
    conn = raw_connection(db, data_key(db))
    try:
        conn.execute("DROP TRIGGER heard_audit_event_no_update")
        conn.execute("DROP TRIGGER heard_audit_event_no_delete")
        for sql, params in sql_steps:
            conn.execute(sql, params)
    finally:
        conn.close()


def _verify(capsys, monkeypatch, db):
    return as_admin(capsys, monkeypatch, db, "audit", "verify")


def test_intact_trail_verifies(db, capsys, monkeypatch):
    assess(capsys, monkeypatch, db, "Nia")
    result = _verify(capsys, monkeypatch, db)
    assert result.code == 0, result.err
    assert "audit trail intact" in result.out


def test_verify_catches_an_edited_entry(db, capsys, monkeypatch):
    assess(capsys, monkeypatch, db, "Nia")
    _tamper(db, [("UPDATE audit_event SET actor = 'Someone Else' WHERE seq = 5", ())])
    result = _verify(capsys, monkeypatch, db)
    assert result.code == 1
    assert result.err == ("screening-app: audit trail broken at entry 5: its contents were "
                          "altered (the hash does not match)\n")


def test_verify_catches_a_deleted_entry(db, capsys, monkeypatch):
    assess(capsys, monkeypatch, db, "Nia")
    _tamper(db, [("DELETE FROM audit_event WHERE seq = 4", ())])
    result = _verify(capsys, monkeypatch, db)
    assert result.code == 1 and "entry 4 is missing (removed)" in result.err


def test_verify_catches_a_deleted_and_renumbered_entry(db, capsys, monkeypatch):
    assess(capsys, monkeypatch, db, "Nia")
    _tamper(db, [("DELETE FROM audit_event WHERE seq = 4", ()),
                 ("UPDATE audit_event SET seq = seq - 1 WHERE seq > 4", ())])
    result = _verify(capsys, monkeypatch, db)
    assert result.code == 1 and "broken at entry 4" in result.err
    assert "does not follow entry 3" in result.err


def test_verify_catches_reordered_entries(db, capsys, monkeypatch):
    assess(capsys, monkeypatch, db, "Nia")
    _tamper(db, [("UPDATE audit_event SET seq = -1 WHERE seq = 6", ()),
                 ("UPDATE audit_event SET seq = 6 WHERE seq = 7", ()),
                 ("UPDATE audit_event SET seq = 7 WHERE seq = -1", ())])
    result = _verify(capsys, monkeypatch, db)
    assert result.code == 1 and "broken at entry 6" in result.err
    assert "removed or reordered" in result.err


def test_verify_catches_a_chain_rewritten_without_the_key(db, capsys, monkeypatch):
    from screening_app.security.audit import entry_hash

    assess(capsys, monkeypatch, db, "Nia")
    conn = raw_connection(db, data_key(db))
    try:
        conn.execute("DROP TRIGGER heard_audit_event_no_update")
        rows = conn.execute("SELECT seq, at, actor, role, team, terminal, os_user, action, "
                            "record_id, reason, detail, prev_hash FROM audit_event "
                            "ORDER BY seq").fetchall()
        prev = rows[0][-1]
        for row in rows:  # recompute every hash after changing entry 3: only the MAC differs
            fields = dict(zip(("seq", "at", "actor", "role", "team", "terminal", "os_user",
                               "action", "record_id", "reason", "detail"), row[:-1],
                              strict=True))
            if fields["seq"] == 3:
                fields["actor"] = "Forger"
            digest = entry_hash(prev, fields)
            conn.execute("UPDATE audit_event SET actor = ?, prev_hash = ?, entry_hash = ? "
                         "WHERE seq = ?", (fields["actor"], prev, digest, fields["seq"]))
            prev = digest
    finally:
        conn.close()
    result = _verify(capsys, monkeypatch, db)
    assert result.code == 1 and "broken at entry 3" in result.err and "seal" in result.err


def test_the_database_refuses_to_change_the_trail(db):
    import sqlcipher3

    conn = raw_connection(db, data_key(db))
    try:
        with pytest.raises(sqlcipher3.DatabaseError, match="append-only"):
            conn.execute("UPDATE audit_event SET actor = 'x' WHERE seq = 1")
        with pytest.raises(sqlcipher3.DatabaseError, match="append-only"):
            conn.execute("DELETE FROM audit_event")
    finally:
        conn.close()


def test_audit_failure_means_the_answer_is_not_saved(db, capsys, monkeypatch):
    from screening_app.security import trail

    record = assess(capsys, monkeypatch, db, "Nia")
    before = json.loads(as_user(capsys, monkeypatch, db, "Nia", "show", record, "--json").out)
    real = trail.AuditWriter.append

    def failing(self, session, action, **kw):  # noqa: ANN001
        if str(action) == "answer":
            raise OSError(28, "No space left on device")
        return real(self, session, action, **kw)

    monkeypatch.setattr(trail.AuditWriter, "append", failing)
    from .helpers import answers_file

    path = answers_file(db.parent, [{"module": "asq", "item": "q1", "value": "yes"}])
    result = as_user(capsys, monkeypatch, db, "Nia", "assess", "--answers", str(path))
    assert result.code == 1 and "Traceback" not in result.err
    monkeypatch.setattr(trail.AuditWriter, "append", real)
    new_id = result.out.splitlines()[0]
    after = json.loads(as_user(capsys, monkeypatch, db, "Nia", "show", new_id, "--json").out)
    assert after["answers"] == []  # the answer whose audit failed was not saved
    assert before["answers"]
