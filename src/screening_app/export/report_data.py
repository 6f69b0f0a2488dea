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

from ..content.models import DECLINED, Item, ItemType, Module

# Annex statuses: every item of the pathway ends up in exactly one of these.
ANSWERED = "answered"
DECLINED_STATUS = "declined"
NOT_ANSWERED = "not answered"
NOT_ASKED = "not asked"  # hidden by branching: its conditions were not met
NOT_STARTED = "not started"  # the whole module's pathway condition was not met

VARIANTS = ("full", "partner", "family")

SETTING_NAMES = {
    "ed": "Emergency department",
    "custody": "Police custody",
    "gp": "General practice",
    "school-nurse": "School nursing",
}

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


@dataclass(frozen=True)
class FlagLine:
    id: str
    module: str
    level: str
    title: str
    action: str
    rationale: str
    source: str
    acknowledged_by: str | None = None
    acknowledged_at: str | None = None
    acknowledgement_note: str | None = None
    decision: dict | None = None

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_by is not None


@dataclass(frozen=True)
class RecommendationLine:
    id: str
    module: str
    text: str
    owner: str | None = None
    family_text: str | None = None
    decision: dict | None = None


@dataclass(frozen=True)
class NeedLine:
    need: str
    adjustments: list[str]
    triggered_by: list[str]  # the prompts of the answers it rests on


@dataclass(frozen=True)
class WordsLine:
    module: str
    item: str
    prompt: str
    text: str


@dataclass(frozen=True)
class ScreenLine:
    module: str
    title: str
    version: str
    score: Any
    band: str | None
    band_label: str | None
    complete: bool
    prorated: bool
    answered: int | None
    shown: int | None
    source: str
    licence: str


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
class NotOffered:
    module: str
    title: str
    instead: str | None
    level: str


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
    child_words: list[WordsLine]
    screens: list[ScreenLine]
    not_offered: list[NotOffered]
    findings: list[DomainFindings]
    consent: list[AnswerLine]
    annex: list[ModuleAnnex]
    services: list[dict] = field(default_factory=list)
    redactions: list[str] = field(default_factory=list)

    @property
    def is_draft(self) -> bool:
        return self.status != "complete"


# -- building --------------------------------------------------------------------------------

def display_value(item: Item | None, value: Any) -> str:
    """An answer as words: option labels, numbers with units, text as given."""
    if value == DECLINED:
        return "Declined to answer"
    if item is None:
        return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    if item.type in (ItemType.YES_NO, ItemType.SINGLE_CHOICE):
        return item.label_for(str(value))
    if item.type == ItemType.MULTI_CHOICE:
        labels = [item.label_for(str(v)) for v in value] if isinstance(value, list) else []
        return "; ".join(labels) if labels else "None selected"
    if item.type == ItemType.SCALE:
        ends = ""
        if item.min_label or item.max_label:
            low = f"{item.min:g}" + (f" {item.min_label}" if item.min_label else "")
            high = f"{item.max:g}" + (f" {item.max_label}" if item.max_label else "")
            ends = f" (on a scale from {low} to {high})"
        return f"{value}{ends}"
    if item.type == ItemType.NUMBER:
        return f"{value} {item.unit}" if item.unit else str(value)
    return str(value)


def _item(catalog, module_id: str, item_id: str) -> Item | None:  # noqa: ANN001
    loaded = catalog.modules.get(module_id)
    return loaded.model.item(item_id) if loaded else None


def _module(catalog, module_id: str) -> Module | None:  # noqa: ANN001
    loaded = catalog.modules.get(module_id)
    return loaded.model if loaded else None


def is_consent_module(module: Module) -> bool:
    if "consent" in module.id or "sharing" in module.id:
        return True
    domains = {i.domain for i in module.items() if i.answerable}
    return bool(domains) and domains <= CONSENT_DOMAINS


def _domain_label(domain: str) -> str:
    return domain.replace("_", " ").replace("-", " ").capitalize()


def _latest_decisions(decisions: list[dict]) -> dict[str, dict]:
    latest: dict[str, dict] = {}
    for d in decisions:
        latest[d["target"]] = d
    return latest


