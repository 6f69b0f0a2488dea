"""Reference search key, who last changed a draft, and read-only guards in the database.

* ``assessment.reference_key``: the trimmed, case-folded reference, indexed so that prefix
  search (``LIKE 'abc%'``) uses the index on both backends (SQLite: a NOCASE column;
  PostgreSQL: ``text_pattern_ops``), with ``updated_at`` and ``id`` in the index so the
  newest matches are picked from the index alone. Replaces the plain index on ``reference``.
* ``assessment.updated_by``, so a conflict message can say who changed the draft.
* An index on ``assessment.created_at`` for date-range search.
* A unique index on ``assessment.parent_id``: a version is amended at most once, so two
  people amending the same completed assessment cannot fork its history.
* Triggers: a completed assessment cannot be updated or deleted, nothing can be added to,
  changed in or removed from its answers, acknowledgements or decisions, and answer events
  are never updated (append-only). The repository refuses first; these stop anything else.

Revision ID: 0002_search_key_and_guards
Revises: 0001_initial
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_search_key_and_guards"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

READ_ONLY = "heard: completed assessment is read-only"
APPEND_ONLY = "heard: answer events are append-only"
CHILD_TABLES = ("answer_event", "flag_acknowledgement", "decision")


def _normalise(reference: str) -> str | None:
    # A frozen copy of models.normalise_reference as it was at this revision.
    return " ".join(reference.split()).casefold() or None


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    key_type = sa.String(100).with_variant(sa.String(100, collation="NOCASE"), "sqlite")
    op.add_column("assessment", sa.Column("reference_key", key_type, nullable=True))
    op.add_column("assessment", sa.Column("updated_by", sa.String(100), nullable=True))
    op.drop_index("ix_assessment_reference", table_name="assessment")
    op.create_index("ix_assessment_reference_key", "assessment",
                    ["reference_key", "updated_at", "id"],
                    postgresql_ops={"reference_key": "text_pattern_ops"})
    op.create_index("ix_assessment_created_at", "assessment", ["created_at"])
    op.create_index("ux_assessment_parent_id", "assessment", ["parent_id"], unique=True)

    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT id, reference FROM assessment WHERE reference IS NOT NULL")).all()
    if rows:
        conn.execute(sa.text("UPDATE assessment SET reference_key = :key WHERE id = :id"),
                     [{"id": row.id, "key": _normalise(row.reference)} for row in rows])

    if dialect == "sqlite":
        _sqlite_guards()
    elif dialect == "postgresql":
        _postgresql_guards()


def _sqlite_guards() -> None:
    op.execute(f"""
        CREATE TRIGGER heard_assessment_no_update_when_complete
        BEFORE UPDATE ON assessment WHEN OLD.status = 'complete'
        BEGIN SELECT RAISE(ABORT, '{READ_ONLY}'); END""")
    op.execute(f"""
        CREATE TRIGGER heard_assessment_no_delete_when_complete
        BEFORE DELETE ON assessment WHEN OLD.status = 'complete'
        BEGIN SELECT RAISE(ABORT, '{READ_ONLY}'); END""")
    op.execute(f"""
        CREATE TRIGGER heard_answer_event_no_update
        BEFORE UPDATE ON answer_event
        BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END""")
    for table in CHILD_TABLES:
        for when, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD")):
            op.execute(f"""
                CREATE TRIGGER heard_{table}_no_{when.lower()}_when_complete
                BEFORE {when} ON {table}
                WHEN (SELECT status FROM assessment WHERE id = {row}.assessment_id) = 'complete'
                BEGIN SELECT RAISE(ABORT, '{READ_ONLY}'); END""")


def _postgresql_guards() -> None:
    op.execute(f"""
        CREATE FUNCTION heard_assessment_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF OLD.status = 'complete' THEN
                RAISE EXCEPTION '{READ_ONLY}' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END $$""")
    op.execute(f"""
        CREATE FUNCTION heard_child_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            parent_status text;
        BEGIN
            IF TG_TABLE_NAME = 'answer_event' AND TG_OP = 'UPDATE' THEN
                RAISE EXCEPTION '{APPEND_ONLY}' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            SELECT status INTO parent_status FROM assessment
                WHERE id = CASE WHEN TG_OP = 'INSERT' THEN NEW.assessment_id
                                ELSE OLD.assessment_id END;
            IF parent_status = 'complete' THEN
                RAISE EXCEPTION '{READ_ONLY}' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END $$""")
    op.execute("""
        CREATE TRIGGER heard_assessment_guard BEFORE UPDATE OR DELETE ON assessment
        FOR EACH ROW EXECUTE FUNCTION heard_assessment_guard()""")
    for table in CHILD_TABLES:
        op.execute(f"""
            CREATE TRIGGER heard_{table}_guard BEFORE INSERT OR UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION heard_child_guard()""")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        names = ["heard_assessment_no_update_when_complete",
                 "heard_assessment_no_delete_when_complete", "heard_answer_event_no_update"]
        names += [f"heard_{table}_no_{when}_when_complete" for table in CHILD_TABLES
                  for when in ("insert", "update", "delete")]
        for name in names:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS heard_assessment_guard ON assessment")
        for table in CHILD_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS heard_{table}_guard ON {table}")
        op.execute("DROP FUNCTION IF EXISTS heard_child_guard()")
        op.execute("DROP FUNCTION IF EXISTS heard_assessment_guard()")
    op.drop_index("ux_assessment_parent_id", table_name="assessment")
    op.drop_index("ix_assessment_created_at", table_name="assessment")
    op.drop_index("ix_assessment_reference_key", table_name="assessment")
    op.create_index("ix_assessment_reference", "assessment", ["reference"])
    # Native DROP COLUMN (SQLite >= 3.35): a batch table rebuild would fire the cascades.
    op.drop_column("assessment", "updated_by")
    op.drop_column("assessment", "reference_key")
