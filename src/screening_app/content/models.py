"""The content format: pydantic models for questionnaire modules and setting pathways.

Content is data. Conditions are trees of plain records evaluated by the engine; nothing
in a content file is ever executed. Every model forbids unknown keys so that a typo in
a module file is an error naming the field, not a silently ignored setting.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property
from typing import Annotated, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, model_validator

from ..constants import SETTINGS

IDENTIFIER = r"^[a-z][a-z0-9_-]*$"
Identifier = Annotated[str, Field(pattern=IDENTIFIER, max_length=64)]
Text = Annotated[str, Field(min_length=1, max_length=4000)]
Number = StrictInt | float

Setting = Literal["ed", "custody", "gp", "school-nurse"]
DECLINED = "declined"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ItemType(StrEnum):
    YES_NO = "yes_no"
    SINGLE_CHOICE = "single_choice"
    MULTI_CHOICE = "multi_choice"
    SCALE = "scale"
    NUMBER = "number"
    DATE = "date"
    TEXT = "text"
    CHILD_WORDS = "child_words"
    INFO = "info"


CHOICE_TYPES = {ItemType.YES_NO, ItemType.SINGLE_CHOICE, ItemType.MULTI_CHOICE}
NUMERIC_TYPES = {ItemType.SCALE, ItemType.NUMBER}
TEXT_TYPES = {ItemType.TEXT, ItemType.CHILD_WORDS}


class Level(StrEnum):
    """What a flag asks of the practitioner: an action, never a predicted risk."""

    ACT_NOW = "act-now"
    REFER = "refer"
    CONSIDER = "consider"


LEVEL_ORDER = {Level.ACT_NOW: 0, Level.REFER: 1, Level.CONSIDER: 2}


class SafetyScreen(StrEnum):
    """When a safety-screen item must be resolved (answered or declined) before completion.

    ``when_shown``: as soon as the item is on screen (the ASQ questions, the self-harm gate).
    ``once_started``: once any other item of its module has an answer (PHQ-9 item 9 after the
    PHQ-9 was begun), so a deeper module brought in but not begun does not block.
    """

    WHEN_SHOWN = "when_shown"
    ONCE_STARTED = "once_started"


class AgeRange(Strict):
    min: StrictInt | None = Field(default=None, ge=0, le=25)
    max: StrictInt | None = Field(default=None, ge=0, le=25)

    @model_validator(mode="after")
    def _ordered(self) -> AgeRange:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"age min {self.min} is above max {self.max}")
        return self

    def admits(self, age: int) -> bool:
        return (self.min is None or age >= self.min) and (self.max is None or age <= self.max)


class Condition(Strict):
    """One node of a condition tree. Exactly one of the subject keys is set.

    Subjects: ``all`` / ``any`` (lists), ``not`` (one condition), ``item`` (an answer,
    ``ITEM`` in this module or ``MODULE.ITEM``), ``score`` (a declared score, ``SCORE`` or
    ``MODULE.SCORE``), ``flag`` (a flag id raised anywhere), ``setting`` (the pathway's
    setting), ``age`` (the child's age in a range, ``{min, max}``). Tests on an item or
    score: ``equals``, ``not_equals``, ``in``, ``includes`` (multiple choice),
    ``gt``/``gte``/``lt``/``lte``, ``answered``, ``declined``; on a score also ``band`` and
    ``at_least`` (the certain floor of a summed score, for incomplete forms).
    """

    all: list[Condition] | None = Field(default=None, min_length=1)
    any: list[Condition] | None = Field(default=None, min_length=1)
    not_: Condition | None = Field(default=None, alias="not")
    item: StrictStr | None = None
    score: StrictStr | None = None
    flag: StrictStr | None = None
    setting: Setting | None = None
    age: AgeRange | None = None

    equals: StrictStr | Number | StrictBool | None = None
    not_equals: StrictStr | Number | None = None
    in_: list[StrictStr | Number] | None = Field(default=None, alias="in", min_length=1)
    includes: StrictStr | None = None
    gt: Number | None = None
    gte: Number | None = None
    lt: Number | None = None
    lte: Number | None = None
    answered: StrictBool | None = None
    declined: StrictBool | None = None
    band: StrictStr | None = None
    # A summed score's certain floor: its total, or on an incomplete form the sum of the items
    # answered so far (unanswered items can only add to it). For "at least N, incomplete".
    at_least: Number | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _one_subject(self) -> Condition:
        subjects = [
            k for k in ("all", "any", "not_", "item", "score", "flag", "setting", "age")
            if getattr(self, k) is not None
        ]
        if len(subjects) != 1:
            raise ValueError(
                "a condition needs exactly one of all, any, not, item, score, flag, setting, age"
                f" (found {', '.join(s.rstrip('_') for s in subjects) or 'none'})"
            )
        tests = self.tests()
        subject = subjects[0]
        if subject in ("all", "any", "not_", "flag", "setting", "age") and tests:
            raise ValueError(f"'{subject.rstrip('_')}' takes no test ({', '.join(tests)})")
        if subject in ("item", "score") and not tests:
            raise ValueError(f"'{subject}' needs a test such as equals, gte or answered")
        if subject == "score" and ({"includes", "declined"} & set(tests)):
            raise ValueError("a score cannot be tested with includes or declined")
        if subject == "item" and ({"band", "at_least"} & set(tests)):
            raise ValueError("'band' and 'at_least' test a score, not an item")
        return self

    @cached_property
    def _tests(self) -> dict[str, object]:
        names = ("equals", "not_equals", "in_", "includes", "gt", "gte", "lt", "lte",
                 "answered", "declined", "band", "at_least")
        return {n.rstrip("_"): getattr(self, n) for n in names if getattr(self, n) is not None}

    def tests(self) -> dict[str, object]:
        return self._tests

    def children(self) -> list[Condition]:
        if self.all is not None:
            return list(self.all)
        if self.any is not None:
            return list(self.any)
        if self.not_ is not None:
            return [self.not_]
        return []


class Option(Strict):
    code: Annotated[StrictStr, Field(min_length=1, max_length=64)]
    label: Text
    child_label: Text | None = None
    score: Number | None = None
    # Offered only in these settings (empty: every setting), e.g. "the appropriate adult".
    settings: list[Setting] = Field(default_factory=list)


class Item(Strict):
    id: Identifier
    type: ItemType
    prompt: Text
    child_prompt: Text | None = None
    setting_prompts: dict[Setting, Text] = Field(default_factory=dict)
    guidance: Text | None = None
    domain: Identifier | None = None
    options: list[Option] = Field(default_factory=list)
    yes_score: Number | None = None
    no_score: Number | None = None
    min: Number | None = None
    max: Number | None = None
    min_label: Text | None = None
    max_label: Text | None = None
    unit: Annotated[str, Field(max_length=32)] | None = None
    max_length: StrictInt = Field(default=20000, ge=1, le=100000)
    required: StrictBool = True
    declinable: StrictBool = True
    child_facing: StrictBool = False
    staff_note: StrictBool = False
    safety_screen: SafetyScreen | None = None
    enable_when: Condition | None = None

    @model_validator(mode="after")
    def _fits_type(self) -> Item:
        t = self.type
        if t in (ItemType.SINGLE_CHOICE, ItemType.MULTI_CHOICE) and len(self.options) < 2:
            raise ValueError(f"a {t.value} item needs at least two options")
        if t not in (ItemType.SINGLE_CHOICE, ItemType.MULTI_CHOICE) and self.options:
            raise ValueError(f"'options' is only for single_choice and multi_choice, not {t.value}")
        if t != ItemType.YES_NO and (self.yes_score is not None or self.no_score is not None):
            raise ValueError("'yes_score' and 'no_score' are only for yes_no items")
        if t == ItemType.SCALE and (self.min is None or self.max is None):
            raise ValueError("a scale item needs 'min' and 'max'")
        if t not in NUMERIC_TYPES and (self.min is not None or self.max is not None):
            raise ValueError(f"'min' and 'max' are only for scale and number, not {t.value}")
        if self.min is not None and self.max is not None and self.min >= self.max:
            raise ValueError(f"min {self.min} must be below max {self.max}")
        if t == ItemType.SCALE and (
            not float(self.min).is_integer() or not float(self.max).is_integer()  # type: ignore[arg-type]
        ):
            raise ValueError("a scale's min and max are whole numbers")
        if t == ItemType.CHILD_WORDS and self.staff_note:
            raise ValueError("the child's own words cannot be a staff note")
        if t == ItemType.INFO and self.safety_screen is not None:
            raise ValueError("an information item takes no answer, so it cannot be a safety screen")
        return self

    @property
    def answerable(self) -> bool:
        return self.type != ItemType.INFO

    def codes(self) -> list[str]:
        if self.type == ItemType.YES_NO:
            return ["yes", "no"]
        return [o.code for o in self.options]

    def option_score(self, code: str) -> float | None:
        if self.type == ItemType.YES_NO:
            return self.yes_score if code == "yes" else self.no_score
        for o in self.options:
            if o.code == code:
                return o.score
        return None

    def label_for(self, code: str) -> str:
        if self.type == ItemType.YES_NO:
            return {"yes": "Yes", "no": "No"}.get(code, code)
        for o in self.options:
            if o.code == code:
                return o.label
        return code

    def for_setting(self, setting: str | None) -> Item:
        """This item as shown in ``setting``: only the options offered there."""
        if not setting or all(not o.settings for o in self.options):
            return self
        return self.model_copy(update={"options": [
            o for o in self.options if not o.settings or setting in o.settings]})

    def prompt_for(self, setting: str | None) -> str:
        return self.setting_prompts.get(cast(Setting, setting), self.prompt) if setting \
            else self.prompt


class Section(Strict):
    id: Identifier
    title: Text
    intro: Text | None = None
    setting_intros: dict[Setting, Text] = Field(default_factory=dict)  # per-setting intro
    items: list[Item] = Field(min_length=1)
    enable_when: Condition | None = None

    def intro_for(self, setting: str | None) -> str | None:
        return self.setting_intros.get(cast(Setting, setting), self.intro) if setting \
            else self.intro


class Band(Strict):
    code: Annotated[StrictStr, Field(min_length=1, max_length=64)]
    label: Text | None = None
    min: Number | None = None
    max: Number | None = None
    when: Condition | None = None


class MissingRule(Strict):
    """How many summed items may be unanswered (or declined) and still give a total.

    Within the limit the total is prorated when ``prorate`` is set: sum × n / answered,
    rounded half up to a whole number, as the published PHQ rules describe.
    """

    max_missing: StrictInt = Field(default=0, ge=0)
    prorate: StrictBool = False


class Score(Strict):
    id: Identifier
    label: Text
    sum: list[Identifier] | None = Field(default=None, min_length=1)
    missing: MissingRule = Field(default_factory=MissingRule)
    bands: list[Band] = Field(default_factory=list)
    primary: StrictBool = True

    @model_validator(mode="after")
    def _shape(self) -> Score:
        if self.sum is not None:
            for b in self.bands:
                if b.when is not None or b.min is None or b.max is None:
                    raise ValueError(f"band '{b.code}' of a summed score needs min and max only")
                if b.min > b.max:
                    raise ValueError(f"band '{b.code}' has min {b.min} above max {b.max}")
        else:
            if not self.bands:
                raise ValueError("a score needs either 'sum' or rule-based 'bands'")
            for b in self.bands:
                if b.when is None or b.min is not None or b.max is not None:
                    raise ValueError(f"band '{b.code}' of a rule-based score needs 'when' only")
        codes = [b.code for b in self.bands]
        dupes = {c for c in codes if codes.count(c) > 1}
        if dupes:
            raise ValueError(f"duplicate band code {sorted(dupes)[0]!r}")
        return self


class Flag(Strict):
    id: Identifier
    level: Level
    title: Text
    action: Text
    setting_actions: dict[Setting, Text] = Field(default_factory=dict)
    rationale: Text
    source: Text
    when: Condition
    hazard: Annotated[str, Field(pattern=r"^H-\d{3}$")] | None = None
    # Whom the action escalates to (e.g. "duty inspector"): the act-now card then offers to
    # record the escalation and its outcome, prefilled with this and the flag's title.
    escalate_to: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    # Plain words for the family copy, or none (issue 13): one or two sentences with no
    # instrument name and no promise that depends on a service turning up.
    family_text: Annotated[str, Field(min_length=1, max_length=300)] | None = None

    @model_validator(mode="after")
    def _plain_family_text(self) -> Flag:
        text = self.family_text
        if text is not None and ("<" in text or ">" in text or "\n\n" in text.strip()):
            raise ValueError("family_text is one short plain paragraph (no markup)")
        return self

    def action_for(self, setting: str | None) -> str:
        return self.setting_actions.get(cast(Setting, setting), self.action) if setting \
            else self.action


class Recommendation(Strict):
    id: Identifier
    text: Text | None = None
    setting_text: dict[Setting, Text] = Field(default_factory=dict)
    owner: Text | None = None
    when: Condition | None = None

    @model_validator(mode="after")
    def _has_text(self) -> Recommendation:
        if self.text is None and not self.setting_text:
            raise ValueError("a recommendation needs 'text' or 'setting_text'")
        return self

    def text_for(self, setting: str | None) -> str | None:
        if setting and setting in self.setting_text:
            return self.setting_text[setting]
        return self.text


DEFAULT_PRIORITY = 50


class CommunicationRule(Strict):
    """A need for the communication profile and the adjustments it calls for."""

    id: Identifier
    need: Text
    adjustments: list[Text] = Field(min_length=1)
    when: Condition
    # Lower comes first in that setting's profile (default 50), so the setting's most
    # important adjustments lead (custody: the rights and caution adjustments).
    priority: dict[Setting, StrictInt] = Field(default_factory=dict)

    def priority_for(self, setting: str) -> int:
        return self.priority.get(setting, DEFAULT_PRIORITY)  # type: ignore[call-overload]


class Module(Strict):
    id: Identifier
    version: Annotated[str, Field(pattern=r"^\d+\.\d+\.\d+$")]
    title: Text
    description: Text | None = None
    source: Text
    licence: Text
    verbatim: StrictBool = False
    ages: AgeRange = Field(default_factory=AgeRange)
    settings: list[Setting] = Field(default_factory=lambda: list(SETTINGS))  # type: ignore[arg-type]
    child_mode: StrictBool = False
    sections: list[Section] = Field(min_length=1)
    scores: list[Score] = Field(default_factory=list)
    flags: list[Flag] = Field(default_factory=list)
    recommendations: list[Recommendation] = Field(default_factory=list)
    communication: list[CommunicationRule] = Field(default_factory=list)

    # Lookups the engine makes for every answer, indexed once (models are frozen).
    @cached_property
    def _items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]

    @cached_property
    def _item_index(self) -> dict[str, tuple[Item, Section]]:
        index: dict[str, tuple[Item, Section]] = {}
        for section in self.sections:
            for item in section.items:
                index.setdefault(item.id, (item, section))  # first wins, as a scan would
        return index

    def items(self) -> list[Item]:
        return self._items

    def item(self, item_id: str) -> Item | None:
        found = self._item_index.get(item_id)
        return found[0] if found else None

    def score(self, score_id: str) -> Score | None:
        return next((s for s in self.scores if s.id == score_id), None)

    def section_of(self, item_id: str) -> Section | None:
        found = self._item_index.get(item_id)
        return found[1] if found else None


class PathwayStep(Strict):
    module: Identifier
    ages: AgeRange = Field(default_factory=AgeRange)
    when: Condition | None = None
    core: StrictBool = True
    instead: Text | None = None
    instead_level: Level = Level.CONSIDER
    # From this age the step is core (no ``when`` needed); below it the ``when`` applies.
    core_from_age: StrictInt | None = Field(default=None, ge=0, le=25)

    @model_validator(mode="after")
    def _core_from_age_fits(self) -> PathwayStep:
        if self.core_from_age is None:
            return self
        if self.when is None or self.core:
            raise ValueError("'core_from_age' is for a step that is brought in by 'when' "
                             "(core: false) below that age")
        if not self.ages.admits(self.core_from_age):
            raise ValueError(f"core_from_age {self.core_from_age} is outside the step's ages")
        return self

    def for_age(self, age: int) -> PathwayStep:
        """The step as it applies to a child of this age."""
        if self.core_from_age is not None and age >= self.core_from_age:
            return self.model_copy(update={"when": None, "core": True})
        return self


class Pathway(Strict):
    id: Identifier
    setting: Setting
    version: Annotated[str, Field(pattern=r"^\d+\.\d+\.\d+$")]
    title: Text
    description: Text | None = None
    # The setting's own words for why the child is seen (its reason question is asked once,
    # on page 1): the label of that answer in the review's summary.
    reason_label: Text | None = None
    source: Text
    ages: AgeRange = Field(default_factory=lambda: AgeRange(min=5, max=17))
    steps: list[PathwayStep] = Field(min_length=1)
    flags: list[Flag] = Field(default_factory=list)
    recommendations: list[Recommendation] = Field(default_factory=list)


Condition.model_rebuild()
