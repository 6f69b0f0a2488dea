"""Managing users: add, change role or team, disable (never delete), passwords, lock-outs.

Only administrators manage users (anyone changes their own password). Every change is
audited in the same transaction. On an encrypted SQLite database a user's password wraps
the data key in the key file, so:

* adding a user wraps the data key (held by the signed-in administrator) for them;
* changing a password re-wraps the data key, never re-encrypts the database;
* disabling a user removes their wrapped key, so the password they knew opens nothing;
  re-enabling needs a new password (``enable`` takes one).

Users are never deleted: their name stays on every answer and audit entry they made.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from ..store.errors import translate
from ..store.models import AppUser, utcnow
from . import crypto, server, teamkeys
from .audit import Action
from .backend import DatabaseKind, SignedIn, find_user
from .errors import SecurityError
from .keyfile import KeyFile
from .passwords import check_password, hash_password
from .policy import LockoutPolicy, SecurityPolicy, read_policy, write_policy
from .retention import RetentionRule
from .roles import Permission, Role, check_name, name_key


@dataclass(frozen=True)
class UserInfo:
    name: str
    role: str
    team: str | None
    disabled: bool
    locked: bool
    created_at: str
    created_by: str


@contextlib.contextmanager
def _transaction(signed: SignedIn) -> Iterator[Session]:
    try:
        with Session(signed.database.engine, expire_on_commit=False) as session, \
                session.begin():
            yield session
    except DBAPIError as exc:
        raise translate(exc, signed.database.url, signed.database.path) from None


@contextlib.contextmanager
def _keys(signed: SignedIn) -> Iterator[KeyFile | None]:
    """The key file for update (encrypted SQLite), else None."""
    store = signed.target.keys if signed.kind is DatabaseKind.ENCRYPTED else None
    if store is None:
        yield None
        return
    with store.update() as keys:
        yield keys


def _data_key(signed: SignedIn) -> bytearray:
    if signed.data_key is None:
        raise SecurityError("the session is locked; sign in again")
    return signed.data_key


def _new_secret(keys: KeyFile | None) -> bytearray:
    """A new secret (their signing key comes from it) for a user whose password is being
    set: kept in the key file (encrypted SQLite) or wrapped in ``app_user`` (server)."""
    del keys
    return crypto.new_user_secret()


def _published(secret: bytearray) -> dict:
    """The audit detail that publishes the public half of ``secret``'s signing key."""
    signing = crypto.user_signing_key(secret)
    try:
        return {"signing_key": crypto.signing_public_key(signing)}
    finally:
        crypto.wipe(signing)


def _get(session: Session, name: str) -> AppUser:
    user = find_user(session, name)
    if user is None:
        raise SecurityError(f"there is no user {name!r}")
    return user


def canonical_team(session: Session, team: str) -> str:
    """An existing team's spelling when the name matches one ignoring case, else ``team``."""
    team = check_name(team, "team name")
    for existing in session.scalars(select(AppUser.team).distinct()):
        if existing is not None and name_key(existing) == name_key(team):
            return existing
    return team


def _enabled_admins(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AppUser).where(
        AppUser.role == str(Role.ADMINISTRATOR), AppUser.disabled.is_(False))) or 0


def add_user(signed: SignedIn, name: str, role: Role, team: str, password: str) -> UserInfo:
    signed.principal.require(Permission.MANAGE_USERS)
    name = check_name(name)
    check_password(password, name)
    with _keys(signed) as keys, _transaction(signed) as session:
        if find_user(session, name) is not None:
            raise SecurityError(f"there is already a user called {name!r}")
        team = canonical_team(session, team)
        now = utcnow()
        user = AppUser(name=name, name_key=name_key(name), role=str(role), team=team,
                       disabled=False, failed_attempts=0, created_at=now,
                       created_by=signed.principal.name, updated_at=now,
                       password_hash=None if keys is not None else hash_password(password))
        session.add(user)
        secret = _new_secret(keys)
        signed.audit.append(session, Action.USER_ADD,
                            detail={"user": name, "role": str(role), "team": team,
                                    **_published(secret)})
        if keys is not None:
            keys.wrap_for_user(name, password, _data_key(signed), user_secret=secret)
            session.flush()
            teamkeys.admit(session, keys, signed.principal, teamkeys.holder_of(name),
                           teamkeys.box_public_of(secret),
                           teamkeys.entitled_teams(session, str(role), team))
        else:
            user.secret_wrap = server.wrap_secret(name, password, secret)
        crypto.wipe(secret)
        session.flush()
        return _info(session, user, keys)


