"""What every command shares: opening the context, writing files, failing cleanly."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_log_dir

if TYPE_CHECKING:  # the heavy layers load only when a command needs them (fast GUI start)
    from ..app import Workspace
    from ..security.access import SignedIn

log = logging.getLogger("screening_app")


class CommandError(Exception):
    """A failure to report as one line; ``code`` is the exit status."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


@dataclass
class Outcome:
    code: int = 0


def _say(message: str) -> None:
    print(f"screening-app: {message}", file=sys.stderr)


@contextmanager
def fail_cleanly() -> Iterator[Outcome]:
    """Turn every failure into one line on stderr and a non-zero exit status."""
    outcome = Outcome()
    try:
        yield outcome
    except CommandError as exc:
        _say(str(exc))
        outcome.code = exc.code
    except KeyboardInterrupt:
        _say("interrupted; every answer reported saved is in the database")
        outcome.code = 130
    except BrokenPipeError:
        outcome.code = 1
    except Exception as exc:
        outcome.code = _report(exc)


def _report(exc: Exception) -> int:
    """One line (or one per content problem) for a known failure; a crash log otherwise."""
    from ..app import RuleRefused
    from ..content import ContentError
    from ..engine import AnswerError, SessionError
    from ..store import StoreError

    if isinstance(exc, ContentError):
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        _say(f"the questionnaire content has {len(exc.problems)} problem(s); "
             f"run 'screening-app validate' for the list")
        return 1
    if isinstance(exc, (StoreError, AnswerError, SessionError, RuleRefused)):
        _say(str(exc))
        return 1
    where = _write_crash_log()  # never show a traceback to a user
    _say(f"unexpected error ({type(exc).__name__}); details were written to {where}")
    return 70


CRASH_LOG_BYTES = 1_000_000  # then the log moves to crash.log.1 (one kept)


def _write_crash_log() -> str:
    """The traceback, in an owner-only (0600) log in the user's log folder, rotated."""
    try:
        folder = Path(user_log_dir("screening-app", "Heard"))
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = folder / "crash.log"
        if path.exists() and path.stat().st_size > CRASH_LOG_BYTES:
            path.replace(path.with_name("crash.log.1"))
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.chmod(path, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as fh:
            fh.write(traceback.format_exc())
        return str(path)
    except OSError:
        return "(no writable log folder)"


def content_dirs(args: argparse.Namespace) -> list[Path]:
    dirs = [Path(d) for d in getattr(args, "content", []) or []]
    for d in dirs:
        if not d.is_dir():
            raise CommandError(f"--content {d}: no such folder")
    return dirs


def open_context(args: argparse.Namespace,
                 permission: str | None = "records") -> Workspace:
    """The workspace for these arguments: the content, and the database signed in as
    ``--user`` (password from SCREENING_APP_PASSWORD, else asked on a terminal) once it has
    been set up with ``init``; ``permission`` (a
    :class:`~screening_app.security.roles.Permission` value) is checked. A development
    database (never set up) is worked on as ``--user`` or the OS user, unencrypted, without
    sign-in (see docs/security.md)."""
    from ..app import load_content, open_workspace
    from ..security.roles import Permission
    from ..store import resolve_database_url
    from . import prompt

    catalog = load_content(content_dirs(args))
    ws = open_workspace(resolve_database_url(getattr(args, "db", None)),
                        getattr(args, "user", None), prompt.password, catalog=catalog,
                        permission=Permission(permission) if permission else None)
    if ws.development_warning and sys.stderr is not None:
        _say(ws.development_warning)  # on every use, terminal or not
    if ws.directory_notice and sys.stderr is not None:
        _say(ws.directory_notice)  # the deployment's directory file could not be imported
    return ws


def sign_in_for(args: argparse.Namespace, permission: str | None = None) -> SignedIn:
    """Sign in for an administrative command (users, audit, retention): these need a
    database set up with ``init``. Returns a :class:`~screening_app.security.access.SignedIn`
    that the caller closes."""
    from ..app import needs_sign_in
    from ..security.access import sign_in
    from ..security.roles import Permission
    from ..store import resolve_database_url
    from . import prompt

    url = resolve_database_url(getattr(args, "db", None))
    if not needs_sign_in(url):
        raise CommandError("this command needs a database set up with 'screening-app init "
                           "--admin NAME'; this one has not been set up")
    user = getattr(args, "user", None)
    if not user:
        raise CommandError("give --user NAME (the password comes from SCREENING_APP_PASSWORD "
                           "or is asked for)")
    signed = sign_in(url, user, prompt.password(f"Password for {user}: "))
    if permission is not None:
        try:
            signed.principal.require(Permission(permission))
        except BaseException:
            signed.close()
            raise
    return signed


def write_atomically(path: Path | str, data: bytes) -> None:
    """Write the whole file or nothing (see screening_app.files)."""
    from ..files import WriteError
    from ..files import write_atomically as write

    try:
        write(path, data)
    except WriteError as exc:
        raise CommandError(str(exc)) from None
