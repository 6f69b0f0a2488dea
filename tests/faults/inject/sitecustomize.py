"""Fault injection for subprocesses of the fault tests (put on PYTHONPATH by run_cli).

HEARD_FAULT_MAX_PAGES=N: every SQLite connection gets ``PRAGMA max_page_count`` = its current
page count + N, so the database fills up and SQLite reports SQLITE_FULL exactly as on a full
disk. Used where no small filesystem can be mounted (not root).
"""

import os

_extra_pages = os.environ.get("HEARD_FAULT_MAX_PAGES")
if _extra_pages:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    @event.listens_for(Engine, "connect")
    def _limit_pages(dbapi_connection, _record):  # noqa: ANN001
        if type(dbapi_connection).__module__.startswith("sqlite3"):
            pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages + int(_extra_pages)}")
