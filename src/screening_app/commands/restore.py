"""screening-app restore IN: put a backup back as the SQLite database, keeping a safety copy."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from ..store import open_database, resolve_database_url
from ..store.backup import restore_sqlite_file
from ..store.database import sqlite_file_of
from .common import CommandError


def register(sub) -> None:  # noqa: ANN001
    p = sub.add_parser(
        "restore", help="replace the SQLite database with a checked backup",
        description="Check that IN is a whole Heard database (integrity_check, known schema), "
                    "then make it the database. An existing database is replaced only with "
                    "--replace, and is first kept beside itself as heard-<UTC time>-before-"
                    "restore.db (or -damaged.db when it could not be read).")
    p.add_argument("backup", metavar="IN", type=Path, help="the backup file to restore")
    p.add_argument("--replace", action="store_true",
                   help="replace an existing database (a safety copy of it is kept)")
    p.set_defaults(handler=run)


def run(args) -> int:  # noqa: ANN001
    url = resolve_database_url(getattr(args, "db", None))
    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError:
        backend = None
    if backend == "postgresql":
        raise CommandError("restore replaces the built-in SQLite database; a PostgreSQL "
                           "database is restored with the server's own tools (pg_restore)")
    target = sqlite_file_of(url)
    outcome = restore_sqlite_file(args.backup, target, replace=args.replace)
    open_database(url).dispose()  # checks it and upgrades an older backup's schema
    restored = outcome.restored
    print(f"restored {restored.assessments} assessment(s) and {restored.answers} answer(s) "
          f"from {args.backup} into {target}")
    if outcome.safety_copy is not None:
        print(f"the database as it was before is kept as {outcome.safety_copy}")
    return 0
