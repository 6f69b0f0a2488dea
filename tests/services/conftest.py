"""Directory and action tests run on SQLite and on a real PostgreSQL server.

Each backend gets one database per session, made by the shipped migrations (up to at least
``0004_services_actions``), emptied before each test.
"""

from __future__ import annotations

import shutil

import psycopg
import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.engine import make_url

from screening_app.security.audit import Terminal
from screening_app.security.roles import Principal, Role
from screening_app.security.trail import AuditWriter
from screening_app.store import Store, open_database
from screening_app.store.models import AuditEvent
from screening_app.store.schema import HEAD_REVISION, known_revisions, migrate_to
from tests.store.pg import NoPostgres, start_server

DIRECTORY_REVISION = "0004_services_actions"
TABLES = ("assessment", "answer_event", "flag_acknowledgement", "decision", "export_record",
          "care_action", "escalation", "service", "need_mapping")
AUDIT_KEY = b"k" * 32


def _target() -> str:
    """The shipped head once it includes the directory tables, else their revision."""
    chain, revision = known_revisions(), HEAD_REVISION
    while revision is not None:
        if revision == DIRECTORY_REVISION:
            return HEAD_REVISION
        revision = chain.get(revision)
    return DIRECTORY_REVISION


def migrated(url: str):
    db = open_database(url, migrate=False)
    with db.engine.connect() as conn:
        has_tables = "care_action" in inspect(conn).get_table_names()
    if not has_tables:
        migrate_to(db, _target())
    return db


@pytest.fixture(scope="session")
def directory_pg():
    try:
        server = start_server()
    except NoPostgres as exc:
        pytest.fail(f"PostgreSQL is required for the directory tests: {exc}", pytrace=False)
    url = server.create_database()
    migrated(url).dispose()
    yield url
    server.stop()


@pytest.fixture(scope="session")
def directory_sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("directory-template") / "heard.db"
    migrated(f"sqlite:///{path}").dispose()
    return path


def _empty_pg(url: str) -> None:
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("SET lock_timeout = '10s'")
        # The audit trail refuses TRUNCATE too: tests read only the entries after their start
        conn.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def dir_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "heard.db"
        shutil.copyfile(request.getfixturevalue("directory_sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("directory_pg")
    _empty_pg(url)
    return url


@pytest.fixture
def database(dir_url):
    db = migrated(dir_url)
    yield db
    db.dispose()


def scoped_store(database, name: str, role: str, team: str | None) -> Store:
    """A Store as a signed-in user sees it: team scope and a real sealed audit trail."""
    principal = Principal(name, Role(role), team)
    return Store(database, scope=principal,
                 audit=AuditWriter(AUDIT_KEY, principal, Terminal("test-host", "tester")))


@pytest.fixture
def store(database) -> Store:
    return scoped_store(database, "Pat Practitioner", "practitioner", "North ED")


@pytest.fixture
def audit_mark(database) -> int:
    """The last audit entry before the test (the PostgreSQL trail is never emptied)."""
    with database.engine.connect() as conn:
        return conn.execute(select(func.coalesce(func.max(AuditEvent.seq), 0))).scalar_one()


def audit_since(store: Store, mark: int, record_id: str | None = None) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.seq > mark).order_by(AuditEvent.seq)
    if record_id is not None:
        query = query.where(AuditEvent.record_id == record_id)
    with store._read() as session:
        return list(session.scalars(query))
