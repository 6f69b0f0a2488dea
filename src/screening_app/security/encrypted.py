"""Encrypted SQLite: set-up, sign-in and recovery for an SQLCipher file and its key file.

The data key (random, 256 bits) is wrapped per user in the key file beside the database
(``heard.keys.json``); signing in *is* unwrapping it with the user's password.

**Set-up is crash-safe** (:func:`initialise`). Whatever instant it is interrupted at (power
cut, SIGKILL, a full disk), what is left is either the old database untouched or a working
encrypted one with its key file, and no plain copy:

1. an existing development database is exported, encrypted, to a temporary file beside it
   (``.heard.db.<id>.encrypting``); migrations, the administrator and the first audit
   entries go into that copy, which is then checked (``quick_check`` through a fresh
   connection with the key) and fsynced. The plain file has not been touched;
2. the key file (user and recovery wraps) is written and fsynced under a pending name
   (``.heard.keys.json.pending``) and read back: the recovery wrap on disk must open the
   encrypted copy's key;
3. the encrypted copy replaces the plain file in one ``rename``; the pending key file is
   then renamed into place;
4. the plain file's old contents are overwritten through a descriptor kept open across the
   rename, then released.

The key file's lock is held throughout; :func:`resume_interrupted_init` (run, under that
lock, whenever a pending key file is seen) finishes step 3 when the rename had happened, or
discards the pending key file and temporary copy when it had not.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import uuid
from pathlib import Path

from sqlalchemy import URL, func, select
from sqlalchemy.orm import Session

from ..store.database import SQLITE_HEADER, Database, open_database, sqlcipher_module
from ..store.errors import StoreError
from ..store.models import AppUser, AuditEvent, SecuritySetting, utcnow
from . import anchor, crypto, teamkeys
from .audit import RECOVERY_SIGNER, Action, Terminal
from .backend import (
    DatabaseKind,
    Initialised,
    SignedIn,
    Target,
    add_first_admin,
    find_user,
    locked_message,
    not_set_up,
    principal_of,
)
from .crypto import WrongKey
from .errors import AuthenticationError, LockedOut, NotInitialised, SecurityError
from .keyfile import (
    MAX_PENDING,
    KeyFile,
    KeyFileStore,
    key_file_for,
    parse_iso,
    pending_key_file,
    rekey_key_file,
)
from .keyring import Keyring
from .passwords import check_password
from .policy import read_policy
from .roles import Principal, Role
from .trail import AuditWriter

ENCRYPTING_SUFFIX = ".encrypting"
# The audit seal's HMAC key, kept in the (encrypted) database once the data key it was first
# derived from has been replaced, so that old entries still verify.
AUDIT_KEY_SETTING = "audit_hmac_key"
# The attempts count the database last saw in the key file (see KeyFile.attempts).
ATTEMPTS_SEEN_KEY = "key_file_attempts_seen"


# -- what is at the path ------------------------------------------------------------------------
def plain_sqlite_file(path: Path) -> bool:
    """True for a missing or empty file, or one with SQLite's plain header."""
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return True
    except OSError:
        return True  # open_database reports what is wrong with it
    return header in (b"", SQLITE_HEADER)


def kind(target: Target, database: Database | None = None) -> DatabaseKind:
    if target.path is not None and (pending_key_file(target.path).exists()
                                    or _temporary_copies(target.path)):
        resume_interrupted_init(target.path)
    keys = target.keys
    if keys is not None and keys.exists():
        return DatabaseKind.ENCRYPTED
    if target.path is not None and not plain_sqlite_file(target.path):
        raise SecurityError(f"{target.path} is not a Heard database, or it is an "
                            f"encrypted one whose key file {key_file_for(target.path).name} "
                            f"is missing beside it (restore the key file from the backup "
                            f"kept with the database). Nothing was changed")
    return DatabaseKind.DEVELOPMENT


def _temporary_copies(path: Path) -> list[Path]:
    """Encrypted copies an interrupted ``init`` left (their key was never written)."""
    try:
        return list(path.parent.glob(f".{path.name}.*{ENCRYPTING_SUFFIX}*"))
    except OSError:
        return []


def resume_interrupted_init(path: Path) -> None:
    """Finish or undo an ``init`` that was interrupted (see the module docstring)."""
    keys_store = KeyFileStore(key_file_for(path))
    with keys_store.locked():
        _resume_locked(path, keys_store)


