"""Opening a database as a named user: set-up, sign-in, lock-out, recovery.

Three kinds of database (:func:`kind_of`):

``encrypted``
    An SQLite file set up with ``screening-app init``: SQLCipher with a random 256-bit data
    key, wrapped per user in the key file beside it (``heard.keys.json``). Signing in *is*
    unwrapping the data key with the user's password; nothing opens the file without one.
``server``
    A PostgreSQL database with users (``init`` has been run). Passwords are Argon2id hashes
    in the ``app_user`` table; the audit key comes from a key file or the environment
    (:func:`~.audit.server_audit_key`), never from the database.
``development``
    A database nobody has set up: plain SQLite (or PostgreSQL without users). For synthetic
    data and for tests only. The command line works on it without signing in; the desktop
    app refuses it and offers first-run set-up instead. See docs/security.md.

Every failed sign-in counts toward the lock-out (default: 10 wrong passwords, then 15
minutes; configurable); for SQLite the count lives in the key file, since a wrong password
cannot open the database to count there. The message never says whether the name or the
password was wrong, and an unknown name costs the same time as a wrong password.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
import uuid
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from sqlalchemy import URL, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session

from ..store.database import SQLITE_HEADER, Database, describe_url, open_database
from ..store.errors import StoreError, translate
from ..store.models import AppUser, SecuritySetting, utcnow
from . import crypto
from .audit import Action, Terminal, server_audit_key
from .crypto import WrongKey
from .errors import (
    AccessDenied,
    AuthenticationError,
    LockedOut,
    NotInitialised,
    SecurityError,
)
from .keyfile import KeyFile, KeyFileStore, LockoutPolicy, iso, key_file_for, parse_iso
from .passwords import check_password, decoy_verify, hash_password, needs_rehash, verify_password
from .retention import RetentionRule
from .roles import Principal, Role, check_name, name_key
from .trail import AuditWriter

DEFAULT_TEAM = "Default team"
DEFAULT_IDLE_LOCK_MINUTES = 5


class DatabaseKind(StrEnum):
    DEVELOPMENT = "development"
    ENCRYPTED = "encrypted"
    SERVER = "server"


# -- where a URL points ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Target:
    url: str | URL
    backend: str
    path: Path | None = None

    @property
    def keys(self) -> KeyFileStore | None:
        return KeyFileStore(key_file_for(self.path)) if self.path is not None else None

    def describe(self) -> str:
        return str(self.path) if self.path is not None else describe_url(self.url)


def target_of(url: str | URL) -> Target:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"not a database URL: {url!r}") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            return Target(url, backend)
        return Target(url, backend, Path(parsed.database).expanduser().absolute())
    return Target(url, backend)


def _plain_sqlite_file(path: Path) -> bool:
    """True for a missing or empty file, or one with SQLite's plain header."""
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return True
    except OSError:
        return True  # open_database reports what is wrong with it
    return header in (b"", SQLITE_HEADER)


def kind_of(target: Target, database: Database | None = None) -> DatabaseKind:
    """What kind of database ``target`` is. For PostgreSQL pass the opened ``database``."""
    if target.backend == "sqlite":
        keys = target.keys
        if keys is not None and keys.exists():
            return DatabaseKind.ENCRYPTED
        if target.path is not None and not _plain_sqlite_file(target.path):
            raise SecurityError(f"{target.path} is not a Heard database, or it is an "
                                f"encrypted one whose key file {key_file_for(target.path).name} "
                                f"is missing beside it (restore the key file from the backup "
                                f"kept with the database). Nothing was changed")
        return DatabaseKind.DEVELOPMENT
    if database is None:
        database = open_database(target.url)
        try:
            return kind_of(target, database)
        finally:
            database.dispose()
    return DatabaseKind.SERVER if count_users(database) else DatabaseKind.DEVELOPMENT


