"""One assessment, open for work or reading: every change goes through here.

Each call checks the rules, commits through the store, and only then applies the change to
the engine's session, so "saved" always means committed. Both doors (the desktop app and the
command line) use these methods and nothing below them.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..assessment_result import RAISED_IN_ERROR, AssessmentResult, build_result, in_error
from ..content.models import Level
from ..engine import AssessmentSession, Changes
from ..engine.results import RaisedFlag, UnresolvedScreen
from ..engine.session import diff
from ..store import StoredAssessment
from ..store.errors import READ_ONLY_ASSESSMENT, ReadOnlyAssessmentError
from ..store.models import utcnow
from ..store.repository import COMPLETE, DRAFT
from . import rules
from .errors import CompletionRefused, DecisionRefused, ReasonNeeded, RuleRefused
from .history import CHANGED, answer_target, retracted_disclosures, retractions

if TYPE_CHECKING:
    from .workspace import Workspace

DECISIONS = ("accept", "edit", "override", RAISED_IN_ERROR)
CHILD_MARK = "the child"  # how an answer the child gave in child mode is recorded


def child_answerer(user: str) -> str:
    return f"{CHILD_MARK} (screen handed over by {user})"


def is_childs_answer(by: str | None) -> bool:
    return by is not None and by.startswith(CHILD_MARK + " (")
NOT_ASKED = "not-asked"  # a safety screen deliberately not asked, with its reason


@dataclass
class OpenAssessment:
    ws: Workspace
    record: StoredAssessment
    session: AssessmentSession
    row_version: int
    content_changed: list[str] = field(default_factory=list)
    # Who gave each current answer (staff, or the child in child mode), kept up to date.
    answered_by: dict[tuple[str, str], str] = field(default_factory=dict)
    # (module, when) of answers committed since ``record`` was read (it is not re-read per
    # answer, for speed): a flag marked raised in error lapses on a later answer (H-149).
    answered_since_load: list[tuple[str, dt.datetime]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.answered_by = {(a.module, a.item): a.by for a in self.record.answers}
        self.session.set_aside_flags(self.flags_in_error())

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def read_only(self) -> bool:
        return self.record.status != DRAFT

    # -- answers ----------------------------------------------------------------------------
    def answer(self, module: str, item: str, value: Any, *, reason: str | None = None,
               as_child: bool = False) -> Changes:
        """Check, commit, then apply one answer. Raises AnswerError, StoreError, or a
        RuleRefused (ReasonNeeded when the change would retract an act-now disclosure).
        ``as_child``: given by the child in child mode, and recorded as the child's."""
        stored = self.session.check(module, item, value)
        marked = self.flags_in_error()
        aside = self.flags_in_error(answering=module)
        by = self._check_change(module, item, stored, reason, as_child, aside)
        self.row_version = self.ws.store.record_answer(
            self.id, module, item, stored, by=by, expected_version=self.row_version)
        self.answered_by[(module, item)] = by
        self.answered_since_load.append((module, utcnow()))
        return self._back_in_force(self.session.answer(module, item, stored, set_aside=aside),
                                   marked - aside)

    def clear(self, module: str, item: str, *, reason: str | None = None,
              as_child: bool = False) -> Changes:
        marked = self.flags_in_error()
        aside = self.flags_in_error(answering=module)
        by = self._check_change(module, item, None, reason, as_child, aside)
        self.row_version = self.ws.store.record_answer(
            self.id, module, item, None, by=by, expected_version=self.row_version)
        self.answered_by.pop((module, item), None)
        self.answered_since_load.append((module, utcnow()))
        return self._back_in_force(self.session.clear(module, item, set_aside=aside),
                                   marked - aside)

    def _back_in_force(self, changes: Changes, lapsed: set[str]) -> Changes:
        """A flag whose "raised in error" marking this answer lapsed is raised again, as far
        as every door is concerned (H-149): it never left the engine's flags, so the engine
        does not say so, yet an act-now must interrupt again."""
        if not lapsed:
            return changes  # the usual case
        for flag in self.session.evaluation.flags:
            if flag.id in lapsed and all(f.id != flag.id for f in changes.flags_raised):
                changes.flags_raised.append(flag)
        return changes

    def _check_change(self, module: str, item: str, stored: Any, reason: str | None,
                      as_child: bool, set_aside: set[str]) -> str:
        """Who the answer is recorded as; refuses a child changing staff's answer, and a
        retraction of an act-now disclosure without a reason (which is then recorded).
        ``set_aside``: the flags still marked in error once this answer is given."""
        if self.read_only:
            raise ReadOnlyAssessmentError(READ_ONLY_ASSESSMENT)
        previous = self.answered_by.get((module, item))
        if as_child and previous is not None and not is_childs_answer(previous):
            raise RuleRefused("staff gave this answer; in child mode it cannot be changed")
        retracted = retractions(self.session.preview(module, item, stored,
                                                     set_aside=set_aside))
        if retracted:
            titles = "; ".join(f"'{f.title}'" for f in retracted)
            if as_child:
                raise RuleRefused("this answer is for the staff member to change")
            if not (reason and reason.strip()):
                raise ReasonNeeded(f"this change takes away the act-now flag {titles}, which "
                                   f"stays on the record: say why the answer changed")
            self.ws.store.record_decision(self.id, answer_target(module, item), CHANGED,
                                          by=self.ws.user, reason=reason.strip())
        return child_answerer(self.ws.user) if as_child else self.ws.user

    def child_may_answer(self, module: str, item: str) -> bool:
        """In child mode: unanswered, or answered by the child. Never staff's answers."""
        return (module, item) not in self.answered_by or self.is_childs(module, item)

    def is_childs(self, module: str, item: str) -> bool:
        """Whether the current answer (if any) was given by the child in child mode."""
        return is_childs_answer(self.answered_by.get((module, item)))

    def move_to(self, module: str, item: str) -> None:
        """Remember where the practitioner is, so reopening resumes at the same item."""
        self.row_version = self.ws.store.set_position(
            self.id, f"{module}.{item}", expected_version=self.row_version)

    def add_module(self, module_id: str) -> Changes:
        """Bring a module in now, as the practitioner's choice (within its age and settings
        limits); its questions are shown at once, their own branching still applies."""
        if module_id in self.session.extra_modules:
            return Changes()
        rules.check_modules(self.ws.catalog, self.record.setting, self.record.age,
                            [module_id])
        modules = (*self.session.extra_modules, module_id)
        widened = AssessmentSession(self.ws.catalog, self.record.setting, self.record.age,
                                    modules, set_aside=self.session.set_aside)
        self.row_version = self.ws.store.set_extra_modules(
            self.id, list(modules), by=self.ws.user, expected_version=self.row_version)
        before = self.session.evaluation
        widened.restore([(m, i, v) for (m, i), v in self.session.answers.items()])
        self.session = widened
        return diff(before, widened.evaluation)

    # -- flags and decisions ----------------------------------------------------------------
    def raised(self, flag_id: str) -> RaisedFlag | None:
        return next((f for f in self.session.evaluation.flags if f.id == flag_id), None)

    def acknowledge(self, flag_id: str, note: str | None = None) -> None:
        """Record that the practitioner has seen an act-now (or any) flag and is acting."""
        if self.raised(flag_id) is None:
            raise DecisionRefused(f"flag '{flag_id}' is not raised on this assessment, so it "
                                  f"cannot be acknowledged")
        self.ws.store.acknowledge_flag(self.id, flag_id, by=self.ws.user,
                                       note=(note or "").strip() or None)
        self.refresh()

    def decide(self, target: str, decision: str, *, text: str | None = None,
               reason: str | None = None) -> Changes:
        """Accept, edit (new wording, with a reason) or override (with a reason) a flag
        (``flag:ID``) or a recommendation (``recommendation:ID``); or mark a flag raised in
        error (``error``, with a reason: ReasonNeeded without one). A flag in error stays
        on the record, shown apart, and no longer blocks completion; a later decision on
        it (accept) makes it an active flag again. A flag resting on a score band, marked
        in error, brings back the next band's flags (an act-now one then blocks until
        acknowledged; H-149): the changes say which came back or went."""
        if decision not in DECISIONS:
            raise DecisionRefused(f"unknown decision {decision!r} (accept, edit, override "
                                  f"or {RAISED_IN_ERROR})")
        if decision == RAISED_IN_ERROR:
            if not target.startswith("flag:"):
                raise DecisionRefused(f"only a flag can be marked raised in error, not "
                                      f"{target}")
            if not (reason and reason.strip()):
                raise ReasonNeeded(f"say why {target} was raised in error (for example: "
                                   f"a mis-click, the wrong child); the flag stays on the "
                                   f"record with the reason")
            reason = reason.strip()
        if decision != "accept" and not (reason and reason.strip()):
            raise DecisionRefused(f"a reason is required to {decision} {target}")
        if decision == "edit" and not (text and text.strip()):
            raise DecisionRefused(f"an edit of {target} needs the new wording")
        if target not in self._decision_targets():
            raise DecisionRefused(f"{target} is not a flag or recommendation of this "
                                  f"assessment")
        self.ws.store.record_decision(self.id, target, decision, by=self.ws.user, text=text,
                                      reason=reason)
        return self.refresh()

    def _decision_targets(self) -> set[str]:
        ev = self.session.evaluation
        return ({f"flag:{f.id}" for f in ev.flags}
                | {f"recommendation:{r.id}" for r in ev.recommendations}
                | {f"recommendation:{g.module}-age-gate" for g in ev.gated if g.instead})

    def flags_in_error(self, *, answering: str | None = None) -> set[str]:
        """Ids of flags whose decision in force is "raised in error"; ``answering``: as they
        will be once an answer to that module is given (which lapses its flags' markings)."""
        given = itertools.chain(((a.module, a.answered_at) for a in self.record.history),
                                self.answered_since_load,
                                [(answering, utcnow())] if answering else [])
        return set(in_error(self.record.decisions, given, self.ws.catalog))

    def unacknowledged_act_now(self) -> list[str]:
        """Ids of act-now flags raised and not yet acknowledged (nor marked raised in
        error, with the reason), in the order raised."""
        done = {a.flag_id for a in self.record.acknowledgements} | self.flags_in_error()
        return [f.id for f in self.session.evaluation.flags
                if f.level == Level.ACT_NOW.value and f.id not in done]

    def record_not_asked(self, module: str, item: str, reason: str) -> None:
        """A safety screen deliberately not asked, with the reason (for example: the child
        is too distressed; asked by the crisis team instead). Kept as a decision on
        ``screen:MODULE.ITEM`` and shown with the record."""
        if not reason.strip():
            raise DecisionRefused(f"say why {module}.{item} was not asked")
        if (module, item) not in {(u.module, u.item)
                                  for u in self.session.evaluation.unresolved_safety_screens}:
            raise DecisionRefused(f"{module}.{item} is not a safety screen waiting for an "
                                  f"answer on this assessment")
        self.ws.store.record_decision(self.id, f"screen:{module}.{item}", NOT_ASKED,
                                      by=self.ws.user, reason=reason.strip())
        self.refresh()

    def unresolved_safety_screens(self) -> list[UnresolvedScreen]:
        """Safety screens shown with no answer, no "declined" and no "not asked because"."""
        excused = {d.target for d in self.record.decisions if d.decision == NOT_ASKED}
        return [u for u in self.session.evaluation.unresolved_safety_screens
                if f"screen:{u.module}.{u.item}" not in excused]

    def completion_blockers(self) -> list[str]:
        """Why this assessment cannot be completed now (empty: it can)."""
        if self.read_only:
            return ["it is already completed (amend it to make a new version)"]
        flags = {f.id: f for f in self.session.evaluation.flags}
        blockers = [f"act-now flag '{flag_id}' ({flags[flag_id].title}) is not acknowledged"
                    for flag_id in self.unacknowledged_act_now()]
        blockers += [f"safety screen {u.module}.{u.item} (\"{u.prompt}\") has no answer: "
                     f"record the answer, \"declined\", or why it was not asked"
                     for u in self.unresolved_safety_screens()]
        return blockers

    # -- the record -------------------------------------------------------------------------
    def complete(self) -> None:
        """Complete (read-only after). Refused while an act-now flag is unacknowledged (the
        practitioner must confirm they have acted before the child's record is closed) and
        while a safety screen shown has no answer, no "declined" and no reason it was not
        asked."""
        blockers = self.completion_blockers()
        if blockers:
            raise CompletionRefused("cannot complete the assessment: " + "; ".join(blockers))
        self.row_version = self.ws.store.complete(
            self.id, self.live_result().to_json(), by=self.ws.user,
            expected_version=self.row_version)
        self.refresh()

    def amend(self, reason: str) -> OpenAssessment:
        """A new draft version of this completed assessment; this one stays as it is."""
        if not reason.strip():
            raise RuleRefused("an amendment needs a reason")
        if self.record.status != COMPLETE:
            raise RuleRefused("only a completed assessment can be amended; edit the draft "
                              "instead")
        record = self.ws.store.amend(self.id, reason=reason.strip(), by=self.ws.user)
        return self.ws.open(record.id)

    def discard(self, reason: str) -> None:
        """Set aside a draft started by mistake (the wrong child, a test entry), with a
        reason kept in the audit trail. A completed record is never discarded."""
        if not reason.strip():
            raise RuleRefused("discarding a draft needs a reason (for example: wrong child)")
        if self.read_only:
            raise RuleRefused("only a draft can be discarded; a completed assessment is "
                              "amended instead")
        self.row_version = self.ws.store.discard(self.id, reason=reason.strip(),
                                                 by=self.ws.user,
                                                 expected_version=self.row_version)
        self.refresh()

    def refresh(self) -> Changes:
        """Read the record again; the flags its decisions bring back or take away."""
        self.record = self.ws.store.load(self.id)
        self.answered_since_load = []
        self.row_version = self.record.row_version
        return self.session.set_aside_flags(self.flags_in_error())

    def live_result(self) -> AssessmentResult:
        # A fresh read for who answered when; the session's answers are the ones shown here.
        record = self.ws.store.load(self.id)
        current = {f.id for f in self.session.evaluation.flags}
        result = build_result(record, self.session,
                              retracted_disclosures(record, self.ws.catalog, current))
        return result.model_copy(update={"services": self.ws.suggest_services(
            result.to_json())})

    def result(self) -> AssessmentResult:
        """The result: the frozen copy once completed, else computed from the answers."""
        if self.record.status == COMPLETE and self.record.result is not None:
            frozen = dict(self.record.result)
            frozen.update(status=COMPLETE, completed_by=self.record.completed_by,
                          completed_at=_iso(self.record.completed_at))
            return AssessmentResult.model_validate(frozen)
        return self.live_result()


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment else None
