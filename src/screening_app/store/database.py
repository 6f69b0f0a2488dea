"""Opening the database: the one place that knows URLs, drivers and connection settings.

Everything that touches a database gets it from :func:`open_database`, which

* resolves the URL (``--db``, ``SCREENING_APP_DB``, else ``heard.db`` in the user data folder);
* for SQLite refuses what would lose answers later: an in-memory database, a network
  filesystem (WAL needs one host), a folder that cannot be written, a file that is not an
  SQLite database or fails ``PRAGMA quick_check``;
* puts SQLite in ``journal_mode=WAL`` (once the file is known to be a Heard database) and
  sets, on every connection, ``busy_timeout``, ``synchronous=FULL``, ``foreign_keys=ON``,
  ``secure_delete=ON`` and ``recursive_triggers=ON`` (so ``INSERT OR REPLACE`` fires the
  delete guards), and makes every write
  transaction ``BEGIN IMMEDIATE`` (reads use a deferred ``BEGIN`` through
  :attr:`Database.reader`, so they never wait for a writer);
* connects to PostgreSQL through psycopg 3 for any ``postgresql[+psycopg]://`` URL;
* brings the schema up to date (:func:`screening_app.store.schema.ensure_schema`: Alembic
  migrations, with a backup first, refusing a schema newer than this app).

Encryption at rest slots in here and nowhere else:

* ``sqlite+pysqlcipher://:PASSPHRASE@/path/heard.db`` (or a :class:`sqlalchemy.URL` built
  with ``URL.create("sqlite+pysqlcipher", password=..., database=...)``, which needs no
  escaping; a raw 256-bit key is ``password="x'<64 hex digits>'"``) uses SQLCipher through
  SQLAlchemy's dialect, which issues ``PRAGMA key`` first on every connection;
* ``on_connect=hook`` runs ``hook(dbapi_connection)`` on every new connection *before* any
  of our pragmas: the place for ``PRAGMA key`` with a per-user key unwrapped at login;
* ``creator=factory`` hands connection creation over entirely (a DBAPI connection factory,
  as :func:`sqlalchemy.create_engine` takes it), for drivers the URL cannot express.

A wrong key shows up as "not a Heard database, or encrypted with a different key". A
missing SQLCipher module is one sentence (:class:`SQLCipherMissing`), from
:func:`sqlcipher_module`, the one place that imports it.

A new SQLite file is made owner-only (0600) in a folder made owner-only (0700); SQLite gives
its ``-wal`` and ``-shm`` files the database file's permissions.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir
from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from .errors import StoreError, from_os_error, translate

APP_NAME = "screening-app"
APP_AUTHOR = "Heard"
BUSY_TIMEOUT_MS = 5000
SQLITE_HEADER = b"SQLite format 3\x00"
NETWORK_FILESYSTEMS = frozenset({
    "nfs", "nfs4", "cifs", "smbfs", "smb3", "ncpfs", "afs", "9p", "sshfs", "fuse.sshfs",
    "fuse.rclone", "davfs", "fuse.davfs2", "glusterfs", "fuse.glusterfs", "ceph", "fuse.ceph",
    "lustre", "gpfs", "ocfs2", "gfs2", "fuse.s3fs", "fuse.gcsfuse",
})
# Execution option that marks the read-only engine: reads begin DEFERRED, not IMMEDIATE.
_READ_OPTION = "heard_read"

ConnectHook = Callable[[Any], None]


class SQLCipherMissing(StoreError):
    """This installation has no SQLCipher, so encrypted databases cannot be opened."""


def sqlcipher_module() -> Any:
    """The ``sqlcipher3`` module, or :class:`SQLCipherMissing` (never an ImportError)."""
    try:
        import sqlcipher3
    except ImportError:
        raise SQLCipherMissing(
            "this installation of Heard has no SQLCipher (the sqlcipher3 package), so it "
            "cannot open or create an encrypted database; reinstall Heard with its "
            "dependencies") from None
    return sqlcipher3


def default_database_url() -> str:
    path = Path(user_data_dir(APP_NAME, APP_AUTHOR)) / "heard.db"
    return f"sqlite:///{path}"


def resolve_database_url(cli_value: str | None = None) -> str:
    """--db, then SCREENING_APP_DB, then the SQLite file in the user data directory; on a
    computer whose deployment file names a database, that one (and no other)."""
    from ..deployment import DeploymentError, load_deployment

    requested = cli_value or os.environ.get("SCREENING_APP_DB")
    try:
        chosen = load_deployment().database_for(requested)
    except DeploymentError as exc:
        raise StoreError(str(exc)) from None
    return chosen or default_database_url()


@dataclass(frozen=True)
class Database:
    """An open database. ``url`` is for messages: it never contains the password."""

    url: str
    engine: Engine
    path: Path | None = None
    reader: Engine = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "reader", self.engine.execution_options(**{_READ_OPTION: True}))

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def is_postgresql(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @property
    def is_encrypted(self) -> bool:
        return self.engine.dialect.driver == "pysqlcipher"

    @property
    def sqlite_path(self) -> Path | None:
        return self.path if self.is_sqlite else None

    def dispose(self) -> None:
        self.engine.dispose()

    def adopt(self, other: Database) -> None:
        """Take over ``other``'s engine (the same file, opened with a new key after a
        rekey), so that everything holding this object goes on working."""
        self.engine.dispose()
        object.__setattr__(self, "engine", other.engine)
        object.__setattr__(self, "reader", other.reader)


def describe_url(url: str | URL) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unparseable URL)"


def read_proc_mounts() -> str:
    """The mount table (Linux); empty where there is none."""
    try:
        return Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def open_database(url: str | URL, *, create: bool = True, migrate: bool = True,
                  on_connect: ConnectHook | None = None,
                  creator: Callable[[], Any] | None = None,
                  busy_timeout_ms: int = BUSY_TIMEOUT_MS,
                  read_mounts: Callable[[], str] = read_proc_mounts,
                  upgrade_backup: bool = True) -> Database:
    """Connect, check the database is healthy, and bring its schema up to date.

    ``create``: make a new SQLite file if there is none (else refuse). ``migrate``: run
    :func:`~screening_app.store.schema.ensure_schema` (tools that only inspect a database
    pass False). ``on_connect`` / ``creator``: see the module docstring (SQLCipher keys).
    ``read_mounts``: returns the text of ``/proc/mounts``; replaceable for tests.
    ``upgrade_backup``: copy the file aside before a schema upgrade (``init`` passes False:
    it upgrades a new encrypted copy while the original is still there untouched).
    Raises :class:`StoreError` with a one-line message for everything that can go wrong.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"not a database URL: {url!r} (use sqlite:///PATH or "
                         f"postgresql+psycopg://USER@HOST/DB)") from None
    where = describe_url(parsed)
    backend = parsed.get_backend_name()
    path: Path | None = None
    engine_args: dict[str, Any] = {}
    if creator is not None:
        engine_args["creator"] = creator
    if backend == "sqlite":
        if parsed.drivername == "sqlite+pysqlcipher":
            sqlcipher_module()  # one clear sentence when it is missing
        path = _sqlite_path(parsed, create, read_mounts)
        if parsed.drivername == "sqlite":
            parsed = parsed.set(drivername="sqlite+pysqlite")
        engine = create_engine(parsed.set(database=str(path)),
                               connect_args={"timeout": busy_timeout_ms / 1000}, **engine_args)
        _sqlite_events(engine, on_connect, busy_timeout_ms)
        where = str(path)
    elif backend == "postgresql":
        if parsed.drivername != "postgresql+psycopg":
            parsed = parsed.set(drivername="postgresql+psycopg")
        try:
            engine = create_engine(parsed, pool_pre_ping=True,
                                   connect_args={"connect_timeout": 5}, **engine_args)
        except ModuleNotFoundError:
            raise StoreError("PostgreSQL support is not installed on this computer: install "
                             "screening-app[server] (it adds psycopg), or use the local "
                             "database") from None
        if on_connect is not None:
            event.listen(engine, "connect", lambda conn, _record: on_connect(conn))
    else:
        raise StoreError(f"unsupported database '{backend}' in {where} "
                         f"(use sqlite or postgresql+psycopg)")
    database = Database(url=where, engine=engine, path=path)
    try:
        _check_health(database)
        if migrate:
            from .schema import ensure_schema

            ensure_schema(database, backup=upgrade_backup)
            use_wal(database)
    except StoreError:
        engine.dispose()
        raise
    except (DBAPIError, sqlite3.Error, OSError) as exc:
        engine.dispose()
        raise translate(exc, where, path) from None
    return database


