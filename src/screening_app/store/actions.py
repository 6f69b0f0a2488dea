"""Actions that follow an assessment, support while waiting, and oversight.

* Any flag or recommendation of a completed assessment becomes an action with an owner, a
  due date and a status (``source`` "flag:ID" / "recommendation:ID"; "manual" for others).
  A referral names the service it goes to and, once closed, its outcome.
* A check-in ("support while waiting": a scheduled call or meeting) may repeat: when one
  is done, the next is made, ``repeat_days`` later.
* Did-not-attend closes an action and raises its follow-up (a new action, due the next day
  unless told otherwise), so a missed appointment is never just a closed line.
* The oversight list is for supervisors: assessments with act-now or refer flags whose
  actions are not all done (or none recorded), oldest first; escalations record who an
  assessment went to, why, when and with what outcome.

Every change is audited with the assessment id (identifiers and statuses, no clinical
text); team scope applies as in :class:`~screening_app.store.repository.Store`.
"""

from __future__ import annotations

import builtins
import datetime as dt
from dataclasses import asdict, dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..services.oruk import has_control_characters
from .directory_models import CareAction, Escalation, Service
from .errors import AccessDenied, NotFoundError, StoreError
from .models import Assessment, utcnow
from .repository import Store
from .sealing import open_value

KINDS = ("action", "referral", "check-in", "follow-up")
STATUSES = ("open", "in-progress", "done", "did-not-attend", "cancelled")
OPEN = frozenset({"open", "in-progress"})
WATCHED_LEVELS = frozenset({"act-now", "refer"})
FOLLOW_UP_AFTER = dt.timedelta(days=1)


def today_utc() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


@dataclass(frozen=True)
class ActionView:
    id: int
    assessment_id: str
    source: str
    level: str | None
    kind: str
    title: str
    owner: str
    due_on: dt.date
    status: str
    service_id: str | None
    service_name: str | None
    outcome: str | None
    repeat_days: int | None
    follows_id: int | None
    created_at: dt.datetime
    created_by: str
    updated_at: dt.datetime
    updated_by: str
    closed_at: dt.datetime | None

    def is_open(self) -> bool:
        return self.status in OPEN

    def overdue(self, today: dt.date | None = None) -> bool:
        return self.is_open() and self.due_on < (today or today_utc())

    def to_dict(self, today: dt.date | None = None) -> dict:
        data = asdict(self)
        for key in ("due_on", "created_at", "updated_at", "closed_at"):
            data[key] = data[key].isoformat() if data[key] is not None else None
        data["overdue"] = self.overdue(today)
        return data


@dataclass(frozen=True)
class EscalationView:
    id: int
    assessment_id: str
    to_role: str
    reason: str
    raised_at: dt.datetime
    raised_by: str
    outcome: str | None
    outcome_at: dt.datetime | None
    outcome_by: str | None

    def to_dict(self) -> dict:
        data = asdict(self)
        for key in ("raised_at", "outcome_at"):
            data[key] = data[key].isoformat() if data[key] is not None else None
        return data


@dataclass(frozen=True)
class OversightRow:
    """One assessment a supervisor should look at, and why."""

    assessment_id: str
    reference: str | None
    setting: str
    completed_at: dt.datetime | None
    flags: tuple[tuple[str, str], ...]  # (flag id, level), act-now and refer only
    open_actions: int
    overdue_actions: int
    oldest_due: dt.date | None
    escalations: int
    why: str

    def to_dict(self) -> dict:
        return {"assessment_id": self.assessment_id, "reference": self.reference,
                "setting": self.setting,
                "completed_at": self.completed_at.isoformat() if self.completed_at else None,
                "flags": [{"id": f, "level": lvl} for f, lvl in self.flags],
                "open_actions": self.open_actions, "overdue_actions": self.overdue_actions,
                "oldest_due": self.oldest_due.isoformat() if self.oldest_due else None,
                "escalations": self.escalations, "why": self.why}


def _view(row: CareAction) -> ActionView:
    return ActionView(**{f: getattr(row, f) for f in ActionView.__dataclass_fields__})


def _escalation(row: Escalation) -> EscalationView:
    return EscalationView(**{f: getattr(row, f) for f in EscalationView.__dataclass_fields__})


