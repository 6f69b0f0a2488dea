"""No unauthenticated or implicit doors (red-team findings 4, 5 and 18): ``restore`` on an
encrypted database needs an administrator and an encrypted backup of that database, a
plain file never replaces it, backups with foreign schema objects are refused, and a
development database is used only when asked for."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from screening_app.security.errors import DevelopmentRefused
from screening_app.security.keyfile import key_file_for
from screening_app.security.policy import DEVELOPMENT_ENV, allow_development
from screening_app.store import open_database
from screening_app.store.database import SQLITE_HEADER

from .helpers import add_user, as_admin, as_user, cli, data_key, init, raw_connection


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def plain_database(path: Path) -> Path:
    open_database(f"sqlite:///{path}").dispose()
    return path


def users_in(db: Path) -> list[str]:
    conn = raw_connection(db, data_key(db))
    try:
        return sorted(row[0] for row in conn.execute("SELECT name FROM app_user"))
    finally:
        conn.close()


@pytest.fixture
def secured(tmp_path, capsys, monkeypatch) -> Path:
    db = tmp_path / "data" / "heard.db"
    init(capsys, monkeypatch, db)
    add_user(capsys, monkeypatch, db, "Pat Practitioner", "practitioner", "ED")
    return db


def test_restore_without_sign_in_is_refused_and_changes_nothing(secured, tmp_path, capsys,
                                                                monkeypatch):
    evil = plain_database(tmp_path / "evil.db")
    before = (sha(secured), sha(key_file_for(secured)))
    result = cli(capsys, monkeypatch, secured, "restore", str(evil), "--replace")
    assert result.code == 1 and result.err.count("\n") == 1, result.err
    assert "--user" in result.err
    assert (sha(secured), sha(key_file_for(secured))) == before
    assert sorted(p.name for p in secured.parent.iterdir() if "before-restore" in p.name
                  or "damaged" in p.name) == []


def test_a_plain_backup_never_replaces_an_encrypted_database(secured, tmp_path, capsys,
                                                             monkeypatch):
    evil = plain_database(tmp_path / "evil.db")
    before = users_in(secured)
    result = as_admin(capsys, monkeypatch, secured, "restore", str(evil), "--replace")
    assert result.code == 1 and "plain" in result.err and result.err.count("\n") == 1
    assert users_in(secured) == before  # still the encrypted database, opened by its key
    assert not list(secured.parent.glob("*before-restore*"))


def test_a_practitioner_cannot_restore(secured, tmp_path, capsys, monkeypatch):
    backup = tmp_path / "b.db"
    assert as_admin(capsys, monkeypatch, secured, "backup", str(backup)).code == 0
    result = as_user(capsys, monkeypatch, secured, "Pat Practitioner", "restore", str(backup),
                     "--replace")
    assert result.code == 1 and "administrators" in result.err


def test_encrypted_backup_and_restore_as_an_administrator(secured, tmp_path, capsys,
                                                          monkeypatch):
    backup = tmp_path / "b.db"
    made = as_admin(capsys, monkeypatch, secured, "backup", str(backup))
    assert made.code == 0, made.err
    assert backup.read_bytes()[:16] != SQLITE_HEADER  # encrypted, with the same key
    add_user(capsys, monkeypatch, secured, "Later User", "practitioner", "ED")
    assert "Later User" in users_in(secured)
    result = as_admin(capsys, monkeypatch, secured, "restore", str(backup), "--replace")
    assert result.code == 0, result.err
    assert "Later User" not in users_in(secured)
    (safety,) = secured.parent.glob("heard-*-before-restore.db")
    assert safety.read_bytes()[:16] != SQLITE_HEADER
    conn = raw_connection(secured, data_key(secured))
    try:
        actions = [row[0] for row in conn.execute("SELECT action FROM audit_event")]
    finally:
        conn.close()
    assert actions[-1] == "restore"
    verified = as_admin(capsys, monkeypatch, secured, "audit", "verify")
    assert verified.code == 0, verified.err


def test_a_backup_of_another_encrypted_database_is_refused(secured, tmp_path, capsys,
                                                           monkeypatch):
    other = tmp_path / "other" / "heard.db"
    init(capsys, monkeypatch, other)
    backup = tmp_path / "other-backup.db"
    assert as_admin(capsys, monkeypatch, other, "backup", str(backup)).code == 0
    before = users_in(secured)
    result = as_admin(capsys, monkeypatch, secured, "restore", str(backup), "--replace")
    assert result.code == 1 and "not a backup of this database" in result.err
    assert users_in(secured) == before


@pytest.mark.parametrize("change", ["extra-trigger", "dropped-guard", "view"])
def test_backups_with_foreign_schema_objects_are_refused(tmp_path, capsys, monkeypatch,
                                                         change):
    monkeypatch.setenv(DEVELOPMENT_ENV, "1")
    live = plain_database(tmp_path / "live.db")
    bad = plain_database(tmp_path / "bad.db")
    with sqlite3.connect(bad) as conn:
        if change == "extra-trigger":
            conn.execute("CREATE TRIGGER evil AFTER INSERT ON answer_event "
                         "BEGIN DELETE FROM assessment; END")
        elif change == "dropped-guard":
            conn.execute("DROP TRIGGER heard_assessment_no_update_when_complete")
        else:
            conn.execute("CREATE VIEW peek AS SELECT * FROM assessment")
    conn.close()
    before = sha(live)
    result = cli(capsys, monkeypatch, live, "restore", str(bad), "--replace")
    assert result.code == 1, result.err
    assert "Heard's own schema" in result.err and "Traceback" not in result.err
    assert sha(live) == before


def test_development_use_must_be_asked_for(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv(DEVELOPMENT_ENV, raising=False)
    with pytest.raises(DevelopmentRefused, match="SCREENING_APP_DEVELOPMENT=1"):
        allow_development("heard.db")
    assert "development database" in allow_development("heard.db", {DEVELOPMENT_ENV: "1"})
    backup = plain_database(tmp_path / "backup.db")
    new = tmp_path / "new" / "heard.db"
    result = cli(capsys, monkeypatch, new, "restore", str(backup))
    assert result.code == 1 and DEVELOPMENT_ENV in result.err
    assert not new.exists()
    monkeypatch.setenv(DEVELOPMENT_ENV, "1")
    result = cli(capsys, monkeypatch, new, "restore", str(backup))
    assert result.code == 0, result.err
    assert "warning: development database" in result.err  # always, not only on a terminal

