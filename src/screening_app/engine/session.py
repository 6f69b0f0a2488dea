"""An assessment in progress: checks each answer, keeps them, and says what changed."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..content.loader import Catalog
from ..content.models import DECLINED, SETTINGS, Item, ItemType, Module
from .evaluate import Key, evaluate, steps_for_age
from .results import Evaluation, RaisedFlag, ScoreResult


class AnswerError(ValueError):
    """An answer the content cannot take; the message names the module and item."""


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
    are a pure function of content plus answers: replaying the same answers gives the
    same result.
    """

    def __init__(self, catalog: Catalog, setting: str, age: int,
                 extra_modules: Iterable[str] = (),
                 answers: Iterable[tuple[str, str, Any]] = ()):
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
        self._previewed: tuple[dict[Key, Any], Evaluation] | None = None
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

    def answer(self, module_id: str, item_id: str, value: Any) -> Changes:
        stored = self.check(module_id, item_id, value)
        return self._apply({**self.answers, (module_id, item_id): stored})

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

    def preview(self, module_id: str, item_id: str, stored: Any) -> Changes:
        """What an answer in stored form (None: clearing it) would change, without
        applying it: the application layer asks before it commits."""
        answers = dict(self.answers)
        if stored is None:
            answers.pop((module_id, item_id), None)
        else:
            answers[(module_id, item_id)] = stored
        after = self._evaluate(answers)
        self._previewed = (answers, after)  # applying this same change next reuses it
        return diff(self.evaluation, after)

    def clear(self, module_id: str, item_id: str) -> Changes:
        answers = dict(self.answers)
        answers.pop((module_id, item_id), None)
        return self._apply(answers)

    def _evaluate(self, answers: dict[Key, Any] | None = None) -> Evaluation:
        return evaluate(self.catalog, self.setting, self.age,
                        self.answers if answers is None else answers, self.extra_modules)

    def _apply(self, answers: dict[Key, Any]) -> Changes:
        before = self.evaluation
        previewed, self._previewed = self._previewed, None
        after = previewed[1] if previewed and previewed[0] == answers else \
            self._evaluate(answers)
        self.answers = answers
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


def normalise_value(item: Item, value: Any, where: str) -> Any:
    """Check a value against its item's type and return it in the one stored form."""
    if value == DECLINED:
        if not item.declinable:
            raise AnswerError(f"{where}: this item cannot be declined")
        return DECLINED
    t = item.type
    if t == ItemType.INFO:
        raise AnswerError(f"{where}: information items take no answer")
    if t in (ItemType.YES_NO, ItemType.SINGLE_CHOICE):
        code = _code(value)
        if code not in item.codes():
            raise AnswerError(f"{where}: unknown answer code {_show(value)} (expected one of "
                              f"{', '.join(item.codes())}, or declined)")
        return code
    if t == ItemType.MULTI_CHOICE:
        if not isinstance(value, list):
            raise AnswerError(f"{where}: expected a list of option codes")
        codes = [_code(v) for v in value]
        unknown = [c for c in codes if c not in item.codes()]
        if unknown:
            raise AnswerError(f"{where}: unknown answer code {_show(unknown[0])} (expected any of "
                              f"{', '.join(item.codes())})")
        return [c for c in item.codes() if c in codes]  # content order, no repeats
    if t in (ItemType.SCALE, ItemType.NUMBER):
        number = _number(value, where)
        if t == ItemType.SCALE and not float(number).is_integer():
            raise AnswerError(f"{where}: a scale answer is a whole number")
        if (item.min is not None and number < item.min) or (item.max is not None and
                                                            number > item.max):
            raise AnswerError(f"{where}: {number:g} is outside {_range(item)}")
        return int(number) if float(number).is_integer() else number
    if t == ItemType.DATE:
        if not isinstance(value, str):
            raise AnswerError(f"{where}: expected a date as YYYY-MM-DD")
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            raise AnswerError(f"{where}: {_show(value)} is not a date (use YYYY-MM-DD)") from None
    if not isinstance(value, str):
        raise AnswerError(f"{where}: expected text")
    if "\x00" in value:
        raise AnswerError(f"{where}: text contains a NUL character, which cannot be stored")
    if len(value) > item.max_length:
        raise AnswerError(f"{where}: text is {len(value):,} characters; the limit is "
                          f"{item.max_length:,}")
    return value


def _code(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value) if isinstance(value, (str, int)) else repr(value)


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise AnswerError(f"{where}: expected a number")
    try:
        number = float(value)
    except ValueError:
        raise AnswerError(f"{where}: {_show(value)} is not a number") from None
    if not math.isfinite(number):
        raise AnswerError(f"{where}: {_show(value)} is not a finite number")
    return number


def _range(item: Item) -> str:
    low = "any" if item.min is None else f"{item.min:g}"
    high = "any" if item.max is None else f"{item.max:g}"
    return f"the allowed range {low} to {high}"


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
