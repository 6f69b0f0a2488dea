"""Bringing a database's schema up to date with the Alembic migrations in ``migrations/``.

:func:`ensure_schema` runs on every open. The common case (already at :data:`HEAD_REVISION`)
costs one small read and does not import Alembic. Otherwise, holding the write lock
(SQLite ``BEGIN IMMEDIATE``; a PostgreSQL advisory lock) so that two instances starting
together do not both migrate, it

* creates a new database from the migrations;
* upgrades an older one, after copying an SQLite file beside itself with the backup API
  (``heard-<UTC time>-before-upgrade-<revision>.db``) so that a failed or unwanted upgrade
  can be undone with ``screening-app restore``;
* adopts a database made before migrations existed (tables, no ``alembic_version``) as
  revision ``0001_initial``;
* refuses a database whose revision this app does not know (made by a newer Heard), and an
  SQLite file that holds some other application's tables, changing nothing.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, inspect, text

from .. import __version__
from .database import Database
from .errors import SchemaTooNewError, StoreError

log = logging.getLogger(__name__)

SCRIPT_LOCATION = "screening_app.store:migrations"
HEAD_REVISION = "0006_team_keys"
BASE_REVISION = "0001_initial"
VERSION_TABLE = "alembic_version"
# pg_advisory_xact_lock key: "Heard" in ASCII, so other applications are unlikely to share it.
PG_MIGRATION_LOCK = 0x4865617264
# Alembic keeps its running migration context in module globals: one migration at a time
# per process (the database's own lock orders processes).
_ALEMBIC_LOCK = threading.Lock()
HEARD_TABLES = frozenset({"assessment", "answer_event", "flag_acknowledgement", "decision",
                          "export_record"})


@dataclass(frozen=True)
class SchemaChange:
    """What :func:`ensure_schema` did: ``before`` is None for a new database."""

    before: str | None
    after: str
    backup: Path | None = None


def current_revision(conn: Connection) -> tuple[str | None, set[str]]:
    """The database's revision (None when unversioned) and the names of its tables."""
    tables = set(inspect(conn).get_table_names())
    if VERSION_TABLE not in tables:
        return None, tables
    rows = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    if len(rows) > 1:
        raise StoreError(f"the database has several schema revisions ({', '.join(rows)}); "
                         f"it was not made by this application")
    return (rows[0] if rows else None), tables


def ensure_schema(database: Database, *, backup: bool = True) -> SchemaChange | None:
    """Create, adopt or upgrade the schema; None when it was already current. ``backup``:
    copy an SQLite file aside before upgrading it."""
    with database.reader.connect() as conn:
        revision, _tables = current_revision(conn)
    if revision == HEAD_REVISION:
        return None
    return _migrate(database, HEAD_REVISION, backup=backup)


def migrate_to(database: Database, target: str) -> SchemaChange | None:
    """Upgrade to ``target`` (a revision id). For tools and tests; the app uses ensure_schema."""
    return _migrate(database, target)


def known_revisions() -> dict[str, str | None]:
    """Every revision this app ships, mapped to the one it follows."""
    script = _script_directory()
    return {rev.revision: rev.down_revision for rev in script.walk_revisions()}


def _script_directory():  # noqa: ANN202
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config())


def _config(connection: Connection | None = None):  # noqa: ANN202
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _too_new(database: Database, revision: str) -> SchemaTooNewError:
    return SchemaTooNewError(
        f"the database {database.url} has schema revision {revision}, which this version of "
        f"Heard ({__version__}) does not know: it was made by a newer version. Nothing was "
        f"changed; update Heard on this computer, or choose another --db")


def _migrate(database: Database, target: str, *, backup: bool = True) -> SchemaChange | None:
    with _ALEMBIC_LOCK:
        return _migrate_locked(database, target, backup)


def _migrate_locked(database: Database, target: str, make_backup: bool) -> SchemaChange | None:
    from alembic import command

    revisions = known_revisions()
    if target not in revisions:
        raise StoreError(f"unknown schema revision {target}")
    with database.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None  # an open connection
        if database.is_sqlite:
            # SQLite's own recipe for schema changes: foreign keys off (a table rebuild would
            # otherwise fire the cascades), checked with foreign_key_check before commit.
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():  # SQLite: BEGIN IMMEDIATE, the write lock, held throughout
                if database.is_postgresql:
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                                 {"key": PG_MIGRATION_LOCK})
                # Read again under the lock: another instance may have just migrated.
                before, tables = current_revision(conn)
                if before is not None and before not in revisions:
                    raise _too_new(database, before)
                if before is None and tables & HEARD_TABLES:
                    if "assessment" not in tables:
                        raise StoreError(f"{database.url} holds part of a Heard database "
                                         f"without its version; restore from a backup")
                    before = BASE_REVISION  # made by create_all before migrations existed
                    command.stamp(_config(conn), BASE_REVISION)
                elif before is None and database.is_sqlite \
                        and tables - {"sqlite_sequence", VERSION_TABLE}:
                    raise StoreError(f"{database.url} is an SQLite database of another "
                                     f"application, not a Heard database. Nothing was "
                                     f"changed; choose another --db path")
                if before == target:
                    return None
                if before is not None and not _is_ancestor(revisions, before, target):
                    raise _too_new(database, before) if target == HEAD_REVISION else \
                        StoreError(f"the database is at {before}, past {target}")
                backup = None
                if make_backup and before is not None and database.path is not None:
                    backup = backup_before_upgrade(database, before)
                log.info("upgrading the schema of %s from %s to %s", database.url,
                         before or "nothing", target)
                command.upgrade(_config(conn), target)
                if database.is_sqlite:
                    problems = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if problems:
                        raise StoreError(f"the upgrade of {database.url} would break links "
                                         f"between records ({problems[0][0]}); nothing was "
                                         f"changed")
        finally:
            if database.is_sqlite:
                raw.execute("PRAGMA foreign_keys=ON")
    return SchemaChange(before=before, after=target, backup=backup)


def _is_ancestor(revisions: dict[str, str | None], older: str, newer: str) -> bool:
    node: str | None = newer
    while node is not None:
        if node == older:
            return True
        node = revisions.get(node)
    return False


def backup_before_upgrade(database: Database, revision: str) -> Path:
    """Copy the SQLite file beside itself (backup API) before its schema changes."""
    from .backup import backup_sqlite_file, unused_path, utc_stamp

    assert database.path is not None
    short = revision.split("_", 1)[0]
    target = unused_path(database.path.with_name(
        f"{database.path.stem}-{utc_stamp()}-before-upgrade-{short}.db"))
    key = database.engine.url.password if database.is_encrypted else None
    backup_sqlite_file(database.path, target, key=key)
    log.info("backed up %s to %s before upgrading its schema", database.path, target)
    return target
