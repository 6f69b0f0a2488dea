"""Initial schema: the tables of the first release (as ``create_all`` made them).

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "assessment",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("reference", sa.String(100), nullable=True),
        sa.Column("setting", sa.String(20), nullable=False),
        sa.Column("age", sa.Integer(), nullable=False),
        sa.Column("date_of_birth", sa.String(10), nullable=True),
        sa.Column("presenting_issue", sa.Text(), nullable=True),
        sa.Column("extra_modules", sa.JSON(), nullable=False),
        sa.Column("content_pins", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.String(36), nullable=True),
        sa.Column("amend_reason", sa.Text(), nullable=True),
        sa.Column("team", sa.String(100), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.Column("completed_at", UTC_DATETIME, nullable=True),
        sa.Column("completed_by", sa.String(100), nullable=True),
        sa.Column("current_item", sa.String(140), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["parent_id"], ["assessment.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_assessment_reference", "assessment", ["reference"])
    op.create_index("ix_assessment_setting", "assessment", ["setting"])
    op.create_index("ix_assessment_status", "assessment", ["status"])
    op.create_index("ix_assessment_status_updated", "assessment", ["status", "updated_at"])
    op.create_index("ix_assessment_team", "assessment", ["team"])
    op.create_index("ix_assessment_updated_at", "assessment", ["updated_at"])

    op.create_table(
        "answer_event",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("assessment_id", sa.String(36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("module", sa.String(64), nullable=False),
        sa.Column("item", sa.String(64), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("answered_at", UTC_DATETIME, nullable=False),
        sa.Column("answered_by", sa.String(100), nullable=False),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessment.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("assessment_id", "seq", name="uq_answer_event_seq"),
    )
    op.create_table(
        "decision",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("assessment_id", sa.String(36), nullable=False),
        sa.Column("target", sa.String(140), nullable=False),
        sa.Column("decision", sa.String(10), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("decided_at", UTC_DATETIME, nullable=False),
        sa.Column("decided_by", sa.String(100), nullable=False),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessment.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_decision_assessment_id", "decision", ["assessment_id"])
    op.create_table(
        "export_record",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("assessment_id", sa.String(36), nullable=False),
        sa.Column("document_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("variant", sa.String(10), nullable=True),
        sa.Column("exported_at", UTC_DATETIME, nullable=False),
        sa.Column("exported_by", sa.String(100), nullable=False),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessment.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id"),
    )
    op.create_index("ix_export_record_assessment_id", "export_record", ["assessment_id"])
    op.create_table(
        "flag_acknowledgement",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("assessment_id", sa.String(36), nullable=False),
        sa.Column("flag_id", sa.String(64), nullable=False),
        sa.Column("acknowledged_at", UTC_DATETIME, nullable=False),
        sa.Column("acknowledged_by", sa.String(100), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessment.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_flag_acknowledgement_assessment_id", "flag_acknowledgement",
                    ["assessment_id"])


def downgrade() -> None:
    for table in ("flag_acknowledgement", "export_record", "decision", "answer_event",
                  "assessment"):
        op.drop_table(table)
