"""A stored assessment as a plain, Qt-free view for exports (PDF now; others may reuse it).

``build_report`` gathers everything a document can show: who, when and where; flags with
whether they were acknowledged; recommended actions with owners and decisions; the
communication profile; the child's own words; findings by domain; screen results with
their source; the consent and information-sharing record; and an annex of every item with
its status. ``redact`` then removes what a variant must not carry, in one place, before any
rendering: the partner and family copies are made from a redacted view, not by hiding
things while drawing.

All text here is plain text exactly as stored; escaping is the renderer's job.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..assessment_result import (
    AssessmentResult,
    FlagInError,
    ModuleOutcome,
    RetractedDisclosure,
    VisitReason,
    visit_reason,
)
from ..content import Catalog
from ..content.models import DECLINED, Flag, Item, ItemType, Module
from ..engine import AssessmentSession
from ..engine.results import ChildWords, GatedModule, RaisedFlag, RaisedRecommendation
from ..store.repository import Acknowledgement, DecisionEntry, StoredAssessment
from ..wording import answer_text, setting_name
from .release import (
    CONFIDENTIAL_FLAGS,
    HOUSEHOLD_FLAGS,
    Release,
    leaves_out_line,
    leaves_out_option,
)
from .screen_wording import answered_items, result_text

# Annex statuses: every item of the pathway ends up in exactly one of these.
ANSWERED = "answered"
DECLINED_STATUS = "declined"
NOT_ANSWERED = "not answered"
NOT_ASKED = "not asked"  # hidden by branching: its conditions were not met
NOT_STARTED = "not started"  # the whole module's pathway condition was not met

VARIANTS = ("full", "partner", "family")

# The child's words that are strengths: what is going well, who helps, who they trust.
STRENGTH_ITEMS = frozenset({("voice", "going_well"), ("voice", "trusted")})
# What a screen's flags ask for, by their highest level (words, never a risk level).
LEVEL_ASKS = {"act-now": "act now", "refer": "refer", "consider": "consider"}

CONSENT_DOMAINS = frozenset({"consent", "sharing", "information-sharing", "consent-sharing"})


@dataclass(frozen=True)
class AnswerLine:
    module: str
    item: str
    prompt: str
    domain: str | None
    item_type: str
    status: str
    answer: str | None = None  # display text; for hidden items, the earlier answer kept
    staff_note: bool = False
    child_words: bool = False
    answered_at: str | None = None
    by: str | None = None
    # A multi-choice answer's options as (code, label), so a copy can leave some out.
    chosen: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class FlagLine:
    """A raised flag as a document shows it: with its acknowledgement and the decision in
    force (the flag itself is the engine's record)."""

    flag: RaisedFlag
    acknowledgement: Acknowledgement | None = None
    decision: DecisionEntry | None = None
    # A "raised in error" marking a later answer lapsed: the flag is back (H-149).
    lapsed: DecisionEntry | None = None

    id = property(lambda self: self.flag.id)
    level = property(lambda self: self.flag.level)
    title = property(lambda self: self.flag.title)
    action = property(lambda self: self.flag.action)
    rationale = property(lambda self: self.flag.rationale)
    source = property(lambda self: self.flag.source)

    @property
    def acknowledged(self) -> bool:
        return self.acknowledgement is not None


@dataclass(frozen=True)
class EarlierFlag:
    """A flag the answers no longer raise whose record stays: acknowledged, or decided on
    (a marking in error that a later answer lapsed, an acceptance...). Never dropped from
    the professional record (H-149); after page 1, since there is nothing to act on."""

    id: str
    title: str
    level: str
    acknowledgement: Acknowledgement | None = None
    decision: DecisionEntry | None = None  # the last one on the flag, in force or lapsed
    lapsed: bool = False


@dataclass(frozen=True)
class RecommendationLine:
    recommendation: RaisedRecommendation
    decision: DecisionEntry | None = None

    id = property(lambda self: self.recommendation.id)
    module = property(lambda self: self.recommendation.module)
    text = property(lambda self: self.recommendation.text)
    owner = property(lambda self: self.recommendation.owner)


@dataclass(frozen=True)
class NeedLine:
    need: str
    adjustments: list[str]
    triggered_by: list[str]  # the prompts of the answers it rests on (not their ids)


@dataclass(frozen=True)
class ScreenLine:
    """One screen's result in one line for page 1 ("PHQ-9: 14, moderate (10-14) - refer"),
    or the screen named as not done. Never a risk level: the band's own label and what the
    flags it raised ask for."""

    module: str
    name: str
    result: str
    flags: tuple[tuple[str, str], ...] = ()  # (flag id, level) of its flags in force
    done: bool = True  # brought in by the pathway or the answers
    complete: bool = True  # every item answered: only then does "no flag raised" hold
    in_error: tuple[str, ...] = ()  # ids of its flags marked raised in error

    @property
    def text(self) -> str:
        levels = {level for _, level in self.flags}
        asks = next((words for level, words in LEVEL_ASKS.items() if level in levels), None)
        text = self.result
        if asks and asks not in text.lower():
            text += f" \u2014 {asks}"
        if self.in_error and asks:
            # the score as scored, its marked flag, and (H-149) the flag now standing
            text += " \u2014 a flag it raised was marked raised in error (see below)"
        elif self.in_error:
            # never "no flag raised" of a screen whose flag was set aside by a person
            text += " \u2014 its flag was marked raised in error (see below)"
        elif self.done and self.complete and not asks:
            text += " \u2014 no flag raised"
        return f"{self.name}: {text}"


@dataclass(frozen=True)
class DomainFindings:
    domain: str
    label: str
    lines: list[AnswerLine]


@dataclass(frozen=True)
class ModuleAnnex:
    module: str
    title: str
    version: str
    status: str  # "started" | NOT_STARTED
    lines: list[AnswerLine]


@dataclass(frozen=True)
class ReportData:
    variant: str
    assessment_id: str | None
    reference: str | None
    setting: str
    setting_name: str
    pathway_title: str
    age: int
    date_of_birth: str | None
    presenting_issue: str | None
    status: str
    version: int
    amend_reason: str | None
    created_at: str
    created_by: str
    completed_at: str | None
    completed_by: str | None
    content_versions: list[tuple[str, str]]
    content_changed: list[str]
    flags: list[FlagLine]
    recommendations: list[RecommendationLine]
    needs: list[NeedLine]
    adjustments: list[str]
    child_words: list[ChildWords]
    screens: list[ModuleOutcome]
    not_offered: list[GatedModule]
    findings: list[DomainFindings]
    consent: list[AnswerLine]
    annex: list[ModuleAnnex]
    services: list[dict] = field(default_factory=list)
    redactions: list[str] = field(default_factory=list)
    retracted: list[RetractedDisclosure] = field(default_factory=list)
    # Safety screens not done, as sentences for page 1: left blank, not asked (with the
    # reason), or kept away because a gate question was blank.
    safety_not_done: list[str] = field(default_factory=list)
    key_adjustments: list[str] = field(default_factory=list)
    screen_lines: list[ScreenLine] = field(default_factory=list)
    # Flags marked raised in error (who, when, why): shown as such, never as in force.
    flags_in_error: list[FlagInError] = field(default_factory=list)
    earlier_flags: list[EarlierFlag] = field(default_factory=list)
    # The content's family wording of each raised flag that has one (``Flag.family_text``).
    family_texts: dict[str, str] = field(default_factory=dict)
    # The answer to the setting's reason question ("Reason for attending: Physical illness"):
    # page 1 shows it with staff's free-text presenting issue, if any.
    visit_reason: VisitReason | None = None
    child_spoke: bool = False  # the family copy says the words are kept only if there are some
    release: Release | None = None  # who the copy is for and why (set by ``redact``)

    @property
    def is_draft(self) -> bool:
        return self.status != "complete"

    @property
    def strengths(self) -> list[ChildWords]:
        """What is going well and who helps, in the child's words (page 1)."""
        return [w for w in self.child_words if (w.module, w.item) in STRENGTH_ITEMS]

    @property
    def other_words(self) -> list[ChildWords]:
        return [w for w in self.child_words if (w.module, w.item) not in STRENGTH_ITEMS]


# -- building --------------------------------------------------------------------------------

def _item(catalog: Catalog, module_id: str, item_id: str) -> Item | None:
    loaded = catalog.modules.get(module_id)
    return loaded.model.item(item_id) if loaded else None


def _module(catalog: Catalog, module_id: str) -> Module | None:
    loaded = catalog.modules.get(module_id)
    return loaded.model if loaded else None


def is_consent_module(module: Module) -> bool:
    if "consent" in module.id or "sharing" in module.id:
        return True
    domains = {i.domain for i in module.items() if i.answerable}
    return bool(domains) and domains <= CONSENT_DOMAINS


def _domain_label(domain: str) -> str:
    return domain.replace("_", " ").replace("-", " ").capitalize()


def _status(shown: bool, started: bool, value: Any) -> str:
    if not shown:
        return NOT_ASKED if started else NOT_STARTED
    if value is None:
        return NOT_ANSWERED
    return DECLINED_STATUS if value == DECLINED else ANSWERED


def build_report(result: AssessmentResult, *, record: StoredAssessment,
                 session: AssessmentSession, catalog: Catalog,
                 content_changed: list[str] | None = None) -> ReportData:
    """The full view of an assessment (its result, stored record, and the engine's session
    over its answers for the annex); pass it to ``redact`` for a variant."""
    visible = session.evaluation.visible

    flags = [FlagLine(flag=f, acknowledgement=result.acknowledgement_of(f.id),
                      decision=result.decision_for(f"flag:{f.id}"),
                      lapsed=result.lapsed_in_error(f"flag:{f.id}")) for f in result.flags]
    recommendations = [RecommendationLine(r, result.decision_for(f"recommendation:{r.id}"))
                       for r in result.recommendations]

    def prompt_of(ref: str) -> str:
        module_id, _, item_id = ref.partition(".")
        item = _item(catalog, module_id, item_id)
        return item.prompt_for(record.setting) if item else ref

    needs = [NeedLine(need=n.need, adjustments=list(n.adjustments),
                      triggered_by=[prompt_of(t) for t in n.triggered_by])
             for n in result.communication.profile]
    screens = result.screens()

    answers = {(a.module, a.item): a for a in result.answers}
    annex: list[ModuleAnnex] = []
    findings: dict[str, list[AnswerLine]] = {}
    consent: list[AnswerLine] = []
    active = set(session.evaluation.active_modules)
    for module in session.modules():
        consent_module = is_consent_module(module)
        lines = []
        for item in module.items():
            if not item.answerable:
                continue
            stored = answers.get((module.id, item.id))
            value = stored.value if stored else None
            status = _status(visible.get((module.id, item.id), False), module.id in active,
                             value)
            line = AnswerLine(
                module=module.id, item=item.id, prompt=item.prompt_for(record.setting),
                domain=item.domain, item_type=item.type.value, status=status,
                answer=answer_text(item, value) if value is not None else None,
                staff_note=item.staff_note, child_words=item.type == ItemType.CHILD_WORDS,
                answered_at=stored.answered_at if stored else None,
                by=stored.by if stored else None,
                chosen=tuple((str(c), item.label_for(str(c))) for c in value)
                if item.type == ItemType.MULTI_CHOICE and isinstance(value, list) else ())
            lines.append(line)
            if status not in (ANSWERED, DECLINED_STATUS):
                continue
            if consent_module or item.domain in CONSENT_DOMAINS:
                consent.append(line)
            elif not line.child_words:
                findings.setdefault(item.domain or module.id, []).append(line)
        annex.append(ModuleAnnex(module=module.id, title=module.title, version=module.version,
                                 status="started" if module.id in active else NOT_STARTED,
                                 lines=lines))

    def label_for_domain(domain: str) -> str:
        model = _module(catalog, domain)
        return model.title if model and not any(i.domain for i in model.items()) \
            else _domain_label(domain)

    versions = sorted((name, pin.get("version", "?")) for name, pin in result.content.items())
    family_texts = {f.id: text for f in result.flags
                    if (text := _family_text(catalog, f.module, f.id))}
    pathway = catalog.pathways.get(record.setting)

    return ReportData(
        variant="full",
        assessment_id=record.id, reference=record.reference, setting=record.setting,
        setting_name=setting_name(record.setting),
        pathway_title=pathway.model.title if pathway else record.setting,
        age=record.age, date_of_birth=record.date_of_birth,
        presenting_issue=record.presenting_issue, status=result.status,
        version=record.version, amend_reason=record.amend_reason,
        created_at=result.created_at, created_by=result.created_by,
        completed_at=result.completed_at, completed_by=result.completed_by,
        content_versions=versions, content_changed=list(content_changed or []),
        flags=flags, recommendations=recommendations, needs=needs,
        adjustments=list(result.communication.adjustments),
        child_words=list(result.child_voice_detail), screens=screens,
        not_offered=list(result.not_offered),
        findings=[DomainFindings(domain=d, label=label_for_domain(d), lines=lines)
                  for d, lines in findings.items()],
        consent=consent, annex=annex, services=list(result.services),
        retracted=list(result.retracted), safety_not_done=_safety_not_done(result),
        key_adjustments=list(result.communication.key_adjustments),
        screen_lines=_screen_lines(result, session),
        flags_in_error=list(result.raised_in_error),
        family_texts=family_texts, child_spoke=bool(result.child_voice_detail),
        visit_reason=visit_reason(catalog, result),
        earlier_flags=_earlier_flags(result, catalog),
    )


def screen_name(module: Module) -> str:
    """The short name staff use: the abbreviation in the title ("PHQ-9"), else the id."""
    title = module.title.strip()
    if title.endswith(")") and "(" in title:
        return title[title.rindex("(") + 1:-1]
    return _domain_label(module.id)


def _screen_lines(result: AssessmentResult, session: AssessmentSession) -> list[ScreenLine]:
    outcomes = {m.module: m for m in result.modules}
    counted = [(a.module, a.item, a.value) for a in result.counted_answers()]
    lines = []
    for module in session.modules():
        if not module.scores:
            continue
        name = screen_name(module)
        outcome = outcomes.get(module.id)
        if outcome is None:
            lines.append(ScreenLine(module.id, name, "not done (not brought in by the pathway "
                                                     "or the answers)", done=False))
            continue
        # ``result.flags`` are the flags in force (not those marked raised in error).
        flags = tuple((f.id, f.level) for f in result.flags if f.module == module.id)
        worded = result_text(outcome, module, answered_items(outcome, counted))
        parts = [worded] if worded else []
        # Nothing scored and nothing answered that counts: "not answered", not "not finished".
        unanswered = not parts and not any(a.module == module.id and a.counted
                                           for a in result.answers)
        if unanswered:
            parts.append("not answered")
        elif not parts:
            parts.append("no worries raised" if outcome.complete else "nothing scored yet")
        if not outcome.complete and not unanswered and outcome.at_least is None:
            parts.append("not finished")  # "at least N, incomplete" says it already
        text = ", ".join(parts)
        in_error = tuple(e.flag.id for e in result.raised_in_error
                         if e.flag.module == module.id)
        lines.append(ScreenLine(module.id, name, text[:1].upper() + text[1:], flags,
                                complete=outcome.complete, in_error=in_error))
    return lines


def _earlier_flags(result: AssessmentResult, catalog: Catalog) -> list[EarlierFlag]:
    """Flags acknowledged or decided on that the answers no longer raise (and that are not
    on page 1 already as a disclosure later changed)."""
    shown = {f.id for f in result.every_flag_raised()} | {r.flag_id for r in result.retracted}
    ids = [a.flag_id for a in result.acknowledgements]
    ids += [d.target.removeprefix("flag:") for d in result.decisions
            if d.target.startswith("flag:")]
    out = []
    for flag_id in dict.fromkeys(ids):
        if flag_id in shown:
            continue
        target = f"flag:{flag_id}"
        lapsed = result.lapsed_in_error(target)
        model = _flag(catalog, flag_id)
        out.append(EarlierFlag(
            id=flag_id, title=model.title if model else flag_id,
            level=model.level.value if model else "",
            acknowledgement=result.acknowledgement_of(flag_id),
            decision=lapsed or result.decision_for(target), lapsed=lapsed is not None))
    return out


def _flag(catalog: Catalog, flag_id: str) -> Flag | None:
    for loaded in (*catalog.modules.values(), *catalog.pathways.values()):
        found = next((f for f in loaded.model.flags if f.id == flag_id), None)
        if found is not None:
            return found
    return None


def _family_text(catalog: Catalog, home: str, flag_id: str) -> str | None:
    loaded = catalog.modules.get(home) or catalog.pathways.get(home)
    flags = loaded.model.flags if loaded else []
    return next((f.family_text for f in flags if f.id == flag_id), None)


def _safety_not_done(result: AssessmentResult) -> list[str]:
    excused = {d.target.removeprefix("screen:"): d for d in result.decisions
               if d.decision == "not-asked" and d.target.startswith("screen:")}
    lines = []
    for u in result.safety_screens_unresolved:
        why = excused.get(f"{u.module}.{u.item}")
        if why is None:
            lines.append(f"Not answered: {u.prompt}")
    for ref, why in excused.items():
        lines.append(f"Not asked ({ref}), by {why.by}: {why.reason}")
    for gate in result.blank_gates:
        lines.append(f"{gate.title}: not reached, because its opening question(s) were left "
                     f"blank ({', '.join(gate.items)})")
    return lines


# -- variants --------------------------------------------------------------------------------

PARTNER_REDACTIONS = [
    "private staff notes (items marked as staff notes) and the notes staff added when "
    "acknowledging flags",
    "the internal assessment id, the date of birth and who entered each answer",
]
FAMILY_REDACTIONS = [
    "scores, screen results, instrument names and content versions",
    "staff notes, staff's own words, staff instructions and the list of answers",
    "the child's own words (kept in the record; a copy can be asked for)",
]


def redact(report: ReportData, variant: str, release: Release | None = None) -> ReportData:
    """The view a variant may carry. ``full`` is the record unchanged.

    ``partner`` (to CAMHS, social care, liaison and diversion, GP, school) keeps what the
    partner needs to act: the child reference (to match their records), age, setting, who
    assessed and when, flags with whether they were acknowledged (not the private note added
    on acknowledging), actions, the communication profile, the child's words, findings,
    screen results and the consent record. It drops items marked ``staff_note`` everywhere
    (findings, consent, annex, communication triggers), the internal assessment id (a
    database key, useless outside and a join key if leaked), the date of birth (age is
    enough; the sender adds identifiers through their own secure channel if needed) and
    who entered each answer. The ``release`` (who the copy is for and why) also leaves out
    the domains not included (sexual health, identity, parents: off by default) and, when
    one of those has something recorded, the child's own words unless asked for, since free
    text cannot be sorted by topic. The annex is off by default.

    ``family`` keeps only what is safe to hand over: when, where, who the child saw, a
    reason for the visit chosen from safe phrasings (never staff's own words), the content's
    family wording of flags that do not concern the household, how we will talk with them
    and national contacts. No scores, instrument names or content versions, no staff wording
    or notes, no answers, no local services (a promise that depends on a service turning
    up), and not the child's own words: a copy taken home may be read by the very person
    the child spoke about.
    """
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r} (use one of {', '.join(VARIANTS)})")
    if variant == "full":
        return dataclasses.replace(report, variant="full", release=release)
    if variant == "family":
        return _family_view(report, release)
    return _partner_view(report, release)


