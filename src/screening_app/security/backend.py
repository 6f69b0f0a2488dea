"""What both kinds of secured database share: where a URL points, the signed-in state, and
the protocol each backend implements (:mod:`.encrypted` for SQLite, :mod:`.server` for
PostgreSQL). :mod:`.access` picks the backend; nothing else needs to know which it is."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from sqlalchemy import URL, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session

from ..store.database import Database, describe_url
from ..store.errors import StoreError
from ..store.models import AppUser
from . import crypto
from .audit import Terminal
from .keyfile import KeyFileStore, key_file_for, parse_iso
from .lockout import ADMINISTRATOR
from .policy import SecurityPolicy, read_policy
from .roles import Principal, Role, name_key
from .trail import AuditWriter

DEFAULT_TEAM = "Default team"


class DatabaseKind(StrEnum):
    DEVELOPMENT = "development"
    ENCRYPTED = "encrypted"
    SERVER = "server"


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


@dataclass
class SignedIn:
    """An open database and who opened it. ``close()`` (or lock) forgets the key."""

    database: Database
    principal: Principal
    audit: AuditWriter
    kind: DatabaseKind
    target: Target
    data_key: bytearray | None = None  # SQLite only: needed to wrap it for new users
    warnings: tuple[str, ...] = ()  # what the sign-in found wrong (tampered key file...)

    def close(self) -> None:
        self.database.dispose()
        if self.principal.keyring is not None:
            self.principal.keyring.wipe()
        crypto.wipe(self.data_key)
        self.data_key = None
        self.audit.forget()

    def session(self) -> Session:
        return Session(self.database.engine, expire_on_commit=False)

    def policy(self) -> SecurityPolicy:
        with Session(self.database.reader) as session:
            return read_policy(session)


@dataclass(frozen=True)
class Initialised:
    principal: Principal
    kind: DatabaseKind
    where: str
    recovery_key: str | None = None  # SQLite: shown once, never stored
    audit_key_file: Path | None = None  # PostgreSQL: made by init when it did not exist
    encrypted_existing: bool = False
    audit_root: str | None = None  # entry 1's hash, to keep outside the database


class Backend(Protocol):
    """One kind of secured database."""

    def kind(self, target: Target, database: Database | None = None) -> DatabaseKind: ...

    def sign_in(self, target: Target, name: str, password: str,
                terminal: Terminal) -> SignedIn: ...

    def initialise(self, target: Target, admin: str, password: str, team: str,
                   terminal: Terminal, *, audit_key_file: Path | None = None) -> Initialised:
        ...


def principal_of(user: AppUser) -> Principal:
    return Principal(name=user.name, role=Role(user.role), team=user.team)


def find_user(session: Session, name: str) -> AppUser | None:
    return session.scalars(select(AppUser).where(AppUser.name_key == name_key(name))).first()


def locked_message(name: str, until: str) -> str:
    if until == ADMINISTRATOR:
        return (f"the account {name} is locked after too many wrong passwords; ask an "
                f"administrator to unlock it")
    local = parse_iso(until).astimezone().strftime("%H:%M")
    return (f"the account {name} is locked after too many wrong passwords; try again after "
            f"{local}, or ask an administrator to unlock it")


def not_set_up(target: Target) -> str:
    return f"{target.describe()} has not been set up: run 'screening-app init --admin NAME' first"


def add_first_admin(session: Session, admin: str, team: str, password_hash: str | None,
                    kind: DatabaseKind) -> AppUser:
    """The first administrator, the default settings and the "set up" marker."""
    from ..store.models import utcnow
    from .policy import mark_initialised, write_policy

    now = utcnow()
    user = AppUser(name=admin, name_key=name_key(admin), role=str(Role.ADMINISTRATOR),
                   team=team, disabled=False, password_hash=password_hash, failed_attempts=0,
                   created_at=now, created_by=admin, updated_at=now)
    session.add(user)
    write_policy(session, SecurityPolicy(), admin)
    mark_initialised(session, str(kind), admin)
    return user
