"""The store's calls: the GUI and the command line both save and read through these.

Every write is one short transaction; a call returns only after its COMMIT has returned,
so whatever a caller reports as saved is on disk. Writes to a draft carry the draft's
``row_version`` as last seen by the caller: a stale version means someone else changed the
draft in the meantime, and the write is refused with a ConflictError instead of silently
overwriting their work.

Security (``screening_app.security``), when the database has been set up:

* ``scope`` is the signed-in user (a :class:`~.boundary.Scope`): lists and searches show
  only their team's assessments, and every per-record method passes one guard
  (:meth:`Store._guard`) that refuses another team's record with :class:`AccessDenied`
  (and audits the refusal);
* ``audit`` (an :class:`~.boundary.AuditSink`) adds an entry in the same transaction as
  every change, so a change whose audit entry cannot be written does not happen;
  :meth:`Store.view` commits the ``view`` entry before the record is read.

Both are None for a development database (and for code that owns its store, like tests).
Clinical rules (what may be acknowledged, decided or completed) live in the application
layer (``screening_app.app``); the store keeps records, teams and the audit trail.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import (
    CursorResult,
    Select,
    and_,
    false,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from .boundary import AuditSink, Scope
from .database import Database
from .errors import (
    READ_ONLY_ASSESSMENT,
    AccessDenied,
    ConflictError,
    NotFoundError,
    ReadOnlyAssessmentError,
    StoreError,
    translate,
)
from .models import (
    AnswerEvent,
    Assessment,
    Decision,
    ExportRecord,
    FlagAcknowledgement,
    ReferenceToken,
    normalise_reference,
    utcnow,
)
from .sealing import SESSION_KEY, Sealer, open_value, search_token
from .team_rows import record_exists, team_rows

DRAFT, COMPLETE, DISCARDED = "draft", "complete", "discarded"
# A sealed reference search matching this many records walks the newest rows instead.
_MANY_MATCHES = 1000


class _Refused(Exception):  # noqa: N818 - internal signal, turned into AccessDenied
    def __init__(self, assessment_id: str, wanted: str):
        super().__init__(assessment_id)
        self.assessment_id, self.wanted = assessment_id, wanted


@dataclass(frozen=True)
class StoredAnswer:
    module: str
    item: str
    value: Any
    answered_at: datetime
    by: str
    seq: int


@dataclass(frozen=True)
class AssessmentSummary:
    """One row of the home screen's lists."""

    id: str
    reference: str | None
    setting: str
    age: int
    status: str
    version: int
    created_by: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Acknowledgement:
    """Someone confirmed they have acted on (or are acting on) a flag."""

    flag_id: str
    at: str
    by: str
    note: str | None = None


@dataclass(frozen=True)
class DecisionEntry:
    """A practitioner's decision on a flag or recommendation (``target`` is
    ``flag:ID`` or ``recommendation:ID``); the last one per target is in force."""

    target: str
    decision: str
    text: str | None
    reason: str | None
    at: str
    by: str


@dataclass(frozen=True)
class ExportEntry:
    document_id: str
    kind: str
    variant: str | None
    at: str
    by: str


def not_found(assessment_id: str) -> str:
    return f"no assessment with id {assessment_id!r}"