def _resume_locked(path: Path, keys_store: KeyFileStore) -> None:
    pending = pending_key_file(path)
    if pending.exists():
        if plain_sqlite_file(path) or keys_store.exists():
            pending.unlink()  # the encrypted copy never took the plain file's place
        else:
            os.replace(pending, keys_store.path)  # it did: its key file goes beside it
            _fsync_folder(path.parent)
    for leftover in _temporary_copies(path):
        with contextlib.suppress(OSError):
            leftover.unlink()


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    with path.open("rb+") as fh:
        os.fsync(fh.fileno())


# -- opening ------------------------------------------------------------------------------------
def _sqlcipher_url(path: Path, data_key: bytes | bytearray) -> URL:
    return URL.create("sqlite+pysqlcipher", password=crypto.sqlcipher_key(data_key),
                      database=str(path))


def _quiet_sqlcipher(dbapi_connection) -> None:  # noqa: ANN001
    """Keep SQLCipher's own messages off the console, and temporary tables in memory."""
    with contextlib.suppress(Exception):
        dbapi_connection.execute("PRAGMA cipher_log_level = NONE")
    dbapi_connection.execute("PRAGMA temp_store = MEMORY")


def open_encrypted(path: Path, data_key: bytes | bytearray, *, create: bool = False,
                   upgrade_backup: bool = True) -> Database:
    return open_database(_sqlcipher_url(path, data_key), create=create,
                         on_connect=_quiet_sqlcipher, upgrade_backup=upgrade_backup)


# -- sign-in ------------------------------------------------------------------------------------
def _begin_attempt(keys_store: KeyFileStore, name: str, terminal: Terminal) -> str:
    """Count the attempt before the password is checked (returns its note's id). A count
    that cannot be written refuses the sign-in, with the same sentence as a wrong
    password."""
    try:
        with keys_store.update() as keys:
            refused, note = keys.begin_attempt(name, terminal.hostname)
    except SecurityError:
        raise AuthenticationError() from None
    if refused is not None:
        raise LockedOut(locked_message(name, refused))
    return note


def sign_in(target: Target, name: str, password: str, terminal: Terminal) -> SignedIn:
    if kind(target) is not DatabaseKind.ENCRYPTED:
        raise NotInitialised(not_set_up(target))
    keys_store = target.keys
    assert keys_store is not None and target.path is not None
    note = _begin_attempt(keys_store, name, terminal)
    keys = keys_store.read()
    if not keys.has_user(name):
        # Same work as a real attempt, so the time taken does not reveal the name.
        crypto.derive_kek(password, crypto.random_bytes(crypto.SALT_BYTES))
        _after_failure(keys_store, name, note)
    try:
        data_key, user_secret = keys.unwrap_user(name, password)
    except WrongKey:
        _after_failure(keys_store, name, note)
    try:
        database, data_key = _open_checking_rekey(target.path, data_key, name, password)
    except BaseException:
        crypto.wipe(data_key)
        crypto.wipe(user_secret)
        raise
    try:
        with Session(database.reader) as session:
            user = find_user(session, name)
            if user is None:
                raise AuthenticationError()
            if user.disabled:
                raise AuthenticationError("this account is disabled; ask an administrator")
            principal = dataclasses.replace(principal_of(user), keyring=Keyring())
        first_key = user_secret is None  # an account made before audit signatures
        secret = crypto.new_user_secret() if user_secret is None else user_secret
        user_secret = secret
        writer = AuditWriter(audit_key(database, data_key), principal, terminal,
                             signing_key=crypto.user_signing_key(secret),
                             signer=principal.name)
        signed = SignedIn(database, principal, writer, DatabaseKind.ENCRYPTED, target, data_key)
        rewrap = (password, secret) if first_key else None
        signed.warnings = _record_sign_in(signed, keys_store, note, rewrap)
        try:
            with signed.session() as session, session.begin():
                teamkeys.at_sign_in(session, keys_store.read(), principal, secret,
                                    str(principal.role))
        except BaseException:
            signed.audit.forget()
            assert principal.keyring is not None
            principal.keyring.wipe()
            raise
        return signed
    except BaseException:
        database.dispose()
        crypto.wipe(data_key)
        raise
    finally:
        crypto.wipe(user_secret)


