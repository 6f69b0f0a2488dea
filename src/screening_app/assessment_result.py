"""The assessment result: one typed, frozen model for every reader.

:class:`AssessmentResult` is at once the command line's JSON (``model_dump(mode="json")``,
the contract in ``docs/cli-contract.md``), the frozen copy stored on completion, and what the
review page and the exports read. Its parts are the engine's and the store's own record
types, so there is one definition of a flag, a score or an acknowledgement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ConfigDict

from .content import Catalog
from .content.refs import resolve, walk
from .engine import AssessmentSession
from .engine.results import (
    BlankGate,
    ChildWords,
    CommunicationNeed,
    GatedModule,
    RaisedFlag,
    RaisedRecommendation,
    ScoreResult,
    UnresolvedScreen,
)
from .store.repository import Acknowledgement, DecisionEntry, StoredAssessment
from .wording import answer_text


class RetractedDisclosure(BaseModel):
    """An act-now flag that was raised and is no longer raised because an answer changed:
    it stays on the record, with who saw it and who changed the answer, and why."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    flag_id: str
    title: str
    raised_at: str
    raised_by: str
    raised_by_answer: str  # module.item
    changed_at: str
    changed_by: str
    changed_answer: str  # module.item
    reason: str | None = None
    acknowledged_by: str | None = None
    acknowledged_at: str | None = None


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


RAISED_IN_ERROR = "error"  # the decision kind: a flag raised by mistake (a mis-click)


class FlagInError(_Frozen):
    """A flag the practitioner marked as raised in error, with who, when and why. It is not
    an active flag (nothing to act on, it does not block completion) but it stays on the
    record, shown at review, in the audit trail and in the result, never dropped."""

    flag: RaisedFlag
    by: str
    at: str
    reason: str


def in_error(decisions: list[DecisionEntry], answered: Iterable[tuple[str, dt.datetime]],
             catalog: Catalog) -> dict[str, DecisionEntry]:
    """Flag ids whose decision in force (the last one) is "raised in error".

    The marking holds only for the answers it was made on: an answer to anything the flag
    depends on, given after the marking, lapses it, so a real disclosure made later (the
    child answers yes after a mis-click was marked) raises the flag again (hazard H-149).
    ``answered``: (module, when) of every answer and clearing given, in any order."""
    last: dict[str, DecisionEntry] = {}
    for d in decisions:
        last[d.target] = d
    marked = {target.removeprefix("flag:"): d for target, d in last.items()
              if target.startswith("flag:") and d.decision == RAISED_IN_ERROR}
    if not marked:
        return {}  # the usual case, on every answer: the history is not read
    given = list(answered)
    return {flag_id: d for flag_id, d in marked.items()
            if not _answered_since(given, _flag_modules(catalog, flag_id), d.at)}


def _answered_since(answered: list[tuple[str, dt.datetime]], modules: frozenset[str],
                    at: str) -> bool:
    when = dt.datetime.fromisoformat(at)
    return any(module in modules and given > when for module, given in answered)


def _flag_modules(catalog: Catalog, flag_id: str, seen: frozenset[str] = frozenset()) \
        -> frozenset[str]:
    """The modules whose answers can raise or clear ``flag_id``: its own, and every module
    its condition names (items, scores, and the flags it builds on, followed through)."""
    for module_id, loaded in catalog.modules.items():
        module = loaded.model
        for flag in getattr(module, "flags", None) or ():
            if flag.id != flag_id:
                continue
            found = {module_id}
            for node in walk(flag.when):
                for ref in (node.item, node.score):
                    named = resolve(ref, module_id) if ref else None
                    if named is not None:
                        found.add(named[0])
                if node.flag and node.flag not in seen:
                    found |= _flag_modules(catalog, node.flag, seen | {flag_id})
            return frozenset(found)
    return frozenset()


class AnswerEntry(_Frozen):
    module: str
    item: str
    value: Any
    counted: bool = True  # false for an answer whose item is now hidden by branching
    answered_at: str | None = None
    by: str | None = None


class ModuleOutcome(_Frozen):
    module: str
    title: str
    version: str
    score: int | float | None
    band: str | None
    complete: bool
    prorated: bool
    scores: list[ScoreResult]
    source: str
    licence: str
    at_least: int | float | None = None  # an incomplete form already past a threshold
    not_scored: str | None = None  # why there is no score (e.g. every item declined)

    @property
    def primary(self) -> ScoreResult | None:
        return next((s for s in self.scores if s.primary), None)

    @property
    def band_label(self) -> str | None:
        primary = self.primary
        return primary.band_label if primary else None


class PathwayRef(_Frozen):
    id: str
    version: str


class CommunicationSummary(_Frozen):
    needs: list[str]
    adjustments: list[str]
    profile: list[CommunicationNeed]
    key_adjustments: list[str] = []  # the setting's most important ones, shown first


