"""PostgreSQL ("server") databases: set-up and sign-in.

Passwords are Argon2id hashes in ``app_user``; the audit key comes from a key file or the
environment (:func:`~.audit.server_audit_key`), never from the database. The lock-out state
is in ``sign_in_attempt``, one row per folded name (users or not), and every attempt is
counted there, under ``SELECT ... FOR UPDATE``, in its own committed transaction *before*
the password hash is checked (:mod:`.lockout`). "Set up" is decided by a stored marker
(``security_setting`` row ``initialised``, which the database refuses to change or remove),
or by users existing, whichever is found: emptying ``app_user`` does not turn the database
into a development one.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from ..store.database import Database, open_database
from ..store.errors import translate
from ..store.models import AppUser, SecuritySetting, SignInAttempt
from . import crypto, lockout
from .audit import Action, Terminal, server_audit_key
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
from .crypto import KdfParams, WrongKey
from .errors import AuthenticationError, LockedOut, NotInitialised, SecurityError
from .lockout import Failures
from .passwords import decoy_verify, hash_password, needs_rehash, verify_password
from .policy import INITIALISED_KEY, read_policy
from .roles import Principal, Role, name_key
from .trail import AuditWriter


def is_set_up(database: Database) -> bool:
    try:
        with Session(database.reader) as session:
            marked = session.get(SecuritySetting, INITIALISED_KEY) is not None
            return marked or bool(session.scalar(select(func.count()).select_from(AppUser)))
    except DBAPIError as exc:
        raise translate(exc, database.url, database.path) from None


def kind(target: Target, database: Database | None = None) -> DatabaseKind:
    if database is None:
        database = open_database(target.url)
        try:
            return kind(target, database)
        finally:
            database.dispose()
    return DatabaseKind.SERVER if is_set_up(database) else DatabaseKind.DEVELOPMENT


def wrap_secret(name: str, password: str, secret: bytes | bytearray) -> str:
    """A user's own secret wrapped with a key from their password (Argon2id), as JSON."""
    salt = crypto.random_bytes(crypto.SALT_BYTES)
    kek = crypto.derive_kek(password, salt)
    try:
        nonce, ciphertext = crypto.wrap(kek, secret, _secret_aad(name))
    finally:
        crypto.wipe(kek)
    return json.dumps({"salt": salt.hex(), "kdf": crypto.DEFAULT_KDF.to_dict(),
                       "nonce": nonce.hex(), "ciphertext": ciphertext.hex()})


def unwrap_secret(name: str, password: str, wrapped: str) -> bytearray:
    try:
        data = json.loads(wrapped)
        salt, nonce = bytes.fromhex(data["salt"]), bytes.fromhex(data["nonce"])
        ciphertext, params = bytes.fromhex(data["ciphertext"]), KdfParams.from_dict(data["kdf"])
    except (ValueError, KeyError, TypeError):
        raise WrongKey("the stored signing key is damaged") from None
    kek = crypto.derive_kek(password, salt, params)
    try:
        return crypto.unwrap(kek, nonce, ciphertext, _secret_aad(name))
    finally:
        crypto.wipe(kek)


def _secret_aad(name: str) -> bytes:
    return f"heard server user secret v1|{name_key(name)}".encode()


def _signing_for(user: AppUser, password: str) -> tuple[bytearray, str | None]:
    """The user's signing key after a right password; a new one (to publish: its public
    half is returned) for an account made before signatures or whose key is damaged."""
    if user.secret_wrap:
        try:
            secret = unwrap_secret(user.name, password, user.secret_wrap)
            try:
                return crypto.user_signing_key(secret), None
            finally:
                crypto.wipe(secret)
        except WrongKey:
            pass
    secret = crypto.new_user_secret()
    try:
        user.secret_wrap = wrap_secret(user.name, password, secret)
        signing = crypto.user_signing_key(secret)
        return signing, crypto.signing_public_key(signing)
    finally:
        crypto.wipe(secret)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def attempt_state(session: Session, name: str, *, for_update: bool = False) \
        -> SignInAttempt | None:
    query = select(SignInAttempt).where(SignInAttempt.name_key == name_key(name))
    return session.scalars(query.with_for_update() if for_update else query).first()


def locked_until(session: Session, name: str) -> str | None:
    row = attempt_state(session, name)
    if row is None:
        return None
    return lockout.locked_until(Failures(row.count, row.locked_until, row.last), _now())


def clear_attempts(session: Session, name: str) -> None:
    row = attempt_state(session, name, for_update=True)
    if row is not None:
        row.count, row.locked_until = 0, None


def _begin_attempt(database: Database, name: str, audit: AuditWriter) -> None:
    """Count the attempt (committed) before the password is checked; refuse when locked.
    A count that cannot be written refuses the sign-in with the wrong-password sentence."""
    refused = None
    try:
        with Session(database.engine) as session, session.begin():
            session.execute(insert(SignInAttempt).values(name_key=name_key(name), count=0)
                            .on_conflict_do_nothing(index_elements=["name_key"]))
            row = attempt_state(session, name, for_update=True)
            assert row is not None
            policy = read_policy(session).lockout
            state = Failures(row.count, row.locked_until, row.last)
            refused = lockout.begin_attempt(state, policy.attempts, policy.minutes, _now())
            row.count, row.locked_until, row.last = state.count, state.locked_until, state.last
            if refused is not None:
                audit.append(session, Action.LOGIN_FAILED, actor=name[:64],
                             detail={"refused": True, "locked": True})
    except DBAPIError:
        raise AuthenticationError() from None
    if refused is not None:
        raise LockedOut(locked_message(name, refused))