def count_users(database: Database) -> int:
    try:
        with Session(database.reader) as session:
            return session.scalar(select(func.count()).select_from(AppUser)) or 0
    except DBAPIError as exc:
        raise translate(exc, database.url, database.path) from None


# -- the signed-in state ----------------------------------------------------------------------
@dataclass
class SecurityPolicy:
    lockout: LockoutPolicy = field(default_factory=LockoutPolicy)
    idle_lock_minutes: int = DEFAULT_IDLE_LOCK_MINUTES
    retention: RetentionRule = field(default_factory=RetentionRule)

    def __post_init__(self) -> None:
        if isinstance(self.idle_lock_minutes, bool) or not isinstance(
                self.idle_lock_minutes, int) or not 1 <= self.idle_lock_minutes <= 60:
            raise SecurityError("the idle lock must be from 1 to 60 minutes")


@dataclass
class SignedIn:
    """An open database and who opened it. ``close()`` (or lock) forgets the key."""

    database: Database
    principal: Principal
    audit: AuditWriter
    kind: DatabaseKind
    target: Target
    data_key: bytearray | None = None  # SQLite only: needed to wrap it for new users

    def close(self) -> None:
        self.database.dispose()
        crypto.wipe(self.data_key)
        self.data_key = None

    def session(self) -> Session:
        return Session(self.database.engine, expire_on_commit=False)

    def policy(self) -> SecurityPolicy:
        with Session(self.database.reader) as session:
            return read_policy(session)


def read_policy(session: Session) -> SecurityPolicy:
    values = {row.key: json.loads(row.value) for row in session.scalars(select(SecuritySetting))}
    try:
        return SecurityPolicy(
            lockout=LockoutPolicy(**values.get("lockout", {})),
            idle_lock_minutes=int(values.get("idle_lock_minutes", DEFAULT_IDLE_LOCK_MINUTES)),
            retention=RetentionRule(**values.get("retention", {})))
    except (TypeError, ValueError):
        raise SecurityError("the security settings in the database are damaged; an "
                            "administrator can set them again with 'screening-app users "
                            "policy'") from None


def write_policy(session: Session, policy: SecurityPolicy, by: str) -> None:
    now = utcnow()
    for key, value in (("lockout", vars(policy.lockout)),
                       ("idle_lock_minutes", policy.idle_lock_minutes),
                       ("retention", policy.retention.to_dict())):
        row = session.get(SecuritySetting, key)
        text = json.dumps(value, sort_keys=True)
        if row is None:
            session.add(SecuritySetting(key=key, value=text, updated_at=now, updated_by=by))
        elif row.value != text:
            row.value, row.updated_at, row.updated_by = text, now, by


def _principal(user: AppUser) -> Principal:
    return Principal(name=user.name, role=Role(user.role), team=user.team)


def find_user(session: Session, name: str) -> AppUser | None:
    return session.scalars(select(AppUser).where(AppUser.name_key == name_key(name))).first()


def _sqlcipher_url(path: Path, data_key: bytes | bytearray) -> URL:
    return URL.create("sqlite+pysqlcipher", password=crypto.sqlcipher_key(data_key),
                      database=str(path))


def _quiet_sqlcipher(dbapi_connection) -> None:  # noqa: ANN001
    """Keep SQLCipher's own messages off the console, and temporary tables in memory."""
    with contextlib.suppress(Exception):
        dbapi_connection.execute("PRAGMA cipher_log_level = NONE")
    dbapi_connection.execute("PRAGMA temp_store = MEMORY")


def open_encrypted(path: Path, data_key: bytes | bytearray, *, create: bool = False) -> Database:
    return open_database(_sqlcipher_url(path, data_key), create=create,
                         on_connect=_quiet_sqlcipher)


