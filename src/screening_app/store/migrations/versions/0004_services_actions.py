"""Directory of services, actions and escalations (issue 16).

* ``service``: a local copy of ORUK 3.0 services (the whole record as JSON) with Heard's
  additions beside it: access routes, typical wait, sector, local notes.
* ``need_mapping``: need tag -> taxonomy term, editable by administrators.
* ``care_action``: actions, referrals, repeating check-ins and did-not-attend follow-ups.
* ``escalation``: who an assessment was escalated to, why, when, and the outcome.

Actions and escalations belong to an assessment and go with it when it is erased
(ON DELETE CASCADE; SQLite connections run with ``foreign_keys=ON``). They are added after
an assessment is completed, so the read-only guards of ``0002`` do not cover them.

Revision ID: 0004_services_actions
Revises: 0003_security
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_services_actions"
down_revision = "0003_security"
branch_labels = None
depends_on = None


def _stamps(prefix: str) -> list[sa.Column]:
    return [sa.Column(f"{prefix}_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column(f"{prefix}_by", sa.String(100), nullable=False)]


def upgrade() -> None:
    op.create_table(
        "service",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("record", sa.JSON, nullable=False),
        sa.Column("access_routes", sa.JSON, nullable=False),
        sa.Column("typical_wait_days", sa.Integer, nullable=True),
        sa.Column("sector", sa.String(40), nullable=True),
        sa.Column("local_notes", sa.Text, nullable=True),
        sa.Column("source", sa.String(255), nullable=True),
        *_stamps("updated"),
    )
    op.create_table(
        "need_mapping",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("need_tag", sa.String(64), nullable=False),
        sa.Column("taxonomy", sa.String(100), nullable=False),
        sa.Column("term", sa.String(100), nullable=False),
        *_stamps("updated"),
        sa.UniqueConstraint("need_tag", "taxonomy", "term", name="uq_need_mapping_term"),
    )
    op.create_index("ix_need_mapping_need_tag", "need_mapping", ["need_tag"])
    op.create_table(
        "care_action",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("assessment_id", sa.String(36),
                  sa.ForeignKey("assessment.id", ondelete="CASCADE"), nullable=False),
        sa.Column("source", sa.String(140), nullable=False),
        sa.Column("level", sa.String(20), nullable=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("owner", sa.String(100), nullable=False),
        sa.Column("due_on", sa.Date, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("service_id", sa.String(100), nullable=True),
        sa.Column("service_name", sa.String(255), nullable=True),
        sa.Column("outcome", sa.Text, nullable=True),
        sa.Column("repeat_days", sa.Integer, nullable=True),
        sa.Column("follows_id", sa.Integer,
                  sa.ForeignKey("care_action.id", ondelete="CASCADE"), nullable=True),
        *_stamps("created"),
        *_stamps("updated"),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_care_action_assessment_id", "care_action", ["assessment_id"])
    op.create_index("ix_care_action_status_due", "care_action", ["status", "due_on"])
    op.create_table(
        "escalation",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("assessment_id", sa.String(36),
                  sa.ForeignKey("assessment.id", ondelete="CASCADE"), nullable=False),
        sa.Column("to_role", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        *_stamps("raised"),
        sa.Column("outcome", sa.Text, nullable=True),
        sa.Column("outcome_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome_by", sa.String(100), nullable=True),
    )
    op.create_index("ix_escalation_assessment_id", "escalation", ["assessment_id"])


def downgrade() -> None:
    op.drop_index("ix_escalation_assessment_id", table_name="escalation")
    op.drop_table("escalation")
    op.drop_index("ix_care_action_status_due", table_name="care_action")
    op.drop_index("ix_care_action_assessment_id", table_name="care_action")
    op.drop_table("care_action")
    op.drop_index("ix_need_mapping_need_tag", table_name="need_mapping")
    op.drop_table("need_mapping")
    op.drop_table("service")
