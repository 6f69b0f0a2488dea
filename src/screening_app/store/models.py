"""Database tables (SQLAlchemy 2 typed models).

Answers are an append-only event log: the form state is the latest event per item, so a
torn write can only lose the newest event, and the history serves the audit trail.
Completed assessments are never updated; an amendment is a new row pointing at its parent.
The database enforces both with triggers (migration ``0002``), not only this code.

Every timestamp is stored in UTC and comes back timezone-aware (:class:`UTCDateTime`), from
SQLite (which has no time zones) as from PostgreSQL (whatever the session's ``TimeZone``).
The schema itself is made and changed only by the Alembic migrations in ``migrations/``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A point in time: written as UTC, read back timezone-aware in UTC on every backend.

    A naive datetime is refused rather than guessed at: local wall-clock times would sort
    wrongly across a clock change and across machines.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect):
        if value is None:
            return None
        if not isinstance(value, dt.datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime given to the store; use an aware UTC datetime")
        value = value.astimezone(dt.UTC)
        # SQLite keeps text without an offset: store it as UTC wall-clock so text order is
        # time order. PostgreSQL's timestamptz takes the aware value as it is.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def normalise_reference(reference: str | None) -> str | None:
    """The searchable form of a local reference: trimmed, single-spaced, case-folded."""
    if reference is None:
        return None
    folded = " ".join(reference.split()).casefold()
    return folded or None


# On SQLite the LIKE prefix optimisation only uses an index on a NOCASE column (with the
# default case-insensitive LIKE); on PostgreSQL the index uses text_pattern_ops instead.
REFERENCE_KEY_TYPE = String(100).with_variant(String(100, collation="NOCASE"), "sqlite")


class Base(DeclarativeBase):
    type_annotation_map = {dt.datetime: UTCDateTime()}


class Assessment(Base):
    __tablename__ = "assessment"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    reference: Mapped[str | None] = mapped_column(String(100))
    reference_key: Mapped[str | None] = mapped_column(REFERENCE_KEY_TYPE)
    setting: Mapped[str] = mapped_column(String(20), index=True)
    age: Mapped[int] = mapped_column(Integer)
    date_of_birth: Mapped[str | None] = mapped_column(String(10))
    presenting_issue: Mapped[str | None] = mapped_column(Text)
    extra_modules: Mapped[list] = mapped_column(JSON, default=list)
    content_pins: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("assessment.id"))
    amend_reason: Mapped[str | None] = mapped_column(Text)
    team: Mapped[str | None] = mapped_column(String(100), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    created_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    updated_by: Mapped[str | None] = mapped_column(String(100))
    completed_at: Mapped[dt.datetime | None]
    completed_by: Mapped[str | None] = mapped_column(String(100))
    current_item: Mapped[str | None] = mapped_column(String(140))
    result: Mapped[dict | None] = mapped_column(JSON)
    # Bumped by every write; a writer that read an older value gets a conflict, not an overwrite.
    row_version: Mapped[int] = mapped_column(Integer, default=1)

    answers: Mapped[list[AnswerEvent]] = relationship(
        back_populates="assessment", order_by="AnswerEvent.seq", cascade="all, delete-orphan")

    __table_args__ = (
        Index("ix_assessment_status_updated", "status", "updated_at"),
        # Prefix search, newest first: the index holds all the search needs to pick the
        # rows (key, time, id), so a short prefix matching thousands sorts without reading
        # the table.
        Index("ix_assessment_reference_key", "reference_key", "updated_at", "id",
              postgresql_ops={"reference_key": "text_pattern_ops"}),
        # Each version is amended at most once: history is a line, never a fork.
        Index("ux_assessment_parent_id", "parent_id", unique=True),
    )
    # reference_key is kept by the store's flush events (store/sealing.py): the normalised
    # reference on development databases; NULL where references are sealed (those are
    # searched by their blind index, ReferenceToken).


class AnswerEvent(Base):
    __tablename__ = "answer_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    assessment_id: Mapped[str] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    module: Mapped[str] = mapped_column(String(64))
    item: Mapped[str] = mapped_column(String(64))
    # JSON-encoded answer; NULL means the answer was cleared.
    value: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    answered_by: Mapped[str] = mapped_column(String(100))

    assessment: Mapped[Assessment] = relationship(back_populates="answers")

    __table_args__ = (UniqueConstraint("assessment_id", "seq", name="uq_answer_event_seq"),)


class FlagAcknowledgement(Base):
    __tablename__ = "flag_acknowledgement"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    assessment_id: Mapped[str] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"),
                                               index=True)
    flag_id: Mapped[str] = mapped_column(String(64))
    acknowledged_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    acknowledged_by: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)


class Decision(Base):
    """A practitioner's accept, edit or override of a flag or recommendation, with the reason."""

    __tablename__ = "decision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    assessment_id: Mapped[str] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"),
                                               index=True)
    target: Mapped[str] = mapped_column(String(140))  # "flag:ID" | "recommendation:ID"
    decision: Mapped[str] = mapped_column(String(10))  # accept | edit | override
    text: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decided_by: Mapped[str] = mapped_column(String(100))