def audit_key(database: Database, data_key: bytes | bytearray) -> bytes:
    """The audit seal's HMAC key: derived from the data key, or kept in the database once
    that data key has been replaced."""
    with Session(database.reader) as session:
        row = session.get(SecuritySetting, AUDIT_KEY_SETTING)
    if row is not None:
        return bytes.fromhex(row.value)
    return crypto.audit_key_from_data_key(data_key)


def _open_checking_rekey(path: Path, data_key: bytearray, name: str,
                         password: str) -> tuple[Database, bytearray]:
    """Open with the key file's data key; if a rekey was interrupted after ``PRAGMA rekey``
    but before its key file took the old one's place, open with the new one and finish."""
    pending = rekey_key_file(path)
    try:
        database = open_encrypted(path, data_key)
    except StoreError:
        if not pending.exists():
            raise
        new_key, secret = KeyFileStore(pending).read().unwrap_user(name, password)
        crypto.wipe(secret)
        database = open_encrypted(path, new_key)  # raises if this one does not open either
        keys_store = KeyFileStore(key_file_for(path))
        with keys_store.locked():
            if pending.exists():
                os.replace(pending, keys_store.path)
                _fsync_folder(path.parent)
        crypto.wipe(data_key)
        return database, new_key
    if pending.exists():  # a rekey that never happened: its new key opens nothing
        with KeyFileStore(key_file_for(path)).locked(), contextlib.suppress(OSError):
            pending.unlink()
    return database, data_key


def rekey(signed: SignedIn) -> list[str]:
    """Replace the data key (after a user is disabled or a password is set), so that an old
    copy of the key file and an old password open nothing: ``PRAGMA rekey`` re-encrypts the
    database in one transaction, and the new key is sealed to every user's public key (no
    passwords needed). Crash-safe: the new key file is written first under another name
    and renamed into place after the rekey has committed (sign-in finishes an interrupted
    one). Returns users who could not be kept (key-file wraps from before user keys).
    Other sessions open on this database must sign in again."""
    path, keys_store = signed.target.path, signed.target.keys
    assert path is not None and keys_store is not None and signed.data_key is not None
    new_key = crypto.new_data_key()
    try:
        with keys_store.locked():
            keys = keys_store.read()
            lost = keys.reseal(new_key)
            with signed.session() as session, session.begin():
                if session.get(SecuritySetting, AUDIT_KEY_SETTING) is None:
                    session.add(SecuritySetting(key=AUDIT_KEY_SETTING,
                                                value=signed.audit.key.hex(),
                                                updated_at=utcnow(),
                                                updated_by=signed.principal.name))
            pending = rekey_key_file(path)
            KeyFileStore(pending).write(keys)
            with signed.database.engine.connect() as conn:
                raw = conn.connection.dbapi_connection
                assert raw is not None  # an open connection
                raw.execute(f'PRAGMA rekey = "{crypto.sqlcipher_key(new_key)}"')
            os.replace(pending, keys_store.path)
            _fsync_folder(path.parent)
        signed.database.adopt(open_encrypted(path, new_key))
    except BaseException:
        crypto.wipe(new_key)
        raise
    crypto.wipe(signed.data_key)
    signed.data_key = new_key
    return lost


def _after_failure(keys_store: KeyFileStore, name: str, note: str) -> None:
    """A wrong password (or unknown name): already counted; say locked if it now is."""
    with contextlib.suppress(SecurityError):  # the count is written; the outcome is a note
        with keys_store.update() as keys:
            keys.settle(note, "failed")
    until = keys_store.read().locked_until(name)
    if until is not None:
        raise LockedOut(locked_message(name, until)) from None
    raise AuthenticationError() from None