def _text(value: str | None, needs: str, what: str, *, required: bool = True) -> str | None:
    """``needs``: the sentence when it is missing; ``what``: the field, for other errors."""
    if value and has_control_characters(value):
        raise StoreError(f"{what} cannot hold control or text-direction characters")
    cleaned = " ".join(value.split()) if value else ""
    if required and not cleaned:
        raise StoreError(needs)
    return cleaned or None


def _required(value: str | None, needs: str, what: str) -> str:
    """Like :func:`_text` for a field that must be there: never None."""
    cleaned = _text(value, needs, what)
    assert cleaned is not None  # _text raised when it was missing
    return cleaned


def _source_of(result: dict | None, source: str) -> tuple[str | None, str | None]:
    """(title, level) of a flag or recommendation in a stored result."""
    kind, _, ident = source.partition(":")
    if kind not in ("flag", "recommendation") or not ident:
        raise StoreError(f"unknown action source {source!r} (flag:ID, recommendation:ID or "
                         f"manual)")
    items = (result or {}).get("flags" if kind == "flag" else "recommendations") or []
    found = next((i for i in items if i.get("id") == ident), None)
    if found is None:
        raise StoreError(f"this assessment has no {kind} {ident!r}; see 'screening-app show'")
    if kind == "flag":
        return found.get("action") or found.get("title"), found.get("level")
    return found.get("text"), None


