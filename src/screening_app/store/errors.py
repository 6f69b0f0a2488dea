"""Storage failures as one-line messages a practitioner can act on."""

from __future__ import annotations

import sqlite3


class StoreError(Exception):
    """Anything the store cannot do; ``str()`` is a complete sentence for the user."""


class ConflictError(StoreError):
    """Someone else changed this draft since it was opened here."""


class NotFoundError(StoreError):
    pass


class ReadOnlyAssessmentError(StoreError):
    """Completed assessments are never changed; amendments are new versions."""


def translate(exc: BaseException, where: str) -> StoreError:
    """Turn a driver error into a StoreError naming what happened and where."""
    text = str(getattr(exc, "orig", None) or exc).lower()
    if "database or disk is full" in text or "no space left" in text or "disk full" in text:
        return StoreError(f"not saved: the disk holding {where} is full. Free some space; "
                          f"nothing saved before was lost")
    if "locked" in text or "busy" in text:
        return StoreError(f"not saved: the database {where} is locked by another program. "
                          f"Try again in a moment")
    if "readonly" in text or "read-only" in text or "attempt to write" in text:
        return StoreError(f"not saved: the database {where} is read-only")
    if "file is not a database" in text or "not a database" in text:
        return StoreError(f"{where} is not a Heard database, or it is encrypted with a "
                          f"different key. Nothing was changed")
    if "malformed" in text or "corrupt" in text:
        return StoreError(f"{where} is damaged. Nothing was changed; restore from the latest "
                          f"backup with 'screening-app restore'")
    if "unable to open" in text:
        return StoreError(f"cannot open the database {where}: check the path and permissions")
    if "connection" in text or "could not connect" in text or "timeout" in text \
            or "name or service" in text or "refused" in text:
        return StoreError(f"cannot reach the database server {where}. Check the network and "
                          f"that the server is running")
    if "password authentication" in text or "authentication failed" in text:
        return StoreError(f"the database server {where} refused the user name or password")
    if isinstance(exc, OSError):
        return StoreError(f"cannot use the database {where}: {exc.strerror or exc}")
    if isinstance(exc, sqlite3.Error):
        return StoreError(f"database error at {where}: {exc}")
    first_line = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:200]
    return StoreError(f"database error at {where}: {first_line}")
