"""Opening a workspace: the one place that decides between a development database, signing
in, and first-run set-up. Both doors call these; neither builds a workspace by hand."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import URL

from ..content import Catalog, load_valid_catalog
from ..paths import shipped_content_dir
from ..security.access import (
    DEFAULT_TEAM,
    DatabaseKind,
    SignedIn,
    initialise,
    kind_of,
    sign_in,
    target_of,
)
from ..security.audit import Terminal
from ..security.errors import NotInitialised, SecurityError
from ..security.policy import (  # noqa: F401 - DEVELOPMENT_ENV for the doors
    DEVELOPMENT_ENV,
    DEVELOPMENT_WARNING,
    allow_development,
)
from ..security.roles import Permission
from ..store import Store, open_database
from ..store.database import sqlite_file_of
from .workspace import Workspace

PasswordSource = Callable[[str], str]


def load_content(extra_dirs: list[Path] | None = None) -> Catalog:
    """The shipped questionnaires plus any local folders; refuses content with problems."""
    return load_valid_catalog([shipped_content_dir(), *(extra_dirs or [])])


def os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def database_kind(url: str | URL) -> DatabaseKind:
    """What is at ``url``: a development database, an encrypted file, or a server. An
    SQLite file's folder is checked first, so an unusable one is named in one sentence."""
    target = target_of(url)
    if target.backend == "sqlite":
        sqlite_file_of(url)
        return kind_of(target)
    database = open_database(url)
    try:
        return kind_of(target, database)
    finally:
        database.dispose()


def needs_sign_in(url: str | URL) -> bool:
    """Whether the database at ``url`` has been set up (so every use must sign in)."""
    return database_kind(url) is not DatabaseKind.DEVELOPMENT


def signed_workspace(catalog: Catalog, signed: SignedIn) -> Workspace:
    """The workspace of someone who has just signed in (or set the database up)."""
    store = Store(signed.database, scope=signed.principal, audit=signed.audit)
    ws = Workspace(catalog, store, signed=signed)
    ws.sync_directory()  # the deployment's directory file, if new or changed
    return ws


def development_workspace(catalog: Catalog, url: str | URL, user: str | None, *,
                          synthetic: bool = False) -> Workspace:
    """A database nobody has set up: no encryption, no sign-in, no audit trail. Refused
    unless SCREENING_APP_DEVELOPMENT=1 asks for it (synthetic data and tests only; see
    docs/security.md), or ``synthetic``: a throwaway database the app made itself for the
    demonstration or the screenshots. ``development_warning`` says so on every use."""
    warning = DEVELOPMENT_WARNING if synthetic else allow_development(
        target_of(url).describe())
    ws = Workspace(catalog, Store(open_database(url)), user=user or os_user())
    ws.development_warning = warning
    if not synthetic:  # the demonstration keeps its own fictional directory
        ws.sync_directory()
    return ws


def open_workspace(url: str | URL, user: str | None, password: PasswordSource, *,
                   catalog: Catalog,
                   permission: Permission | None = Permission.RECORDS,
                   terminal: Terminal | None = None) -> Workspace:
    """Open ``url``: signed in as ``user`` when it has been set up, else as a development
    database. ``password(prompt)`` is called only when a password is needed;
    ``permission`` is what the caller is about to do (checked right after signing in)."""
    if database_kind(url) is DatabaseKind.DEVELOPMENT:
        return development_workspace(catalog, url, user)
    if not user:
        raise NotInitialised(f"{target_of(url).describe()} needs you to sign in: give --user "
                             f"NAME (the password comes from SCREENING_APP_PASSWORD or is "
                             f"asked for)")
    signed = sign_in(url, user, password(f"Password for {user}: "), terminal=terminal)
    try:
        if permission is not None:
            signed.principal.require(permission)
    except SecurityError:
        signed.close()
        raise
    return signed_workspace(catalog, signed)


def sign_in_user(url: str | URL, name: str, password: str) -> SignedIn:
    """Sign in to a database that has been set up (one sentence when refused)."""
    return sign_in(url, name, password)


def set_up(url: str | URL, admin: str, password: str, *,
           team: str = DEFAULT_TEAM) -> tuple[str | None, SignedIn]:
    """First-run set-up (encrypt the database, create the first administrator), then sign
    them in. Returns the recovery key to show once (SQLite) and their sign-in."""
    done = initialise(url, admin, password, team=team or DEFAULT_TEAM)
    return done.recovery_key, sign_in(url, admin, password)


def describe_database(url: str | URL) -> str:
    """Where the database is, in words (a file path, or a server without its password)."""
    return target_of(url).describe()
