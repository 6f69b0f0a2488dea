"""The audit trail as people use it, retention review and erasure.

* :func:`record_trail`: a record's entries, for a supervisor of its team or an
  administrator; reading it is itself audited (consultation of the trail).
* :func:`verify_trail`: the whole chain checked (administrators); the check is audited.
* :func:`retention_report`: records due for review under the retention rule: ids, teams
  and dates only, never clinical content, so an administrator need not read a record to
  decide on it.
* :func:`erase_record`: deletes a record and all its versions (administrators, with a
  reason), with the audit entry in the same transaction. The database's guards refuse to
  delete a completed record unless an erasure permit for it exists in that transaction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..store.errors import StoreError
from ..store.models import (
    AnswerEvent,
    Assessment,
    Decision,
    ErasurePermit,
    ExportRecord,
    FlagAcknowledgement,
)
from ..store.repository import result_digest
from ..store.sealing import Sealer, is_sealed, open_value
from .access import SignedIn, read_policy
from .audit import Action, Entry, Verdict, canonical_detail, verify_chain
from .errors import AccessDenied, SecurityError
from .keyfile import iso
from .roles import Permission
from .trail import iter_entries
from .users import _transaction


def _record_team(session: Session, record_id: str) -> tuple[bool, str | None]:
    row = session.execute(select(Assessment.team).where(Assessment.id == record_id)).first()
    return (row is not None, row.team if row else None)


def record_trail(signed: SignedIn, record_id: str) -> list[Entry]:
    principal = signed.principal
    with _transaction(signed) as session:
        exists, team = _record_team(session, record_id)
        if not exists and not principal.can(Permission.VERIFY_AUDIT):
            raise AccessDenied(f"no assessment with id {record_id!r} that you can see")
        if exists and not principal.may_see_record_audit(team):
            signed.audit.append(session, Action.ACCESS_DENIED, record_id=record_id,
                                detail={"wanted": "audit-trail"})
            # Another team's record is answered like one that does not exist (finding 20).
            denied = AccessDenied(
                f"{principal.name} ({principal.role}) may not see the audit trail of this "
                f"record: supervisors see their own team's, administrators any"
                if principal.sees_team(team) else
                f"no assessment with id {record_id!r} that you can see")
        else:
            denied = None
            signed.audit.append(session, Action.AUDIT_VIEW, record_id=record_id)
    if denied is not None:
        raise denied
    sealer = Sealer.for_scope(principal)
    with Session(signed.database.reader) as session:
        return [_opened(sealer, entry) for entry in iter_entries(session, record_id=record_id)]


def _opened(sealer: Sealer | None, entry: Entry) -> Entry:
    """An entry to show, its reason opened with the team's key (the chain sealed the
    ciphertext; verifying reads the entries as stored)."""
    if sealer is None or entry.record_id is None:
        return entry
    record, detail = entry.record_id, entry.detail_dict()
    try:
        reason = sealer.open("audit_event", "reason", record, entry.reason)
        opened = {k: json.loads(sealer.open("audit_event", "detail", f"{record}|{k}", v))
                  if is_sealed(v) else v for k, v in detail.items()}
    except StoreError:
        return dataclasses.replace(entry, reason="(sealed with a team key you do not hold)")
    if opened == detail and reason == entry.reason:
        return entry
    return dataclasses.replace(entry, reason=reason, detail=canonical_detail(opened))


def verify_trail(signed: SignedIn) -> Verdict:
    """The chain, and every completed record against the hash sealed when it was completed."""
    signed.principal.require(Permission.VERIFY_AUDIT)
    sealed = _SealedRecords(Sealer.for_scope(signed.principal))
    with Session(signed.database.reader) as session:
        verdict = verify_chain(sealed.watch(iter_entries(session)), signed.audit.key)
        if verdict.ok:
            problem = sealed.check(session)
            if problem is not None:
                verdict.ok, verdict.broken_seq, verdict.problem = False, problem[0], problem[1]
    if verdict.ok and signed.database.is_sqlite:
        changed = _schema_changed(signed)
        if changed is not None:
            verdict.ok, verdict.broken_seq = False, None
            verdict.problem = (f"the database's own guards were tampered with ({changed}); "
                               f"completed records and the trail may have been changed "
                               f"without the database refusing")
    with _transaction(signed) as session:
        signed.audit.append(session, Action.AUDIT_VERIFY, detail={
            "ok": verdict.ok, "checked": verdict.checked, "broken_at": verdict.broken_seq})
    return verdict


def _schema_changed(signed: SignedIn) -> str | None:
    """What differs from the shipped schema objects (a dropped guard trigger...), if any."""
    from ..store.backup import schema_difference
    from ..store.schema import current_revision

    with signed.database.reader.connect() as conn:
        revision, _tables = current_revision(conn)
        raw = conn.connection.dbapi_connection
        assert raw is not None  # an open connection
        return schema_difference(raw, revision)


class _SealedRecords:
    """Collects, while the chain is walked, the result hash each ``complete`` entry sealed,
    then checks the stored records against them: a completed record changed afterwards
    (``INSERT OR REPLACE``, or raw SQL with the guards dropped), removed without a
    ``delete`` entry, or completed without a ``complete`` entry."""

    def __init__(self, sealer: Sealer | None) -> None:
        self.sealer = sealer  # administrators hold every team's key
        self.digests: dict[str, tuple[int, str]] = {}
        self.completed: dict[str, int] = {}
        self.deleted: set[str] = set()
        self.first_at: str | None = None

    def watch(self, entries: Iterator[Entry]) -> Iterator[Entry]:
        for entry in entries:
            if self.first_at is None:
                self.first_at = entry.at
            if entry.record_id and entry.action == Action.COMPLETE:
                self.completed[entry.record_id] = entry.seq
                digest = entry.detail_dict().get("result_sha256")
                if isinstance(digest, str):
                    self.digests[entry.record_id] = (entry.seq, digest)
            elif entry.action == Action.DELETE:
                versions = entry.detail_dict().get("versions") or [entry.record_id]
                self.deleted.update(str(v) for v in versions)
            yield entry

    def check(self, session: Session) -> tuple[int, str] | None:
        rows = {row.id: row for row in session.execute(
            select(Assessment.id, Assessment.result, Assessment.created_at)
            .where(Assessment.status == "complete"))}
        for record_id, (seq, digest) in sorted(self.digests.items(), key=lambda i: i[1][0]):
            row = rows.get(record_id)
            if row is None:
                if record_id not in self.deleted:
                    return seq, (f"the completed record {record_id} is gone, with no "
                                 f"'delete' entry (removed outside the app)")
            elif self.sealer is not None and is_sealed(row.result) \
                    and not self.sealer.holds(row.result):
                return seq, (f"the completed record {record_id} is sealed with a team key "
                             f"you do not hold, so it could not be checked")
            elif row.result is None or self._digest(record_id, row.result) != digest:
                return seq, (f"the completed record {record_id} was changed after it was "
                             f"completed (its result no longer matches the sealed hash)")
        for record_id, row in sorted(rows.items()):
            made_before_auditing = self.first_at is not None and \
                iso(row.created_at) < self.first_at
            if record_id not in self.completed and not made_before_auditing:
                return 0, (f"the record {record_id} is marked complete but the trail never "
                           f"recorded its completion (changed outside the app)")
        return None

    def _digest(self, record_id: str, result: object) -> str | None:
        try:
            opened = open_value(self.sealer, "assessment", "result", record_id, result)
        except StoreError:
            return None  # changed, moved from another record, or under a key not held
        return result_digest(opened) if isinstance(opened, dict) else None


# -- retention ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class DueRecord:
    record_id: str  # the newest version
    versions: list[str]
    team: str | None
    setting: str
    first_assessed: dt.date
    last_activity: dt.date
    review_date: dt.date
    status: str


def _chains(session: Session) -> list[list[Assessment]]:
    rows = session.scalars(select(Assessment)).all()
    children = {row.parent_id: row for row in rows if row.parent_id}
    chains = []
    for row in rows:
        if row.parent_id is not None:
            continue
        chain = [row]
        while chain[-1].id in children:
            chain.append(children[chain[-1].id])
        chains.append(chain)
    return chains


def retention_report(signed: SignedIn, *, today: dt.date | None = None,
                     within_days: int = 0) -> list[DueRecord]:
    """Records whose review date is on or before ``today + within_days``, oldest first."""
    signed.principal.require(Permission.RETENTION)
    today = today or dt.date.today()
    horizon = today + dt.timedelta(days=within_days)
    due = []
    with _transaction(signed) as session:
        rule = read_policy(session).retention
        for chain in _chains(session):
            first, last = chain[0], chain[-1]
            dob = None
            if first.date_of_birth:
                try:
                    dob = dt.date.fromisoformat(first.date_of_birth)
                except ValueError:
                    dob = None
            assessed = first.created_at.date()
            activity = max(r.updated_at for r in chain).date()
            review = rule.review_date(assessed_on=assessed, age=first.age, date_of_birth=dob,
                                      last_activity=activity)
            if review <= horizon:
                due.append(DueRecord(record_id=last.id, versions=[r.id for r in chain],
                                     team=last.team, setting=last.setting,
                                     first_assessed=assessed, last_activity=activity,
                                     review_date=review, status=last.status))
        signed.audit.append(session, Action.RETENTION_REPORT, detail={
            "due": len(due), "within_days": within_days, "rule": rule.to_dict()})
    return sorted(due, key=lambda d: (d.review_date, d.record_id))


def erase_record(signed: SignedIn, record_id: str, reason: str) -> list[str]:
    """Delete the record ``record_id`` with all its versions; returns the ids deleted."""
    signed.principal.require(Permission.RETENTION)
    if not reason or not reason.strip():
        raise SecurityError("deleting a record needs a reason (--reason)")
    with _transaction(signed) as session:
        chain = next((c for c in _chains(session) if record_id in {r.id for r in c}), None)
        if chain is None:
            raise SecurityError(f"no assessment with id {record_id!r}")
        ids = [r.id for r in chain]
        teams = {r.team for r in chain}
        # Audit first, in the same transaction: if it cannot be written, nothing is deleted.
        signed.audit.append(session, Action.DELETE, record_id=record_id, reason=reason.strip(),
                            detail={"versions": ids, "teams": sorted(t or "" for t in teams)})
        for rid in ids:
            session.add(ErasurePermit(assessment_id=rid))
        session.flush()
        for table in (AnswerEvent, FlagAcknowledgement, Decision, ExportRecord):
            session.execute(delete(table).where(table.assessment_id.in_(ids)))
        for row in reversed(chain):  # newest first: each version points at the one before
            session.execute(delete(Assessment).where(Assessment.id == row.id))
            session.flush()
        session.execute(delete(ErasurePermit).where(ErasurePermit.assessment_id.in_(ids)))
    return ids
