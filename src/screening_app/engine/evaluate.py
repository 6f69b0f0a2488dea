"""Results as a pure function of content, setting, age and answers.

Everything is evaluated lazily with memoisation: an item is visible when its module's
pathway step is active, its section is enabled and its own ``enable_when`` holds; only
visible items' answers count anywhere. The validator guarantees there are no cycles, so
the recursion always ends; a guard still turns a cycle into a clear error.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..content.loader import Catalog
from ..content.models import (
    CHOICE_TYPES,
    DECLINED,
    LEVEL_ORDER,
    Condition,
    Flag,
    Item,
    ItemType,
    Level,
    Module,
    Pathway,
    PathwayStep,
    Recommendation,
    SafetyScreen,
    Score,
)
from ..content.refs import resolve
from .results import (
    BlankGate,
    ChildWords,
    CommunicationNeed,
    Evaluation,
    GatedModule,
    ModuleResult,
    RaisedFlag,
    RaisedRecommendation,
    ScoreResult,
    UnresolvedScreen,
)

Key = tuple[str, str]
# Score bands passed over when a flag is evaluated: (module, score id, band code).
Passed = frozenset[tuple[str, str, str]]
HONEST: Passed = frozenset()


class EvaluationError(Exception):
    """Content that cannot be evaluated (a cycle that slipped past validation)."""


def steps_for_age(
    pathway: Pathway, catalog: Catalog, age: int, extra_modules: tuple[str, ...] = ()
) -> tuple[list[PathwayStep], list[GatedModule]]:
    """The pathway's steps this child's age admits, plus any extra modules asked for.

    A module asked for explicitly (a practitioner's choice, within the module's own age
    range) is brought in now: a pathway step that would wait for its trigger or its step age
    gate loses them (its items' own branching stays).
    """
    steps: list[PathwayStep] = []
    gated: list[GatedModule] = []
    for step in pathway.steps:
        module = catalog.module(step.module)
        chosen = step.module in extra_modules and module.ages.admits(age)
        if chosen and (step.when is not None or not step.ages.admits(age)):
            steps.append(step.model_copy(update={"when": None, "ages": module.ages}))
        elif step.ages.admits(age) and module.ages.admits(age):
            steps.append(step.for_age(age))
        else:
            gated.append(GatedModule(module=step.module, title=module.title, instead=step.instead,
                                     level=step.instead_level.value))
    present = {s.module for s in steps} | {g.module for g in gated}
    for module_id in extra_modules:
        if module_id in present:
            continue
        present.add(module_id)
        module = catalog.module(module_id)
        if module.ages.admits(age):
            steps.append(PathwayStep(module=module_id))
        else:
            gated.append(GatedModule(module=module_id, title=module.title, instead=None,
                                     level=Level.CONSIDER.value))
    return steps, gated


@dataclass
class _Evaluator:
    catalog: Catalog
    pathway: Pathway
    steps: list[PathwayStep]
    answers: Mapping[Key, Any]
    age: int = 0
    # Flags marked raised in error (H-149): see ``flag_raised``.
    set_aside: frozenset[str] = frozenset()
    _memo: dict[tuple, Any] = field(default_factory=dict)
    _busy: set[tuple] = field(default_factory=set)

    def _cached(self, key: tuple, compute):  # noqa: ANN001, ANN202
        if key in self._memo:
            return self._memo[key]
        if key in self._busy:
            raise EvaluationError(f"circular condition through {key}")
        self._busy.add(key)
        try:
            value = compute()
        finally:
            self._busy.discard(key)
        self._memo[key] = value
        return value

    def module(self, module_id: str) -> Module:
        return self.catalog.module(module_id)

    # -- visibility ---------------------------------------------------------------------------
    def module_active(self, module_id: str) -> bool:
        def compute() -> bool:
            step = next((s for s in self.steps if s.module == module_id), None)
            return step is not None and self.holds(step.when, None)
        return self._cached(("step", module_id), compute)

    def visible(self, module_id: str, item_id: str) -> bool:
        def compute() -> bool:
            if not self.module_active(module_id):
                return False
            module = self.module(module_id)
            section = module.section_of(item_id)
            item = module.item(item_id)
            if section is None or item is None:
                return False
            return (self.holds(section.enable_when, module_id)
                    and self.holds(item.enable_when, module_id))
        return self._cached(("item", module_id, item_id), compute)

    def value(self, module_id: str, item_id: str) -> Any:
        """The answer that counts: None when unanswered or hidden."""
        if not self.visible(module_id, item_id):
            return None
        return self.answers.get((module_id, item_id))

    # -- conditions ---------------------------------------------------------------------------
    def holds(self, condition: Condition | None, home: str | None,
              passed: Passed = HONEST) -> bool:
        """Whether ``condition`` holds; ``passed``: score bands read as not matching (only
        a flag's own condition is ever read so, see ``flag_raised``)."""
        if condition is None:
            return True
        if condition.all is not None:
            return all(self.holds(c, home, passed) for c in condition.all)
        if condition.any is not None:
            return any(self.holds(c, home, passed) for c in condition.any)
        if condition.not_ is not None:
            return not self.holds(condition.not_, home, passed)
        if condition.setting is not None:
            return condition.setting == self.pathway.setting
        if condition.age is not None:
            return condition.age.admits(self.age)
        if condition.flag is not None:
            return self.flag_raised(condition.flag)
        if condition.item is not None:
            ref = resolve(condition.item, home)
            if ref is None or ref[0] not in self.catalog.modules:
                return False
            item = self.module(ref[0]).item(ref[1])
            return item is not None and _item_test(condition, item, self.value(*ref))
        if condition.score is not None:
            ref = resolve(condition.score, home)
            if ref is None or ref[0] not in self.catalog.modules:
                return False
            result = self.score(ref[0], ref[1], passed)
            return result is not None and _score_test(condition, result)
        return False

    # -- scores -------------------------------------------------------------------------------
    def score(self, module_id: str, score_id: str,
              passed: Passed = HONEST) -> ScoreResult | None:
        skip = frozenset(b for m, s, b in passed if (m, s) == (module_id, score_id))

        def compute() -> ScoreResult | None:
            module = self.module(module_id)
            score = module.score(score_id)
            if score is None or not self.module_active(module_id):
                return None
            return self._sum(module, score, skip) if score.sum else \
                self._classify(module, score, skip)
        return self._cached(("score", module_id, score_id, skip), compute)

    def _sum(self, module: Module, score: Score, skip: frozenset[str]) -> ScoreResult:
        assert score.sum is not None
        total = 0.0
        answered = 0
        hidden = 0  # not offered by design (a short gate such as the PHQ-2 was below its cut)
        for item_id in score.sum:
            item = module.item(item_id)
            if not self.visible(module.id, item_id):
                hidden += 1
                continue
            number = _numeric(item, self.value(module.id, item_id)) if item else None
            if number is not None:
                total += number
                answered += 1
        missing = len(score.sum) - answered - hidden
        prorated = False
        value: float | None = total
        if hidden or missing > score.missing.max_missing or answered == 0:
            value = None
        elif missing and score.missing.prorate:
            value = _round_half_up(total * len(score.sum) / answered)
            prorated = True
        band = _band_for(score, value, skip) if value is not None else None
        return ScoreResult(
            module=module.id, id=score.id, label=score.label, primary=score.primary,
            value=_tidy(value), band=band.code if band else None,
            band_label=(band.label or band.code) if band else None,
            complete=missing == 0 and not hidden, prorated=prorated, answered=answered,
            missing=missing, at_least=_tidy(total) if answered else None, hidden=hidden,
        )

    def _classify(self, module: Module, score: Score, skip: frozenset[str]) -> ScoreResult:
        band = next((b for b in score.bands
                     if b.code not in skip and self.holds(b.when, module.id)), None)
        complete = all(
            self.value(module.id, i.id) is not None
            for i in module.items() if i.answerable and i.required and self.visible(module.id, i.id)
        )
        return ScoreResult(
            module=module.id, id=score.id, label=score.label, primary=score.primary, value=None,
            band=band.code if band else None,
            band_label=(band.label or band.code) if band else None,
            complete=complete, prorated=False, answered=0, missing=0,
        )

    # -- flags, recommendations, communication ------------------------------------------------
    def all_flags(self) -> list[tuple[str | None, Flag]]:
        def compute() -> list[tuple[str | None, Flag]]:
            owned = [(s.module, f) for s in self.steps for f in self.module(s.module).flags]
            return [*owned, *((None, f) for f in self.pathway.flags)]
        return self._cached(("all-flags",), compute)

    def _flag_index(self) -> dict[str, tuple[str | None, Flag]]:
        return self._cached(("flag-index",), lambda: {
            flag.id: (home, flag) for home, flag in reversed(self.all_flags())})

    def raised_flag_ids(self) -> frozenset[str]:
        return self._cached(("flags",), lambda: frozenset(
            flag.id for _, flag in self.all_flags() if self.flag_raised(flag.id)))

    def flag_raised(self, flag_id: str) -> bool:
        """One flag on its own, so a condition may name another flag (as the validator allows)
        without every flag depending on every other one and looking like a cycle.

        H-149: a flag is also raised when its condition holds with the score bands that the
        *other* set-aside flags rest on passed over, so a band marked in error gives way to
        the next matching band's flags. Only ever added: no flag raised on the honest score
        is lost, and the set-aside flags themselves stay reported (they stay on the record).
        """
        def compute() -> bool:
            found = self._flag_index().get(flag_id)
            if found is None:
                return False
            home, flag = found
            if home is not None and not self.module_active(home):
                return False
            if self.holds(flag.when, home):
                return True
            if not self.set_aside:
                return False  # the usual case: nothing marked, nothing more to read
            passed = self._passed_over(self.set_aside - {flag_id})
            return bool(passed) and self.holds(flag.when, home, passed)
        return self._cached(("flag", flag_id), compute)

    def _passed_over(self, flag_ids: frozenset[str]) -> Passed:
        """The score bands these flags' conditions rest on (tested for, not negated)."""
        def compute() -> Passed:
            index = self._flag_index()
            return frozenset(band for flag_id in flag_ids if flag_id in index
                             for band in _bands_named(index[flag_id][1].when,
                                                      index[flag_id][0]))
        return self._cached(("passed", flag_ids), compute)


def _numeric(item: Item | None, value: Any) -> float | None:
    if item is None or value is None or value == DECLINED:
        return None
    if item.type in (ItemType.SCALE, ItemType.NUMBER):
        return float(value)
    if item.type == ItemType.MULTI_CHOICE:
        scores = [item.option_score(c) for c in value]
        return float(sum(s for s in scores if s is not None))
    if item.type in CHOICE_TYPES:
        score = item.option_score(str(value))
        return float(score) if score is not None else None
    return None


def _round_half_up(x: float) -> float:
    return float(math.floor(x + 0.5))


def _tidy(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(value, 2)


def _band_for(score: Score, value: float, skip: frozenset[str]):  # noqa: ANN202
    return next((b for b in score.bands if b.code not in skip
                 and b.min <= value <= b.max), None)  # type: ignore[operator]


def _bands_named(condition: Condition | None, home: str | None) -> Passed:
    """The (module, score, band) tests a condition asks to hold; those under a ``not`` are
    left out (passing one over would make the condition more likely to hold, not less)."""
    if condition is None or condition.not_ is not None:
        return HONEST
    if condition.score is None:
        return frozenset(b for c in condition.children() for b in _bands_named(c, home))
    band, ref = condition.tests().get("band"), resolve(condition.score, home)
    return frozenset({(ref[0], ref[1], str(band))}) if ref and band is not None else HONEST


def _compare(tests: dict[str, Any], number: float | None) -> bool:
    ops = {"gt": lambda a, b: a > b, "gte": lambda a, b: a >= b,
           "lt": lambda a, b: a < b, "lte": lambda a, b: a <= b}
    for name, op in ops.items():
        if name in tests and (number is None or not op(number, tests[name])):
            return False
    return True


def _item_test(condition: Condition, item: Item, value: Any) -> bool:
    """Every test on the node must hold. A declined answer is neither a value nor missing."""
    tests = condition.tests()
    declined = value == DECLINED
    has_value = value is not None and not declined
    if "answered" in tests and tests["answered"] != has_value:
        return False
    if "declined" in tests and tests["declined"] != declined:
        return False
    if "equals" in tests and not (has_value and _same(value, tests["equals"])):
        return False
    if "not_equals" in tests and not (has_value and not _same(value, tests["not_equals"])):
        return False
    listed = tests.get("in")
    if listed is not None and not (has_value and isinstance(listed, list)
                                   and any(_same(value, v) for v in listed)):
        return False
    if "includes" in tests and not (has_value and isinstance(value, list)
                                    and tests["includes"] in value):
        return False
    numeric = {k: v for k, v in tests.items() if k in ("gt", "gte", "lt", "lte")}
    if numeric:
        return has_value and _compare(numeric, _numeric(item, value))
    return True


def _score_test(condition: Condition, result: ScoreResult) -> bool:
    tests = condition.tests()
    if "answered" in tests and tests["answered"] != (result.value is not None or
                                                     result.band is not None):
        return False
    if "band" in tests and result.band != tests["band"]:
        return False
    wanted = tests.get("at_least")
    if isinstance(wanted, (int, float)) and not (result.at_least is not None and
                                                 result.at_least >= wanted):
        return False
    if "equals" in tests and not (result.value is not None and result.value == tests["equals"]):
        return False
    if "not_equals" in tests and not (result.value is not None and
                                      result.value != tests["not_equals"]):
        return False
    numeric = {k: v for k, v in tests.items() if k in ("gt", "gte", "lt", "lte")}
    return not numeric or _compare(numeric, result.value)


def _same(value: Any, wanted: Any) -> bool:
    if isinstance(value, list):
        return False
    return str(value) == str(wanted) if not isinstance(wanted, bool) else value == wanted


def evaluate(catalog: Catalog, setting: str, age: int, answers: Mapping[Key, Any],
             extra_modules: tuple[str, ...] = (),
             set_aside: frozenset[str] = frozenset()) -> Evaluation:
    """Everything the content says about these answers for a child of this age.
    ``set_aside``: ids of flags marked raised in error, whose score bands give way to the
    next matching band for the other flags (H-149; scores are reported as scored)."""
    pathway = catalog.pathway(setting)
    steps, gated = steps_for_age(pathway, catalog, age, extra_modules)
    ev = _Evaluator(catalog=catalog, pathway=pathway, steps=steps, answers=answers, age=age,
                    set_aside=set_aside)

    visible: dict[Key, bool] = {}
    active: list[str] = []
    module_results: list[ModuleResult] = []
    child_voice: list[ChildWords] = []
    communication: list[CommunicationNeed] = []
    recommendations: list[RaisedRecommendation] = []
    unresolved: list[UnresolvedScreen] = []

    for step in steps:
        module = ev.module(step.module)
        is_active = ev.module_active(module.id)
        for item in module.items():
            visible[(module.id, item.id)] = ev.visible(module.id, item.id)
        if not is_active:
            continue
        active.append(module.id)
        scores = [s for s in (ev.score(module.id, sc.id) for sc in module.scores) if s]
        shown = [i for i in module.items() if i.answerable and visible[(module.id, i.id)]]
        complete = all(ev.answers.get((module.id, i.id)) is not None
                       for i in shown if i.required)
        not_scored = _not_scored(module, scores) if complete else None
        module_results.append(ModuleResult(
            module=module.id, title=module.title, version=module.version,
            source=module.source, licence=module.licence, scores=scores,
            complete=complete and not_scored is None,
            answered=sum(1 for i in shown if ev.answers.get((module.id, i.id)) is not None),
            shown=len(shown), not_scored=not_scored,
        ))
        unresolved.extend(_unresolved_screens(ev, module, shown))
        for item in module.items():
            words = ev.value(module.id, item.id)
            if item.type == ItemType.CHILD_WORDS and isinstance(words, str) and words.strip() \
                    and words != DECLINED:
                child_voice.append(ChildWords(module=module.id, item=item.id,
                                              prompt=item.child_prompt or item.prompt, text=words))
        for rule in module.communication:
            if ev.holds(rule.when, module.id):
                communication.append(CommunicationNeed(
                    id=rule.id, module=module.id, need=rule.need,
                    adjustments=list(rule.adjustments),
                    triggered_by=_triggers(ev, rule.when, module.id),
                    priority=rule.priority_for(setting),
                ))
        recommendations.extend(_recommend(ev, module.recommendations, module.id, setting))
    recommendations.extend(_recommend(ev, pathway.recommendations, None, setting))

    raised = ev.raised_flag_ids()
    flags = [
        RaisedFlag(id=f.id, module=home or pathway.id, level=f.level.value, title=f.title,
                   action=f.action_for(setting), rationale=f.rationale, source=f.source,
                   hazard=f.hazard, escalate_to=f.escalate_to)
        for home, f in ev.all_flags() if f.id in raised
    ]
    flags.sort(key=lambda f: LEVEL_ORDER[f.level_enum])  # stable: content order within a level

    return Evaluation(
        setting=setting, age=age, pathway=pathway.id, pathway_version=pathway.version,
        visible=visible, active_modules=active, gated=gated, modules=module_results,
        flags=flags, recommendations=recommendations, communication=communication,
        child_voice=child_voice, unresolved_safety_screens=unresolved,
        blank_gates=_blank_gates(ev, steps),
    )


def _not_scored(module: Module, scores: list[ScoreResult]) -> str | None:
    """Why a module answered throughout still has no total: its items were declined."""
    primary = next((s for s in scores if s.primary), None)
    if primary is None or primary.value is not None or primary.hidden:
        return None
    declared = module.score(primary.id)
    if declared is None or declared.sum is None:
        return None
    if primary.answered == 0:
        return "not scored: all items declined"
    return f"not scored: {primary.missing} items declined (too many for a total)"


def _unresolved_screens(ev: _Evaluator, module: Module,
                        shown: list[Item]) -> list[UnresolvedScreen]:
    """Safety-screen items on screen with neither an answer nor a "declined"."""
    started = any(ev.answers.get((module.id, i.id)) is not None for i in shown
                  if i.safety_screen is None)
    out = []
    for item in shown:
        if item.safety_screen is None or ev.answers.get((module.id, item.id)) is not None:
            continue
        if item.safety_screen == SafetyScreen.ONCE_STARTED and not started:
            continue
        out.append(UnresolvedScreen(module=module.id, item=item.id,
                                    prompt=item.prompt_for(ev.pathway.setting)))
    return out


def _blank_gates(ev: _Evaluator, steps: list[PathwayStep]) -> list[BlankGate]:
    """Modules with safety screens left out while items their step's trigger rests on are blank."""
    from ..content.refs import walk

    out = []
    for step in steps:
        module = ev.module(step.module)
        if step.when is None or ev.module_active(module.id) or \
                not any(i.safety_screen for i in module.items()):
            continue
        blank: list[str] = []
        for node in walk(step.when):
            ref = resolve(node.item, None) if node.item is not None else None
            name = f"{ref[0]}.{ref[1]}" if ref else ""
            if ref and ref[0] in ev.catalog.modules and ev.visible(*ref) \
                    and ev.answers.get(ref) is None and name not in blank:
                blank.append(name)
        if blank:
            out.append(BlankGate(module=module.id, title=module.title, items=blank))
    return out


def _recommend(ev: _Evaluator, recs: list[Recommendation], home: str | None,
               setting: str) -> list[RaisedRecommendation]:
    out = []
    for rec in recs:
        text = rec.text_for(setting)
        if text and ev.holds(rec.when, home):
            out.append(RaisedRecommendation(id=rec.id, module=home or ev.pathway.id, text=text,
                                            owner=rec.owner))
    return out


def _triggers(ev: _Evaluator, condition: Condition, home: str) -> list[str]:
    """The answered items a true condition rests on, as MODULE.ITEM."""
    from ..content.refs import walk

    found: list[str] = []
    for node in walk(condition):
        if node.item is not None:
            ref = resolve(node.item, home)
            if ref and ref[0] in ev.catalog.modules:
                item = ev.module(ref[0]).item(ref[1])
                if item is not None and _item_test(node, item, ev.value(*ref)):
                    name = f"{ref[0]}.{ref[1]}"
                    if name not in found:
                        found.append(name)
    return found
