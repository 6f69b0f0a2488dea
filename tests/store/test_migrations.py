"""Alembic migrations: new databases are built by them, older ones upgraded on open (SQLite:
after a backup beside the file), newer ones refused with a clear message."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from screening_app.store import Store, StoreError, open_database
from screening_app.store.errors import SchemaTooNewError
from screening_app.store.models import Base
from screening_app.store.schema import (
    BASE_REVISION,
    HEAD_REVISION,
    _script_directory,
    ensure_schema,
    known_revisions,
    migrate_to,
)

from .helpers import sha256_of

OLD_ROWS = [
    "INSERT INTO assessment (id, reference, setting, age, extra_modules, content_pins, status, "
    "version, created_at, created_by, updated_at, row_version) VALUES ('old-1', '  Cust  "
    "0042 ', 'custody', 15, '[]', '{}', 'draft', 1, '2024-01-02 03:04:05.000000', 'sam', "
    "'2024-01-02 03:04:05.000000', 3)",
    "INSERT INTO assessment (id, reference, setting, age, extra_modules, content_pins, status, "
    "version, created_at, created_by, updated_at, row_version, completed_at, completed_by) "
    "VALUES ('old-2', 'ED-9', 'ed', 12, '[]', '{}', 'complete', 1, "
    "'2024-01-02 03:04:05.000000', 'sam', '2024-01-02 03:04:05.000000', 2, "
    "'2024-01-02 04:00:00.000000', 'sam')",
    "INSERT INTO answer_event (assessment_id, seq, module, item, value, answered_at, "
    "answered_by) VALUES ('old-1', 1, 'asq', 'q1', '\"yes\"', '2024-01-02 03:05:00.000000', "
    "'sam')",
]



def _revision(db) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _old_database(url: str, *, drop_version_table: bool = False) -> None:
    """A database as the first release left it: revision 0001 with some rows in it."""
    db = open_database(url, migrate=False)
    try:
        migrate_to(db, BASE_REVISION)
        with db.engine.begin() as conn:
            for statement in OLD_ROWS:
                conn.execute(text(statement))
            if drop_version_table:
                conn.execute(text("DROP TABLE alembic_version"))
    finally:
        db.dispose()


def test_the_shipped_revisions_form_one_line_ending_at_head():
    script = _script_directory()
    assert script.get_heads() == [HEAD_REVISION]
    assert known_revisions() == {BASE_REVISION: None,
                                "0002_search_key_and_guards": BASE_REVISION,
                                "0003_security": "0002_search_key_and_guards",
                                "0004_services_actions": "0003_security",
                                "0005_security_hardening": "0004_services_actions",
                                HEAD_REVISION: "0005_security_hardening"}


def test_the_migrations_build_exactly_the_schema_the_models_describe(empty_db_url):
    db = open_database(empty_db_url)
    try:
        with db.engine.connect() as conn:
            diffs = compare_metadata(MigrationContext.configure(
                conn, opts={"compare_type": True}), Base.metadata)
        assert diffs == []
        assert _revision(db) == HEAD_REVISION
    finally:
        db.dispose()


def test_a_new_database_is_made_by_the_migrations_without_a_backup(empty_db_url, tmp_path):
    db = open_database(empty_db_url, migrate=False)
    try:
        change = ensure_schema(db)
        assert (change.before, change.after, change.backup) == (None, HEAD_REVISION, None)
        assert ensure_schema(db) is None  # already current: nothing to do
    finally:
        db.dispose()
    assert [p.name for p in tmp_path.iterdir() if "before-upgrade" in p.name] == []


def test_an_older_database_is_upgraded_on_open_after_a_backup(empty_db_url, backend, tmp_path):
    _old_database(empty_db_url)
    db = open_database(empty_db_url)
    try:
        assert _revision(db) == HEAD_REVISION
        store = Store(db)
        # Old rows are all there, and the new search key was filled in for them.
        assert store.load("old-1").answer_triples() == [("asq", "q1", "yes")]
        assert [s.id for s in store.search(reference="CUST 00")] == ["old-1"]
        assert store.load("old-1").created_at.tzinfo is not None
        # The guards of the new revision hold for the old completed assessment.
        with pytest.raises(Exception, match="read-only"), db.engine.begin() as conn:
            conn.execute(text("UPDATE assessment SET age = 1 WHERE id = 'old-2'"))
    finally:
        db.dispose()
    backups = sorted(tmp_path.glob("heard-*-before-upgrade-0001.db"))
    if backend == "postgresql":
        assert backups == []  # server backups are the server's business
        return
    assert len(backups) == 1
    old = open_database(f"sqlite:///{backups[0]}", migrate=False)
    try:
        assert _revision(old) == BASE_REVISION
        with old.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM assessment")).scalar_one() == 2
    finally:
        old.dispose()


def test_a_database_from_before_migrations_is_adopted_and_upgraded(empty_db_url):
    _old_database(empty_db_url, drop_version_table=True)
    db = open_database(empty_db_url)
    try:
        assert _revision(db) == HEAD_REVISION
        assert Store(db).load("old-2").status == "complete"
    finally:
        db.dispose()


def test_a_database_from_a_newer_heard_is_refused_and_left_alone(empty_db_url, backend,
                                                                 tmp_path):
    db_url = empty_db_url
    db = open_database(db_url)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099_from_the_future'"))
    db.dispose()
    path = tmp_path / "heard.db"
    before = sha256_of(path) if backend == "sqlite" else None
    with pytest.raises(SchemaTooNewError) as caught:
        open_database(db_url)
    message = str(caught.value)
    assert "0099_from_the_future" in message and "newer version" in message
    assert "Nothing was changed" in message and "\n" not in message
    if backend == "sqlite":
        assert sha256_of(path) == before
        assert not list(tmp_path.glob("*before-upgrade*"))
    else:
        check = open_database(db_url, migrate=False)
        assert _revision(check) == "0099_from_the_future"
        check.dispose()


def test_an_sqlite_file_of_another_application_is_refused(tmp_path):
    import sqlite3

    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    before = sha256_of(path)
    with pytest.raises(StoreError, match="another application, not a Heard database"):
        open_database(f"sqlite:///{path}")
    assert sha256_of(path) == before


def test_migrations_go_down_and_up_again(empty_db_url):
    from alembic import command

    from screening_app.store.schema import _config

    db = open_database(empty_db_url)
    try:
        for target in (BASE_REVISION, "base"):
            with db.engine.begin() as conn:
                command.downgrade(_config(conn), target)
        assert _revision(db) is None
        assert ensure_schema(db).after == HEAD_REVISION
    finally:
        db.dispose()


def test_instances_starting_together_on_a_new_database_migrate_it_once(empty_db_url):
    results: list[object] = []

    def start() -> None:
        try:
            db = open_database(empty_db_url)
            results.append(_revision(db))
            db.dispose()
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            results.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert results == [HEAD_REVISION] * 4


def test_opening_a_current_database_does_not_load_alembic(db_url):
    """Startup stays quick: the common case is one small read."""
    code = ("import sys; from screening_app.store import open_database; "
            f"open_database({db_url!r}).dispose(); "
            "print('alembic' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    out = result.stdout.strip()
    assert out == "False"