def _record_sign_in(signed: SignedIn, keys_store: KeyFileStore, note: str,
                    rewrap: tuple[str, bytearray] | None) -> tuple[str, ...]:
    """Audit the sign-in; move the other attempts noted in the key file into the trail,
    marked unauthenticated; check the key file against the database. Returns warnings."""
    warnings: list[str] = []
    with keys_store.update() as keys, signed.session() as session, session.begin():
        keys.settle(note, "ok")
        for event in keys.pending:
            with contextlib.suppress(KeyError, ValueError, TypeError, AttributeError):
                if event.get("outcome") == "ok":
                    continue  # a sign-in, audited by its own LOGIN entry
                moved = {k: v for k, v in event.items()
                         if k in ("count", "locked", "refused")}
                moved["outcome"] = event.get("outcome", "not known (interrupted or in "
                                                        "progress)")
                moved["source"] = "key file (unauthenticated)"
                signed.audit.append(session, Action.LOGIN_FAILED, actor=str(event["user"])[:64],
                                    at=parse_iso(event["at"]),
                                    terminal=str(event.get("terminal", ""))[:255] or None,
                                    detail=moved)
        policy = read_policy(session).lockout
        if vars(keys.policy) != vars(policy):
            warnings.append(f"the lock-out rule in the key file ({keys.policy.attempts} "
                            f"attempts, {keys.policy.minutes} minutes) differed from the "
                            f"database's ({policy.attempts}, {policy.minutes}); the "
                            f"database's was put back")
            keys.policy = policy
        seen_row = session.get(SecuritySetting, ATTEMPTS_SEEN_KEY)
        seen = int(seen_row.value) if seen_row is not None and seen_row.value.isdigit() else 0
        # Every attempt since the last sign-in (this one too) left a note in ``pending``.
        if keys.attempts < seen + 1 \
                or min(keys.attempts - seen, MAX_PENDING) > len(keys.pending):
            warnings.append("the key file's record of sign-in attempts was altered or "
                            "rolled back since the last sign-in (failed sign-ins may be "
                            "missing from the audit trail)")
        keys.clear_failures(signed.principal.name)
        keys.pending = []
        if seen_row is None:
            session.add(SecuritySetting(key=ATTEMPTS_SEEN_KEY, value=str(keys.attempts),
                                        updated_at=utcnow(), updated_by=signed.principal.name))
        else:
            seen_row.value, seen_row.updated_at = str(keys.attempts), utcnow()
        detail: dict = {"warnings": warnings} if warnings else {}
        if rewrap is not None:  # publish the account's first signing key, and keep it
            password, user_secret = rewrap
            assert signed.data_key is not None
            keys.wrap_for_user(signed.principal.name, password, signed.data_key,
                               user_secret=user_secret)
            detail["signing_key"] = crypto.signing_public_key(signed.audit.signing_key or b"")
        signed.audit.append(session, Action.LOGIN, detail=detail or None)
    return tuple(warnings)


# -- first-run set-up ---------------------------------------------------------------------------
def initialise(target: Target, admin: str, password: str, team: str,
               terminal: Terminal, *, audit_key_file: Path | None = None) -> Initialised:
    del audit_key_file  # PostgreSQL only
    path = target.path
    if path is None:
        raise StoreError("an in-memory database would lose every answer; give a file path")
    keys_store = target.keys
    assert keys_store is not None
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the folder {path.parent}: {exc.strerror}") from None
    with keys_store.locked():
        _resume_locked(path, keys_store)
        if keys_store.exists():
            raise SecurityError(f"{path} is already set up (its key file "
                                f"{keys_store.path.name} exists); sign in with --user instead")
        if not plain_sqlite_file(path):
            raise SecurityError(f"{path} is encrypted but has no key file; restore the key "
                                f"file rather than setting the database up again")
        existing = path.exists() and path.stat().st_size > 0
        if existing:
            _check_heard_file(path)
        data_key, recovery = crypto.new_data_key(), bytearray(os.urandom(crypto.KEY_BYTES))
        secret = crypto.new_user_secret()
        try:
            principal, root = _encrypt_and_swap(path, keys_store, existing, data_key,
                                                recovery, secret, admin, password, team,
                                                terminal)
        finally:
            crypto.wipe(data_key)
            crypto.wipe(secret)
    text = crypto.recovery_key_text(recovery)
    crypto.wipe(recovery)
    return Initialised(principal, DatabaseKind.ENCRYPTED, str(path), recovery_key=text,
                       encrypted_existing=existing, audit_root=root)


def _check_heard_file(path: Path) -> None:
    """An existing development database must be a whole Heard database (not changed here)."""
    from ..store.backup import inspect_heard_file

    inspect_heard_file(path)