# -- sign-in ----------------------------------------------------------------------------------
def sign_in(url: str | URL, name: str, password: str, *,
            terminal: Terminal | None = None) -> SignedIn:
    """Open an initialised database as ``name``. Raises AuthenticationError (one sentence,
    the same for an unknown name and a wrong password), LockedOut, or NotInitialised."""
    terminal = terminal or Terminal.here()
    target = target_of(url)
    if target.backend == "sqlite":
        if kind_of(target) is not DatabaseKind.ENCRYPTED:
            raise NotInitialised(f"{target.describe()} has not been set up: run "
                                 f"'screening-app init --admin NAME' first")
        return _sign_in_sqlite(target, name, password, terminal)
    database = open_database(target.url)
    try:
        if kind_of(target, database) is not DatabaseKind.SERVER:
            raise NotInitialised(f"{target.describe()} has not been set up: run "
                                 f"'screening-app init --admin NAME' first")
        return _sign_in_server(target, database, name, password, terminal)
    except BaseException:
        database.dispose()
        raise


def _locked_message(name: str, until: str) -> str:
    if until == "administrator":
        return (f"the account {name} is locked after too many wrong passwords; ask an "
                f"administrator to unlock it")
    local = parse_iso(until).astimezone().strftime("%H:%M")
    return (f"the account {name} is locked after too many wrong passwords; try again after "
            f"{local}, or ask an administrator to unlock it")


def _sign_in_sqlite(target: Target, name: str, password: str, terminal: Terminal) -> SignedIn:
    keys_store = target.keys
    assert keys_store is not None and target.path is not None
    keys = keys_store.read()
    until = keys.locked_until(name)
    if until:
        with keys_store.update() as fresh:
            fresh.add_pending({"at": iso(dt.datetime.now(dt.UTC)), "action": "LOGIN_FAIL",
                               "user": name, "terminal": terminal.hostname, "locked": True})
        raise LockedOut(_locked_message(name, until))
    if not keys.has_user(name):
        # Same work as a real attempt, so the time taken does not reveal the name.
        crypto.derive_kek(password, crypto.random_bytes(crypto.SALT_BYTES))
        with keys_store.update() as fresh:
            fresh.add_pending({"at": iso(dt.datetime.now(dt.UTC)), "action": "LOGIN_FAIL",
                               "user": name, "terminal": terminal.hostname, "unknown": True})
        raise AuthenticationError()
    try:
        data_key = keys.unwrap_for_user(name, password)
    except WrongKey:
        with keys_store.update() as fresh:
            state = fresh.record_failure(name, terminal.hostname)
        if state.locked_until:
            raise LockedOut(_locked_message(name, state.locked_until)) from None
        raise AuthenticationError() from None
    try:
        database = open_encrypted(target.path, data_key)
    except BaseException:
        crypto.wipe(data_key)
        raise
    try:
        with Session(database.reader) as session:
            user = find_user(session, name)
            if user is None:
                raise AuthenticationError()
            if user.disabled:
                raise AuthenticationError("this account is disabled; ask an administrator")
            principal = _principal(user)
        writer = AuditWriter(crypto.audit_key_from_data_key(data_key), principal, terminal)
        signed = SignedIn(database, principal, writer, DatabaseKind.ENCRYPTED, target, data_key)
        _record_sign_in(signed, keys_store)
        return signed
    except BaseException:
        database.dispose()
        crypto.wipe(data_key)
        raise


def _record_sign_in(signed: SignedIn, keys_store: KeyFileStore) -> None:
    """Audit the sign-in and move the failures noted in the key file into the trail."""
    pending = keys_store.read().pending
    with signed.session() as session, session.begin():
        for event in pending:
            with contextlib.suppress(KeyError, ValueError, TypeError):
                detail = {k: v for k, v in event.items()
                          if k in ("count", "locked", "unknown")}
                signed.audit.append(session, Action.LOGIN_FAILED, actor=str(event["user"])[:64],
                                    at=parse_iso(event["at"]),
                                    terminal=str(event.get("terminal", ""))[:255] or None,
                                    detail=detail)
        signed.audit.append(session, Action.LOGIN)
    with keys_store.update() as fresh:
        fresh.clear_failures(signed.principal.name)
        fresh.pending = [e for e in fresh.pending if e not in pending]