def sign_in(target: Target, name: str, password: str, terminal: Terminal) -> SignedIn:
    database = open_database(target.url)
    try:
        if kind(target, database) is not DatabaseKind.SERVER:
            raise NotInitialised(not_set_up(target))
        return _sign_in(target, database, name, password, terminal)
    except BaseException:
        database.dispose()
        raise


def _sign_in(target: Target, database: Database, name: str, password: str,
             terminal: Terminal) -> SignedIn:
    key = server_audit_key()
    anonymous = AuditWriter(key, None, terminal)
    _begin_attempt(database, name, anonymous)
    with Session(database.reader) as session:
        user = find_user(session, name)
        stored_hash = user.password_hash if user is not None else None
    if stored_hash is None:
        decoy_verify(password)  # unknown (or disabled) name: the same time as a real check
        right = False
    else:
        right = verify_password(stored_hash, password)
    try:
        with Session(database.engine, expire_on_commit=False) as session, session.begin():
            user = find_user(session, name)
            if not right or user is None:
                until = locked_until(session, name)
                anonymous.append(session, Action.LOGIN_FAILED, actor=name[:64],
                                 detail={"locked": until is not None})
                failure: SecurityError = LockedOut(locked_message(name, until)) \
                    if until is not None else AuthenticationError()
            elif user.disabled:
                anonymous.append(session, Action.LOGIN_FAILED, actor=user.name,
                                 detail={"disabled": True})
                failure = AuthenticationError("this account is disabled; ask an administrator")
            else:
                clear_attempts(session, name)
                if stored_hash is not None and needs_rehash(stored_hash):
                    user.password_hash = hash_password(password)
                principal = principal_of(user)
                signing, published = _signing_for(user, password)
                writer = AuditWriter(key, principal, terminal, signing_key=signing,
                                     signer=principal.name)
                writer.append(session, Action.LOGIN,
                              detail={"signing_key": published} if published else None)
                return SignedIn(database, principal, writer, DatabaseKind.SERVER, target)
    except DBAPIError as exc:
        raise translate(exc, database.url) from None
    raise failure


def initialise(target: Target, admin: str, password: str, team: str, terminal: Terminal,
               *, audit_key_file: Path | None = None) -> Initialised:
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
    secret = crypto.new_user_secret()
    signing = crypto.user_signing_key(secret)
    public = crypto.signing_public_key(signing)
    database = open_database(target.url)
    try:
        writer = AuditWriter(key, principal, terminal, signing_key=signing, signer=admin)
        with Session(database.engine) as session, session.begin():
            if is_set_up(database):
                raise SecurityError(f"{target.describe()} is already set up; sign in with "
                                    f"--user instead")
            user = add_first_admin(session, admin, team, hash_password(password),
                                   DatabaseKind.SERVER)
            user.secret_wrap = wrap_secret(admin, password, secret)
            writer.append(session, Action.INIT, detail={"kind": "server",
                                                        "signing_key": public})
            writer.append(session, Action.USER_ADD, detail={
                "user": admin, "role": str(Role.ADMINISTRATOR), "team": team,
                "signing_key": public})
    except DBAPIError as exc:
        raise translate(exc, database.url) from None
    finally:
        database.dispose()
        crypto.wipe(secret)
        crypto.wipe(signing)
    return Initialised(principal, DatabaseKind.SERVER, target.describe(),
                       audit_key_file=made_key_file)


def restrict_app_role(url: str, role: str) -> None:
    """Give the workstations' database role ``role`` only what the app needs, as the owner
    (who ran ``init`` and the migrations): read and write the records, users and settings;
    only INSERT and SELECT on the audit trail; no ownership, so it cannot ALTER a table,
    disable the guard triggers or drop anything. Run by ``init --app-role``."""
    from sqlalchemy import text

    from .roles import check_name

    check_name(role, "database role")
    database = open_database(url)
    try:
        with database.engine.begin() as conn:
            quoted = conn.dialect.identifier_preparer.quote(role)
            exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"),
                                  {"r": role}).first()
            if exists is None:
                raise SecurityError(f"there is no database role {role!r}; create it first "
                                    f"(CREATE ROLE {quoted} LOGIN PASSWORD ...)")
            owner = conn.execute(text("SELECT tableowner FROM pg_tables WHERE "
                                      "tablename = 'assessment'")).scalar()
            if owner == role:
                raise SecurityError(f"{role} owns the tables: run init as another role (the "
                                    f"owner), and give the workstations {role}")
            for statement in (
                f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {quoted}",
                f"GRANT USAGE ON SCHEMA public TO {quoted}",
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public "
                f"TO {quoted}",
                f"REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM {quoted}",
                f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM {quoted}",
                f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
            ):
                conn.exec_driver_sql(statement)
    except DBAPIError as exc:
        raise translate(exc, database.url) from None
    finally:
        database.dispose()
