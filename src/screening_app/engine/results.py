"""Plain result records: what the engine found, ready for the store, the screen and exports."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from ..content.models import Level


@dataclass(frozen=True)
class ScoreResult:
    module: str
    id: str
    label: str
    primary: bool
    value: int | float | None
    band: str | None
    band_label: str | None
    complete: bool
    prorated: bool
    answered: int
    missing: int
    # The certain floor of a summed score: the sum of the items answered (None if none are).
    at_least: int | float | None = None
    # Summed items not offered by design (a short gate below its cut): no total is given.
    hidden: int = 0


@dataclass(frozen=True)
class ModuleResult:
    module: str
    title: str
    version: str
    source: str
    licence: str
    scores: list[ScoreResult]
    complete: bool
    answered: int
    shown: int
    # Why a module whose every item has an answer still has no score ("all items declined").
    not_scored: str | None = None

    @property
    def primary(self) -> ScoreResult | None:
        return next((s for s in self.scores if s.primary), None)


@dataclass(frozen=True)
class RaisedFlag:
    id: str
    module: str
    level: str
    title: str
    action: str
    rationale: str
    source: str
    hazard: str | None = None
    escalate_to: str | None = None  # whom the action escalates to (content's escalate_to)

    @property
    def level_enum(self) -> Level:
        return Level(self.level)


@dataclass(frozen=True)
class RaisedRecommendation:
    id: str
    module: str
    text: str
    owner: str | None = None


@dataclass(frozen=True)
class CommunicationNeed:
    id: str
    module: str
    need: str
    adjustments: list[str]
    triggered_by: list[str]
    priority: int = 50


KEY_ADJUSTMENTS = 5


def _words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z']+", text.lower()))


def _without_near_duplicates(adjustments: list[str]) -> list[str]:
    """Each adjustment once, at its first place; one whose words are all in a longer one is
    replaced there by the longer ("Ask one question at a time" within "Keep questions short
    and ask one question at a time")."""
    unique = list(dict.fromkeys(adjustments))
    kept: list[str] = []
    for text in unique:
        words = _words(text)
        fuller = [o for o in unique if words < _words(o)]
        choice = max(fuller, key=lambda o: len(_words(o))) if fuller else text
        if choice not in kept:
            kept.append(choice)
    return kept


@dataclass(frozen=True)
class ChildWords:
    module: str
    item: str
    prompt: str
    text: str


@dataclass(frozen=True)
class GatedModule:
    """A pathway module this child's age leaves out, and what to do instead."""

    module: str
    title: str
    instead: str | None
    level: str


@dataclass(frozen=True)
class UnresolvedScreen:
    """A safety-screen item on screen with no answer and no "declined" (blocks completion)."""

    module: str
    item: str
    prompt: str


@dataclass(frozen=True)
class BlankGate:
    """A module holding safety screens kept away only because its gate items are blank."""

    module: str
    title: str
    items: list[str]


@dataclass(frozen=True)
class Evaluation:
    setting: str
    age: int
    pathway: str
    pathway_version: str
    visible: dict[tuple[str, str], bool]
    active_modules: list[str]
    gated: list[GatedModule]
    modules: list[ModuleResult]
    flags: list[RaisedFlag]
    recommendations: list[RaisedRecommendation]
    communication: list[CommunicationNeed]
    child_voice: list[ChildWords]
    extra: dict = field(default_factory=dict)
    unresolved_safety_screens: list[UnresolvedScreen] = field(default_factory=list)
    blank_gates: list[BlankGate] = field(default_factory=list)

    def module_result(self, module_id: str) -> ModuleResult | None:
        return next((m for m in self.modules if m.module == module_id), None)

    def communication_summary(self) -> dict:
        """Needs in the setting's priority order; adjustments without near-duplicates (one
        whose words all appear in another is dropped for the fuller one); the first five are
        the key adjustments to show first."""
        needs = sorted(self.communication, key=lambda n: n.priority)  # stable within a level
        adjustments = _without_near_duplicates([a for n in needs for a in n.adjustments])
        return {
            "needs": [n.need for n in needs],
            "adjustments": adjustments,
            "key_adjustments": adjustments[:KEY_ADJUSTMENTS],
            "profile": [asdict(n) for n in needs],
        }

    def to_dict(self) -> dict:
        """The engine's part of the result format in the command-line contract."""
        modules = []
        for m in self.modules:
            primary = m.primary
            modules.append({
                "module": m.module, "title": m.title, "version": m.version,
                "score": primary.value if primary else None,
                "band": primary.band if primary else None,
                "complete": m.complete,
                "prorated": primary.prorated if primary else False,
                "at_least": primary.at_least if primary else None,
                "not_scored": m.not_scored,
                "scores": [asdict(s) for s in m.scores],
                "source": m.source, "licence": m.licence,
            })
        recommendations = [asdict(r) for r in self.recommendations]
        for g in self.gated:
            if g.instead:
                recommendations.append({"id": f"{g.module}-age-gate", "module": g.module,
                                        "text": g.instead, "owner": None})
        return {
            "pathway": {"id": self.pathway, "version": self.pathway_version},
            "modules": modules,
            "flags": [asdict(f) for f in self.flags],
            "recommendations": recommendations,
            "communication": self.communication_summary(),
            "child_voice": [c.text for c in self.child_voice],
            "child_voice_detail": [asdict(c) for c in self.child_voice],
            "not_offered": [asdict(g) for g in self.gated],
            "safety_screens_unresolved": [asdict(u) for u in self.unresolved_safety_screens],
            "blank_gates": [asdict(b) for b in self.blank_gates],
        }
