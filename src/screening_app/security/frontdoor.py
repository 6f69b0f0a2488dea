"""What both front doors (the command line and the desktop app) call to open a database.

:func:`open_store` decides from the database itself whether signing in is needed
(see :mod:`.access` for the three kinds) and returns a :class:`~screening_app.store.Store`
that enforces the signed-in user's team (``Store.scope``) and writes the audit trail
(``Store.audit``) in the same transaction as every change.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import URL

from ..store import Store, StoreError, open_database
from .access import DatabaseKind, SignedIn, kind_of, sign_in, target_of
from .audit import Terminal
from .errors import NotInitialised, SecurityError
from .roles import Permission, Principal

PasswordSource = Callable[[str], str]


@dataclass
class Opened:
    store: Store
    user: str
    team: str | None
    kind: DatabaseKind
    signed: SignedIn | None = None

    @property
    def principal(self) -> Principal | None:
        return self.signed.principal if self.signed else None

    def close(self) -> None:
        if self.signed is not None:
            self.signed.close()
        else:
            self.store.database.dispose()


def secured_store(signed: SignedIn) -> Store:
    return Store(signed.database, scope=signed.principal, audit=signed.audit)


def os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def needs_sign_in(url: str | URL) -> bool:
    """Whether the database at ``url`` has been set up (so every use must sign in)."""
    target = target_of(url)
    if target.backend == "sqlite":
        return kind_of(target) is DatabaseKind.ENCRYPTED
    return kind_of(target) is DatabaseKind.SERVER


def open_store(url: str | URL, user: str | None, password: PasswordSource, *,
               permission: Permission | None = Permission.RECORDS,
               terminal: Terminal | None = None) -> Opened:
    """Open ``url``: signed in as ``user`` when it has been set up, else as a development
    database (recorded as ``user`` or the OS user, no encryption, no audit trail).

    ``password(prompt)`` is called only when a password is needed. ``permission``: what the
    caller is about to do (checked right after signing in).
    """
    target = target_of(url)
    if target.backend == "sqlite":
        kind = kind_of(target)
        if kind is DatabaseKind.DEVELOPMENT:
            database = open_database(url)
            return Opened(Store(database), user or os_user(), None, kind)
    else:
        database = open_database(url)
        kind = kind_of(target, database)
        if kind is DatabaseKind.DEVELOPMENT:
            return Opened(Store(database), user or os_user(), None, kind)
        database.dispose()
    if not user:
        raise NotInitialised(f"{target.describe()} needs you to sign in: give --user NAME "
                             f"(the password comes from SCREENING_APP_PASSWORD or is asked for)")
    signed = sign_in(url, user, password(f"Password for {user}: "), terminal=terminal)
    try:
        if permission is not None:
            signed.principal.require(permission)
    except SecurityError:
        signed.close()
        raise
    return Opened(secured_store(signed), signed.principal.name, signed.principal.team, kind,
                  signed)


class LockedDatabase:
    """Stands in for the database while the app is locked: the key and the engine are gone,
    and anything that tries to read or write is told so (nothing is written in the clear,
    nothing is lost: the caller keeps what it could not save)."""

    is_sqlite = True
    is_postgresql = False
    is_encrypted = True

    def __init__(self, url: str, path=None):  # noqa: ANN001
        self.url = url
        self.path = path

    @property
    def engine(self):  # noqa: ANN201
        raise StoreError("Heard is locked: unlock it to go on (nothing was lost)")

    reader = engine
    sqlite_path = None

    def dispose(self) -> None:
        pass