def sqlite_file_of(url: str | URL, *, read_mounts: Callable[[], str] = read_proc_mounts) -> Path:
    """The checked file path of an SQLite URL (folder made, local, writable), not opened."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"not a database URL: {url!r}") from None
    if parsed.get_backend_name() != "sqlite":
        raise StoreError(f"{describe_url(parsed)} is not an SQLite database")
    return _sqlite_path(parsed, True, read_mounts)


def _sqlite_path(parsed: URL, create: bool, read_mounts: Callable[[], str]) -> Path:
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        raise StoreError("an in-memory database would lose every answer; give a file path")
    refuse_network_path(Path(database), read_mounts)
    path = Path(database).expanduser().absolute()
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a database file")
    if not path.exists():
        if not create:
            raise StoreError(f"no database at {path}")
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise from_os_error(exc, path.parent, "create the data folder") from None
    _probe_writable(path)
    if not path.exists():
        create_private_file(path)
    return path


def create_private_file(path: Path) -> None:
    """An empty owner-only file, so SQLite never makes the database world-readable."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError as exc:
        raise from_os_error(exc, path, "create") from None


def _probe_writable(path: Path) -> None:
    """Really try to write: ``os.access`` says yes to root on a chmod-ed folder.

    SQLite in WAL mode must create ``-wal`` and ``-shm`` files beside the database, so the
    folder must take new files, and the database and any existing side files must open
    for writing. Checked before anything is opened, so nothing is half-done.
    """
    folder = path.parent
    try:
        fd, probe = tempfile.mkstemp(prefix=".heard-write-test-", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise from_os_error(exc, folder, "use the data folder") from None
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            if candidate.exists():
                os.close(os.open(candidate, os.O_RDWR))
        except OSError as exc:  # the file itself, not its folder (red-team finding 18)
            raise StoreError(f"the database file {candidate} cannot be written "
                             f"({exc.strerror or exc}: it is read-only or belongs to another "
                             f"user); nothing was changed. Ask IT to fix its permissions, or "
                             f"choose another --db path") from None


def _unescape_mount_field(value: str) -> str:
    """/proc/mounts writes space, tab, newline and backslash as octal escapes."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        value = value.replace(code, char)
    return value


def filesystem_type(path: Path, read_mounts: Callable[[], str] = read_proc_mounts) -> str | None:
    """The type of the filesystem holding ``path`` per the mount table (longest mount point)."""
    target = path.expanduser().absolute()
    # Resolve what exists (symlinks), keep the rest as given.
    existing = target
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    resolved = existing.resolve() / target.relative_to(existing)
    best_point, best_type = None, None
    for line in read_mounts().splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point = Path(_unescape_mount_field(parts[1]))
        if resolved == point or point in resolved.parents:
            if best_point is None or len(point.parts) >= len(best_point.parts):
                best_point, best_type = point, parts[2]
    return best_type


def refuse_network_path(path: Path, read_mounts: Callable[[], str] = read_proc_mounts) -> None:
    text_path = str(path)
    if text_path.startswith(("\\\\", "//")):
        raise StoreError(f"{path} is on a network share: SQLite's write-ahead log does not work "
                         f"over a network. Use a local folder, or PostgreSQL for shared use")
    fstype = filesystem_type(path, read_mounts)
    if fstype is not None and (fstype in NETWORK_FILESYSTEMS or fstype.startswith("nfs")):
        raise StoreError(f"{path} is on a network filesystem ({fstype}): SQLite's "
                         f"write-ahead log does not work over a network. Use a local "
                         f"folder, or PostgreSQL for shared use")


def _sqlite_events(engine: Engine, on_connect: ConnectHook | None, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # noqa: ANN001
        if on_connect is not None:
            on_connect(dbapi_connection)  # e.g. PRAGMA key: it must come first
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            # journal_mode=WAL is kept in the file itself: use_wal() sets it once the file
            # is known to be ours, so a refused file is left exactly as it was.
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.execute("PRAGMA recursive_triggers=ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):  # noqa: ANN001
        if connection.get_execution_options().get(_READ_OPTION):
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def use_wal(database: Database) -> None:
    """Put an SQLite database in write-ahead-log mode (a setting stored in the file)."""
    if not database.is_sqlite:
        return
    with database.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None  # an open connection
        mode = raw.execute("PRAGMA journal_mode").fetchone()[0]
        if str(mode).lower() != "wal":
            mode = raw.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise StoreError(f"{database.url} cannot use write-ahead logging (journal mode "
                                 f"stays {mode}); choose a local folder for the database")


def _check_health(database: Database) -> None:
    """Refuse a file that is not a database, or a damaged one, before writing anything."""
    if not database.is_sqlite:
        with database.engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
        return
    path = database.path
    if path is not None and not database.is_encrypted and path.exists() \
            and path.stat().st_size > 0:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
        if header != SQLITE_HEADER:
            raise StoreError(f"{path} is not a Heard database (it may be another kind of file "
                             f"or encrypted). Nothing was changed; restore from a backup or "
                             f"choose another --db path")
    with database.reader.connect() as conn:
        verdicts = [row[0] for row in conn.exec_driver_sql("PRAGMA quick_check").all()]
    if verdicts != ["ok"]:
        raise StoreError(f"{path} is damaged ({verdicts[0]}). Nothing was changed; restore "
                         f"from the latest backup with 'screening-app restore'")
