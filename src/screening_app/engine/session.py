"""An assessment in progress: checks each answer, keeps them, and says what changed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..content.loader import Catalog
from ..content.models import SETTINGS, Item, Module
from .answers import AnswerError, normalise_value
from .evaluate import Key, evaluate, steps_for_age
from .results import Evaluation, RaisedFlag, ScoreResult


class SessionError(ValueError):
    """A session that cannot be started (unknown setting or module, age out of range)."""


@dataclass(frozen=True)
class Changes:
    """What one answer changed, for the screen to update just that."""

    shown: list[Key] = field(default_factory=list)
    hidden: list[Key] = field(default_factory=list)
    scores: list[ScoreResult] = field(default_factory=list)
    flags_raised: list[RaisedFlag] = field(default_factory=list)
    flags_cleared: list[RaisedFlag] = field(default_factory=list)
    modules_started: list[str] = field(default_factory=list)
    modules_stopped: list[str] = field(default_factory=list)


MIN_AGE, MAX_AGE = 0, 25


class AssessmentSession:
    """One child's assessment against one setting's pathway.

    Results are recomputed from scratch from the stored answers on every change, so they
    are a pure function of content plus answers (and the flags set aside as raised in
    error, which the application layer keeps in step with the record): replaying the same
    answers gives the same result.
    """

    def __init__(self, catalog: Catalog, setting: str, age: int,
                 extra_modules: Iterable[str] = (),
                 answers: Iterable[tuple[str, str, Any]] = (),
                 set_aside: Iterable[str] = ()):
        if setting not in SETTINGS:
            raise SessionError(f"unknown setting '{setting}' (use one of {', '.join(SETTINGS)})")
        if setting not in catalog.pathways:
            raise SessionError(f"no pathway is installed for setting '{setting}'")
        if isinstance(age, bool) or not isinstance(age, int) or not MIN_AGE <= age <= MAX_AGE:
            raise SessionError(f"age must be a whole number of years from {MIN_AGE} to {MAX_AGE}")
        extra = tuple(extra_modules)
        for module_id in extra:
            if module_id not in catalog.modules:
                raise SessionError(f"unknown module '{module_id}'")
        self.catalog = catalog
        self.setting = setting
        self.age = age
        self.extra_modules = extra
        self.pathway = catalog.pathway(setting)
        self.steps, self.gated = steps_for_age(self.pathway, catalog, age, extra)
        self.answers: dict[Key, Any] = {}
        self.set_aside: frozenset[str] = frozenset(set_aside)
        self._previewed: tuple[dict[Key, Any], frozenset[str], Evaluation] | None = None
        self.evaluation: Evaluation = self._evaluate()
        self.restore(answers)

    # -- content ----------------------------------------------------------------------------
    def modules(self) -> list[Module]:
        return [self.catalog.module(s.module) for s in self.steps]

    def content_pins(self) -> dict[str, dict[str, str]]:
        pins = {m.id: self.catalog.pin(m.id) for m in self.modules()}
        loaded = self.catalog.pathways[self.setting]
        pins[f"pathway:{self.setting}"] = {"version": loaded.model.version,
                                          "sha256": loaded.sha256}
        return pins

    def visible_items(self) -> list[tuple[Module, Item]]:
        vis = self.evaluation.visible
        return [(m, i) for m in self.modules() for i in m.items() if vis.get((m.id, i.id))]

    def is_visible(self, module_id: str, item_id: str) -> bool:
        return self.evaluation.visible.get((module_id, item_id), False)

    # -- answering --------------------------------------------------------------------------
    def check(self, module_id: str, item_id: str, value: Any) -> Any:
        """The answer in stored form, or AnswerError saying what is wrong with it."""
        where = f"{module_id}.{item_id}"
        if module_id not in {s.module for s in self.steps}:
            if module_id in self.catalog.modules:
                raise AnswerError(f"{where}: module '{module_id}' is not part of this assessment")
            raise AnswerError(f"{where}: unknown module '{module_id}'")
        item = self.catalog.module(module_id).item(item_id)
        if item is None:
            raise AnswerError(f"{where}: unknown item '{item_id}' in module '{module_id}'")
        if not self.is_visible(module_id, item_id):
            raise AnswerError(f"{where}: item is not shown (its conditions are not met), so it "
                              f"cannot be answered")
        return normalise_value(item, value, where)

    def answer(self, module_id: str, item_id: str, value: Any, *,
               set_aside: Iterable[str] | None = None) -> Changes:
        """``set_aside``: the flags in error once this answer is given (None: as now)."""
        stored = self.check(module_id, item_id, value)
        return self._apply({**self.answers, (module_id, item_id): stored}, set_aside)

    def restore(self, answers: Iterable[tuple[str, str, Any]]) -> Changes:
        """Take back saved answers all at once, as stored.

        Each is checked against its item's type but not its visibility: an answer to an item
        hidden since it was given is kept and simply does not count while hidden.
        """
        restored = dict(self.answers)
        for module_id, item_id, value in answers:
            where = f"{module_id}.{item_id}"
            module = self.catalog.module(module_id) if module_id in self.catalog.modules \
                else None
            item = module.item(item_id) if module else None
            if item is None:
                raise AnswerError(f"{where}: saved answer names an item this content lacks")
            restored[(module_id, item_id)] = normalise_value(item, value, where)
        return self._apply(restored)

    def preview(self, module_id: str, item_id: str, stored: Any, *,
                set_aside: Iterable[str] | None = None) -> Changes:
        """What an answer in stored form (None: clearing it) would change, without
        applying it: the application layer asks before it commits. With ``set_aside`` (the
        flags still marked in error once the answer is given), a marking the answer lapses
        is judged as if it had never been made: as before markings brought flags back."""
        answers = dict(self.answers)
        if stored is None:
            answers.pop((module_id, item_id), None)
        else:
            answers[(module_id, item_id)] = stored
        aside = self.set_aside if set_aside is None else frozenset(set_aside)
        after = self._evaluate(answers, aside)
        self._previewed = (answers, aside, after)  # applying this same change reuses it
        before = self.evaluation if aside == self.set_aside else \
            self._evaluate(self.answers, aside)
        return diff(before, after)

    def clear(self, module_id: str, item_id: str, *,
              set_aside: Iterable[str] | None = None) -> Changes:
        answers = dict(self.answers)
        answers.pop((module_id, item_id), None)
        return self._apply(answers, set_aside)

    def set_aside_flags(self, flag_ids: Iterable[str]) -> Changes:
        """Evaluate again with these flags marked raised in error (H-149): the flags that
        come back or go away. The same set again changes nothing and costs nothing."""
        if frozenset(flag_ids) == self.set_aside:
            return Changes()
        return self._apply(self.answers, flag_ids)

    def _evaluate(self, answers: dict[Key, Any] | None = None,
                  set_aside: frozenset[str] | None = None) -> Evaluation:
        return evaluate(self.catalog, self.setting, self.age,
                        self.answers if answers is None else answers, self.extra_modules,
                        self.set_aside if set_aside is None else set_aside)

    def _apply(self, answers: dict[Key, Any], set_aside: Iterable[str] | None = None) \
            -> Changes:
        before = self.evaluation
        aside = self.set_aside if set_aside is None else frozenset(set_aside)
        previewed, self._previewed = self._previewed, None
        after = previewed[2] if previewed and previewed[:2] == (answers, aside) else \
            self._evaluate(answers, aside)
        self.answers = answers
        self.set_aside = aside
        self.evaluation = after
        return diff(before, after)

    def counted_answers(self) -> dict[Key, Any]:
        """Answers to items that are shown: the ones that count."""
        return {k: v for k, v in self.answers.items() if self.evaluation.visible.get(k)}

    def result(self) -> dict:
        return self.evaluation.to_dict()


def diff(before: Evaluation, after: Evaluation) -> Changes:
    shown = [k for k, v in after.visible.items() if v and not before.visible.get(k)]
    hidden = [k for k, v in before.visible.items() if v and not after.visible.get(k)]
    old_scores = {(s.module, s.id): s for m in before.modules for s in m.scores}
    scores = [s for m in after.modules for s in m.scores if old_scores.get((s.module, s.id)) != s]
    old_flags = {f.id: f for f in before.flags}
    new_flags = {f.id: f for f in after.flags}
    return Changes(
        shown=shown, hidden=hidden, scores=scores,
        flags_raised=[f for i, f in new_flags.items() if i not in old_flags],
        flags_cleared=[f for i, f in old_flags.items() if i not in new_flags],
        modules_started=[m for m in after.active_modules if m not in before.active_modules],
        modules_stopped=[m for m in before.active_modules if m not in after.active_modules],
    )