def _server_locked_until(user: AppUser) -> str | None:
    if not user.locked_until:
        return None
    if user.locked_until == "administrator" or parse_iso(user.locked_until) > dt.datetime.now(
            dt.UTC):
        return user.locked_until
    return None


def _sign_in_server(target: Target, database: Database, name: str, password: str,
                    terminal: Terminal) -> SignedIn:
    key = server_audit_key()
    anonymous = AuditWriter(key, None, terminal)
    with Session(database.engine, expire_on_commit=False) as session:
        with session.begin():
            user = find_user(session, name)
            policy = read_policy(session)
            if user is None:
                decoy_verify(password)
                anonymous.append(session, Action.LOGIN_FAILED, actor=name[:64],
                                 detail={"unknown": True})
                failure: SecurityError = AuthenticationError()
            elif (until := _server_locked_until(user)) is not None:
                anonymous.append(session, Action.LOGIN_FAILED, actor=user.name,
                                 detail={"locked": True})
                failure = LockedOut(_locked_message(user.name, until))
            elif not user.password_hash or not verify_password(user.password_hash, password):
                if user.locked_until:  # an expired lock: start counting afresh
                    user.failed_attempts, user.locked_until = 0, None
                user.failed_attempts += 1
                locked = user.failed_attempts >= policy.lockout.attempts
                if locked:
                    user.locked_until = "administrator" if policy.lockout.minutes == 0 else iso(
                        dt.datetime.now(dt.UTC) + dt.timedelta(minutes=policy.lockout.minutes))
                anonymous.append(session, Action.LOGIN_FAILED, actor=user.name,
                                 detail={"count": user.failed_attempts, "locked": locked})
                failure = LockedOut(_locked_message(user.name, user.locked_until)) if locked \
                    else AuthenticationError()
            elif user.disabled:
                anonymous.append(session, Action.LOGIN_FAILED, actor=user.name,
                                 detail={"disabled": True})
                failure = AuthenticationError("this account is disabled; ask an administrator")
            else:
                user.failed_attempts, user.locked_until = 0, None
                if needs_rehash(user.password_hash):
                    user.password_hash = hash_password(password)
                principal = _principal(user)
                writer = AuditWriter(key, principal, terminal)
                writer.append(session, Action.LOGIN)
                return SignedIn(database, principal, writer, DatabaseKind.SERVER, target)
    raise failure


# -- first-run set-up -------------------------------------------------------------------------
@dataclass(frozen=True)
class Initialised:
    principal: Principal
    kind: DatabaseKind
    where: str
    recovery_key: str | None = None  # SQLite: shown once, never stored
    audit_key_file: Path | None = None  # PostgreSQL: made by init when it did not exist
    encrypted_existing: bool = False


def initialise(url: str | URL, admin: str, password: str, *, team: str = DEFAULT_TEAM,
               audit_key_file: Path | None = None,
               terminal: Terminal | None = None) -> Initialised:
    """Set a database up with its first administrator (``screening-app init``)."""
    terminal = terminal or Terminal.here()
    admin, team = check_name(admin), check_name(team, "team name")
    check_password(password, admin)
    target = target_of(url)
    if target.backend == "sqlite":
        return _initialise_sqlite(target, admin, password, team, terminal)
    if target.backend != "postgresql":
        raise StoreError(f"unsupported database in {target.describe()}")
    return _initialise_server(target, admin, password, team, audit_key_file, terminal)


def _new_admin(session: Session, admin: str, team: str, password_hash: str | None) -> AppUser:
    now = utcnow()
    user = AppUser(name=admin, name_key=name_key(admin), role=str(Role.ADMINISTRATOR),
                   team=team, disabled=False, password_hash=password_hash, failed_attempts=0,
                   created_at=now, created_by=admin, updated_at=now)
    session.add(user)
    write_policy(session, SecurityPolicy(), admin)
    return user


