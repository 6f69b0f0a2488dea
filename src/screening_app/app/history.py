"""Disclosures never vanish: act-now flags raised at any point of an assessment's history.

The answer log is append-only, so the history is replayed answer by answer through the
engine: every act-now flag that was ever raised is found with the answer that raised it,
and, if a later answer cleared it, who changed which answer when. Those flags stay on the
record (review and PDF page 1) with their acknowledgement and the reason for the change
(issue 11.8; hazard log H-001).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..assessment_result import RetractedDisclosure
from ..content import Catalog
from ..content.models import Level
from ..engine import AnswerError, AssessmentSession, Changes
from ..engine.results import RaisedFlag
from ..store import StoredAssessment

CHANGED = "changed"  # the decision kind recording why a disclosure answer was changed


def answer_target(module: str, item: str) -> str:
    return f"answer:{module}.{item}"


def retractions(changes: Changes) -> list[RaisedFlag]:
    """The act-now flags a change takes away. One replaced by another act-now flag of the
    same module (the ASQ's non-acute positive becoming acute) is a re-grading, not a
    retraction."""
    regraded = {f.module for f in changes.flags_raised if f.level == Level.ACT_NOW.value}
    return [f for f in changes.flags_cleared
            if f.level == Level.ACT_NOW.value and f.module not in regraded]


@dataclass
class _Raised:
    title: str
    at: str
    by: str
    answer: str
    cleared: tuple[str, str, str] | None = None  # at, by, module.item


def retracted_disclosures(record: StoredAssessment, catalog: Catalog,
                          current_flags: set[str]) -> list[RetractedDisclosure]:
    """Act-now flags raised in the record's history and not raised now."""
    if not record.history:
        return []
    session = AssessmentSession(catalog, record.setting, record.age,
                                tuple(record.extra_modules))
    seen: dict[str, _Raised] = {}
    for event in record.history:
        try:
            if event.value is None:
                changes = session.clear(event.module, event.item)
            else:
                changes = session.restore([(event.module, event.item, event.value)])
        except AnswerError:
            continue  # an item this content no longer has: it raised nothing here
        where, at = f"{event.module}.{event.item}", event.answered_at.isoformat()
        for flag in changes.flags_raised:
            if flag.level != Level.ACT_NOW.value:
                continue
            if flag.id in seen:
                seen[flag.id].cleared = None  # raised again
            else:
                seen[flag.id] = _Raised(flag.title, at, event.by, where)
        for flag in retractions(changes):
            if flag.id in seen:
                seen[flag.id].cleared = (at, event.by, where)
        regraded = {f.module for f in changes.flags_raised if f.level == Level.ACT_NOW.value}
        for flag in changes.flags_cleared:
            if flag.module in regraded:
                seen.pop(flag.id, None)  # superseded by the stronger flag now raised
    acks = {a.flag_id: a for a in reversed(record.acknowledgements)}
    reasons = {d.target: d.reason for d in record.decisions if d.decision == CHANGED}
    out = []
    for flag_id, raised in seen.items():
        if flag_id in current_flags or raised.cleared is None:
            continue
        at, by, where = raised.cleared
        module, _, item = where.partition(".")
        ack = acks.get(flag_id)
        out.append(RetractedDisclosure(
            flag_id=flag_id, title=raised.title, raised_at=raised.at, raised_by=raised.by,
            raised_by_answer=raised.answer, changed_at=at, changed_by=by,
            changed_answer=where, reason=reasons.get(answer_target(module, item)),
            acknowledged_by=ack.by if ack else None, acknowledged_at=ack.at if ack else None))
    return out
