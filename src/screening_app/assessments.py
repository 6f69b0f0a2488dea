"""The calls both front doors use: start, answer, resume and complete an assessment.

The GUI and the command line never talk to the engine and the store separately; they go
through :class:`OpenAssessment`, which checks each answer with the engine, commits it to
the store, and only then applies it, so "saved" always means committed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .content import Catalog, load_valid_catalog
from .engine import AssessmentSession, Changes
from .paths import shipped_content_dir
from .store import Store, StoredAssessment
from .store.repository import COMPLETE


@dataclass
class AppContext:
    """What every operation needs, passed in rather than kept in module globals."""

    catalog: Catalog
    store: Store
    user: str
    team: str | None = None
    # The signed-in session (security.frontdoor.Opened) when the database has been set up;
    # None for a development database. The store itself enforces the team and the audit.
    security: Any = None
    # The signed-in user's password check (child mode, re-authentication); see verify_staff.
    staff_password_check: Callable[[str], bool] | None = None

    @property
    def verify_staff(self) -> Callable[[str], bool] | None:
        """What child mode asks for to hand the screen back: the staff password, when
        someone is signed in (None: child mode falls back to a hand-over code)."""
        return self.staff_password_check


def load_content(extra_dirs: list[Path] | None = None) -> Catalog:
    return load_valid_catalog([shipped_content_dir(), *(extra_dirs or [])])


def age_on(date_of_birth: dt.date, today: dt.date | None = None) -> int:
    today = today or dt.date.today()
    years = today.year - date_of_birth.year
    if (today.month, today.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


@dataclass
class OpenAssessment:
    ctx: AppContext
    record: StoredAssessment
    session: AssessmentSession
    row_version: int
    content_changed: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def read_only(self) -> bool:
        return self.record.status == COMPLETE

    def answer(self, module: str, item: str, value: Any) -> Changes:
        """Check, commit, then apply one answer. Raises AnswerError or StoreError."""
        stored = self.session.check(module, item, value)
        self.row_version = self.ctx.store.record_answer(
            self.id, module, item, stored, by=self.ctx.user, expected_version=self.row_version)
        return self.session.answer(module, item, stored)

    def clear(self, module: str, item: str) -> Changes:
        self.row_version = self.ctx.store.record_answer(
            self.id, module, item, None, by=self.ctx.user, expected_version=self.row_version)
        return self.session.clear(module, item)

    def move_to(self, module: str, item: str) -> None:
        """Remember where the practitioner is, so reopening resumes at the same item."""
        self.row_version = self.ctx.store.set_position(
            self.id, f"{module}.{item}", expected_version=self.row_version)

    def acknowledge(self, flag_id: str, note: str | None = None) -> None:
        self.ctx.store.acknowledge_flag(self.id, flag_id, by=self.ctx.user, note=note)
        self.refresh()

    def decide(self, target: str, decision: str, *, text: str | None = None,
               reason: str | None = None) -> None:
        self.ctx.store.record_decision(self.id, target, decision, by=self.ctx.user, text=text,
                                       reason=reason)
        self.refresh()

    def complete(self) -> None:
        self.row_version = self.ctx.store.complete(
            self.id, self.live_result(), by=self.ctx.user, expected_version=self.row_version)
        self.refresh()

    def refresh(self) -> None:
        self.record = self.ctx.store.load(self.id)
        self.row_version = self.record.row_version

    def unacknowledged_act_now(self) -> list[str]:
        done = {a["flag_id"] for a in self.record.acknowledgements}
        return [f.id for f in self.session.evaluation.flags
                if f.level == "act-now" and f.id not in done]

    def live_result(self) -> dict:
        # A fresh read for who answered when; the session's answers are the ones shown here.
        return result_document(self.ctx.store.load(self.id), self.session)

    def result(self) -> dict:
        """The result format of the contract: the frozen copy once completed."""
        if self.read_only and self.record.result is not None:
            frozen = dict(self.record.result)
            frozen.update(status=COMPLETE, completed_by=self.record.completed_by,
                          completed_at=_iso(self.record.completed_at))
            return frozen
        return self.live_result()


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def result_document(record: StoredAssessment, session: AssessmentSession) -> dict:
    by_key = {(a.module, a.item): a for a in record.answers}
    counted = session.counted_answers()
    answers = []
    for (module, item), value in session.answers.items():
        stored = by_key.get((module, item))
        answers.append({
            "module": module, "item": item, "value": value,
            "counted": (module, item) in counted,
            "answered_at": stored.answered_at.isoformat() if stored else None,
            "by": stored.by if stored else None,
        })
    return {
        "assessment_id": record.id,
        "reference": record.reference,
        "setting": record.setting,
        "age": record.age,
        "presenting_issue": record.presenting_issue,
        "status": record.status,
        "version": record.version,
        "created_at": record.created_at.isoformat(),
        "created_by": record.created_by,
        "completed_at": _iso(record.completed_at),
        "completed_by": record.completed_by,
        "content": record.content_pins,
        "answers": answers,
        **session.result(),
        "acknowledgements": record.acknowledgements,
        "decisions": record.decisions,
        "services": [],
    }


def start_assessment(ctx: AppContext, *, setting: str, age: int,
                     reference: str | None = None, presenting_issue: str | None = None,
                     date_of_birth: dt.date | None = None,
                     extra_modules: tuple[str, ...] = ()) -> OpenAssessment:
    session = AssessmentSession(ctx.catalog, setting, age, extra_modules)
    record = ctx.store.create_assessment(
        setting=setting, age=age, by=ctx.user, content_pins=session.content_pins(),
        reference=reference, presenting_issue=presenting_issue, date_of_birth=date_of_birth,
        extra_modules=extra_modules, team=ctx.team)
    return OpenAssessment(ctx=ctx, record=record, session=session,
                          row_version=record.row_version)


def open_assessment(ctx: AppContext, assessment_id: str) -> OpenAssessment:
    """Open a record to work on or read. Consultation: the store checks the user's team
    and commits a ``view`` audit entry before anything is read (see Store.view)."""
    record = ctx.store.view(assessment_id)
    session = AssessmentSession(ctx.catalog, record.setting, record.age,
                                tuple(record.extra_modules))
    session.restore(record.answer_triples())
    current = session.content_pins()
    changed = [name for name, pin in record.content_pins.items()
               if current.get(name, {}).get("sha256") != pin.get("sha256")]
    return OpenAssessment(ctx=ctx, record=record, session=session,
                          row_version=record.row_version, content_changed=changed)
