"""open_database: the one door to a database, its checks, and the hooks for SQLCipher."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from sqlalchemy import URL

from screening_app.store import Store, StoreError, open_database, resolve_database_url
from screening_app.store.database import default_database_url, filesystem_type

from .helpers import new_draft

MOUNTS = """\
/dev/vda / ext4 rw,relatime 0 0
tmpfs /tmp tmpfs rw 0 0
server:/export/home /mnt/nfs nfs4 rw,relatime,vers=4.2 0 0
//filer/share /mnt/smb cifs rw 0 0
/dev/vdb /mnt/nfsdata ext4 rw 0 0
/dev/vdc /mnt/nfs/local\\040disk xfs rw 0 0
"""


def test_the_default_database_is_heard_db_in_the_user_data_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_database_url() == f"sqlite:///{tmp_path / 'data/screening-app/heard.db'}"
    assert resolve_database_url() == default_database_url()
    monkeypatch.setenv("SCREENING_APP_DB", "sqlite:////elsewhere.db")
    assert resolve_database_url() == "sqlite:////elsewhere.db"
    assert resolve_database_url("postgresql+psycopg://h/db") == "postgresql+psycopg://h/db"
    monkeypatch.delenv("SCREENING_APP_DB")
    db = open_database(resolve_database_url())
    try:
        assert db.path == tmp_path / "data/screening-app/heard.db" and db.path.exists()
    finally:
        db.dispose()


@pytest.mark.parametrize("backend", ["sqlite"])
def test_every_sqlite_connection_gets_the_durability_settings(database):
    with database.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        settings = {name: raw.execute(f"PRAGMA {name}").fetchone()[0]
                    for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout",
                                 "secure_delete")}
    assert settings == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1,
                        "busy_timeout": 5000, "secure_delete": 1}


@pytest.mark.parametrize("backend", ["sqlite"])
def test_reads_do_not_wait_for_a_writer(store, database):
    new_draft(store)
    holder = sqlite3.connect(database.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        start = time.monotonic()
        assert len(store.list_drafts()) == 1
        assert len(store.search(reference="REF")) == 1
        assert time.monotonic() - start < 2  # the busy timeout is 5 s
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_the_connect_hook_runs_first_on_every_connection(tmp_path):
    seen: list[int] = []

    def hook(dbapi_connection) -> None:
        # Before our pragmas: foreign_keys is still SQLite's default, off.
        seen.append(dbapi_connection.execute("PRAGMA foreign_keys").fetchone()[0])

    db = open_database(f"sqlite:///{tmp_path / 'heard.db'}", on_connect=hook)
    try:
        with db.engine.connect(), db.engine.connect():
            pass
    finally:
        db.dispose()
    assert seen and set(seen) == {0}


def test_a_creator_hook_makes_the_connections(tmp_path):
    path = tmp_path / "heard.db"
    made: list[sqlite3.Connection] = []

    def creator() -> sqlite3.Connection:
        conn = sqlite3.connect(path, check_same_thread=False)
        made.append(conn)
        return conn

    db = open_database(f"sqlite:///{path}", creator=creator)
    try:
        new_draft(Store(db))
    finally:
        db.dispose()
    assert made


def test_sqlcipher_slots_in_through_the_url_and_a_wrong_key_is_named(tmp_path):
    path = tmp_path / "heard.db"
    url = URL.create("sqlite+pysqlcipher", password="pa:ss@word/#", database=str(path))
    db = open_database(url)
    try:
        assert db.is_encrypted and "pa:ss" not in db.url
        store = Store(db)
        draft = new_draft(store, reference="CANARY-7731")
        store.record_answer(draft.id, "voice", "words", "CANARY-WORDS", by="sam",
                            expected_version=draft.row_version)
    finally:
        db.dispose()
    for file in tmp_path.iterdir():
        assert b"CANARY" not in file.read_bytes(), file
    wrong = URL.create("sqlite+pysqlcipher", password="guess", database=str(path))
    with pytest.raises(StoreError, match="encrypted with a different key"):
        open_database(wrong)
    again = open_database(url)
    try:
        assert Store(again).search(reference="canary")[0].reference == "CANARY-7731"
    finally:
        again.dispose()


def test_the_filesystem_type_comes_from_the_longest_matching_mount():
    def mounts() -> str:
        return MOUNTS

    assert filesystem_type(Path("/mnt/nfs/heard.db"), mounts) == "nfs4"
    assert filesystem_type(Path("/mnt/nfs/a/b/heard.db"), mounts) == "nfs4"
    assert filesystem_type(Path("/mnt/nfsdata/heard.db"), mounts) == "ext4"  # not a prefix match
    assert filesystem_type(Path("/mnt/nfs/local disk/heard.db"), mounts) == "xfs"
    assert filesystem_type(Path("/mnt/smb/heard.db"), mounts) == "cifs"
    assert filesystem_type(Path("/home/sam/heard.db"), mounts) == "ext4"
    assert filesystem_type(Path("/x"), lambda: "") is None


@pytest.mark.parametrize(("folder", "kind"), [("/mnt/nfs", "nfs4"), ("/mnt/smb", "cifs")])
def test_sqlite_on_a_network_filesystem_is_refused(folder, kind):
    with pytest.raises(StoreError) as caught:
        open_database(f"sqlite:///{folder}/heard/heard.db", read_mounts=lambda: MOUNTS)
    assert f"network filesystem ({kind})" in str(caught.value)
    assert "PostgreSQL" in str(caught.value)
    assert not Path(folder, "heard").exists()  # refused before anything was made


def test_a_local_filesystem_is_accepted(tmp_path):
    fake = f"/dev/vda / ext4 rw 0 0\nfiler:/x {tmp_path}/elsewhere nfs rw 0 0\n"
    db = open_database(f"sqlite:///{tmp_path / 'heard.db'}", read_mounts=lambda: fake)
    db.dispose()


@pytest.mark.parametrize(("url", "message"), [
    ("sqlite://", "in-memory database would lose every answer"),
    ("sqlite:///:memory:", "in-memory database would lose every answer"),
    ("mysql://u@h/db", "unsupported database 'mysql'"),
    ("not a url", "not a database URL"),
    ("sqlite://///server/share/heard.db", "on a network share"),
    ("sqlite:///\\\\server\\share\\heard.db", "on a network share"),
])
def test_urls_that_cannot_work_are_refused_in_one_line(url, message):
    with pytest.raises(StoreError, match=message) as caught:
        open_database(url)
    assert "\n" not in str(caught.value)


def test_a_folder_or_a_missing_file_is_named(tmp_path):
    with pytest.raises(StoreError, match="is a folder, not a database file"):
        open_database(f"sqlite:///{tmp_path}")
    with pytest.raises(StoreError, match="no database at"):
        open_database(f"sqlite:///{tmp_path / 'missing.db'}", create=False)


def test_passwords_never_appear_in_messages():
    url = "postgresql+psycopg://heard:hunter2@127.0.0.1:1/heard"
    with pytest.raises(StoreError) as caught:
        open_database(url)
    assert "hunter2" not in str(caught.value)
    assert "cannot reach the database server" in str(caught.value)
