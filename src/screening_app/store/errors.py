"""Storage failures as one-line messages a practitioner can act on."""

from __future__ import annotations

import errno
import shutil
import sqlite3
from pathlib import Path

# Below this much free space an I/O error is reported as a full disk.
LOW_SPACE_BYTES = 1024 * 1024


class StoreError(Exception):
    """Anything the store cannot do; ``str()`` is a complete sentence for the user."""


class AccessDenied(StoreError):
    """The signed-in user's role or team does not allow this. The store raises it for
    another team's record; the security layer for a role that lacks a permission."""


class ConflictError(StoreError):
    """Someone else changed this draft since it was opened here."""


class NotFoundError(StoreError):
    pass


class ReadOnlyAssessmentError(StoreError):
    """Completed assessments are never changed; amendments are new versions."""


class SchemaTooNewError(StoreError):
    """The database was made by a newer Heard; this one will not touch it."""


READ_ONLY_ASSESSMENT = ("this assessment is completed and cannot be changed; "
                        "start an amendment instead")


def disk_full_message(where: str | Path) -> str:
    return (f"not saved: the disk holding {where} is full. Free some space and try again; "
            f"nothing saved before was lost")


def read_only_message(folder: str | Path) -> str:
    return (f"the data folder {folder} is read-only: answers could not be saved. Ask IT to "
            f"make it writable, or choose another --db path")


def from_os_error(exc: OSError, path: Path, doing: str) -> StoreError:
    """An OSError while ``doing`` something with ``path`` (a file, or a folder to write in)."""
    folder = path if path.is_dir() else path.parent
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return StoreError(read_only_message(folder))
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return StoreError(disk_full_message(path))
    return StoreError(f"cannot {doing} {path}: {exc.strerror or exc}")


def _low_on_space(path: Path | None) -> bool:
    if path is None:
        return False
    try:
        return shutil.disk_usage(path.parent).free < LOW_SPACE_BYTES
    except OSError:
        return False


def translate(exc: BaseException, where: str, path: Path | None = None) -> StoreError:
    """Turn a driver error into a StoreError naming what happened and where.

    ``path`` (an SQLite file) lets a bare "disk I/O error" be recognised as a full disk.
    """
    original = getattr(exc, "orig", None) or exc
    text = str(original).lower()
    if "completed assessment is read-only" in text:
        return ReadOnlyAssessmentError(READ_ONLY_ASSESSMENT)
    if "parent_id" in text and ("unique" in text or "duplicate" in text):
        return ConflictError("someone else amended this assessment at the same moment; your "
                             "amendment was not saved. Reopen it to see theirs")
    if "append-only" in text:
        return StoreError("answers already saved cannot be changed; give a new answer instead")
    if "database or disk is full" in text or "no space left" in text or "disk full" in text \
            or "could not extend file" in text:
        return StoreError(disk_full_message(where))
    if "disk i/o error" in text:
        if _low_on_space(path):
            return StoreError(disk_full_message(where))
        return StoreError(f"not saved: the disk holding {where} reported an error. Nothing saved "
                          f"before was lost; check the disk and try again")
    if "database is locked" in text or "database table is locked" in text or "busy" in text:
        return StoreError(f"the database {where} is locked by another program and stayed "
                          f"locked. Nothing was lost; try again in a moment")
    if "readonly" in text or "read-only" in text or "attempt to write" in text:
        folder = path.parent if path is not None else where
        return StoreError(read_only_message(folder))
    if "file is not a database" in text or "not a database" in text:
        return StoreError(f"{where} is not a Heard database, or it is encrypted with a "
                          f"different key. Nothing was changed")
    if "malformed" in text or "corrupt" in text:
        return StoreError(f"{where} is damaged. Nothing was changed; restore from the latest "
                          f"backup with 'screening-app restore'")
    if "unable to open" in text:
        return StoreError(f"cannot open the database {where}: check the path and permissions")
    if "password authentication" in text or "authentication failed" in text \
            or "no pg_hba.conf entry" in text:
        return StoreError(f"the database server {where} refused the user name or password")
    if "does not exist" in text and "database" in text:
        return StoreError(f"the database server has no database named in {where}; ask IT to "
                          f"create it")
    if "connection" in text or "could not connect" in text or "timeout" in text \
            or "name or service" in text or "refused" in text or "server closed" in text:
        return StoreError(f"cannot reach the database server {where}. Check the network and "
                          f"that the server is running; nothing was saved just now")
    if isinstance(original, OSError):
        return StoreError(f"cannot use the database {where}: {original.strerror or original}")
    if isinstance(original, sqlite3.Error):
        return StoreError(f"database error at {where}: {original}")
    lines = str(original).strip().splitlines() or [type(original).__name__]
    return StoreError(f"database error at {where}: {lines[0][:200]}")
