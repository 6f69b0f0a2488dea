"""screening-app backup OUT: a consistent copy of the SQLite database, safe while in use.

An encrypted database is copied encrypted, with the same key (the key file beside the
database opens the copy; keep the two apart from each other, see docs/security.md); it
needs an administrator's sign-in and is audited. A development database is copied only when
``SCREENING_APP_DEVELOPMENT=1`` is set.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy.orm import Session

from ..store import StoreError, open_database, resolve_database_url
from ..store.backup import BackupInfo, backup_sqlite_file, inspect_heard_file, utc_stamp
from .common import CommandError, sign_in_for


def register(sub) -> None:  # noqa: ANN001
    p = sub.add_parser(
        "backup", help="copy the database to a file (SQLite backup API; safe while in use)",
        description="Copy the SQLite database to OUT through SQLite's backup API, check the "
                    "copy, and only then give it its name. OUT may be a folder: the copy is "
                    "then named heard-<UTC time>.db inside it. An existing file is never "
                    "replaced. An encrypted database needs --user NAME (an administrator) "
                    "and stays encrypted in the copy.")
    p.add_argument("out", metavar="OUT", type=Path, help="file (or folder) to write")
    p.set_defaults(handler=run)


def _output(out: Path) -> Path:
    if out.is_dir():
        out = out / f"heard-{utc_stamp()}.db"
    if out.exists() or out.is_symlink():
        raise CommandError(f"{out} already exists; a backup never replaces a file. Choose "
                           f"a new name")
    return out


def run(args: argparse.Namespace) -> int:
    from ..security.access import DatabaseKind, kind_of, target_of
    from ..security.policy import allow_development

    url = resolve_database_url(getattr(args, "db", None))
    target = target_of(url)
    if target.backend != "sqlite":
        raise CommandError("backup copies the built-in SQLite database; a PostgreSQL "
                           "database is backed up by the server's own tools (pg_dump)")
    if kind_of(target) is DatabaseKind.ENCRYPTED:
        info, out = _backup_encrypted(args)
    else:
        database = open_database(url, create=False, migrate=False)
        try:
            print(f"screening-app: {allow_development(target.describe())}", file=sys.stderr)
            assert database.path is not None
            out = _output(args.out)
            backup_sqlite_file(database.path, out)
        finally:
            database.dispose()
        try:
            info = inspect_heard_file(out)
        except StoreError:
            out.unlink(missing_ok=True)  # a copy of something that is not a Heard database
            raise
    print(f"backed up {info.assessments} assessment(s) and {info.answers} answer(s) to {out}")
    return 0


def _backup_encrypted(args: argparse.Namespace) -> tuple[BackupInfo, Path]:
    from ..security import crypto
    from ..security.audit import Action
    from ..security.roles import Permission

    signed = sign_in_for(args, Permission.BACKUP)
    try:
        path, data_key = signed.target.path, signed.data_key
        assert path is not None and data_key is not None
        key = crypto.sqlcipher_key(data_key)
        out = _output(args.out)
        with Session(signed.database.engine) as session, session.begin():
            # Audited first, in its own transaction: no audit entry, no copy.
            signed.audit.append(session, Action.BACKUP, detail={"to": out.name})
        backup_sqlite_file(path, out, key=key)
        try:
            info = inspect_heard_file(out, key=key)
        except StoreError:
            out.unlink(missing_ok=True)
            raise
    finally:
        signed.close()
    return info, out