def result_digest(result: dict) -> str:
    """SHA-256 of a stored result's canonical JSON: sealed in the audit trail on completion
    so a frozen copy changed afterwards is caught by ``audit verify``."""
    canonical = json.dumps(result, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass
class StoredAssessment:
    id: str
    reference: str | None
    setting: str
    age: int
    date_of_birth: str | None
    presenting_issue: str | None
    extra_modules: list[str]
    content_pins: dict
    status: str
    version: int
    parent_id: str | None
    amend_reason: str | None
    team: str | None
    created_at: datetime
    created_by: str
    updated_at: datetime
    completed_at: datetime | None
    completed_by: str | None
    current_item: str | None
    row_version: int
    result: dict | None
    answers: list[StoredAnswer] = field(default_factory=list)
    # Every answer event in order, cleared ones included (value None): the record's history.
    history: list[StoredAnswer] = field(default_factory=list)
    acknowledgements: list[Acknowledgement] = field(default_factory=list)
    decisions: list[DecisionEntry] = field(default_factory=list)
    exports: list[ExportEntry] = field(default_factory=list)

    def answer_triples(self) -> list[tuple[str, str, Any]]:
        """Current answers in the order first given, cleared ones left out."""
        return [(a.module, a.item, a.value) for a in self.answers]


# The columns of a list row: the lists never load answers, results or content pins.
_SUMMARY_COLUMNS = (Assessment.id, Assessment.reference, Assessment.setting, Assessment.age,
                    Assessment.status, Assessment.version, Assessment.created_by,
                    Assessment.created_at, Assessment.updated_at)


class Store:
    def __init__(self, database: Database, *, scope: Scope | None = None,
                 audit: AuditSink | None = None):
        self.database = database
        self._where = database.url
        self.scope = scope
        self.audit = audit
        # Encrypted SQLite: clinical text sealed with the team's key (store/sealing.py).
        self.sealer = Sealer.for_scope(scope)

    # -- security -------------------------------------------------------------------------------
    def _audit(self, session: Session, action: str, assessment_id: str | None = None, *,
               reason: str | None = None, **detail: Any) -> None:
        if self.audit is not None:
            if self.sealer is not None and assessment_id is not None and reason is not None:
                # Free text in the trail is the team's too; the chain covers the ciphertext.
                team = self.sealer.team_of(session.connection(), assessment_id)
                reason = self.sealer.seal(team, "audit_event", "reason", assessment_id,
                                          reason)
            self.audit.append(session, action, record_id=assessment_id, reason=reason,
                              detail={k: v for k, v in detail.items() if v is not None})

    def _summaries(self, session: Session, query: Select) -> list[AssessmentSummary]:
        return [AssessmentSummary(row[0], open_value(self.sealer, "assessment", "reference",
                                                     row[0], row[1]), *row[2:])
                for row in session.execute(query).all()]

    def _visible(self, team: str | None) -> bool:
        return self.scope is None or self.scope.sees_team(team)

    def _denied(self, refused: _Refused) -> AccessDenied:
        """Record a refusal (in its own transaction) and return the error to raise."""
        if self.audit is not None:
            try:
                with self._write() as session:
                    self._audit(session, "access-denied", refused.assessment_id,
                                wanted=refused.wanted)
            except StoreError:
                pass  # refusing does not depend on recording the refusal
        # Worded exactly like an unknown id: a probe cannot tell "another team's" from "none".
        return AccessDenied(not_found(refused.assessment_id))

    def _guard(self, session: Session, assessment_id: str, wanted: str, *,
               draft: bool = False) -> Assessment:
        """The one team check every per-record method passes: the assessment row, if the
        signed-in user's team may see it (and, with ``draft``, if it is still a draft)."""
        row = session.get(Assessment, assessment_id)
        if row is None:
            if self.scope is not None and self.database.is_postgresql \
                    and record_exists(session, assessment_id):
                raise _Refused(assessment_id, wanted)  # another team's, hidden by the policy
            raise NotFoundError(not_found(assessment_id))
        if not self._visible(row.team):
            raise _Refused(assessment_id, wanted)
        if self.sealer is not None:
            self.sealer.know(row.id, row.team)
        if draft and row.status != DRAFT:
            raise ReadOnlyAssessmentError(READ_ONLY_ASSESSMENT)
        return row

    @contextmanager
    def _guarded(self, write: bool = True) -> Iterator[Session]:
        """A transaction whose team refusals are audited once it has rolled back."""
        try:
            with (self._write() if write else self._read()) as session:
                yield session
        except _Refused as refused:
            raise self._denied(refused) from None

    def _scoped(self, query: Select, *, team_index: bool = True) -> Select:
        """Only the rows of the signed-in user's team (and, for administrators, rows made
        before set-up, which have no team). ``team_index=False`` keeps SQLite from
        walking the team's index when another index gives the order wanted."""
        if self.scope is None:
            return query
        team = Assessment.team if team_index else func.coalesce(Assessment.team, "")
        mine = team == self.scope.team if self.scope.team is not None else None
        teamless = Assessment.team.is_(None) if self._visible(None) else None
        conditions = [c for c in (mine, teamless) if c is not None]
        return query.where(or_(*conditions)) if conditions else query.where(false())

    def view(self, assessment_id: str, purpose: str | None = None) -> StoredAssessment:
        """Load an assessment to show it: the ``view`` entry is committed first (fail closed:
        if it cannot be written, nothing is read)."""
        if self.audit is not None:
            with self._guarded() as session:
                self._guard(session, assessment_id, "view")
                self._audit(session, "view", assessment_id, reason=purpose)
        return self.load(assessment_id)

    def _session_info(self) -> dict[str, Any]:
        info: dict[str, Any] = {SESSION_KEY: self.sealer} if self.sealer is not None else {}
        if self.scope is not None:  # PostgreSQL: row-level security names the team
            info.update(team_rows(self.scope.team, str(self.scope.role)))
        return info

    @contextmanager
    def _write(self) -> Iterator[Session]:
        """One transaction (SQLite: BEGIN IMMEDIATE); leaving the block commits it."""
        try:
            with Session(self.database.engine, expire_on_commit=False,
                         info=self._session_info()) as session, session.begin():
                yield session
        except StoreError:
            raise
        except (DBAPIError, OSError) as exc:
            raise translate(exc, self._where, self.database.path) from None

    @contextmanager
    def _read(self) -> Iterator[Session]:
        """A read (deferred BEGIN): never waits for, nor blocks, a writer."""
        try:
            with Session(self.database.reader, expire_on_commit=False,
                         info=self._session_info()) as session:
                yield session
        except StoreError:
            raise
        except (DBAPIError, OSError) as exc:
            raise translate(exc, self._where, self.database.path) from None

    # -- assessments ----------------------------------------------------------------------------
    def create_assessment(self, *, setting: str, age: int, by: str, content_pins: dict,
                          reference: str | None = None, presenting_issue: str | None = None,
                          date_of_birth: date | str | None = None,
                          extra_modules: list[str] | tuple[str, ...] = (),
                          team: str | None = None) -> StoredAssessment:
        if self.scope is not None:
            team = self.scope.team  # always the signed-in user's own team
        now = utcnow()
        row = Assessment(
            id=str(uuid.uuid4()), reference=reference or None, setting=setting, age=age,
            date_of_birth=str(date_of_birth) if date_of_birth else None,
            presenting_issue=presenting_issue or None, extra_modules=list(extra_modules),
            content_pins=content_pins, status=DRAFT, version=1, team=team,
            created_at=now, created_by=by, updated_at=now, updated_by=by, row_version=1,
        )
        with self._guarded() as session:
            session.add(row)
            session.flush()
            self._audit(session, "create", row.id, setting=setting)
        return self.load(row.id)

    def load(self, assessment_id: str) -> StoredAssessment:
        with self._guarded(write=False) as session:
            row = self._guard(session, assessment_id, "load")
            events = session.scalars(select(AnswerEvent).where(
                AnswerEvent.assessment_id == assessment_id).order_by(AnswerEvent.seq)).all()
            acks = session.scalars(select(FlagAcknowledgement).where(
                FlagAcknowledgement.assessment_id == assessment_id)
                .order_by(FlagAcknowledgement.id)).all()
            decisions = session.scalars(select(Decision).where(
                Decision.assessment_id == assessment_id).order_by(Decision.id)).all()
            exports = session.scalars(select(ExportRecord).where(
                ExportRecord.assessment_id == assessment_id).order_by(ExportRecord.id)).all()
            return StoredAssessment(
                id=row.id, reference=row.reference, setting=row.setting, age=row.age,
                date_of_birth=row.date_of_birth, presenting_issue=row.presenting_issue,
                extra_modules=list(row.extra_modules or []), content_pins=dict(row.content_pins),
                status=row.status, version=row.version, parent_id=row.parent_id,
                amend_reason=row.amend_reason, team=row.team, created_at=row.created_at,
                created_by=row.created_by, updated_at=row.updated_at,
                completed_at=row.completed_at, completed_by=row.completed_by,
                current_item=row.current_item, row_version=row.row_version, result=row.result,
                answers=_latest_answers(events),
                history=[StoredAnswer(module=e.module, item=e.item,
                                      value=None if e.value is None else json.loads(e.value),
                                      answered_at=e.answered_at, by=e.answered_by, seq=e.seq)
                         for e in events],
                acknowledgements=[Acknowledgement(flag_id=a.flag_id,
                                                  at=a.acknowledged_at.isoformat(),
                                                  by=a.acknowledged_by, note=a.note)
                                  for a in acks],
                decisions=[DecisionEntry(target=d.target, decision=d.decision, text=d.text,
                                         reason=d.reason, at=d.decided_at.isoformat(),
                                         by=d.decided_by) for d in decisions],
                exports=[ExportEntry(document_id=e.document_id, kind=e.kind, variant=e.variant,
                                     at=e.exported_at.isoformat(), by=e.exported_by)
                         for e in exports],
            )

    def _claim(self, session: Session, assessment_id: str, expected_version: int,
               by: str | None, **changes: Any) -> int:
        """Bump the draft's row_version if it is still the one the caller saw.

        The UPDATE both checks and takes the row (PostgreSQL locks it; SQLite already holds
        the write lock), so of two people saving over the same version exactly one wins.
        """
        guarded = self._guard(session, assessment_id, "change")
        if self.sealer is not None and changes.get("result") is not None:
            # A Core UPDATE: the flush events do not see it, so it is sealed here.
            changes["result"] = self.sealer.seal(guarded.team, "assessment", "result",
                                                 assessment_id, changes["result"])
        if by is not None:
            changes["updated_by"] = by
        result: CursorResult[Any] = session.execute(  # type: ignore[assignment]
            update(Assessment)
            .where(Assessment.id == assessment_id, Assessment.row_version == expected_version,
                   Assessment.status == DRAFT)
            .values(row_version=Assessment.row_version + 1, updated_at=utcnow(), **changes)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:
            return expected_version + 1
        row = self._guard(session, assessment_id, "change")
        if row.status != DRAFT:
            raise ReadOnlyAssessmentError(READ_ONLY_ASSESSMENT)
        who = f" ({row.updated_by})" if row.updated_by else ""
        raise ConflictError(
            f"someone else{who} changed this draft at {row.updated_at:%H:%M:%S} UTC, after you "
            f"opened it; your change was not saved. Reopen the draft to see their answers")

    def record_answer(self, assessment_id: str, module: str, item: str, value: Any, *, by: str,
                      expected_version: int) -> int:
        """Save one answer (None clears it) in its own transaction; returns the new version."""
        encoded = None if value is None else json.dumps(value, ensure_ascii=False)
        with self._guarded() as session:
            version = self._claim(session, assessment_id, expected_version, by,
                                  current_item=f"{module}.{item}")
            seq = (session.scalar(select(func.coalesce(func.max(AnswerEvent.seq), 0)).where(
                AnswerEvent.assessment_id == assessment_id)) or 0) + 1
            session.add(AnswerEvent(assessment_id=assessment_id, seq=seq, module=module,
                                    item=item, value=encoded, answered_at=utcnow(),
                                    answered_by=by))
            self._audit(session, "answer" if value is not None else "clear", assessment_id,
                        module=module, item=item, seq=seq)
        return version

    def set_position(self, assessment_id: str, current_item: str, *,
                     expected_version: int, by: str | None = None) -> int:
        with self._guarded() as session:
            return self._claim(session, assessment_id, expected_version, by,
                               current_item=current_item)

    def set_extra_modules(self, assessment_id: str, modules: list[str], *, by: str,
                          expected_version: int) -> int:
        """The modules a practitioner brought in beyond the pathway's own choice."""
        with self._guarded() as session:
            version = self._claim(session, assessment_id, expected_version, by,
                                  extra_modules=list(modules))
            self._audit(session, "add-module", assessment_id, modules=list(modules))
        return version

    def acknowledge_flag(self, assessment_id: str, flag_id: str, *, by: str,
                         note: str | None = None) -> None:
        with self._guarded() as session:
            self._guard(session, assessment_id, "acknowledge", draft=True)
            session.add(FlagAcknowledgement(assessment_id=assessment_id, flag_id=flag_id,
                                            acknowledged_at=utcnow(), acknowledged_by=by,
                                            note=note))
            self._audit(session, "acknowledge", assessment_id, flag=flag_id)

    def record_decision(self, assessment_id: str, target: str, decision: str, *, by: str,
                        text: str | None = None, reason: str | None = None) -> None:
        """Which decisions exist and which need a reason is the application layer's rule
        (``screening_app.app``); the store keeps what it is given, for the right team."""
        with self._guarded() as session:
            self._guard(session, assessment_id, "decide", draft=True)
            session.add(Decision(assessment_id=assessment_id, target=target, decision=decision,
                                 text=text, reason=reason, decided_at=utcnow(), decided_by=by))
            self._audit(session, "decide", assessment_id, reason=reason, target=target,
                        decision=decision)

    def complete(self, assessment_id: str, result: dict, *, by: str,
                 expected_version: int) -> int:
        with self._guarded() as session:
            version = self._claim(session, assessment_id, expected_version, by,
                                  status=COMPLETE, completed_at=utcnow(), completed_by=by,
                                  result=result)
            self._audit(session, "complete", assessment_id, result_sha256=result_digest(result))
        return version

    def discard(self, assessment_id: str, *, reason: str, by: str,
                expected_version: int) -> int:
        """Set aside a draft started by mistake (wrong child, test entry). Nothing is
        deleted: the draft leaves the lists, and the reason is in the audit trail."""
        with self._guarded() as session:
            version = self._claim(session, assessment_id, expected_version, by,
                                  status=DISCARDED)
            self._audit(session, "discard", assessment_id, reason=reason)
        return version

    def amend(self, assessment_id: str, *, reason: str, by: str) -> StoredAssessment:
        """A new draft version of a completed assessment, carrying its answers forward."""
        if not reason.strip():
            raise StoreError("an amendment needs a reason")
        original = self.load(assessment_id)
        if original.status != COMPLETE:
            raise StoreError("only a completed assessment can be amended; edit the draft instead")
        now = utcnow()
        new_id = str(uuid.uuid4())
        with self._guarded() as session:
            newer = session.scalars(select(Assessment).where(
                Assessment.parent_id == assessment_id)).first()
            if newer is not None:
                raise ConflictError(
                    f"this assessment was already amended by {newer.created_by} (version "
                    f"{newer.version}, {newer.status}); open that version instead")
            # Someone amending at this very moment is stopped by ux_assessment_parent_id,
            # which translate() reports as a ConflictError.
            session.add(Assessment(
                id=new_id, reference=original.reference, setting=original.setting,
                age=original.age, date_of_birth=original.date_of_birth,
                presenting_issue=original.presenting_issue,
                extra_modules=original.extra_modules, content_pins=original.content_pins,
                status=DRAFT, version=original.version + 1, parent_id=original.id,
                amend_reason=reason, team=original.team, created_at=now, created_by=by,
                updated_at=now, updated_by=by, current_item=original.current_item,
                row_version=1))
            session.flush()
            for seq, a in enumerate(original.answers, start=1):
                session.add(AnswerEvent(assessment_id=new_id, seq=seq, module=a.module,
                                        item=a.item, value=json.dumps(a.value, ensure_ascii=False),
                                        answered_at=a.answered_at, answered_by=a.by))
            self._audit(session, "amend", new_id, reason=reason, amends=assessment_id,
                        version=original.version + 1)
        return self.load(new_id)

    def record_export(self, assessment_id: str, *, kind: str, variant: str | None,
                      by: str, destination: str | None = None, action: str = "export",
                      sharing: dict[str, Any] | None = None) -> str:
        """Record a disclosure (``export``, ``print`` or ``share``) before the document is
        made; returns the document id printed on it. ``sharing`` (recipient, purpose, lawful
        basis, what was left out, overrides with their reasons) goes into the audit entry."""
        document_id = str(uuid.uuid4())
        with self._guarded() as session:
            row = self._guard(session, assessment_id, action)
            told = {"destination": destination, **(sharing or {})}
            if self.sealer is not None:  # who it went to and why: the team's, like the rest
                told = {k: self.sealer.seal(row.team, "audit_event", "detail",
                                            f"{assessment_id}|{k}", json.dumps(v))
                        for k, v in told.items() if v is not None}
            self._audit(session, action, assessment_id, kind=kind, variant=variant,
                        document_id=document_id, **told)
            session.add(ExportRecord(assessment_id=assessment_id, document_id=document_id,
                                     kind=kind, variant=variant, exported_at=utcnow(),
                                     exported_by=by))
        return document_id

    # -- lists ----------------------------------------------------------------------------------
    def list_drafts(self, limit: int = 50) -> list[AssessmentSummary]:
        """The newest drafts first (ix_assessment_status_updated gives them in order)."""
        with self._read() as session:
            return self._summaries(session, self._scoped(select(*_SUMMARY_COLUMNS))
                              .where(Assessment.status == DRAFT)
                              .order_by(Assessment.updated_at.desc()).limit(limit))

    def _sealed_reference(self, token: str | None, pattern: str, wanted_id: str) -> Select:
        """Sealed references: found by the blind index (the team's keyed HMAC of the
        prefix); plain ones only on rows without a team. Few matches: joined, so SQLite
        looks them up by id. Many (a short prefix): the newest rows are walked in order
        until enough match, rather than sorting thousands."""
        by_token = select(ReferenceToken.assessment_id).where(ReferenceToken.token == token)
        with self._read() as session:
            many = (session.scalar(select(func.count()).select_from(
                by_token.limit(_MANY_MATCHES).subquery())) or 0) >= _MANY_MATCHES
        plain = (Assessment.team.is_(None),
                 Assessment.reference_key.like(pattern, escape="\\"))
        if many:
            return self._scoped(select(Assessment.id), team_index=False).where(or_(
                by_token.where(ReferenceToken.assessment_id == Assessment.id).exists(),
                Assessment.id == wanted_id, and_(*plain)))
        matched = by_token.union(select(literal(wanted_id)),
                                 select(Assessment.id).where(*plain)).subquery()
        return self._scoped(select(Assessment.id)).join(matched,
                                                        matched.c[0] == Assessment.id)

    def search(self, *, reference: str | None = None, setting: str | None = None,
               on_or_after: date | None = None, before: date | None = None,
               status: str | None = None, limit: int = 100) -> list[AssessmentSummary]:
        """Newest first. ``reference`` is a prefix of the local reference (any case and
        spacing) or a whole assessment id."""
        query = self._scoped(select(Assessment.id))
        key = normalise_reference(reference)
        if key and reference is not None:
            # A prefix LIKE on the normalised key: served by ix_assessment_reference_key
            # (NOCASE on SQLite, text_pattern_ops on PostgreSQL).
            pattern = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            own_key = self.scope.team_key(self.scope.team) \
                if self.sealer is not None and self.scope is not None else None
            if own_key is None:
                query = query.where(or_(Assessment.reference_key.like(pattern, escape="\\"),
                                        Assessment.id == reference.strip()))
            else:
                query = self._sealed_reference(search_token(own_key, key), pattern,
                                               reference.strip())
        if setting:
            query = query.where(Assessment.setting == setting)
        if status:
            query = query.where(Assessment.status == status)
        else:
            query = query.where(Assessment.status != DISCARDED)
        if on_or_after:
            query = query.where(Assessment.created_at >= datetime.combine(on_or_after, time(),
                                                                          UTC))
        if before:
            query = query.where(Assessment.created_at < datetime.combine(before, time(), UTC))
        # Pick the ids first (from the index alone for a reference search), then read
        # only those rows.
        chosen = query.order_by(Assessment.updated_at.desc()).limit(limit).scalar_subquery()
        with self._read() as session:
            return self._summaries(session, select(*_SUMMARY_COLUMNS)
                              .where(Assessment.id.in_(chosen))
                              .order_by(Assessment.updated_at.desc()))


def _latest_answers(events: Sequence[AnswerEvent]) -> list[StoredAnswer]:
    """The latest event per item, in the order items were first answered; cleared ones dropped."""
    latest: dict[tuple[str, str], StoredAnswer] = {}
    for e in events:
        key = (e.module, e.item)
        if e.value is None:
            latest.pop(key, None)
        else:
            latest[key] = StoredAnswer(module=e.module, item=e.item, value=json.loads(e.value),
                                       answered_at=e.answered_at, by=e.answered_by, seq=e.seq)
    return list(latest.values())
