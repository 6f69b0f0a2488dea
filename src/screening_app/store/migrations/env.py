"""Alembic environment for Heard's schema.

At runtime :func:`screening_app.store.schema.ensure_schema` runs the migrations itself and
hands over an open connection (already inside the write transaction) as
``config.attributes["connection"]``; no ``alembic.ini`` is involved. For development,
``python -m screening_app.store.migrations revision -m "..." --autogenerate`` drives the
usual Alembic commands against ``SCREENING_APP_DB`` (see README.md here).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from screening_app.store.models import Base

config = context.config
target_metadata = Base.metadata


def _configure(connection) -> None:  # noqa: ANN001
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite's DDL is transactional; our connection already holds BEGIN IMMEDIATE.
        transactional_ddl=True,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


connection = config.attributes.get("connection")
if connection is not None:
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()
else:
    from screening_app.store.database import resolve_database_url

    engine = create_engine(config.get_main_option("sqlalchemy.url") or resolve_database_url())
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()
