"""Store fixtures: every ``db_url`` test runs on SQLite and on a real PostgreSQL server.

``db_url`` is a database already at the current schema and without rows (PostgreSQL: one
migrated database per session, emptied before each test; SQLite: a copy of a migrated
file), which keeps the suite quick; ``empty_db_url`` is a database with nothing in it, for
the tests of migrations themselves.
"""

from __future__ import annotations

import shutil

import pytest

from screening_app.store import Store, open_database

from .pg import NoPostgres, PgServer, database_on, empty_tables, start_server


@pytest.fixture(scope="session")
def pg_server() -> PgServer:
    try:
        server = start_server()
    except NoPostgres as exc:
        pytest.fail(f"PostgreSQL is required for the store tests: {exc}", pytrace=False)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_migrated(pg_server: PgServer) -> str:
    """One database at the current schema for the whole session."""
    url = pg_server.create_database()
    open_database(url).dispose()
    return url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "heard.db"
    open_database(f"sqlite:///{path}").dispose()
    return path


@pytest.fixture
def pg_url(pg_migrated: str) -> str:
    empty_tables(pg_migrated)
    return pg_migrated


@pytest.fixture
def pg_empty_url(pg_server: PgServer) -> str:
    with database_on(pg_server) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request) -> str:
    return request.param


@pytest.fixture
def db_url(request, backend, tmp_path) -> str:
    """A database at the current schema, on each backend."""
    if backend == "sqlite":
        path = tmp_path / "heard.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def empty_db_url(request, backend, tmp_path) -> str:
    """A database with nothing in it, on each backend."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'heard.db'}"
    return request.getfixturevalue("pg_empty_url")


@pytest.fixture
def database(db_url):
    db = open_database(db_url)
    yield db
    db.dispose()


@pytest.fixture
def store(database) -> Store:
    return Store(database)