def _partner_view(report: ReportData, release: Release | None) -> ReportData:
    excluded = release.excluded if release else ()
    words = release is None or release.child_words

    def options_kept(ln: AnswerLine) -> tuple[tuple[str, str], ...]:
        return tuple(o for o in ln.chosen if not any(
            leaves_out_option(d, ln.module, ln.item, o[0]) for d in excluded))

    def kept(ln: AnswerLine) -> bool:
        """Not a staff note, not in a domain left out, and not only options left out."""
        return not ln.staff_note and (words or not ln.child_words) and not any(
            leaves_out_line(d, ln.module, ln.item, ln.domain) for d in excluded) and (
            not ln.chosen or bool(options_kept(ln)))

    def shared(ln: AnswerLine) -> AnswerLine:
        options = options_kept(ln)
        answer = "; ".join(label for _, label in options) \
            if options != ln.chosen else ln.answer
        return dataclasses.replace(ln, by=None, answered_at=None, chosen=options,
                                   answer=answer)

    def lines_of(lines: list[AnswerLine]) -> list[AnswerLine]:
        return [shared(ln) for ln in lines if kept(ln)]

    out_flags = {f for d in excluded for f in d.flags}
    out_tags = {t for d in excluded for t in d.service_tags}
    hidden_prompts = {ln.prompt for m in report.annex for ln in m.lines if not kept(ln)}
    flags = [dataclasses.replace(f, acknowledgement=dataclasses.replace(
                 f.acknowledgement, note=None) if f.acknowledgement else None)
             for f in report.flags if f.id not in out_flags]
    return dataclasses.replace(
        report, variant="partner", redactions=PARTNER_REDACTIONS, release=release,
        assessment_id=None, date_of_birth=None, flags=flags,
        needs=[dataclasses.replace(n, triggered_by=[t for t in n.triggered_by
                                                    if t not in hidden_prompts])
               for n in report.needs],
        findings=[DomainFindings(d.domain, d.label, lines_of(d.lines))
                  for d in report.findings if lines_of(d.lines)],
        consent=lines_of(report.consent),
        annex=[dataclasses.replace(m, lines=lines_of(m.lines)) for m in report.annex],
        child_words=report.child_words if words else [],
        presenting_issue=report.presenting_issue
        if release is None or release.presenting_issue else None,
        visit_reason=report.visit_reason if report.visit_reason is None or not any(
            leaves_out_line(d, report.visit_reason.module, report.visit_reason.item,
                            "presenting-issue") for d in excluded) else None,
        services=[s for s in report.services
                  if not out_tags & set(s.get("needs_met") or ())],
        retracted=[r for r in report.retracted if r.flag_id not in out_flags],
        flags_in_error=[e for e in report.flags_in_error if e.flag.id not in out_flags],
        earlier_flags=[dataclasses.replace(e, acknowledgement=dataclasses.replace(
                           e.acknowledgement, note=None) if e.acknowledgement else None)
                       for e in report.earlier_flags if e.id not in out_flags],
        screen_lines=[dataclasses.replace(ln, flags=tuple(f for f in ln.flags
                                                          if f[0] not in out_flags))
                      for ln in report.screen_lines],
    )


def _family_view(report: ReportData, release: Release | None) -> ReportData:
    household = set(HOUSEHOLD_FLAGS) | set(CONFIDENTIAL_FLAGS)
    return dataclasses.replace(
        report, variant="family", redactions=FAMILY_REDACTIONS, release=release,
        assessment_id=None, date_of_birth=None, amend_reason=None,
        presenting_issue=release.visit_reason if release else None,
        content_versions=[], content_changed=[],
        flags=[FlagLine(flag=RaisedFlag(id=f.id, module="", level=f.level, title="",
                                        action="", rationale="", source=""))
               for f in report.flags],
        # Only the content's family wording, and never for a flag about the household.
        family_texts={k: v for k, v in report.family_texts.items() if k not in household},
        recommendations=[], services=[],
        needs=[], child_words=[], screens=[], findings=[], consent=[], annex=[],
        not_offered=[], retracted=[], safety_not_done=[], screen_lines=[], flags_in_error=[],
        earlier_flags=[],
        visit_reason=None,  # the family copy's reason is the safe sentence chosen at export
    )


def parse_time(iso: str | None) -> dt.datetime | None:
    if not iso:
        return None
    try:
        return dt.datetime.fromisoformat(iso)
    except ValueError:
        return None
