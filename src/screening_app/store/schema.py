"""Bringing a database's tables up to date."""

from __future__ import annotations

from .models import Base


def ensure_schema(database) -> None:  # noqa: ANN001
    """Create any missing tables. (Versioned migrations arrive with Alembic.)"""
    Base.metadata.create_all(database.engine)