def _info(session: Session, user: AppUser, keys: KeyFile | None) -> UserInfo:
    locked = (keys.locked_until(user.name) is not None) if keys is not None else (
        server.locked_until(session, user.name) is not None)
    return UserInfo(name=user.name, role=user.role, team=user.team, disabled=user.disabled,
                    locked=locked, created_at=user.created_at.isoformat(timespec="seconds"),
                    created_by=user.created_by)


def list_users(signed: SignedIn) -> list[UserInfo]:
    signed.principal.require(Permission.MANAGE_USERS)
    keys = signed.target.keys.read() if signed.kind is DatabaseKind.ENCRYPTED \
        and signed.target.keys is not None else None
    with Session(signed.database.reader) as session:
        return [_info(session, u, keys) for u in session.scalars(select(AppUser).order_by(
            AppUser.team, AppUser.name_key)).all()]


def change_user(signed: SignedIn, name: str, *, role: Role | None = None,
                team: str | None = None, reason: str | None = None) -> UserInfo:
    """A new role or team. On an encrypted database the user is given the keys of the
    teams they now see, and the teams they no longer see get new keys."""
    signed.principal.require(Permission.MANAGE_USERS)
    keys = signed.target.keys.read() if signed.kind is DatabaseKind.ENCRYPTED \
        and signed.target.keys is not None else None
    with _transaction(signed) as session:
        user = _get(session, name)
        before = {"role": user.role, "team": user.team}
        if role is not None and user.role == Role.ADMINISTRATOR and role != Role.ADMINISTRATOR \
                and not user.disabled and _enabled_admins(session) <= 1:
            raise SecurityError("this is the only administrator; make someone else an "
                                "administrator first")
        if role is not None:
            user.role = str(role)
        if team is not None:
            user.team = canonical_team(session, team)
        user.updated_at = utcnow()
        signed.audit.append(session, Action.USER_CHANGE, reason=reason, detail={
            "user": user.name, "before": before, "after": {"role": user.role,
                                                           "team": user.team}})
        left: set[str] = set()
        if keys is not None:
            session.flush()
            was = teamkeys.entitled_teams(session, before["role"] or "", before["team"])
            now = teamkeys.entitled_teams(session, user.role, user.team)
            left = was - now
            holder = teamkeys.holder_of(user.name)
            public = (keys.wrapped.get(holder) or {}).get("box_public")
            teamkeys.drop_holder(session, holder, left)
            if public and not user.disabled:
                teamkeys.admit(session, keys, signed.principal, holder, str(public), now - was)
        info = _info(session, user, None)
    teamkeys.rekey_teams(signed, left)
    return info


def replace_data_key(signed: SignedIn) -> list[str]:
    """After a user is disabled or a password is set (encrypted SQLite): a new data key, so
    the old password or a copy of the key file opens nothing. Returns notes for the user."""
    if signed.kind is not DatabaseKind.ENCRYPTED:
        return []
    from .encrypted import rekey

    try:
        lost = rekey(signed)
    except SecurityError as exc:
        return [f"the data key was not replaced: {exc}"]
    return [f"{name} could not be kept on the new data key (an account from an older "
            f"version): reset their password" for name in lost]


def disable_user(signed: SignedIn, name: str, reason: str | None = None) -> list[str]:
    """Disable ``name``; returns notes (see :func:`replace_data_key`)."""
    signed.principal.require(Permission.MANAGE_USERS)
    with _keys(signed) as keys, _transaction(signed) as session:
        user = _get(session, name)
        if user.disabled:
            raise SecurityError(f"{user.name} is already disabled")
        if user.role == Role.ADMINISTRATOR and _enabled_admins(session) <= 1:
            raise SecurityError("this is the only administrator; it cannot be disabled")
        user.disabled, user.updated_at = True, utcnow()
        if keys is None:
            user.password_hash, user.secret_wrap = None, None
        signed.audit.append(session, Action.USER_DISABLE, reason=reason,
                            detail={"user": user.name})
        teams = teamkeys.entitled_teams(session, user.role, user.team)
        if keys is not None:
            keys.remove_user(user.name)
            teamkeys.drop_holder(session, teamkeys.holder_of(user.name))
    notes = replace_data_key(signed)
    teamkeys.rekey_teams(signed, teams)
    return notes


