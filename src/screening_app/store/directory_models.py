"""Tables for the directory of services, the actions that follow an assessment, and
escalations (issue 16). Same declarative Base as :mod:`screening_app.store.models`; the
schema itself is made by migration ``0004_services_actions``.

* ``service``: one ORUK 3.0 service, kept whole as JSON (``record``) so an export gives back
  what was imported, with Heard's local additions in their own columns (how a child gets in,
  typical wait, sector, local notes): ORUK has no fields for them.
* ``need_mapping``: which taxonomy terms answer which need tag (editable by administrators).
* ``care_action``: a flag or recommendation turned into something someone must do, with an
  owner, a due date, a status and an outcome; check-ins repeat, and a did-not-attend raises
  a follow-up (``follows_id`` points at the action it came from).
* ``escalation``: a supervisor's or practitioner's escalation of an assessment.

Actions and escalations go with their assessment when it is erased (ON DELETE CASCADE).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .models import Base, utcnow


class Service(Base):
    __tablename__ = "service"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(20))
    record: Mapped[dict] = mapped_column(JSON)
    access_routes: Mapped[list] = mapped_column(JSON, default=list)
    typical_wait_days: Mapped[int | None] = mapped_column(Integer)
    sector: Mapped[str | None] = mapped_column(String(40))
    local_notes: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(255))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(100))


class NeedMapping(Base):
    __tablename__ = "need_mapping"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    need_tag: Mapped[str] = mapped_column(String(64), index=True)
    taxonomy: Mapped[str] = mapped_column(String(100))
    term: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(100))

    __table_args__ = (UniqueConstraint("need_tag", "taxonomy", "term",
                                       name="uq_need_mapping_term"),)


class CareAction(Base):
    __tablename__ = "care_action"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    assessment_id: Mapped[str] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"),
                                               index=True)
    source: Mapped[str] = mapped_column(String(140))  # "flag:ID" | "recommendation:ID" | "manual"
    level: Mapped[str | None] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))  # action | referral | check-in | follow-up
    title: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(100))
    due_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))  # open | in-progress | done | ...
    service_id: Mapped[str | None] = mapped_column(String(100))
    service_name: Mapped[str | None] = mapped_column(String(255))
    outcome: Mapped[str | None] = mapped_column(Text)
    repeat_days: Mapped[int | None] = mapped_column(Integer)
    follows_id: Mapped[int | None] = mapped_column(
        ForeignKey("care_action.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(100))
    closed_at: Mapped[dt.datetime | None]

    __table_args__ = (Index("ix_care_action_status_due", "status", "due_on"),)


class Escalation(Base):
    __tablename__ = "escalation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    assessment_id: Mapped[str] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"),
                                               index=True)
    to_role: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    raised_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    raised_by: Mapped[str] = mapped_column(String(100))
    outcome: Mapped[str | None] = mapped_column(Text)
    outcome_at: Mapped[dt.datetime | None]
    outcome_by: Mapped[str | None] = mapped_column(String(100))
