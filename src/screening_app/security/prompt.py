"""Where the command line gets passwords: the environment, else a prompt on a terminal.

``SCREENING_APP_PASSWORD`` is the signed-in user's password (and the new administrator's
for ``init``); ``SCREENING_APP_NEW_PASSWORD`` is a new password being set for someone;
``SCREENING_APP_RECOVERY_KEY`` is the recovery key. With none set, the password is asked
for without echo when standard input is a terminal, and the command fails cleanly when it
is not (a script must say the password, never hang waiting for one).
"""

from __future__ import annotations

import getpass
import os
import sys

from .errors import SecurityError

PASSWORD_ENV = "SCREENING_APP_PASSWORD"
NEW_PASSWORD_ENV = "SCREENING_APP_NEW_PASSWORD"
RECOVERY_ENV = "SCREENING_APP_RECOVERY_KEY"


def _interactive() -> bool:
    stdin = sys.stdin
    return stdin is not None and stdin.isatty()


def _ask(prompt: str, env: str, *, confirm: bool = False) -> str:
    value = os.environ.get(env)
    if value is not None:
        return value
    if not _interactive():
        raise SecurityError(f"no password given: set {env}, or run in a terminal to be "
                            f"asked for it")
    try:
        first = getpass.getpass(prompt)
        if confirm and getpass.getpass("Type it again: ") != first:
            raise SecurityError("the two passwords were different; nothing was changed")
    except EOFError:
        raise SecurityError("no password given") from None
    return first


def password(prompt: str = "Password: ") -> str:
    """The signed-in user's password."""
    return _ask(prompt, PASSWORD_ENV)


def new_password_for_init(prompt: str = "New administrator's password: ") -> str:
    return _ask(prompt, PASSWORD_ENV, confirm=True)


def new_password(prompt: str = "New password: ") -> str:
    return _ask(prompt, NEW_PASSWORD_ENV, confirm=True)


def recovery_key(prompt: str = "Recovery key: ") -> str:
    return _ask(prompt, RECOVERY_ENV)
