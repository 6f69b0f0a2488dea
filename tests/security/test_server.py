"""PostgreSQL: TLS settings pass through the URL; set-up, sign-in, lock-out and the audit
trail work with the audit key outside the database."""

from __future__ import annotations

import json

import psycopg
import pytest

from screening_app.security.access import initialise, sign_in
from screening_app.security.errors import AuthenticationError, LockedOut
from screening_app.security.records import verify_trail
from screening_app.security.users import update_policy
from screening_app.store import StoreError, open_database

from .helpers import ADMIN, ADMIN_PASSWORD


def test_sslmode_and_root_certificate_reach_the_driver(monkeypatch, tmp_path):
    seen = {}

    def fake_connect(*args, **kwargs):
        seen.update(kwargs)
        seen["args"] = args
        raise psycopg.OperationalError("connection refused (test)")

    monkeypatch.setattr(psycopg, "connect", fake_connect)
    monkeypatch.setattr(psycopg.Connection, "connect", fake_connect)
    ca = tmp_path / "root.crt"
    url = (f"postgresql+psycopg://heard@db.example.invalid:5432/heard"
           f"?sslmode=verify-full&sslrootcert={ca}")
    with pytest.raises(StoreError):
        open_database(url)
    text = json.dumps(seen, default=str)
    assert "verify-full" in text and str(ca) in text


@pytest.fixture(scope="module")
def pg_server():
    from tests.store.pg import NoPostgres, start_server

    try:
        server = start_server()
    except NoPostgres as exc:
        pytest.fail(f"PostgreSQL is required: {exc}", pytrace=False)
    yield server
    server.stop()


def test_server_database_init_sign_in_lockout_and_audit(pg_server, tmp_path, monkeypatch):
    url = pg_server.create_database()
    key_file = tmp_path / "audit.key"
    done = initialise(url, ADMIN, ADMIN_PASSWORD, team="IG", audit_key_file=key_file)
    assert done.kind == "server" and key_file.exists()
    monkeypatch.setenv("SCREENING_APP_AUDIT_KEY_FILE", str(key_file))
    admin = sign_in(url, ADMIN, ADMIN_PASSWORD)
    try:
        update_policy(admin, attempts=2)
        assert verify_trail(admin).ok
    finally:
        admin.close()
    # a workstation with another audit key: what it writes does not verify
    monkeypatch.setenv("SCREENING_APP_AUDIT_KEY", "11" * 32)
    stranger = sign_in(url, ADMIN, ADMIN_PASSWORD)
    stranger.close()
    monkeypatch.delenv("SCREENING_APP_AUDIT_KEY")
    admin = sign_in(url, ADMIN, ADMIN_PASSWORD)
    try:
        verdict = verify_trail(admin)
        assert not verdict.ok and "seal" in verdict.problem
    finally:
        admin.close()
    with pytest.raises(AuthenticationError):
        sign_in(url, ADMIN, "wrong password number one")
    with pytest.raises(LockedOut):
        sign_in(url, ADMIN, "wrong password number two")
    with pytest.raises(LockedOut):
        sign_in(url, ADMIN, ADMIN_PASSWORD)
    with pytest.raises(AuthenticationError):
        sign_in(url, "nobody", ADMIN_PASSWORD)


def test_the_workstation_role_cannot_alter_guards_or_rewrite_the_trail(pg_server, tmp_path,
                                                                        monkeypatch):
    """Red-team finding 6: with least privilege, the role every workstation has can neither
    disable the guards nor change or remove audit entries; the app still works as it."""
    import uuid

    from sqlalchemy.engine import make_url

    from screening_app.security.server import restrict_app_role

    url = pg_server.create_database()
    role = f"heard_ws_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(make_url(url).set(drivername="postgresql").render_as_string(
            hide_password=False), autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN")
    key_file = tmp_path / "audit.key"
    initialise(url, ADMIN, ADMIN_PASSWORD, audit_key_file=key_file)
    restrict_app_role(url, role)
    monkeypatch.setenv("SCREENING_APP_AUDIT_KEY_FILE", str(key_file))
    workstation = make_url(url).set(username=role).render_as_string(hide_password=False)
    signed = sign_in(workstation, ADMIN, ADMIN_PASSWORD)  # the app works as that role
    signed.close()
    plain = make_url(workstation).set(drivername="postgresql").render_as_string(
        hide_password=False)
    for statement in ("ALTER TABLE assessment DISABLE TRIGGER USER",
                      "UPDATE audit_event SET actor = 'someone else'",
                      "DELETE FROM audit_event",
                      "DROP TRIGGER heard_audit_guard ON audit_event",
                      "DELETE FROM security_setting WHERE key = 'initialised'"):
        with psycopg.connect(plain, autocommit=True) as conn:
            with pytest.raises(psycopg.Error):
                conn.execute(statement)
    # emptying the users does not make it a development database: the marker stays
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute("DELETE FROM app_user")
    with pytest.raises(AuthenticationError):
        sign_in(workstation, ADMIN, ADMIN_PASSWORD)


def test_a_forged_entry_with_the_shared_audit_key_is_caught(pg_server, tmp_path, monkeypatch):
    """Every workstation holds the server's audit key, so anyone with the workstation role
    can append an entry with a valid seal; its signature is what they cannot make."""
    from sqlalchemy.engine import make_url

    from screening_app.security import audit

    url = pg_server.create_database()
    key_file = tmp_path / "audit.key"
    initialise(url, ADMIN, ADMIN_PASSWORD, audit_key_file=key_file)
    monkeypatch.setenv("SCREENING_APP_AUDIT_KEY_FILE", str(key_file))
    sign_in(url, ADMIN, ADMIN_PASSWORD).close()
    key = audit.server_audit_key()
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain, autocommit=True) as conn:
        seq, prev = conn.execute("SELECT seq, entry_hash FROM audit_event ORDER BY seq DESC "
                                 "LIMIT 1").fetchone()
        fields = {"seq": seq + 1, "at": "2026-12-01T10:00:00.000000Z", "actor": ADMIN,
                  "role": "administrator", "team": None, "terminal": "pc", "os_user": "x",
                  "action": "export", "record_id": None, "reason": None, "detail": "{}"}
        digest, mac = audit.seal(key, prev, fields)
        conn.execute("INSERT INTO audit_event (seq, at, actor, role, team, terminal, os_user, "
                     "action, record_id, reason, detail, prev_hash, entry_hash, mac) VALUES "
                     "(%(seq)s, %(at)s, %(actor)s, %(role)s, %(team)s, %(terminal)s, "
                     "%(os_user)s, %(action)s, %(record_id)s, %(reason)s, %(detail)s, "
                     "%(prev)s, %(digest)s, %(mac)s)",
                     fields | {"prev": prev, "digest": digest, "mac": mac})
    admin = sign_in(url, ADMIN, ADMIN_PASSWORD)
    try:
        verdict = verify_trail(admin)
    finally:
        admin.close()
    assert not verdict.ok and verdict.broken_seq == seq + 1
    assert "not signed" in verdict.problem
