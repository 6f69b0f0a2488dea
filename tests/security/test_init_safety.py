"""Set-up leaves no plain copy (finding 3), makes owner-only files (finding 4), and a missing
SQLCipher is one sentence, never a crash."""

from __future__ import annotations

import stat
import sys
import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from screening_app.security.access import initialise, sign_in
from screening_app.security.keyfile import key_file_for
from screening_app.store import StoreError, open_database
from screening_app.store.database import SQLCipherMissing
from screening_app.store.models import AnswerEvent
from screening_app.store.schema import HEAD_REVISION, current_revision, migrate_to

from .helpers import ADMIN, ADMIN_PASSWORD

MARKER = "UPGMARK-0002-Z9"


def _old_development_database(path) -> None:  # noqa: ANN001
    """A development database at schema 0002 holding the child's words."""
    database = open_database(f"sqlite:///{path}", migrate=False)
    try:
        migrate_to(database, "0002_search_key_and_guards")
        with database.engine.begin() as conn:
            record = str(uuid.uuid4())
            conn.exec_driver_sql(
                "INSERT INTO assessment (id, setting, age, extra_modules, content_pins, status,"
                " version, created_at, created_by, updated_at, row_version) VALUES "
                "(?, 'ed', 14, '[]', '{}', 'draft', 1, '2026-01-01 00:00:00', 'dev',"
                " '2026-01-01 00:00:00', 1)", (record,))
            conn.exec_driver_sql(
                "INSERT INTO answer_event (assessment_id, seq, module, item, value,"
                " answered_at, answered_by) VALUES (?, 1, 'voice', 'worries', ?,"
                " '2026-01-01 00:00:00', 'dev')", (record, f'"{MARKER}"'))
    finally:
        database.dispose()


def test_init_on_an_older_schema_leaves_no_plain_copy(tmp_path):
    db = tmp_path / "heard.db"
    _old_development_database(db)
    done = initialise(f"sqlite:///{db}", ADMIN, ADMIN_PASSWORD)
    assert done.encrypted_existing
    for path in tmp_path.iterdir():
        if path.is_file():
            assert MARKER.encode() not in path.read_bytes(), f"plain copy: {path.name}"
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(["heard.db", "heard.keys.json", ".heard.keys.json.lock"]), names
    signed = sign_in(f"sqlite:///{db}", ADMIN, ADMIN_PASSWORD)
    try:
        with Session(signed.database.reader) as session:
            values = session.scalars(select(AnswerEvent.value)).all()
            assert values == [f'"{MARKER}"']
            assert current_revision(session.connection())[0] == HEAD_REVISION
    finally:
        signed.close()


def test_new_database_and_key_file_are_owner_only(tmp_path):
    folder = tmp_path / "new-folder"
    db = folder / "heard.db"
    initialise(f"sqlite:///{db}", ADMIN, ADMIN_PASSWORD)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in (db, key_file_for(db)):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_a_development_database_is_created_owner_only(tmp_path):
    folder = tmp_path / "dev"
    db = folder / "heard.db"
    open_database(f"sqlite:///{db}").dispose()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_missing_sqlcipher_is_one_sentence(tmp_path, monkeypatch):
    db = tmp_path / "heard.db"
    initialise(f"sqlite:///{db}", ADMIN, ADMIN_PASSWORD)
    monkeypatch.setitem(sys.modules, "sqlcipher3", None)  # as on a machine without it
    with pytest.raises(SQLCipherMissing) as caught:
        sign_in(f"sqlite:///{db}", ADMIN, ADMIN_PASSWORD)
    assert isinstance(caught.value, StoreError)
    assert "SQLCipher" in str(caught.value) and "\n" not in str(caught.value)


def test_a_partial_copy_left_by_a_killed_backup_is_removed(tmp_path):
    from screening_app.store.backup import backup_sqlite_file

    source = tmp_path / "heard.db"
    open_database(f"sqlite:///{source}").dispose()
    out = tmp_path / "backups"
    out.mkdir()
    for leftover in (".b2.db.lflcbg84.partial", ".b2.db.lflcbg84.partial-journal"):
        (out / leftover).write_bytes(b"SQLite format 3\x00 a child's words")  # as SIGKILL left
    backup_sqlite_file(source, out / "b2.db")
    assert sorted(p.name for p in out.iterdir()) == ["b2.db"]


def test_a_read_only_database_file_is_named_as_the_file_not_the_folder(tmp_path):
    """Red-team finding 18: the folder is writable; the file is not (chattr +i stops root
    too, as CI runs)."""
    import subprocess

    db = tmp_path / "heard.db"
    open_database(f"sqlite:///{db}").dispose()
    made = subprocess.run(["chattr", "+i", str(db)], capture_output=True, timeout=30)
    if made.returncode != 0:
        pytest.fail(f"this test needs chattr on a local file system: {made.stderr!r}")
    try:
        with pytest.raises(StoreError) as caught:
            open_database(f"sqlite:///{db}")
    finally:
        subprocess.run(["chattr", "-i", str(db)], capture_output=True, timeout=30)
    message = str(caught.value)
    assert f"database file {db}" in message and "data folder" not in message
