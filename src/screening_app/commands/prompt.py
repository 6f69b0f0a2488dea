"""Where the command line gets passwords: a prompt on a terminal, else the environment.

``SCREENING_APP_PASSWORD`` is the signed-in user's password (and the new administrator's
for ``init``); ``SCREENING_APP_NEW_PASSWORD`` is a new password being set for someone;
``SCREENING_APP_RECOVERY_KEY`` is the recovery key. When standard input is a terminal the
password is asked for without echo, even if the variable is set (an ``export`` in a shell
profile must not sign in whoever sits at that shell); otherwise the variable is read, and
the command fails cleanly without it (a script must say the password, never hang).

A variable is removed from the environment as soon as it is read, so it is not left in
``/proc/<pid>/environ`` or handed to child processes.
"""

from __future__ import annotations

import getpass
import os
import sys

from ..security.errors import SecurityError

PASSWORD_ENV = "SCREENING_APP_PASSWORD"
NEW_PASSWORD_ENV = "SCREENING_APP_NEW_PASSWORD"
RECOVERY_ENV = "SCREENING_APP_RECOVERY_KEY"


def _interactive() -> bool:
    stdin = sys.stdin
    return stdin is not None and stdin.isatty()


def _ask(prompt: str, env: str, *, confirm: bool = False) -> str:
    value = os.environ.pop(env, None)  # read once, never left for children to inherit
    if value is not None and not _interactive():
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
