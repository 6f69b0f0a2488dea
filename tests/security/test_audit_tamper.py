"""An audit trail a practitioner cannot rewrite (red-team findings 2, 8 and 9).

Each attack is done as the red team did it: a user unwraps the data key with their own
password and changes the database directly with SQLCipher, or edits the key file."""

from __future__ import annotations

import json

import pytest

from screening_app.security import audit, crypto
from screening_app.security.access import initialise, sign_in
from screening_app.security.keyfile import KeyFileStore, key_file_for
from screening_app.security.records import verify_trail
from screening_app.security.roles import Role
from screening_app.security.users import add_user
from screening_app.store import Store

from .helpers import ADMIN, ADMIN_PASSWORD, PASSWORD, data_key, raw_connection

PINS = {"asq": {"version": "1.0.0", "sha256": "0" * 64}}
RESULT = {"status": "complete", "summary": "MARKERBOBA1"}


@pytest.fixture
def completed(tmp_path):
    """An encrypted database with a record Pat completed; returns (db, record id)."""
    db = tmp_path / "heard.db"
    url = f"sqlite:///{db}"
    initialise(url, ADMIN, ADMIN_PASSWORD, team="ED")
    admin = sign_in(url, ADMIN, ADMIN_PASSWORD)
    try:
        add_user(admin, "Pat", Role.PRACTITIONER, "ED", PASSWORD)
    finally:
        admin.close()
    pat = sign_in(url, "Pat", PASSWORD)
    try:
        store = Store(pat.database, scope=pat.principal, audit=pat.audit)
        draft = store.create_assessment(setting="ed", age=15, by="Pat", content_pins=PINS,
                                        reference="REF-1")
        store.complete(draft.id, RESULT, by="Pat", expected_version=draft.row_version)
    finally:
        pat.close()
    return db, draft.id


def verdict_of(db):  # noqa: ANN001, ANN201
    admin = sign_in(f"sqlite:///{db}", ADMIN, ADMIN_PASSWORD)
    try:
        return verify_trail(admin)
    finally:
        admin.close()


def test_an_untouched_trail_and_its_records_verify(completed):
    db, _record = completed
    verdict = verdict_of(db)
    assert verdict.ok, verdict.sentence()


def test_insert_or_replace_cannot_rewrite_a_completed_record(completed):
    db, record = completed
    conn = raw_connection(db, data_key(db, "Pat", PASSWORD))
    try:
        row = conn.execute("SELECT * FROM assessment WHERE id = ?", (record,)).fetchone()
        names = [d[0] for d in conn.execute("SELECT * FROM assessment LIMIT 0").description]
        changed = dict(zip(names, row, strict=True))
        before = changed["result"]  # sealed with the team's key (store/sealing.py)
        changed["result"] = json.dumps({"status": "complete", "summary": "REPLACED-BOBA1"})
        with pytest.raises(Exception, match="read-only"):
            conn.execute(f"INSERT OR REPLACE INTO assessment ({', '.join(names)}) VALUES "
                         f"({', '.join('?' * len(names))})", list(changed.values()))
        assert conn.execute("SELECT result FROM assessment WHERE id = ?",
                            (record,)).fetchone()[0] == before
    finally:
        conn.close()


def test_verify_catches_a_completed_record_changed_behind_the_guards(completed):
    db, record = completed
    conn = raw_connection(db, data_key(db, "Pat", PASSWORD))
    try:  # an attacker with the key can drop the guards; the sealed hash still holds
        conn.execute("DROP TRIGGER heard_assessment_no_update_when_complete")
        conn.execute("UPDATE assessment SET result = ? WHERE id = ?",
                     (json.dumps({"status": "complete", "summary": "EDITED"}), record))
    finally:
        conn.close()
    verdict = verdict_of(db)
    assert not verdict.ok and "changed after it was completed" in verdict.problem


def test_verify_catches_a_completed_record_removed_outside_the_app(completed):
    db, record = completed
    conn = raw_connection(db, data_key(db, "Pat", PASSWORD))
    try:
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("DROP TRIGGER heard_assessment_no_delete_when_complete")
        conn.execute("DELETE FROM assessment WHERE id = ?", (record,))
    finally:
        conn.close()
    verdict = verdict_of(db)
    assert not verdict.ok and "is gone" in verdict.problem