class Actions:
    def __init__(self, store: Store):
        self.store = store

    # -- actions ----------------------------------------------------------------------------
    def add(self, assessment_id: str, *, source: str, owner: str, due_on: dt.date, by: str,
            title: str | None = None, kind: str | None = None,
            service_id: str | None = None, service_name: str | None = None,
            repeat_days: int | None = None, result: dict | None = None) -> ActionView:
        """``source`` is looked up in the completed assessment's stored result; for a draft
        the caller passes its live ``result`` (the result format)."""
        owner = _required(owner, "an action needs an owner", "the owner")
        kind = kind or ("referral" if service_id or service_name else "action")
        if kind not in KINDS:
            raise StoreError(f"unknown action kind {kind!r} ({', '.join(KINDS)})")
        if repeat_days is not None and not 1 <= repeat_days <= 365:
            raise StoreError("a check-in repeats every 1 to 365 days")
        if repeat_days is not None and kind != "check-in":
            raise StoreError("only a check-in repeats")
        with self.store._guarded() as session:
            row = self.store._guard(session, assessment_id, "action-add")
            level = None
            if source != "manual":
                found_title, level = _source_of(row.result or result, source)
                title = title or found_title
            title = _text(title, "an action needs a title (what is to be done)", "the title")
            if service_id is not None:
                service = session.get(Service, service_id)
                if service is None:
                    raise NotFoundError(f"no service with id {service_id!r} in the directory")
                service_name = service.name
            if kind == "referral" and not service_name:
                raise StoreError("a referral needs the service it goes to")
            action = self._insert(session, assessment_id=assessment_id, source=source,
                                  level=level, kind=kind, title=title, owner=owner,
                                  due_on=due_on, service_id=service_id,
                                  service_name=service_name, repeat_days=repeat_days,
                                  follows_id=None, by=by)
        return action

    def _insert(self, session: Session, *, by: str, **fields) -> ActionView:
        now = utcnow()
        row = CareAction(**fields, status="open", created_at=now, created_by=by,
                         updated_at=now, updated_by=by)
        session.add(row)
        session.flush()
        self.store._audit(session, "action-add", row.assessment_id, action_id=row.id,
                          kind=row.kind, source=row.source, follows=row.follows_id)
        return _view(row)

    def update(self, action_id: int, *, by: str, status: str | None = None,
               outcome: str | None = None, owner: str | None = None,
               due_on: dt.date | None = None, follow_up_due: dt.date | None = None,
               today: dt.date | None = None) -> list[ActionView]:
        """Change an action; returns it and any action the change raised (the next
        check-in, or a did-not-attend follow-up)."""
        if status is not None and status not in STATUSES:
            raise StoreError(f"unknown status {status!r} ({', '.join(STATUSES)})")
        today = today or today_utc()
        with self.store._guarded() as session:
            row = session.get(CareAction, action_id)
            if row is None:
                raise NotFoundError(f"no action with id {action_id}")
            self.store._guard(session, row.assessment_id, "action-update")
            closing = status is not None and status not in OPEN and row.status in OPEN
            if row.status not in OPEN and (status is not None or owner or due_on):
                raise StoreError(f"action {action_id} is {row.status}; only its outcome can "
                                 f"still be recorded. Add a new action instead")
            if closing and status == "cancelled" and not (outcome or row.outcome):
                raise StoreError("cancelling an action needs the reason, given as its outcome")
            if closing and status == "done" and row.kind == "referral" \
                    and not (outcome or row.outcome):
                raise StoreError("a referral is done when its outcome is known (accepted, "
                                 "declined, seen ...): record the outcome")
            changed = []
            if owner is not None:
                row.owner = _required(owner, "an action needs an owner", "the owner")
                changed.append("owner")
            if due_on is not None:
                row.due_on = due_on
                changed.append("due_on")
            if outcome is not None:
                row.outcome = _text(outcome, "an outcome cannot be empty", "the outcome")
                changed.append("outcome")
            if status is not None and status != row.status:
                row.status = status
                changed.append("status")
                if closing:
                    row.closed_at = utcnow()
            if not changed:
                raise StoreError("nothing to change: give a status, an outcome, an owner or "
                                 "a due date")
            row.updated_at, row.updated_by = utcnow(), by
            session.flush()
            self.store._audit(session, "action-update", row.assessment_id, action_id=row.id,
                              status=row.status, changed=",".join(changed))
            raised = [_view(row)]
            if closing and status == "did-not-attend":
                raised.append(self._insert(
                    session, assessment_id=row.assessment_id, source=row.source,
                    level=row.level, kind="follow-up",
                    title=f"Did not attend: follow up. {row.title}", owner=row.owner,
                    due_on=follow_up_due or today + FOLLOW_UP_AFTER,
                    service_id=row.service_id, service_name=row.service_name,
                    repeat_days=None, follows_id=row.id, by=by))
            elif closing and status == "done" and row.kind == "check-in" and row.repeat_days:
                raised.append(self._insert(
                    session, assessment_id=row.assessment_id, source=row.source,
                    level=row.level, kind="check-in", title=row.title, owner=row.owner,
                    due_on=max(today, row.due_on) + dt.timedelta(days=row.repeat_days),
                    service_id=row.service_id, service_name=row.service_name,
                    repeat_days=row.repeat_days, follows_id=row.id, by=by))
        return raised

    def list(self, *, assessment_id: str | None = None, overdue: bool = False,
             include_closed: bool = False, today: dt.date | None = None) -> list[ActionView]:
        """Actions in the user's team, soonest due first."""
        today = today or today_utc()
        if assessment_id is not None:
            with self.store._guarded(write=False) as session:
                self.store._guard(session, assessment_id, "action-list")
        query = self.store._scoped(select(CareAction).join(
            Assessment, Assessment.id == CareAction.assessment_id))
        if assessment_id is not None:
            query = query.where(CareAction.assessment_id == assessment_id)
        if overdue:
            query = query.where(CareAction.status.in_(OPEN), CareAction.due_on < today)
        elif not include_closed:
            query = query.where(CareAction.status.in_(OPEN))
        with self.store._read() as session:
            rows = session.scalars(query.order_by(CareAction.due_on, CareAction.id)).all()
            return [_view(r) for r in rows]

    # -- escalation -------------------------------------------------------------------------
    def escalate(self, assessment_id: str, *, to_role: str, reason: str,
                 by: str) -> EscalationView:
        to_role = _required(to_role, "an escalation needs who it goes to", "who it goes to")
        reason = _required(reason, "an escalation needs the reason for escalating", "the reason")
        with self.store._guarded() as session:
            self.store._guard(session, assessment_id, "escalate")
            row = Escalation(assessment_id=assessment_id, to_role=to_role, reason=reason,
                             raised_at=utcnow(), raised_by=by)
            session.add(row)
            session.flush()
            self.store._audit(session, "escalate", assessment_id, escalation=row.id,
                              to=to_role)
            return _escalation(row)

    def record_outcome(self, escalation_id: int, *, outcome: str, by: str) -> EscalationView:
        outcome = _required(outcome, "an escalation's outcome cannot be empty", "the outcome")
        with self.store._guarded() as session:
            row = session.get(Escalation, escalation_id)
            if row is None:
                raise NotFoundError(f"no escalation with id {escalation_id}")
            self.store._guard(session, row.assessment_id, "escalation-outcome")
            if row.outcome is not None:
                raise StoreError(f"escalation {escalation_id} already has its outcome "
                                 f"({row.outcome_at:%Y-%m-%d %H:%M} UTC by {row.outcome_by})")
            row.outcome, row.outcome_at, row.outcome_by = outcome, utcnow(), by
            session.flush()
            self.store._audit(session, "escalation-outcome", row.assessment_id,
                              escalation=row.id)
            return _escalation(row)

    def escalations(self, assessment_id: str) -> builtins.list[EscalationView]:
        with self.store._guarded(write=False) as session:
            self.store._guard(session, assessment_id, "escalation-list")
            rows = session.scalars(select(Escalation).where(
                Escalation.assessment_id == assessment_id).order_by(Escalation.id)).all()
            return [_escalation(r) for r in rows]

    # -- oversight --------------------------------------------------------------------------
    def oversight(self, *, today: dt.date | None = None) -> builtins.list[OversightRow]:
        """Assessments with act-now or refer flags whose actions are not all done, oldest
        first. Supervisors and administrators (any role on a development database)."""
        scope = self.store.scope
        if scope is not None and str(scope.role) not in ("supervisor", "administrator"):
            raise AccessDenied(f"{scope.name} ({scope.role}) may not see the oversight list "
                               f"(supervisors and administrators)")
        today = today or today_utc()
        query = self.store._scoped(select(
            Assessment.id, Assessment.reference, Assessment.setting, Assessment.completed_at,
            Assessment.result).where(Assessment.status == "complete",
                                     Assessment.result.is_not(None)))
        with self.store._read() as session:
            candidates = []
            sealer = self.store.sealer
            for aid, reference, setting, completed_at, result in session.execute(query):
                reference = open_value(sealer, "assessment", "reference", aid, reference)
                result = open_value(sealer, "assessment", "result", aid, result)
                flags = tuple((f.get("id"), f.get("level")) for f in result.get("flags") or []
                              if f.get("level") in WATCHED_LEVELS)
                if flags:
                    candidates.append((aid, reference, setting, completed_at, flags))
            # A draft has no stored result yet: its open act-now and refer actions bring it in.
            listed = {c[0] for c in candidates}
            drafts: dict[str, tuple] = {}
            for action, reference, setting in session.execute(self.store._scoped(select(
                    CareAction, Assessment.reference, Assessment.setting).join(
                    Assessment, Assessment.id == CareAction.assessment_id).where(
                    CareAction.status.in_(OPEN), CareAction.level.in_(WATCHED_LEVELS)))):
                if action.assessment_id in listed:
                    continue
                reference = open_value(sealer, "assessment", "reference",
                                       action.assessment_id, reference)
                aid, flag = action.assessment_id, (action.source.partition(":")[2] or
                                                   action.source, action.level)
                known = drafts.get(aid)
                flags = known[4] if known else ()
                drafts[aid] = (aid, reference, setting, None,
                               flags if flag in flags else (*flags, flag))
            candidates.extend(drafts.values())
            ids = [c[0] for c in candidates]
            actions: dict[str, list[CareAction]] = {}
            escalations: dict[str, int] = {}
            for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
                for a in session.scalars(select(CareAction).where(
                        CareAction.assessment_id.in_(chunk))):
                    actions.setdefault(a.assessment_id, []).append(a)
                for e in session.scalars(select(Escalation).where(
                        Escalation.assessment_id.in_(chunk))):
                    escalations[e.assessment_id] = escalations.get(e.assessment_id, 0) + 1
        rows = []
        for aid, reference, setting, completed_at, flags in candidates:
            mine = actions.get(aid, [])
            open_ = [a for a in mine if a.status in OPEN]
            if mine and not open_:
                continue  # every action done (or closed with its follow-up done)
            overdue = [a for a in open_ if a.due_on < today]
            if not mine:
                why = "no action recorded"
            else:
                why = f"{len(open_)} action(s) not done"
                if overdue:
                    why += f", {len(overdue)} overdue"
            rows.append(OversightRow(
                assessment_id=aid, reference=reference, setting=setting,
                completed_at=completed_at, flags=flags, open_actions=len(open_),
                overdue_actions=len(overdue),
                oldest_due=min((a.due_on for a in open_), default=None),
                escalations=escalations.get(aid, 0), why=why))
        far = dt.datetime.max.replace(tzinfo=dt.UTC)
        rows.sort(key=lambda r: (r.completed_at or far, r.assessment_id))
        return rows
