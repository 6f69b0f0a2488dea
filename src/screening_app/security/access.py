"""Opening a database as a named user: set-up, sign-in, recovery. A thin facade that picks
the backend (:mod:`.encrypted` for SQLite, :mod:`.server` for PostgreSQL, both behind
:class:`~.backend.Backend`); the lock-out rule is in :mod:`.lockout`, the settings in
:mod:`.policy`.

Three kinds of database (:func:`kind_of`):

``encrypted``
    An SQLite file set up with ``screening-app init``: SQLCipher with a random 256-bit data
    key, wrapped per user in the key file beside it (``heard.keys.json``).
``server``
    A PostgreSQL database marked as set up by ``init``. Passwords are Argon2id hashes.
``development``
    A database nobody has set up: plain SQLite (or unmarked PostgreSQL without users). For
    synthetic data and tests only, and only when asked for (:func:`.policy.allow_development`).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import URL

from ..store.database import Database
from ..store.errors import StoreError
from . import encrypted, server
from .audit import Terminal
from .backend import (
    DEFAULT_TEAM,
    Backend,
    DatabaseKind,
    Initialised,
    SignedIn,
    Target,
    find_user,
    target_of,
)
from .encrypted import open_encrypted
from .passwords import check_password
from .policy import SecurityPolicy, read_policy, write_policy
from .roles import Principal, check_name

__all__ = ["DEFAULT_TEAM", "DatabaseKind", "Initialised", "SecurityPolicy", "SignedIn",
           "Target", "find_user", "initialise", "kind_of", "open_encrypted", "read_policy",
           "recover", "sign_in", "target_of", "write_policy"]


def _backend(target: Target) -> Backend:
    """The module that implements :class:`~.backend.Backend` for ``target``."""
    if target.backend == "sqlite":
        return encrypted
    if target.backend == "postgresql":
        return server
    raise StoreError(f"unsupported database in {target.describe()} (use sqlite or "
                     f"postgresql+psycopg)")


def kind_of(target: Target, database: Database | None = None) -> DatabaseKind:
    """What kind of database ``target`` is. For PostgreSQL pass the opened ``database``."""
    return _backend(target).kind(target, database)


def sign_in(url: str | URL, name: str, password: str, *,
            terminal: Terminal | None = None) -> SignedIn:
    """Open a set-up database as ``name``. Raises AuthenticationError (one sentence, the same
    for an unknown name, a wrong password and a failure that could not be counted),
    LockedOut, or NotInitialised."""
    target = target_of(url)
    return _backend(target).sign_in(target, name, password, terminal or Terminal.here())


def initialise(url: str | URL, admin: str, password: str, *, team: str = DEFAULT_TEAM,
               audit_key_file: Path | None = None,
               terminal: Terminal | None = None) -> Initialised:
    """Set a database up with its first administrator (``screening-app init``)."""
    admin, team = check_name(admin), check_name(team, "team name")
    check_password(password, admin)
    target = target_of(url)
    return _backend(target).initialise(target, admin, password, team,
                                       terminal or Terminal.here(),
                                       audit_key_file=audit_key_file)


def recover(url: str | URL, recovery_text: str, name: str, new_password: str, *,
            terminal: Terminal | None = None) -> Principal:
    """Give ``name`` a new password with the recovery key (SQLite), unlocking and
    re-enabling them. For a locked-out or forgotten administrator."""
    return encrypted.recover(target_of(url), recovery_text, name, new_password,
                             terminal or Terminal.here())