def _encrypt_and_swap(path: Path, keys_store: KeyFileStore, existing: bool,
                      data_key: bytearray, recovery: bytearray, secret: bytearray, admin: str,
                      password: str, team: str, terminal: Terminal) -> tuple[Principal, str]:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}{ENCRYPTING_SUFFIX}")
    pending = pending_key_file(path)
    principal = Principal(admin, Role.ADMINISTRATOR, team)
    plain_fd: int | None = None
    swapped = False
    try:
        if existing:
            _export_encrypted(path, tmp, data_key)
        root = _set_up_copy(tmp, data_key, recovery, secret, principal, terminal, existing)
        _check_opens(tmp, data_key)
        _fsync_file(tmp)
        keys = KeyFile.new()
        keys.wrap_for_user(admin, password, data_key, user_secret=secret)
        keys.wrap_for_recovery(recovery, data_key)
        KeyFileStore(pending).write(keys)
        on_disk = KeyFileStore(pending).read().unwrap_with_recovery(recovery)
        try:
            if bytes(on_disk) != bytes(data_key):
                raise SecurityError(f"the key file written for {path} does not read back")
        finally:
            crypto.wipe(on_disk)
        if existing:
            plain_fd = os.open(path, os.O_RDWR)
        os.replace(tmp, path)
        swapped = True
        _fsync_folder(path.parent)
        os.replace(pending, keys_store.path)
        _fsync_folder(path.parent)
        for own in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            with contextlib.suppress(OSError):
                own.chmod(0o600)
        anchor.publish(str(path), root=root, head_seq=2, head_hash="(set-up)")
    except BaseException:
        if not swapped:
            for leftover in (pending, *_temporary_copies(path)):
                with contextlib.suppress(OSError):
                    leftover.unlink()
        raise
    finally:
        if plain_fd is not None:
            _overwrite_and_close(plain_fd, wipe=swapped)
    return principal, root


def _overwrite_and_close(fd: int, *, wipe: bool) -> None:
    """Overwrite the plain file's old contents (now nameless) before letting it go. File
    systems that copy on write, and SSDs, may still keep old blocks (docs/security.md)."""
    try:
        if wipe:
            size = os.fstat(fd).st_size
            os.lseek(fd, 0, os.SEEK_SET)
            chunk = b"\0" * (1 << 20)
            left = size
            while left > 0:
                left -= os.write(fd, chunk[:min(left, len(chunk))])
            os.fsync(fd)
    except OSError:
        pass  # best effort: the file has no name any more
    finally:
        os.close(fd)


def _export_encrypted(path: Path, tmp: Path, data_key: bytes | bytearray) -> None:
    """SQLCipher's ``sqlcipher_export`` of the plain database into ``tmp``. The plain file
    is only checkpointed (its write-ahead log folded in, so none is left to confuse the
    encrypted file that takes its name)."""
    sqlcipher3 = sqlcipher_module()
    try:
        plain = sqlcipher3.connect(str(path), isolation_level=None)
        try:
            plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            plain.execute("PRAGMA journal_mode=DELETE")
            version = plain.execute("PRAGMA user_version").fetchone()[0]
            key = crypto.sqlcipher_key(data_key)
            plain.execute(f"ATTACH DATABASE ? AS encrypted KEY \"{key}\"", (str(tmp),))
            plain.execute("SELECT sqlcipher_export('encrypted')")
            plain.execute(f"PRAGMA encrypted.user_version = {int(version)}")
            plain.execute("DETACH DATABASE encrypted")
        finally:
            plain.close()
    except sqlcipher3.Error as exc:
        raise StoreError(f"could not encrypt {path}: {exc}") from None


def _set_up_copy(tmp: Path, data_key: bytearray, recovery: bytearray, secret: bytearray,
                 principal: Principal, terminal: Terminal, existing: bool) -> str:
    """Migrate the encrypted copy (no plain before-upgrade copy: the original is still
    there) and add the administrator and the first audit entries to it. The ``init`` entry
    publishes the administrator's and the recovery key's signing keys: the trail's root."""
    database = open_encrypted(tmp, data_key, create=True, upgrade_backup=False)
    signing = crypto.user_signing_key(secret)
    try:
        writer = AuditWriter(crypto.audit_key_from_data_key(data_key), principal, terminal,
                             signing_key=signing, signer=principal.name)
        public = crypto.signing_public_key(signing)
        recovery_signing = crypto.recovery_signing_key(recovery)
        recovery_public = crypto.signing_public_key(recovery_signing)
        crypto.wipe(recovery_signing)
        with Session(database.engine) as session, session.begin():
            if session.scalar(select(func.count()).select_from(AppUser)):
                raise SecurityError(f"{tmp.name} already has users")
            add_first_admin(session, principal.name, principal.team or "", None,
                            DatabaseKind.ENCRYPTED)
            writer.append(session, Action.INIT, detail={
                "kind": "encrypted", "encrypted_existing": existing,
                "signing_key": public, "recovery_signing_key": recovery_public})
            writer.append(session, Action.USER_ADD, detail={
                "user": principal.name, "role": str(Role.ADMINISTRATOR),
                "team": principal.team, "signing_key": public})
            root = session.scalar(select(AuditEvent.entry_hash).where(AuditEvent.seq == 1))
        with database.engine.connect() as conn:  # fold the WAL in: one file to rename
            raw = conn.connection.dbapi_connection
            assert raw is not None  # an open connection
            mode = raw.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
            if str(mode).lower() != "delete":
                raise StoreError(f"could not finish the encrypted copy {tmp}")
    finally:
        database.dispose()
        crypto.wipe(signing)
    return str(root)