def _initialise_sqlite(target: Target, admin: str, password: str, team: str,
                       terminal: Terminal) -> Initialised:
    path = target.path
    if path is None:
        raise StoreError("an in-memory database would lose every answer; give a file path")
    keys_store = target.keys
    assert keys_store is not None
    if keys_store.exists():
        raise SecurityError(f"{path} is already set up (its key file {keys_store.path.name} "
                            f"exists); sign in with --user instead")
    if not _plain_sqlite_file(path):
        raise SecurityError(f"{path} is encrypted but has no key file; restore the key file "
                            f"rather than setting the database up again")
    existing = path.exists() and path.stat().st_size > 0
    if existing:
        # Check it is a healthy Heard database at the current schema before encrypting it.
        open_database(target.url, create=False).dispose()
    path.parent.mkdir(parents=True, exist_ok=True)
    data_key, recovery = crypto.new_data_key(), bytearray(os.urandom(crypto.KEY_BYTES))
    keys = KeyFile.new()
    keys.wrap_for_user(admin, password, data_key)
    keys.wrap_for_recovery(recovery, data_key)
    principal = Principal(admin, Role.ADMINISTRATOR, team)
    made: list[Path] = []
    try:
        with keys_store.creating():
            if keys_store.exists():
                raise SecurityError(f"{path} was set up by someone else just now")
            if existing:
                _encrypt_in_place(path, data_key)
            else:
                made.append(path)
            database = open_encrypted(path, data_key, create=True)
            try:
                writer = AuditWriter(crypto.audit_key_from_data_key(data_key), principal,
                                     terminal)
                with Session(database.engine) as session, session.begin():
                    if session.scalar(select(func.count()).select_from(AppUser)):
                        raise SecurityError(f"{path} already has users")
                    _new_admin(session, admin, team, None)
                    writer.append(session, Action.INIT, detail={
                        "kind": "encrypted", "encrypted_existing": existing})
                    writer.append(session, Action.USER_ADD, detail={
                        "user": admin, "role": str(Role.ADMINISTRATOR), "team": team})
            finally:
                database.dispose()
            keys_store.write(keys)
            for own in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                with contextlib.suppress(OSError):
                    own.chmod(0o600)  # the deployment's folder permissions still matter
    except BaseException:
        for leftover in made:
            for extra in (leftover, Path(f"{leftover}-wal"), Path(f"{leftover}-shm")):
                with contextlib.suppress(OSError):
                    extra.unlink()
        raise
    finally:
        crypto.wipe(data_key)
    text = crypto.recovery_key_text(recovery)
    crypto.wipe(recovery)
    return Initialised(principal, DatabaseKind.ENCRYPTED, str(path), recovery_key=text,
                       encrypted_existing=existing)


