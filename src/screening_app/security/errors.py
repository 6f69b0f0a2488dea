"""Security failures as one-line sentences. They are :class:`StoreError`s, so that every front
door (the command line's ``fail_cleanly``, the desktop app's start-up page) already shows
them as a sentence and never as a traceback."""

from __future__ import annotations

from ..store.errors import AccessDenied, StoreError

__all__ = ["AccessDenied", "AuthenticationError", "DevelopmentRefused",
           "LockedOut", "NotInitialised", "PasswordRejected", "SecurityError",
           "WRONG_CREDENTIALS"]

WRONG_CREDENTIALS = "wrong user name or password"


class SecurityError(StoreError):
    """Anything the security layer refuses; ``str()`` is a sentence for the user."""


class AuthenticationError(SecurityError):
    """Wrong user name or password (the message never says which)."""

    def __init__(self, message: str = WRONG_CREDENTIALS):
        super().__init__(message)


class LockedOut(SecurityError):
    """Too many wrong passwords: the account rests for a while (or until an administrator
    unlocks it)."""


class PasswordRejected(SecurityError):
    """A new password that breaks the password rules."""


class NotInitialised(SecurityError):
    """The database has not been set up with ``screening-app init``."""


class DevelopmentRefused(NotInitialised):
    """A database that has not been set up, used without asking for development use."""