def _admit_with_recovery(session: Session, keys: KeyFile, recovery: bytearray,
                         user: AppUser) -> None:
    """The recovered user's new box key gets the team keys the recovery key holds."""
    holder = teamkeys.holder_of(user.name)
    recovering = Principal(user.name, Role(user.role), user.team, keyring=Keyring())
    assert recovering.keyring is not None
    box = crypto.box_private_key(recovery, crypto.RECOVERY_BOX_LABEL)
    try:
        teamkeys.open_keys(session, teamkeys.RECOVERY, box, recovering.keyring)
        teams = teamkeys.entitled_teams(session, user.role, user.team) \
            & recovering.keyring.held_teams()
        teamkeys.drop_holder(session, holder)
        teamkeys.admit(session, keys, recovering, holder,
                       str(keys.wrapped[holder]["box_public"]), teams)
    finally:
        crypto.wipe(box)
        recovering.keyring.wipe()


def _check_opens(tmp: Path, data_key: bytearray) -> None:
    sqlcipher3 = sqlcipher_module()
    try:
        conn = sqlcipher3.connect(str(tmp), isolation_level=None)
        try:
            conn.execute(f'PRAGMA key = "{crypto.sqlcipher_key(data_key)}"')
            verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            conn.close()
    except sqlcipher3.Error as exc:
        raise StoreError(f"the encrypted copy {tmp} does not open: {exc}") from None
    if verdict != "ok":
        raise StoreError(f"the encrypted copy {tmp} failed its check ({verdict})")


# -- recovery -----------------------------------------------------------------------------------
def recover(target: Target, recovery_text: str, name: str, new_password: str,
            terminal: Terminal) -> Principal:
    if kind(target) is not DatabaseKind.ENCRYPTED:
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
        signing = crypto.recovery_signing_key(recovery)
    except WrongKey:
        crypto.wipe(recovery)
        raise AuthenticationError("that recovery key does not open this database") from None
    secret = crypto.new_user_secret()
    try:
        database = open_encrypted(target.path, data_key)
    except BaseException:
        crypto.wipe(recovery)
        raise
    try:
        writer = AuditWriter(audit_key(database, data_key), None, terminal,
                             signing_key=signing, signer=RECOVERY_SIGNER)
        with keys_store.update() as keys, Session(database.engine) as session, session.begin():
            user = find_user(session, name)
            if user is None:
                raise SecurityError(f"there is no user {name!r} in this database")
            user.disabled, user.failed_attempts, user.locked_until = False, 0, None
            user.updated_at = utcnow()
            writer.append(session, Action.RECOVERY, actor=user.name, team=user.team,
                          detail={"user": user.name, "signing_key": crypto.signing_public_key(
                              crypto.user_signing_key(secret)),
                              "recovery_signing_key": crypto.signing_public_key(signing)})
            keys.wrap_for_user(user.name, new_password, data_key, user_secret=secret)
            keys.clear_failures(user.name)
            if "box_public" not in keys.wrapped.get("recovery", {}):
                keys.wrap_for_recovery(recovery, data_key)  # a key file from before boxes
            principal = principal_of(user)
            _admit_with_recovery(session, keys, recovery, user)
    finally:
        database.dispose()
        crypto.wipe(data_key)
        crypto.wipe(secret)
        crypto.wipe(recovery)
        writer.forget()
    return principal