def test_edited_key_file_policy_is_put_back_and_reported(completed):
    db, _record = completed
    store = KeyFileStore(key_file_for(db))
    with store.update() as keys:  # "shorten-lockout": no password needed to do this
        keys.policy.attempts, keys.policy.minutes = 10, 1
    signed = sign_in(f"sqlite:///{db}", ADMIN, ADMIN_PASSWORD)
    try:
        assert any("lock-out rule" in w for w in signed.warnings)
    finally:
        signed.close()
    assert store.read().policy.minutes == 15  # the database's rule is back


def test_erased_failures_are_noticed_and_moved_ones_are_marked_unauthenticated(completed):
    db, _record = completed
    url = f"sqlite:///{db}"
    for n in range(3):
        with pytest.raises(Exception, match="wrong user name"):
            sign_in(url, "Pat", f"wrong guess number {n}")
    store = KeyFileStore(key_file_for(db))
    with store.update() as keys:  # "erase-pending" and "clear-failures"
        keys.pending, keys.failures = [], {}
    signed = sign_in(url, ADMIN, ADMIN_PASSWORD)
    try:
        assert any("altered or rolled back" in w for w in signed.warnings)
    finally:
        signed.close()
    # an injected "failure" is moved in, but labelled as coming from the key file
    with store.update() as keys:
        keys.pending.append({"at": "2026-11-30T23:59:00.000000Z", "action": "LOGIN_FAIL",
                             "user": "frank", "terminal": "CUSTODY-SUITE-PC3"})
        keys.attempts += 1
    signed = sign_in(url, ADMIN, ADMIN_PASSWORD)
    try:
        conn = raw_connection(db, data_key(db))
        try:
            details = [json.loads(d) for (d,) in conn.execute(
                "SELECT detail FROM audit_event WHERE actor = 'frank'")]
        finally:
            conn.close()
    finally:
        signed.close()
    assert details and all("unauthenticated" in d["source"] for d in details)


def _carol(db) -> tuple[bytes, bytearray]:  # noqa: ANN001
    """Carol, a practitioner in another team: the data key and her own signing key, both
    unwrapped with her own password, as the app does."""
    url = f"sqlite:///{db}"
    admin = sign_in(url, ADMIN, ADMIN_PASSWORD)
    try:
        add_user(admin, "Carol", Role.PRACTITIONER, "TeamB", PASSWORD)
    finally:
        admin.close()
    sign_in(url, "Carol", PASSWORD).close()
    key, secret = KeyFileStore(key_file_for(db)).read().unwrap_user("Carol", PASSWORD)
    return bytes(key), crypto.user_signing_key(secret)


def _rows(conn) -> list[dict]:  # noqa: ANN001
    cursor = conn.execute("SELECT * FROM audit_event ORDER BY seq")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


FIELDS = ("seq", "at", "actor", "role", "team", "terminal", "os_user", "action", "record_id",
          "reason", "detail")


def _reseal(rows: list[dict], audit_key: bytes, signing: bytearray | None) -> list[dict]:
    """Rebuild the hash chain and HMAC from the first row on, as someone holding the data
    key can; ``signing``: re-sign every entry with that (Carol's) key too."""
    prev = rows[0]["prev_hash"]
    for n, row in enumerate(rows, start=rows[0]["seq"]):
        row["seq"] = n
        row["prev_hash"] = prev
        row["entry_hash"], row["mac"] = audit.seal(audit_key, prev,
                                                   {f: row[f] for f in FIELDS})
        if signing is not None:
            row["signature"] = crypto.sign(signing, row["entry_hash"].encode("ascii"))
            row["signer"] = "Carol"
        prev = row["entry_hash"]
    return rows


def _replace_trail(conn, rows: list[dict]) -> None:  # noqa: ANN001
    conn.execute("DROP TRIGGER IF EXISTS heard_audit_event_no_delete")
    conn.execute("DROP TRIGGER IF EXISTS heard_audit_event_no_update")
    conn.execute("DELETE FROM audit_event")
    for row in rows:
        conn.execute(f"INSERT INTO audit_event ({', '.join(row)}) VALUES "
                     f"({', '.join('?' * len(row))})", list(row.values()))