def enable_user(signed: SignedIn, name: str, password: str) -> None:
    """Enable a disabled user with a new password (their old one was forgotten with them)."""
    signed.principal.require(Permission.MANAGE_USERS)
    check_password(password, name)
    with _keys(signed) as keys, _transaction(signed) as session:
        user = _get(session, name)
        if not user.disabled:
            raise SecurityError(f"{user.name} is not disabled")
        user.disabled, user.failed_attempts, user.locked_until = False, 0, None
        user.updated_at = utcnow()
        secret = _new_secret(keys)
        signed.audit.append(session, Action.USER_ENABLE,
                            detail={"user": user.name, **_published(secret)})
        if keys is not None:
            keys.wrap_for_user(user.name, password, _data_key(signed), user_secret=secret)
            keys.clear_failures(user.name)
            session.flush()
            teamkeys.admit(session, keys, signed.principal, teamkeys.holder_of(user.name),
                           teamkeys.box_public_of(secret),
                           teamkeys.entitled_teams(session, user.role, user.team))
        else:
            user.password_hash = hash_password(password)
            user.secret_wrap = server.wrap_secret(user.name, password, secret)
            server.clear_attempts(session, user.name)
        crypto.wipe(secret)


def set_password(signed: SignedIn, name: str, new_password: str) -> list[str]:
    """A user's own new password, or an administrator's reset of someone else's; returns
    notes (see :func:`replace_data_key`)."""
    own = name_key(name) == name_key(signed.principal.name)
    if not own:
        signed.principal.require(Permission.MANAGE_USERS)
    check_password(new_password, name)
    with _keys(signed) as keys, _transaction(signed) as session:
        user = _get(session, name)
        if user.disabled:
            raise SecurityError(f"{user.name} is disabled; enable them with a new password")
        user.failed_attempts, user.locked_until, user.updated_at = 0, None, utcnow()
        secret = _new_secret(keys)
        signed.audit.append(session, Action.PASSWORD_CHANGE if own else Action.PASSWORD_RESET,
                            detail={"user": user.name, **_published(secret)})
        teams = teamkeys.entitled_teams(session, user.role, user.team)
        if keys is not None:
            keys.wrap_for_user(user.name, new_password, _data_key(signed), user_secret=secret)
            keys.clear_failures(user.name)
            # Their box key changed with their secret: their team keys are sealed to the new
            # one (the copies sealed to the old one go), then replaced below.
            holder = teamkeys.holder_of(user.name)
            teamkeys.drop_holder(session, holder)
            teamkeys.admit(session, keys, signed.principal, holder,
                           teamkeys.box_public_of(secret), teams)
        else:
            user.password_hash = hash_password(new_password)
            user.secret_wrap = server.wrap_secret(user.name, new_password, secret)
            server.clear_attempts(session, user.name)
        if own:  # from now on this session signs with the new key
            signed.audit.forget()
            signed.audit.signing_key = crypto.user_signing_key(secret)
        crypto.wipe(secret)
    notes = replace_data_key(signed)
    teamkeys.rekey_teams(signed, teams)
    return notes


def unlock_user(signed: SignedIn, name: str) -> None:
    signed.principal.require(Permission.MANAGE_USERS)
    with _keys(signed) as keys, _transaction(signed) as session:
        user = _get(session, name)
        user.failed_attempts, user.locked_until = 0, None
        signed.audit.append(session, Action.USER_UNLOCK, detail={"user": user.name})
        if keys is not None:
            keys.clear_failures(user.name)
        else:
            server.clear_attempts(session, user.name)


def verify_own_password(signed: SignedIn, password: str) -> bool:
    """Re-check the signed-in user's password (unlocking the screen, child mode). Counts
    toward the lock-out like a sign-in."""
    from .access import sign_in

    try:
        again = sign_in(signed.target.url, signed.principal.name, password,
                        terminal=signed.audit.terminal)
    except SecurityError:
        return False
    again.close()
    return True


def update_policy(signed: SignedIn, *, attempts: int | None = None,
                  lockout_minutes: int | None = None, idle_lock_minutes: int | None = None,
                  retention: RetentionRule | None = None) -> SecurityPolicy:
    signed.principal.require(Permission.SETTINGS)
    with _keys(signed) as keys, _transaction(signed) as session:
        old = read_policy(session)
        lockout = LockoutPolicy(
            attempts=old.lockout.attempts if attempts is None else attempts,
            minutes=old.lockout.minutes if lockout_minutes is None else lockout_minutes)
        new = SecurityPolicy(lockout=lockout,
                             idle_lock_minutes=old.idle_lock_minutes if idle_lock_minutes
                             is None else idle_lock_minutes,
                             retention=retention or old.retention)
        write_policy(session, new, signed.principal.name)
        signed.audit.append(session, Action.SETTINGS, detail={
            "lockout": vars(new.lockout), "idle_lock_minutes": new.idle_lock_minutes,
            "retention": new.retention.to_dict()})
        if keys is not None:
            keys.policy = new.lockout
        return new