class AssessmentResult(_Frozen):
    assessment_id: str
    reference: str | None
    setting: str
    age: int
    presenting_issue: str | None
    status: str
    version: int
    created_at: str
    created_by: str
    completed_at: str | None
    completed_by: str | None
    content: dict[str, dict[str, str]]
    answers: list[AnswerEntry]
    pathway: PathwayRef
    modules: list[ModuleOutcome]
    flags: list[RaisedFlag]
    recommendations: list[RaisedRecommendation]
    communication: CommunicationSummary
    child_voice: list[str]
    child_voice_detail: list[ChildWords]
    not_offered: list[GatedModule]
    acknowledgements: list[Acknowledgement]
    decisions: list[DecisionEntry]
    services: list[dict[str, Any]] = []
    # Safety screens on screen with no answer and no "declined" (they block completion
    # unless recorded as not asked, with the reason), and modules holding safety screens
    # kept away only because their gate questions are blank (named on page 1).
    safety_screens_unresolved: list[UnresolvedScreen] = []
    blank_gates: list[BlankGate] = []
    # Act-now disclosures raised and later retracted by a changed answer: never dropped.
    retracted: list[RetractedDisclosure] = []
    # Flags still raised by the answers but marked raised in error (not in ``flags``).
    raised_in_error: list[FlagInError] = []

    # -- questions every reader asks ------------------------------------------------------
    def acknowledgement_of(self, flag_id: str) -> Acknowledgement | None:
        """The first acknowledgement of a flag (the one that let the work go on)."""
        return next((a for a in self.acknowledgements if a.flag_id == flag_id), None)

    def decision_for(self, target: str) -> DecisionEntry | None:
        """The decision in force for ``flag:ID`` or ``recommendation:ID`` (the last one).
        A "raised in error" that a later answer lapsed is not in force: the flag is back
        and waits for a decision again (H-149; :meth:`lapsed_in_error` has it)."""
        found = self._last_decision(target)
        return None if found is not None and self._lapsed(found) else found

    def lapsed_in_error(self, target: str) -> DecisionEntry | None:
        """The "raised in error" marking a later answer lapsed, if that is the last
        decision on ``target`` (shown with the flag that came back, never as in force)."""
        found = self._last_decision(target)
        return found if found is not None and self._lapsed(found) else None

    def _lapsed(self, decision: DecisionEntry) -> bool:
        return decision.decision == RAISED_IN_ERROR and decision.target not in {
            f"flag:{e.flag.id}" for e in self.raised_in_error}

    def _last_decision(self, target: str) -> DecisionEntry | None:
        found = None
        for d in self.decisions:
            if d.target == target:
                found = d
        return found

    def every_flag_raised(self) -> list[RaisedFlag]:
        """Active flags and those marked raised in error: for rules that protect the
        child (a family copy), where a mistaken "in error" must not lower the guard."""
        return [*self.flags, *(e.flag for e in self.raised_in_error)]

    def counted_answers(self) -> list[AnswerEntry]:
        return [a for a in self.answers if a.counted]

    def to_json(self) -> dict[str, Any]:
        """The result format of the command-line contract."""
        return self.model_dump(mode="json")


    def screens(self) -> list[ModuleOutcome]:
        """The modules with a screen result (a score or a band): "screen results"."""
        return [m for m in self.modules
                if m.primary is not None or m.score is not None or m.band is not None]


PRESENTING = "presenting-issue"  # the content domain of each setting's reason question


class VisitReason(_Frozen):
    """Why the child is seen, as recorded: the setting's reason question (asked once, on
    page 1 of the walkthrough) with the setting's label ("Reason for attending")."""

    label: str
    answer: str
    module: str
    item: str

    @property
    def text(self) -> str:
        return f"{self.label}: {self.answer}"


def visit_reason(catalog: Catalog, result: AssessmentResult) -> VisitReason | None:
    """The answer to the setting's reason question, if given (a single choice in the
    presenting-issue domain), worded as the review page shows it."""
    pathway = catalog.pathways.get(result.setting)
    label = pathway.model.reason_label if pathway else None
    if not label:
        return None
    for entry in result.counted_answers():
        loaded = catalog.modules.get(entry.module)
        item = loaded.model.item(entry.item) if loaded else None
        if item is not None and item.domain == PRESENTING \
                and item.type.value == "single_choice":
            return VisitReason(label=label, answer=answer_text(item, entry.value),
                               module=entry.module, item=entry.item)
    return None


def build_result(record: StoredAssessment, session: AssessmentSession,
                 retracted: list[RetractedDisclosure] | None = None) -> AssessmentResult:
    """The result of a draft (or of an assessment about to be completed) from its stored
    record, the engine's session over its answers, and the disclosures since retracted."""
    by_key = {(a.module, a.item): a for a in record.answers}
    counted = session.counted_answers()
    answers = []
    for (module, item), value in session.answers.items():
        stored = by_key.get((module, item))
        answers.append(AnswerEntry(
            module=module, item=item, value=value, counted=(module, item) in counted,
            answered_at=stored.answered_at.isoformat() if stored else None,
            by=stored.by if stored else None))
    engine = session.evaluation.to_dict()
    wrong = in_error(record.decisions, ((a.module, a.answered_at) for a in record.history),
                     session.catalog)
    mistaken = [FlagInError(flag=f, by=wrong[f.id].by, at=wrong[f.id].at,
                            reason=wrong[f.id].reason or "")
                for f in session.evaluation.flags if f.id in wrong]
    engine["flags"] = [f for f in engine["flags"] if f["id"] not in wrong]
    return AssessmentResult.model_validate({
        "assessment_id": record.id,
        "reference": record.reference,
        "setting": record.setting,
        "age": record.age,
        "presenting_issue": record.presenting_issue,
        "status": record.status,
        "version": record.version,
        "created_at": record.created_at.isoformat(),
        "created_by": record.created_by,
        "completed_at": record.completed_at.isoformat() if record.completed_at else None,
        "completed_by": record.completed_by,
        "content": record.content_pins,
        "answers": answers,
        **engine,
        "acknowledgements": record.acknowledgements,
        "decisions": record.decisions,
        "services": [],
        "retracted": retracted or [],
        "raised_in_error": mistaken,
    })
