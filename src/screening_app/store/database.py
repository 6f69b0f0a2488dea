"""Opening the database: the one place that knows URLs, drivers and connection settings.

SQLite (the embedded default) gets WAL, ``synchronous=FULL``, foreign keys and a busy
timeout on every connection, and explicit ``BEGIN IMMEDIATE`` write transactions so that
an answer counts as saved only when its COMMIT has returned.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

from .errors import StoreError, translate

APP_NAME = "screening-app"
APP_AUTHOR = "Heard"
BUSY_TIMEOUT_MS = 5000


def default_database_url() -> str:
    path = Path(user_data_dir(APP_NAME, APP_AUTHOR)) / "heard.db"
    return f"sqlite:///{path}"


def resolve_database_url(cli_value: str | None = None) -> str:
    """--db, then SCREENING_APP_DB, then the SQLite file in the user data directory."""
    return cli_value or os.environ.get("SCREENING_APP_DB") or default_database_url()


@dataclass(frozen=True)
class Database:
    url: str
    engine: Engine

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        database = make_url(self.url).database
        return Path(database) if self.is_sqlite and database not in (None, "", ":memory:") else None

    def dispose(self) -> None:
        self.engine.dispose()


def describe_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unparseable URL)"


def open_database(url: str, *, create: bool = True) -> Database:
    """Connect, check the file is a healthy database, and bring the schema up to date."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"not a database URL: {url!r} (use sqlite:///PATH or "
                         f"postgresql+psycopg://USER@HOST/DB)") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        engine = _sqlite_engine(parsed.database, create)
    elif backend == "postgresql":
        if parsed.drivername != "postgresql+psycopg":
            parsed = parsed.set(drivername="postgresql+psycopg")
        engine = create_engine(parsed, pool_pre_ping=True,
                               connect_args={"connect_timeout": 5})
    else:
        raise StoreError(f"unsupported database '{backend}' in {describe_url(url)} "
                         f"(use sqlite or postgresql+psycopg)")
    database = Database(url=url, engine=engine)
    try:
        _check_health(database)
        from .schema import ensure_schema

        ensure_schema(database)
    except StoreError:
        engine.dispose()
        raise
    except (DBAPIError, sqlite3.Error, OSError) as exc:
        engine.dispose()
        raise translate(exc, describe_url(url)) from None
    return database


def _sqlite_engine(database: str | None, create: bool) -> Engine:
    if not database or database == ":memory:":
        raise StoreError("an in-memory database would lose every answer; give a file path")
    path = Path(database).expanduser()
    _refuse_network_path(path)
    if path.exists() and path.is_dir():
        raise StoreError(f"{path} is a folder, not a database file")
    if not path.exists():
        if not create:
            raise StoreError(f"no database at {path}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the data folder {path.parent}: "
                             f"{exc.strerror or exc}") from None
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise StoreError(f"the data folder {path.parent} is read-only: answers could not be "
                         f"saved. Ask IT to make it writable, or choose another --db path")
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # noqa: ANN001
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):  # noqa: ANN001
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _refuse_network_path(path: Path) -> None:
    text_path = str(path)
    if text_path.startswith(("\\\\", "//")):
        raise StoreError(f"{path} is on a network share: SQLite's write-ahead log does not work "
                         f"over a network. Use a local folder, or PostgreSQL for shared use")
    if os.name == "posix":
        try:
            mounts = Path("/proc/mounts").read_text().splitlines()
        except OSError:
            return
        resolved = str(path.resolve().parent)
        best = ("", "")
        for line in mounts:
            parts = line.split()
            if len(parts) >= 3 and resolved.startswith(parts[1]) and len(parts[1]) > len(best[0]):
                best = (parts[1], parts[2])
        if best[1] in {"nfs", "nfs4", "cifs", "smbfs", "smb3", "sshfs", "fuse.sshfs", "9p"}:
            raise StoreError(f"{path} is on a network filesystem ({best[1]}): SQLite's "
                             f"write-ahead log does not work over a network. Use a local "
                             f"folder, or PostgreSQL for shared use")


def _check_health(database: Database) -> None:
    """Refuse a file that is not a database, or a damaged one, before writing anything."""
    if not database.is_sqlite:
        with database.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return
    path = database.sqlite_path
    if path is not None and path.exists() and path.stat().st_size > 0:
        with path.open("rb") as fh:
            header = fh.read(16)
        if header != b"SQLite format 3\x00":
            raise StoreError(f"{path} is not a Heard database (it may be another kind of file or "
                             f"encrypted). Nothing was changed; restore from a backup or choose "
                             f"another --db path")
    try:
        with database.engine.connect() as conn:
            verdict = conn.exec_driver_sql("PRAGMA quick_check").scalar()
    except OperationalError as exc:
        raise translate(exc, str(path)) from None
    if verdict != "ok":
        raise StoreError(f"{path} is damaged ({verdict}). Nothing was changed; restore from "
                         f"the latest backup with 'screening-app restore'")
