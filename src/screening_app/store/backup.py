"""Backups and restores of the SQLite database, always through SQLite's backup API.

A raw file copy of a live WAL database can catch it mid-transaction (sqlite.org,
"How to corrupt"); the backup API copies a consistent snapshot. Every file written here is
written to a temporary name beside its target, checked with ``integrity_check``, flushed to
disk and only then renamed into place, so a backup is either whole or absent.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import tempfile
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .database import BUSY_TIMEOUT_MS, SQLITE_HEADER, SQLCipherMissing, sqlcipher_module
from .errors import StoreError, from_os_error, translate


def _db_errors() -> tuple[type[BaseException], ...]:
    """sqlite3's errors, and SQLCipher's (its own classes) where it is installed."""
    try:
        return (sqlite3.Error, sqlcipher_module().Error)
    except SQLCipherMissing:
        return (sqlite3.Error,)


@dataclass(frozen=True)
class BackupInfo:
    """What a checked Heard database file holds."""

    path: Path
    revision: str | None
    assessments: int
    answers: int


def _connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    if read_only:
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True,
                               timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    else:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return conn


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _connect_encrypted(path: Path, key: str):  # noqa: ANN202
    """An SQLCipher connection; ``key`` is the raw-key form ``x'<64 hex>'``."""
    conn = sqlcipher_module().connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000,
                                      isolation_level=None)
    conn.execute(f'PRAGMA key = "{key}"')
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return conn


def backup_sqlite_file(source: Path, target: Path, *, key: str | None = None) -> Path:
    """Copy the SQLite database ``source`` to ``target`` atomically, as a single file.

    ``target`` must not exist (callers decide about replacing). The copy is in rollback
    journal mode (no ``-wal`` beside it) and has passed ``integrity_check``. ``key``: the
    SQLCipher key of an encrypted database; the copy is encrypted with the same key.
    """
    target = target.absolute()
    folder = target.parent
    if not folder.is_dir():
        raise StoreError(f"cannot write {target}: folder {folder} does not exist")
    if target.exists():
        raise StoreError(f"{target} already exists; choose a new name")
    remove_partial_copies(target)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=folder)
        os.close(fd)
    except OSError as exc:
        raise from_os_error(exc, target, "write") from None
    tmp = Path(tmp_name)
    try:
        with closing(_connect(source) if key is None else _connect_encrypted(source, key)) \
                as src, closing(sqlite3.connect(tmp, isolation_level=None) if key is None
                                else _connect_encrypted(tmp, key)) as dst:
            verdict = _copy_verified(src, dst, "DELETE")
        if verdict != "ok":
            raise StoreError(f"the copy of {source} failed its integrity check "
                             f"({verdict}); {source} itself may be damaged")
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        if target.exists():  # appeared while we copied: never replace silently
            raise StoreError(f"{target} already exists; choose a new name")
        os.replace(tmp, target)
        _fsync_folder(folder)
    except _db_errors() as exc:
        raise translate(exc, str(target), target) from None
    except OSError as exc:
        raise from_os_error(exc, target, "write") from None
    finally:
        for leftover in (tmp, Path(f"{tmp}-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink()
    return target


def remove_partial_copies(target: Path) -> list[Path]:
    """Remove the hidden partial copies (and their journals) an interrupted backup to
    ``target`` left beside it: a killed process cannot clean up, and they hold records."""
    removed = []
    for leftover in target.parent.glob(f".{target.name}.*.partial*"):
        with contextlib.suppress(OSError):
            leftover.unlink()
            removed.append(leftover)
    return removed


def file_header(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror or exc}") from None


def inspect_heard_file(path: Path, *, key: str | None = None) -> BackupInfo:
    """Check ``path`` is a whole, undamaged Heard database whose schema objects are exactly
    the shipped ones for its revision; say what it holds. ``key``: an SQLCipher file's key."""
    if not path.is_file():
        raise StoreError(f"{path}: no such file")
    if key is None and file_header(path) != SQLITE_HEADER:
        raise StoreError(f"{path} is not a Heard database (not an SQLite file, or encrypted); "
                         f"nothing was changed")
    try:
        conn = _connect(path, read_only=True) if key is None else _connect_encrypted(path, key)
        try:
            return _inspect(conn, path)
        finally:
            conn.close()
    except _db_errors() as exc:
        raise StoreError(f"{path} cannot be read as a Heard database ({exc}); nothing was "
                         f"changed") from None