@pytest.mark.parametrize("signing", ["unsigned", "signed by carol"])
def test_a_practitioner_cannot_forge_an_entry_in_someone_elses_name(completed, signing):
    db, record = completed
    key, carol_signing = _carol(db)
    conn = raw_connection(db, key)
    try:
        rows = _rows(conn)
        forged = dict(rows[-1], actor=ADMIN, role="administrator", action="export",
                      record_id=record, detail='{"variant":"full"}', signature=None,
                      signer=None)
        rows.append(forged)
        _replace_trail(conn, _reseal(rows[:-1], crypto.audit_key_from_data_key(key), None)
                       + _reseal([dict(forged, seq=len(rows), prev_hash=rows[-2]["entry_hash"])],
                                 crypto.audit_key_from_data_key(key),
                                 carol_signing if signing != "unsigned" else None))
    finally:
        conn.close()
    verdict = verdict_of(db)
    assert not verdict.ok and verdict.broken_seq == len(rows)
    assert "Ada Admin" in verdict.problem


def test_a_practitioner_cannot_remove_entries_and_reseal_the_chain(completed):
    db, record = completed
    key, carol_signing = _carol(db)
    conn = raw_connection(db, key)
    try:
        rows = _rows(conn)
        kept = [r for r in rows if not (r["record_id"] == record and r["action"] == "create")]
        assert len(kept) == len(rows) - 1
        _replace_trail(conn, _reseal(kept, crypto.audit_key_from_data_key(key), None))
    finally:
        conn.close()
    verdict = verdict_of(db)  # the HMAC chain is whole again; the signatures are not
    assert not verdict.ok and "signature does not match" in verdict.problem
    # re-signing everything with her own key does not help either
    conn = raw_connection(db, key)
    try:
        _replace_trail(conn, _reseal(_rows(conn), crypto.audit_key_from_data_key(key),
                                     carol_signing))
    finally:
        conn.close()
    verdict = verdict_of(db)
    assert not verdict.ok and verdict.broken_seq == 1


def test_a_trail_cut_short_fails_against_its_anchored_head(completed, capsys, monkeypatch):
    from .helpers import as_admin

    db, _record = completed
    first = as_admin(capsys, monkeypatch, db, "audit", "verify")
    assert first.code == 0, first.err
    words = first.out.split()
    root, head = words[words.index("root") + 1].rstrip(","), words[words.index("head") + 1:][:2]
    conn = raw_connection(db, data_key(db))
    try:  # remove the newest entries, and put the guard back as it was: a shorter, whole chain
        (guard,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = "
                                "'heard_audit_event_no_delete'").fetchone()
        conn.execute("DROP TRIGGER heard_audit_event_no_delete")
        conn.execute("DELETE FROM audit_event WHERE seq >= ?", (int(head[0]),))
        conn.execute(guard)
    finally:
        conn.close()
    assert as_admin(capsys, monkeypatch, db, "audit", "verify").code == 0  # alone: unseen
    cut = as_admin(capsys, monkeypatch, db, "audit", "verify", "--expect-root", root,
                   "--expect-head", f"{head[0]}:{head[1]}")
    assert cut.code == 1 and "anchored head" in cut.err


def test_a_replaced_trail_fails_against_its_anchored_root(completed, capsys, monkeypatch):
    from .helpers import as_admin

    db, _record = completed
    other = db.parent / "other" / "heard.db"
    initialise(f"sqlite:///{other}", ADMIN, ADMIN_PASSWORD)
    other_root = as_admin(capsys, monkeypatch, other, "audit", "verify").out.split()
    wrong_root = other_root[other_root.index("root") + 1].rstrip(",")
    replaced = as_admin(capsys, monkeypatch, db, "audit", "verify", "--expect-root", wrong_root)
    assert replaced.code == 1 and "whole trail was replaced" in replaced.err


def test_verify_names_a_dropped_guard(completed):
    db, _record = completed
    conn = raw_connection(db, data_key(db, "Pat", PASSWORD))
    try:
        conn.execute("DROP TRIGGER heard_audit_event_no_update")
    finally:
        conn.close()
    verdict = verdict_of(db)
    assert not verdict.ok and "heard_audit_event_no_update" in verdict.problem
