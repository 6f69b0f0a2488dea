"""Security hardening (issue 14).

* ``sign_in_attempt``: the lock-out state per folded name on server databases, counted
  before the password is checked under ``SELECT ... FOR UPDATE`` (names that are not users
  too, so the lock-out does not reveal which are).
* SQLite: a completed assessment cannot be replaced by ``INSERT OR REPLACE`` (SQLite fires
  no delete trigger for REPLACE unless ``recursive_triggers`` is on, which a raw connection
  need not set; this guard fires before the conflict is resolved).
* ``audit_event.signature`` / ``signer``: each entry signed (Ed25519) by the user who caused
  it, with a key only their password opens (screening_app.security.audit); on server
  databases that key's secret is kept wrapped in ``app_user.secret_wrap``.
* PostgreSQL: the "set up" marker (``security_setting`` row ``initialised``) cannot be
  changed or removed.

Revision ID: 0005_security_hardening
Revises: 0004_services_actions
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_security_hardening"
down_revision = "0004_services_actions"
branch_labels = None
depends_on = None

READ_ONLY = "heard: completed assessment is read-only"
MARKER_FIXED = "heard: the set-up marker cannot be changed"


def upgrade() -> None:
    op.create_table(
        "sign_in_attempt",
        sa.Column("name_key", sa.String(64), primary_key=True),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("locked_until", sa.String(32), nullable=True),
        sa.Column("last", sa.String(32), nullable=True),
    )
    op.add_column("audit_event", sa.Column("signature", sa.String(128), nullable=True))
    op.add_column("audit_event", sa.Column("signer", sa.String(64), nullable=True))
    op.add_column("app_user", sa.Column("secret_wrap", sa.Text, nullable=True))
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(f"""
            CREATE TRIGGER heard_assessment_no_replace_when_complete
            BEFORE INSERT ON assessment
            WHEN EXISTS (SELECT 1 FROM assessment WHERE id = NEW.id AND status = 'complete')
            BEGIN SELECT RAISE(ABORT, '{READ_ONLY}'); END""")
    elif dialect == "postgresql":
        op.execute(f"""
            CREATE FUNCTION heard_marker_guard() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF OLD.key = 'initialised' THEN
                    RAISE EXCEPTION '{MARKER_FIXED}'
                        USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                RETURN NEW;
            END $$""")
        op.execute("""
            CREATE TRIGGER heard_marker_guard BEFORE UPDATE OR DELETE ON security_setting
            FOR EACH ROW EXECUTE FUNCTION heard_marker_guard()""")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS heard_assessment_no_replace_when_complete")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS heard_marker_guard ON security_setting")
        op.execute("DROP FUNCTION IF EXISTS heard_marker_guard()")
    # Native DROP COLUMN (SQLite >= 3.35): a batch table rebuild would refuse (append-only).
    op.drop_column("app_user", "secret_wrap")
    op.drop_column("audit_event", "signer")
    op.drop_column("audit_event", "signature")
    op.drop_table("sign_in_attempt")