def _inspect(conn: Any, path: Path) -> BackupInfo:
    from .schema import HEAD_REVISION, HEARD_TABLES, VERSION_TABLE, known_revisions

    verdicts = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
    if verdicts != ["ok"]:
        raise StoreError(f"{path} is damaged ({verdicts[0]}); nothing was changed. "
                         f"Try an older backup")
    tables = {row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not HEARD_TABLES <= tables:
        raise StoreError(f"{path} is an SQLite database but not a Heard database; "
                         f"nothing was changed")
    revision = None
    if VERSION_TABLE in tables:
        rows = [r[0] for r in conn.execute(f"SELECT version_num FROM {VERSION_TABLE}")]
        revision = rows[0] if len(rows) == 1 else None
        if revision is None or revision not in known_revisions():
            raise StoreError(
                f"{path} was made by a newer version of Heard (schema "
                f"{', '.join(rows) or 'unknown'}; this version knows up to "
                f"{HEAD_REVISION}). Nothing was changed; update Heard first")
    difference = schema_difference(conn, revision)
    if difference:
        raise StoreError(f"{path} does not have Heard's own schema ({difference}); it may "
                         f"have been tampered with. Nothing was changed")
    assessments = conn.execute("SELECT count(*) FROM assessment").fetchone()[0]
    answers = conn.execute("SELECT count(*) FROM answer_event").fetchone()[0]
    return BackupInfo(path=path, revision=revision, assessments=assessments, answers=answers)


# -- the shipped schema objects ------------------------------------------------------------------
SchemaObjects = dict[tuple[str, str], str]


def schema_objects(conn: Any) -> SchemaObjects:
    """Every trigger, view and index (with its SQL, spaces folded) and every table (with its
    column names), keyed by (type, name). SQLite's own bookkeeping tables are left out."""
    found: SchemaObjects = {}
    for kind, name, sql in conn.execute("SELECT type, name, sql FROM sqlite_master"):
        if kind == "table":
            if name.startswith("sqlite_"):
                continue
            columns = [row[1] for row in conn.execute(f'PRAGMA table_info("{name}")')]
            found[(kind, name)] = ",".join(columns)
        elif kind == "index" and sql is None:
            continue  # made by a constraint: the table's definition already says so
        else:
            found[(kind, name)] = " ".join((sql or "").split())
    return found


_SHIPPED: dict[str | None, SchemaObjects] = {}


def shipped_schema(revision: str | None) -> SchemaObjects:
    """The objects the migrations make up to ``revision`` (None: a database made before
    migrations, adopted as the first revision), built once per process in a scratch file."""
    from .database import open_database
    from .schema import BASE_REVISION, VERSION_TABLE, migrate_to

    if revision not in _SHIPPED:
        with tempfile.TemporaryDirectory(prefix="heard-schema-") as folder:
            database = open_database(f"sqlite:///{Path(folder) / 'ref.db'}", migrate=False)
            try:
                migrate_to(database, revision or BASE_REVISION)
                with database.engine.connect() as conn:
                    raw = conn.connection.dbapi_connection
                    assert raw is not None  # an open connection
                    objects = schema_objects(raw)
            finally:
                database.dispose()
        if revision is None:
            objects.pop(("table", VERSION_TABLE), None)
        _SHIPPED[revision] = objects
    return _SHIPPED[revision]


def schema_difference(conn: Any, revision: str | None) -> str | None:
    """None when the objects in ``conn`` are exactly the shipped ones, else what differs."""
    found, shipped = schema_objects(conn), shipped_schema(revision)
    for key in sorted(found.keys() - shipped.keys()):
        return f"an extra {key[0]} {key[1]}"
    for key in sorted(shipped.keys() - found.keys()):
        return f"the {key[0]} {key[1]} is missing"
    for key in sorted(found):
        if found[key] != shipped[key]:
            return f"the {key[0]} {key[1]} was changed"
    return None


def utc_stamp() -> str:
    """The time for a file name: 20250131T235959Z."""
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def unused_path(path: Path) -> Path:
    """``path``, or ``name-2.ext``, ``name-3.ext``... if it is taken."""
    n = 1
    candidate = path
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


@dataclass(frozen=True)
class RestoreOutcome:
    restored: BackupInfo
    safety_copy: Path | None  # the database as it was before, kept beside it


def restore_sqlite_file(source: Path, target: Path, *, replace: bool) -> RestoreOutcome:
    """Make ``target`` (the app's SQLite database) a copy of the backup ``source``.

    Refuses unless ``source`` is a checked Heard database. An existing ``target`` is only
    replaced when ``replace`` is true, and first copied aside as a safety copy; a damaged
    one is moved aside (with its ``-wal`` and ``-shm``) rather than copied.
    """
    source, target = source.absolute(), target.absolute()
    if not source.is_file():
        raise StoreError(f"{source}: no such file")
    if source == target or (target.exists() and source.samefile(target)):
        raise StoreError(f"{source} is the database itself; choose a backup file")
    info = inspect_heard_file(source)
    if not target.parent.is_dir():
        try:
            target.parent.mkdir(parents=True)
        except OSError as exc:
            raise from_os_error(exc, target, "write") from None
    if not target.exists() or target.stat().st_size == 0:
        target.unlink(missing_ok=True)
        backup_sqlite_file(source, target)
        return RestoreOutcome(restored=info, safety_copy=None)
    if file_header(target) != SQLITE_HEADER:
        raise StoreError(f"{target} is not a plain SQLite database (it is encrypted, or not a "
                         f"database); a plain backup never replaces it. Nothing was changed")
    current = None
    try:
        current = inspect_heard_file(target)
    except StoreError:
        current = None  # damaged, foreign or unreadable: moved aside below, never copied
    if not replace:
        held = (f"holds {current.assessments} assessment(s)" if current
                else "exists (and is not a readable Heard database)")
        raise StoreError(f"{target} {held}; restoring would replace it. Run again with "
                         f"--replace to do so (a safety copy of it is kept)")
    stamp = utc_stamp()
    if current is not None:
        safety = backup_sqlite_file(
            target, unused_path(target.with_name(f"{target.stem}-{stamp}-before-restore.db")))
        _copy_into_live(source, target)
    else:
        safety = unused_path(target.with_name(f"{target.stem}-{stamp}-damaged.db"))
        try:
            for suffix in ("-wal", "-shm"):
                side = Path(f"{target}{suffix}")
                if side.exists():
                    os.replace(side, Path(f"{safety}{suffix}"))
            os.replace(target, safety)
        except OSError as exc:
            raise from_os_error(exc, target, "write") from None
        backup_sqlite_file(source, target)
    return RestoreOutcome(restored=info, safety_copy=safety)


def _copy_verified(src: sqlite3.Connection, dst: sqlite3.Connection, journal_mode: str) -> str:
    """Copy ``src`` into ``dst`` with the backup API; returns dst's integrity_check verdict."""
    src.backup(dst)
    dst.execute(f"PRAGMA journal_mode={journal_mode}")
    return dst.execute("PRAGMA integrity_check").fetchone()[0]


def restore_encrypted_file(source: Path, target: Path, *, key: str) -> RestoreOutcome:
    """Make the encrypted database ``target`` a copy of the encrypted backup ``source``,
    which must open with the same ``key`` (it is a backup of this database) and pass the
    same checks as a plain one. A safety copy of ``target`` (encrypted) is kept beside it.
    A plain file is refused: it would replace an encrypted database with a plain one."""
    source, target = source.absolute(), target.absolute()
    if not source.is_file():
        raise StoreError(f"{source}: no such file")
    if source == target or source.samefile(target):
        raise StoreError(f"{source} is the database itself; choose a backup file")
    if file_header(source) == SQLITE_HEADER:
        raise StoreError(f"{source} is a plain (unencrypted) database: restoring it would "
                         f"replace an encrypted database with a plain one. Nothing was changed")
    try:
        info = inspect_heard_file(source, key=key)
    except StoreError as exc:
        if "cannot be read" in str(exc):
            raise StoreError(f"{source} is not a backup of this database (it does not open "
                             f"with this database's key). Nothing was changed") from None
        raise
    safety = backup_sqlite_file(target, unused_path(target.with_name(
        f"{target.stem}-{utc_stamp()}-before-restore.db")), key=key)
    _copy_into_live(source, target, key=key)
    return RestoreOutcome(restored=info, safety_copy=safety)


def _copy_into_live(source: Path, target: Path, *, key: str | None = None) -> None:
    """Overwrite a healthy live database through the backup API (locks respected)."""
    try:
        src = _connect(source, read_only=True) if key is None else _connect_encrypted(source, key)
        dst = _connect(target) if key is None else _connect_encrypted(target, key)
        with closing(src), closing(dst):
            verdict = _copy_verified(src, dst, "WAL")
        if verdict != "ok":
            raise StoreError(f"the restored database {target} failed its integrity "
                             f"check ({verdict}); use the safety copy beside it")
    except _db_errors() as exc:
        raise translate(exc, str(target), target) from None
