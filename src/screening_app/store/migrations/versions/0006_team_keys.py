"""Team separation inside one database (issue 14, red-team finding 2).

* ``team_key``: each team's key sealed to each holder's public box key (its members, every
  administrator, the recovery key); screening_app.security.teamkeys.
* ``reference_token``: the blind index of sealed references (keyed HMACs of prefixes).
* ``seal_permit``: present only inside a team rekey's transaction; SQLite's read-only and
  append-only guards let sealed text be sealed again under a new key while it exists.
* PostgreSQL: row-level security per team on the record tables (FORCE, so the owner too),
  following the ``heard.team`` / ``heard.role`` settings the store makes local to each of
  its transactions (screening_app.store.team_rows); a transaction naming no team is not
  limited.

Revision ID: 0006_team_keys
Revises: 0005_security_hardening
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_team_keys"
down_revision = "0005_security_hardening"
branch_labels = None
depends_on = None

READ_ONLY = "heard: completed assessment is read-only"
APPEND_ONLY = "heard: answer events are append-only"
NO_PERMIT = "NOT EXISTS (SELECT 1 FROM seal_permit)"
COMPLETE = "(SELECT status FROM assessment WHERE id = OLD.assessment_id) = 'complete'"

# name -> (table, condition, message): the update guards, before and with the permit.
_GUARDS = {
    "heard_assessment_no_update_when_complete": ("assessment", "OLD.status = 'complete'",
                                                 READ_ONLY),
    "heard_answer_event_no_update": ("answer_event", None, APPEND_ONLY),
    **{f"heard_{t}_no_update_when_complete": (t, COMPLETE, READ_ONLY)
       for t in ("answer_event", "flag_acknowledgement", "decision")},
}


def _guards(with_permit: bool) -> None:
    for name, (table, condition, message) in _GUARDS.items():
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
        parts = [c for c in (condition, NO_PERMIT if with_permit else None) if c]
        when = f" WHEN {' AND '.join(parts)}" if parts else ""
        op.execute(f"""
            CREATE TRIGGER {name}
            BEFORE UPDATE ON {table}{when}
            BEGIN SELECT RAISE(ABORT, '{message}'); END""")


# Record tables under row-level security on PostgreSQL; the children follow their assessment.
RLS_CHILDREN = ("answer_event", "flag_acknowledgement", "decision", "export_record",
                "care_action", "escalation", "reference_token")


def _postgresql_row_security() -> None:
    op.execute("""
        CREATE FUNCTION heard_sees_team(row_team text) RETURNS boolean
        LANGUAGE sql STABLE AS $$
            SELECT coalesce(current_setting('heard.team', true), '') = ''
                OR row_team = current_setting('heard.team', true)
                OR (row_team IS NULL
                    AND current_setting('heard.role', true) = 'administrator')
        $$""")
    # Whether a record exists beyond this transaction's team (the store audits the refusal).
    op.execute("""
        CREATE FUNCTION heard_record_exists(record_id text) RETURNS boolean
        LANGUAGE plpgsql AS $$
        DECLARE
            kept text := coalesce(current_setting('heard.team', true), '');
            found boolean;
        BEGIN
            PERFORM set_config('heard.team', '', true);
            SELECT EXISTS (SELECT 1 FROM assessment WHERE id = record_id) INTO found;
            PERFORM set_config('heard.team', kept, true);
            RETURN found;
        END $$""")
    for table in ("assessment", *RLS_CHILDREN):
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute("""
        CREATE POLICY heard_team ON assessment
        USING (heard_sees_team(team)) WITH CHECK (heard_sees_team(team))""")
    for table in RLS_CHILDREN:
        follows = "EXISTS (SELECT 1 FROM assessment a WHERE a.id = assessment_id)"
        op.execute(f"CREATE POLICY heard_team ON {table} USING ({follows}) "
                   f"WITH CHECK ({follows})")


def _drop_postgresql_row_security() -> None:
    for table in ("assessment", *RLS_CHILDREN):
        op.execute(f"DROP POLICY IF EXISTS heard_team ON {table}")
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    op.execute("DROP FUNCTION IF EXISTS heard_record_exists(text)")
    op.execute("DROP FUNCTION IF EXISTS heard_sees_team(text)")


def upgrade() -> None:
    op.create_table(
        "team_key",
        sa.Column("team", sa.String(100), primary_key=True),
        sa.Column("kid", sa.String(12), primary_key=True),
        sa.Column("holder", sa.String(80), primary_key=True),
        sa.Column("sealed", sa.Text, nullable=False),
        sa.Column("current", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "reference_token",
        sa.Column("token", sa.String(32), primary_key=True),
        sa.Column("assessment_id", sa.String(36),
                  sa.ForeignKey("assessment.id", ondelete="CASCADE"), primary_key=True),
    )
    op.create_index("ix_reference_token_assessment_id", "reference_token", ["assessment_id"])
    op.create_table("seal_permit", sa.Column("team", sa.String(100), primary_key=True))
    if op.get_bind().dialect.name == "sqlite":
        _guards(with_permit=True)
    elif op.get_bind().dialect.name == "postgresql":
        _postgresql_row_security()


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _guards(with_permit=False)
    elif op.get_bind().dialect.name == "postgresql":
        _drop_postgresql_row_security()
    op.drop_table("seal_permit")
    op.drop_index("ix_reference_token_assessment_id", table_name="reference_token")
    op.drop_table("reference_token")
    op.drop_table("team_key")
