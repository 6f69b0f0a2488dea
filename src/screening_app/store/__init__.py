"""Persistence: SQLite by default, PostgreSQL for shared terminals."""

from . import sealing  # noqa: F401 - registers the sealing flush and load events
from .database import Database, default_database_url, open_database, resolve_database_url
from .errors import ConflictError, NotFoundError, ReadOnlyAssessmentError, StoreError
from .repository import AssessmentSummary, Store, StoredAnswer, StoredAssessment

__all__ = [
    "AssessmentSummary", "ConflictError", "Database", "NotFoundError", "ReadOnlyAssessmentError",
    "Store", "StoreError", "StoredAnswer", "StoredAssessment", "default_database_url",
    "open_database", "resolve_database_url",
]
