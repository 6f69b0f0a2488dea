"""screening-app restore IN: put a backup back as the SQLite database, keeping a safety copy.

On a database set up with ``init`` (encrypted) this needs an administrator's sign-in, and
the backup must be an encrypted backup of this same database (it opens with its key); a
plain file never replaces it. Every backup must hold exactly Heard's own schema objects for
its revision (no extra trigger, no missing guard). A development database is restored only
when ``SCREENING_APP_DEVELOPMENT=1`` is set.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session

from ..store import open_database, resolve_database_url
from ..store.backup import RestoreOutcome, restore_encrypted_file, restore_sqlite_file
from ..store.database import sqlite_file_of
from .common import CommandError, sign_in_for


def register(sub) -> None:  # noqa: ANN001
    p = sub.add_parser(
        "restore", help="replace the SQLite database with a checked backup",
        description="Check that IN is a whole Heard database (integrity_check, known schema, "
                    "exactly Heard's own tables, indexes and triggers), then make it the "
                    "database. An encrypted database needs --user NAME, an administrator, "
                    "and an encrypted backup of itself. An existing database is replaced "
                    "only with --replace (always, for an encrypted one), and is first kept "
                    "beside itself as heard-<UTC time>-before-restore.db (or -damaged.db "
                    "when it could not be read).")
    p.add_argument("backup", metavar="IN", type=Path, help="the backup file to restore")
    p.add_argument("--replace", action="store_true",
                   help="replace an existing database (a safety copy of it is kept)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..security.access import DatabaseKind, kind_of, target_of
    from ..security.policy import allow_development

    url = resolve_database_url(getattr(args, "db", None))
    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError:
        backend = None
    if backend == "postgresql":
        raise CommandError("restore replaces the built-in SQLite database; a PostgreSQL "
                           "database is restored with the server's own tools (pg_restore)")
    target = target_of(url)
    if kind_of(target) is DatabaseKind.ENCRYPTED:
        outcome, where = _restore_encrypted(args, url)
    else:
        print(f"screening-app: {allow_development(target.describe())}", file=sys.stderr)
        where = sqlite_file_of(url)
        outcome = restore_sqlite_file(args.backup, where, replace=args.replace)
        open_database(url).dispose()  # checks it and upgrades an older backup's schema
    restored = outcome.restored
    print(f"restored {restored.assessments} assessment(s) and {restored.answers} answer(s) "
          f"from {args.backup} into {where}")
    if outcome.safety_copy is not None:
        print(f"the database as it was before is kept as {outcome.safety_copy}")
    return 0


def _restore_encrypted(args: argparse.Namespace, url: str) -> tuple[RestoreOutcome, Path]:
    from ..security import crypto
    from ..security.audit import Action
    from ..security.encrypted import open_encrypted
    from ..security.roles import Permission

    if not args.replace:
        raise CommandError("restoring replaces the whole encrypted database; run again with "
                           "--replace to do so (a safety copy of it is kept)")
    signed = sign_in_for(args, Permission.BACKUP)
    try:
        path, data_key = signed.target.path, signed.data_key
        assert path is not None and data_key is not None
        signed.database.dispose()  # nothing of ours holds the file while it is replaced
        outcome = restore_encrypted_file(args.backup, path, key=crypto.sqlcipher_key(data_key))
        restored = open_encrypted(path, data_key)  # checks it, upgrades an older schema
        try:
            with Session(restored.engine) as session, session.begin():
                signed.audit.append(session, Action.RESTORE, detail={
                    "from": args.backup.name, "safety_copy": str(outcome.safety_copy),
                    "assessments": outcome.restored.assessments})
        finally:
            restored.dispose()
    finally:
        signed.close()
    return outcome, path
