"""screening-app backup OUT: a consistent copy of the SQLite database, safe while in use."""

from __future__ import annotations

from pathlib import Path

from ..store import StoreError, open_database, resolve_database_url
from ..store.backup import backup_sqlite_file, inspect_heard_file, utc_stamp
from .common import CommandError


def register(sub) -> None:  # noqa: ANN001
    p = sub.add_parser(
        "backup", help="copy the database to a file (SQLite backup API; safe while in use)",
        description="Copy the SQLite database to OUT through SQLite's backup API, check the "
                    "copy, and only then give it its name. OUT may be a folder: the copy is "
                    "then named heard-<UTC time>.db inside it. An existing file is never "
                    "replaced.")
    p.add_argument("out", metavar="OUT", type=Path, help="file (or folder) to write")
    p.set_defaults(handler=run)


def run(args) -> int:  # noqa: ANN001
    database = open_database(resolve_database_url(getattr(args, "db", None)), create=False,
                             migrate=False)
    try:
        if not database.is_sqlite:
            raise CommandError("backup copies the built-in SQLite database; a PostgreSQL "
                               "database is backed up by the server's own tools (pg_dump)")
        if database.is_encrypted:
            raise CommandError("backup of an encrypted database is not available yet; copy it "
                               "with the app closed")
        assert database.path is not None
        out: Path = args.out
        if out.is_dir():
            out = out / f"heard-{utc_stamp()}.db"
        if out.exists():
            raise CommandError(f"{out} already exists; a backup never replaces a file. Choose "
                               f"a new name")
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