class ExportRecord(Base):
    __tablename__ = "export_record"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    assessment_id: Mapped[str] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"),
                                               index=True)
    document_id: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # pdf | fhir
    variant: Mapped[str | None] = mapped_column(String(10))
    exported_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    exported_by: Mapped[str] = mapped_column(String(100))


class AppUser(Base):
    """A named user. Never deleted (their name stays on what they did), only disabled."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64))
    # How names are compared (case-folded): "Sam" and "sam" are one user.
    name_key: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(20))  # practitioner | supervisor | administrator
    team: Mapped[str | None] = mapped_column(String(100))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    # Server databases only: an Argon2id hash, and the lock-out state. An encrypted SQLite
    # database keeps these in its key file (a wrong password cannot open it to count).
    password_hash: Mapped[str | None] = mapped_column(String(200))
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[str | None] = mapped_column(String(32))
    # Server databases: the user's own secret (their audit signing key comes from it),
    # wrapped with a key from their password (JSON; screening_app.security.server).
    secret_wrap: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("name_key", name="uq_app_user_name_key"),)


class SecuritySetting(Base):
    """One security setting (JSON): lock-out, idle lock, retention rule."""

    __tablename__ = "security_setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(64))


class AuditEvent(Base):
    """One audit entry, hash-chained and sealed (screening_app.security.audit). Append-only.

    ``at`` is ISO 8601 UTC text, exactly as sealed. Identifiers only, no clinical content.
    """

    __tablename__ = "audit_event"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str | None] = mapped_column(String(20))
    team: Mapped[str | None] = mapped_column(String(100))
    terminal: Mapped[str] = mapped_column(String(255))
    os_user: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str | None] = mapped_column(String(36))
    reason: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))
    mac: Mapped[str] = mapped_column(String(64))
    # Ed25519 signature of entry_hash by the user whose key is named in ``signer``.
    signature: Mapped[str | None] = mapped_column(String(128))
    signer: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (Index("ix_audit_event_record_id", "record_id", "seq"),)


class ErasurePermit(Base):
    """Present only inside an erasure's transaction: lets the read-only guards of a completed
    assessment allow its deletion (screening_app.security.records.erase_record)."""

    __tablename__ = "erasure_permit"

    assessment_id: Mapped[str] = mapped_column(String(36), primary_key=True)


# Registers the directory, action and escalation tables (issue 16) on the same Base.
from . import directory_models  # noqa: E402, F401


class SignInAttempt(Base):
    """Server databases (PostgreSQL): the lock-out state per folded name, for names that are
    not users too (screening_app.security.lockout). Locked with ``SELECT ... FOR UPDATE``."""

    __tablename__ = "sign_in_attempt"

    name_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[str | None] = mapped_column(String(32))
    last: Mapped[str | None] = mapped_column(String(32))


class ReferenceToken(Base):
    """The blind index of a sealed reference: a keyed HMAC (team key) of each prefix of its
    normalised form, so a team searches its references without them being stored plain."""

    __tablename__ = "reference_token"

    token: Mapped[str] = mapped_column(String(32), primary_key=True)
    assessment_id: Mapped[str] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), primary_key=True, index=True)


class TeamKey(Base):
    """A team's key (encrypted SQLite), sealed to one holder's public box key: each member
    of the team, every administrator, and the recovery key. ``kid`` names the key; the
    ``current`` one seals new text, older ones still open what they sealed (the audit
    trail's reasons). screening_app.security.teamkeys."""

    __tablename__ = "team_key"

    team: Mapped[str] = mapped_column(String(100), primary_key=True)
    kid: Mapped[str] = mapped_column(String(12), primary_key=True)
    holder: Mapped[str] = mapped_column(String(80), primary_key=True)  # user:<key> | recovery
    sealed: Mapped[str] = mapped_column(Text)  # JSON: ephemeral, nonce, ciphertext
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SealPermit(Base):
    """Present only inside a team rekey's transaction: lets the read-only guards of
    completed records allow their sealed text to be sealed again under the new key."""

    __tablename__ = "seal_permit"

    team: Mapped[str] = mapped_column(String(100), primary_key=True)