def build_report(assessment, variant: str = "full") -> ReportData:  # noqa: ANN001
    """The full view of an OpenAssessment; pass it to ``redact`` for a variant."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r} (use one of {', '.join(VARIANTS)})")
    record = assessment.record
    session = assessment.session
    catalog = assessment.ctx.catalog
    result = assessment.result()
    visible = session.evaluation.visible

    acks: dict[str, dict] = {}
    for a in result.get("acknowledgements", []):
        acks.setdefault(a["flag_id"], a)
    decisions = _latest_decisions(result.get("decisions", []))

    flags = []
    for f in result["flags"]:
        ack = acks.get(f["id"])
        flags.append(FlagLine(
            id=f["id"], module=f["module"], level=f["level"], title=f["title"],
            action=f["action"], rationale=f.get("rationale", ""), source=f.get("source", ""),
            acknowledged_by=ack["by"] if ack else None, acknowledged_at=ack["at"] if ack else None,
            acknowledgement_note=ack.get("note") if ack else None,
            decision=decisions.get(f"flag:{f['id']}")))

    recommendations = []
    for r in result["recommendations"]:
        model = _module(catalog, r.get("module", ""))
        rec_model = next((x for x in (model.recommendations if model else [])
                          if x.id == r["id"]), None)
        recommendations.append(RecommendationLine(
            id=r["id"], module=r.get("module", ""), text=r["text"], owner=r.get("owner"),
            family_text=getattr(rec_model, "family_text", None),
            decision=decisions.get(f"recommendation:{r['id']}")))

    def prompt_of(ref: str) -> str:
        module_id, _, item_id = ref.partition(".")
        item = _item(catalog, module_id, item_id)
        return item.prompt_for(record.setting) if item else ref

    comm = result.get("communication", {})
    needs = [NeedLine(need=n["need"], adjustments=list(n["adjustments"]),
                      triggered_by=[prompt_of(t) for t in n.get("triggered_by", [])])
             for n in comm.get("profile", [])]
    words = [WordsLine(module=w["module"], item=w["item"], prompt=w["prompt"], text=w["text"])
             for w in result.get("child_voice_detail", [])]

    screens = []
    for m in result["modules"]:
        primary = next((s for s in m.get("scores", []) if s.get("primary")), None)
        if primary is None and m.get("score") is None and m.get("band") is None:
            continue
        screens.append(ScreenLine(
            module=m["module"], title=m.get("title", m["module"]), version=m.get("version", ""),
            score=m.get("score"), band=m.get("band"),
            band_label=primary.get("band_label") if primary else None,
            complete=bool(m.get("complete")), prorated=bool(m.get("prorated")),
            answered=primary.get("answered") if primary else None,
            shown=(primary.get("answered", 0) + primary.get("missing", 0)) if primary else None,
            source=m.get("source", ""), licence=m.get("licence", "")))

    answers = {(a["module"], a["item"]): a for a in result["answers"]}
    annex: list[ModuleAnnex] = []
    findings: dict[str, list[AnswerLine]] = {}
    domain_order: list[str] = []
    consent: list[AnswerLine] = []
    active = set(session.evaluation.active_modules)
    for module in session.modules():
        consent_module = is_consent_module(module)
        lines = []
        for item in module.items():
            if not item.answerable:
                continue
            key = (module.id, item.id)
            stored = answers.get(key)
            shown = visible.get(key, False)
            value = stored["value"] if stored else None
            if not shown:
                status = NOT_ASKED if module.id in active else NOT_STARTED
            elif value is None:
                status = NOT_ANSWERED
            elif value == DECLINED:
                status = DECLINED_STATUS
            else:
                status = ANSWERED
            line = AnswerLine(
                module=module.id, item=item.id, prompt=item.prompt_for(record.setting),
                domain=item.domain, item_type=item.type.value, status=status,
                answer=display_value(item, value) if value is not None else None,
                staff_note=item.staff_note, child_words=item.type == ItemType.CHILD_WORDS,
                answered_at=stored.get("answered_at") if stored else None,
                by=stored.get("by") if stored else None)
            lines.append(line)
            if status not in (ANSWERED, DECLINED_STATUS):
                continue
            if consent_module or item.domain in CONSENT_DOMAINS:
                consent.append(line)
            elif not line.child_words:
                domain = item.domain or module.id
                if domain not in findings:
                    findings[domain] = []
                    domain_order.append(domain)
                findings[domain].append(line)
        annex.append(ModuleAnnex(module=module.id, title=module.title, version=module.version,
                                 status="started" if module.id in active else NOT_STARTED,
                                 lines=lines))

    def label_for_domain(domain: str) -> str:
        model = _module(catalog, domain)
        return model.title if model and not any(i.domain for i in model.items()) \
            else _domain_label(domain)

    pins = result.get("content") or record.content_pins
    versions = sorted((name, pin.get("version", "?")) for name, pin in pins.items())
    pathway = catalog.pathways.get(record.setting)

    return ReportData(
        variant="full",
        assessment_id=record.id, reference=record.reference, setting=record.setting,
        setting_name=SETTING_NAMES.get(record.setting, record.setting),
        pathway_title=pathway.model.title if pathway else record.setting,
        age=record.age, date_of_birth=record.date_of_birth,
        presenting_issue=record.presenting_issue, status=record.status,
        version=record.version, amend_reason=record.amend_reason,
        created_at=record.created_at.isoformat(), created_by=record.created_by,
        completed_at=record.completed_at.isoformat() if record.completed_at else None,
        completed_by=record.completed_by,
        content_versions=versions, content_changed=list(assessment.content_changed),
        flags=flags, recommendations=recommendations, needs=needs,
        adjustments=list(comm.get("adjustments", [])), child_words=words, screens=screens,
        not_offered=[NotOffered(module=g["module"], title=g["title"], instead=g.get("instead"),
                                level=g.get("level", "consider"))
                     for g in result.get("not_offered", [])],
        findings=[DomainFindings(domain=d, label=label_for_domain(d), lines=findings[d])
                  for d in domain_order],
        consent=consent, annex=annex, services=list(result.get("services", [])),
    )


# -- variants --------------------------------------------------------------------------------

PARTNER_REDACTIONS = [
    "private staff notes (items marked as staff notes) and the notes staff added when "
    "acknowledging flags",
    "the internal assessment id, the date of birth and who entered each answer",
]
FAMILY_REDACTIONS = [
    "scores, screen results and instrument names",
    "staff notes, staff instructions and the list of answers",
    "the child's own words (kept in the record; a copy can be asked for)",
]


def redact(report: ReportData, variant: str) -> ReportData:
    """The view a variant may carry. ``full`` is the record unchanged.

    ``partner`` (to CAMHS, social care, liaison and diversion, GP, school) keeps what the
    partner needs to act: the child reference (to match their records), age, setting, who
    assessed and when, flags with whether they were acknowledged (not the private note added
    on acknowledging), actions, the communication profile, the child's words, findings,
    screen results and the consent record. It drops items marked ``staff_note`` everywhere
    (findings, consent, annex, communication triggers), the internal assessment id (a
    database key, useless outside and a join key if leaked), the date of birth (age is
    enough; the sender adds identifiers through their own secure channel if needed) and
    who entered each answer. The annex is off by default.

    ``family`` keeps only what is safe to hand over: when, where, who the child saw, why
    they met, what happens next in plain words (from the flag levels and any content
    ``family_text``), who will help, how we will talk with them and whom to contact. No
    scores or instruments, no staff wording or notes, no answers, and not the child's own
    words: a copy taken home may be read by the very person the child spoke about.
    """
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r} (use one of {', '.join(VARIANTS)})")
    if variant == "full":
        return dataclasses.replace(report, variant="full")

    def no_staff(lines: list[AnswerLine]) -> list[AnswerLine]:
        return [dataclasses.replace(ln, by=None, answered_at=None)
                for ln in lines if not ln.staff_note]

    staff_prompts = {ln.prompt for m in report.annex for ln in m.lines if ln.staff_note}
    common = dict(
        assessment_id=None, date_of_birth=None,
        flags=[dataclasses.replace(f, acknowledgement_note=None) for f in report.flags],
        needs=[dataclasses.replace(n, triggered_by=[t for t in n.triggered_by
                                                    if t not in staff_prompts])
               for n in report.needs],
        findings=[DomainFindings(d.domain, d.label, no_staff(d.lines))
                  for d in report.findings if no_staff(d.lines)],
        consent=no_staff(report.consent),
        annex=[dataclasses.replace(m, lines=no_staff(m.lines)) for m in report.annex],
    )
    if variant == "partner":
        return dataclasses.replace(report, variant="partner", redactions=PARTNER_REDACTIONS,
                                   **common)
    return dataclasses.replace(
        report, variant="family", redactions=FAMILY_REDACTIONS, assessment_id=None,
        date_of_birth=None, amend_reason=None,
        flags=[FlagLine(id=f.id, module="", level=f.level, title="", action="", rationale="",
                        source="") for f in report.flags],
        # Staff wording stays out: only the content's family wording and who will act.
        recommendations=[RecommendationLine(id=r.id, module=r.module, text=r.family_text or "",
                                            owner=r.owner, family_text=r.family_text)
                         for r in report.recommendations
                         if not (r.decision and r.decision.get("decision") == "override")],
        needs=[], child_words=[], screens=[], findings=[], consent=[], annex=[],
        not_offered=[],
    )


def parse_time(iso: str | None) -> dt.datetime | None:
    if not iso:
        return None
    try:
        return dt.datetime.fromisoformat(iso)
    except ValueError:
        return None