def _encrypt_in_place(path: Path, data_key: bytes | bytearray) -> None:
    """Turn a development database into an encrypted one (SQLCipher's sqlcipher_export),
    then put the encrypted copy in its place. The plain file is overwritten before removal
    as far as the file system allows (copy-on-write and SSDs may keep old blocks)."""
    import sqlcipher3

    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.encrypting")
    try:
        plain = sqlcipher3.connect(str(path), isolation_level=None)
        try:
            plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            version = plain.execute("PRAGMA user_version").fetchone()[0]
            key = crypto.sqlcipher_key(data_key)
            plain.execute(f"ATTACH DATABASE ? AS encrypted KEY \"{key}\"", (str(tmp),))
            plain.execute("SELECT sqlcipher_export('encrypted')")
            plain.execute(f"PRAGMA encrypted.user_version = {int(version)}")
            plain.execute("DETACH DATABASE encrypted")
            plain.execute("PRAGMA journal_mode=DELETE")
        finally:
            plain.close()
        size = path.stat().st_size
        with path.open("r+b") as fh:
            fh.write(b"\0" * size)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        for side in (Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
            with contextlib.suppress(OSError):
                side.unlink()
    except (sqlite3.Error, sqlcipher3.Error) as exc:
        raise StoreError(f"could not encrypt {path}: {exc}") from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _initialise_server(target: Target, admin: str, password: str, team: str,
                       audit_key_file: Path | None, terminal: Terminal) -> Initialised:
    made_key_file = None
    if audit_key_file is not None and not audit_key_file.exists():
        from .keyfile import write_private_atomically

        write_private_atomically(audit_key_file, os.urandom(32).hex().encode("ascii") + b"\n")
        made_key_file = audit_key_file
    environ = dict(os.environ)
    if audit_key_file is not None:
        environ["SCREENING_APP_AUDIT_KEY_FILE"] = str(audit_key_file)
        environ.pop("SCREENING_APP_AUDIT_KEY", None)
    key = server_audit_key(environ)
    principal = Principal(admin, Role.ADMINISTRATOR, team)
    database = open_database(target.url)
    try:
        writer = AuditWriter(key, principal, terminal)
        with Session(database.engine) as session, session.begin():
            if session.scalar(select(func.count()).select_from(AppUser)):
                raise SecurityError(f"{target.describe()} is already set up; sign in with "
                                    f"--user instead")
            _new_admin(session, admin, team, hash_password(password))
            writer.append(session, Action.INIT, detail={"kind": "server"})
            writer.append(session, Action.USER_ADD, detail={
                "user": admin, "role": str(Role.ADMINISTRATOR), "team": team})
    except DBAPIError as exc:
        raise translate(exc, database.url) from None
    finally:
        database.dispose()
    return Initialised(principal, DatabaseKind.SERVER, target.describe(),
                       audit_key_file=made_key_file)


# -- recovery ---------------------------------------------------------------------------------
def recover(url: str | URL, recovery_text: str, name: str, new_password: str, *,
            terminal: Terminal | None = None) -> Principal:
    """Give ``name`` a new password with the recovery key (SQLite), unlocking and
    re-enabling them. For a locked-out or forgotten administrator."""
    terminal = terminal or Terminal.here()
    target = target_of(url)
    if target.backend != "sqlite" or kind_of(target) is not DatabaseKind.ENCRYPTED:
        raise SecurityError("the recovery key opens an encrypted SQLite database; on "
                            "PostgreSQL another administrator resets the password")
    check_password(new_password, name)
    try:
        recovery = crypto.parse_recovery_key(recovery_text)
    except WrongKey as exc:
        raise SecurityError(str(exc)) from None
    keys_store = target.keys
    assert keys_store is not None and target.path is not None
    try:
        data_key = keys_store.read().unwrap_with_recovery(recovery)
    except WrongKey:
        raise AuthenticationError("that recovery key does not open this database") from None
    finally:
        crypto.wipe(recovery)
    database = open_encrypted(target.path, data_key)
    try:
        writer = AuditWriter(crypto.audit_key_from_data_key(data_key), None, terminal)
        with keys_store.update() as keys, Session(database.engine) as session, session.begin():
            user = find_user(session, name)
            if user is None:
                raise SecurityError(f"there is no user {name!r} in this database")
            user.disabled, user.failed_attempts, user.locked_until = False, 0, None
            user.updated_at = utcnow()
            writer.append(session, Action.RECOVERY, actor=user.name, team=user.team,
                          detail={"user": user.name})
            keys.wrap_for_user(user.name, new_password, data_key)
            keys.clear_failures(user.name)
            principal = _principal(user)
    finally:
        database.dispose()
        crypto.wipe(data_key)
    return principal


def require(signed: SignedIn, allowed: bool, message: str) -> None:
    if not allowed:
        raise AccessDenied(message)
