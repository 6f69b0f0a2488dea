"""Security: users, security settings, the audit trail, and erasure under the retention rule.

* ``app_user``: named users with a role and a team; never deleted, only disabled. Server
  databases (PostgreSQL) keep an Argon2id hash and the lock-out count here; encrypted SQLite
  databases keep neither (the key file beside them does: see screening_app.security).
* ``security_setting``: the lock-out rule, the idle lock and the retention rule (JSON).
* ``audit_event``: the hash-chained, HMAC-sealed audit trail. Append-only: the database
  refuses UPDATE and DELETE (the chain would show them anyway).
* ``erasure_permit``: a completed assessment stays read-only, except that an administrator's
  erasure (``screening-app delete``) may remove it and its answers: the delete guards of
  ``0002`` now let a row go when a permit for its assessment exists in the same transaction.

Revision ID: 0003_security
Revises: 0002_search_key_and_guards
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_security"
down_revision = "0002_search_key_and_guards"
branch_labels = None
depends_on = None

READ_ONLY = "heard: completed assessment is read-only"
AUDIT_APPEND_ONLY = "heard: the audit trail is append-only"
CHILD_TABLES = ("answer_event", "flag_acknowledgement", "decision")
NO_PERMIT = "NOT EXISTS (SELECT 1 FROM erasure_permit WHERE assessment_id = {id})"


def upgrade() -> None:
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("name_key", sa.String(64), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("team", sa.String(100), nullable=True),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=True),
        sa.Column("failed_attempts", sa.Integer, nullable=False),
        sa.Column("locked_until", sa.String(32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("name_key", name="uq_app_user_name_key"),
    )
    op.create_table(
        "security_setting",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
    )
    op.create_table(
        "audit_event",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("role", sa.String(20), nullable=True),
        sa.Column("team", sa.String(100), nullable=True),
        sa.Column("terminal", sa.String(255), nullable=False),
        sa.Column("os_user", sa.String(255), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("record_id", sa.String(36), nullable=True),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("entry_hash", sa.String(64), nullable=False),
        sa.Column("mac", sa.String(64), nullable=False),
    )
    op.create_index("ix_audit_event_record_id", "audit_event", ["record_id", "seq"])
    op.create_table(
        "erasure_permit",
        sa.Column("assessment_id", sa.String(36), primary_key=True),
    )
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _sqlite()
    elif dialect == "postgresql":
        _postgresql()


def _sqlite() -> None:
    for when in ("UPDATE", "DELETE"):
        op.execute(f"""
            CREATE TRIGGER heard_audit_event_no_{when.lower()}
            BEFORE {when} ON audit_event
            BEGIN SELECT RAISE(ABORT, '{AUDIT_APPEND_ONLY}'); END""")
    op.execute("DROP TRIGGER heard_assessment_no_delete_when_complete")
    op.execute(f"""
        CREATE TRIGGER heard_assessment_no_delete_when_complete
        BEFORE DELETE ON assessment
        WHEN OLD.status = 'complete' AND {NO_PERMIT.format(id="OLD.id")}
        BEGIN SELECT RAISE(ABORT, '{READ_ONLY}'); END""")
    for table in CHILD_TABLES:
        op.execute(f"DROP TRIGGER heard_{table}_no_delete_when_complete")
        op.execute(f"""
            CREATE TRIGGER heard_{table}_no_delete_when_complete
            BEFORE DELETE ON {table}
            WHEN (SELECT status FROM assessment WHERE id = OLD.assessment_id) = 'complete'
                 AND {NO_PERMIT.format(id="OLD.assessment_id")}
            BEGIN SELECT RAISE(ABORT, '{READ_ONLY}'); END""")


def _postgresql() -> None:
    op.execute(f"""
        CREATE FUNCTION heard_audit_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '{AUDIT_APPEND_ONLY}' USING ERRCODE = 'integrity_constraint_violation';
        END $$""")
    op.execute("""
        CREATE TRIGGER heard_audit_guard BEFORE UPDATE OR DELETE ON audit_event
        FOR EACH ROW EXECUTE FUNCTION heard_audit_guard()""")
    op.execute("""
        CREATE TRIGGER heard_audit_no_truncate BEFORE TRUNCATE ON audit_event
        FOR EACH STATEMENT EXECUTE FUNCTION heard_audit_guard()""")
    op.execute(f"""
        CREATE OR REPLACE FUNCTION heard_assessment_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF OLD.status = 'complete' THEN
                IF TG_OP = 'DELETE' AND {NO_PERMIT.format(id="OLD.id")} IS FALSE THEN
                    RETURN OLD;
                END IF;
                RAISE EXCEPTION '{READ_ONLY}' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END $$""")
    op.execute(f"""
        CREATE OR REPLACE FUNCTION heard_child_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            parent_status text;
        BEGIN
            IF TG_TABLE_NAME = 'answer_event' AND TG_OP = 'UPDATE' THEN
                RAISE EXCEPTION 'heard: answer events are append-only'
                    USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            SELECT status INTO parent_status FROM assessment
                WHERE id = CASE WHEN TG_OP = 'INSERT' THEN NEW.assessment_id
                                ELSE OLD.assessment_id END;
            IF parent_status = 'complete' THEN
                IF TG_OP = 'DELETE' AND {NO_PERMIT.format(id="OLD.assessment_id")} IS FALSE THEN
                    RETURN OLD;
                END IF;
                RAISE EXCEPTION '{READ_ONLY}' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END $$""")


def downgrade() -> None:
    """Back to 0002 (for tests and tools): the users, settings and audit trail are dropped."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for when in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS heard_audit_event_no_{when}")
        op.execute("DROP TRIGGER heard_assessment_no_delete_when_complete")
        op.execute(f"""
            CREATE TRIGGER heard_assessment_no_delete_when_complete
            BEFORE DELETE ON assessment WHEN OLD.status = 'complete'
            BEGIN SELECT RAISE(ABORT, '{READ_ONLY}'); END""")
        for table in CHILD_TABLES:
            op.execute(f"DROP TRIGGER heard_{table}_no_delete_when_complete")
            op.execute(f"""
                CREATE TRIGGER heard_{table}_no_delete_when_complete
                BEFORE DELETE ON {table}
                WHEN (SELECT status FROM assessment WHERE id = OLD.assessment_id) = 'complete'
                BEGIN SELECT RAISE(ABORT, '{READ_ONLY}'); END""")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS heard_audit_guard ON audit_event")
        op.execute("DROP TRIGGER IF EXISTS heard_audit_no_truncate ON audit_event")
        op.execute("DROP FUNCTION IF EXISTS heard_audit_guard()")
        op.execute(f"""
            CREATE OR REPLACE FUNCTION heard_assessment_guard() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                IF OLD.status = 'complete' THEN
                    RAISE EXCEPTION '{READ_ONLY}'
                        USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                RETURN NEW;
            END $$""")
        op.execute(f"""
            CREATE OR REPLACE FUNCTION heard_child_guard() RETURNS trigger
            LANGUAGE plpgsql AS $$
            DECLARE
                parent_status text;
            BEGIN
                IF TG_TABLE_NAME = 'answer_event' AND TG_OP = 'UPDATE' THEN
                    RAISE EXCEPTION 'heard: answer events are append-only'
                        USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                SELECT status INTO parent_status FROM assessment
                    WHERE id = CASE WHEN TG_OP = 'INSERT' THEN NEW.assessment_id
                                    ELSE OLD.assessment_id END;
                IF parent_status = 'complete' THEN
                    RAISE EXCEPTION '{READ_ONLY}'
                        USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                RETURN NEW;
            END $$""")
    op.drop_table("erasure_permit")
    op.drop_index("ix_audit_event_record_id", table_name="audit_event")
    op.drop_table("audit_event")
    op.drop_table("security_setting")
    op.drop_table("app_user")
