"""The rules for starting an assessment and bringing modules in, in one place.

Both doors reach them only through :class:`~.workspace.Workspace` and
:class:`~.assessment.OpenAssessment`; the tests call them through the core and through each
door (tests/app, tests/cli, tests/ui).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ..content import Catalog
from ..content.models import SETTINGS, AgeRange
from ..engine import SessionError
from ..engine.answers import text_problem
from .errors import AgeRefused, ModuleRefused, RuleRefused


def age_on(date_of_birth: dt.date, today: dt.date | None = None) -> int:
    """Age in whole years on ``today`` (a birthday counts on the day)."""
    today = today or dt.date.today()
    years = today.year - date_of_birth.year
    if (today.month, today.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def _range(ages: AgeRange) -> str:
    low = ages.min if ages.min is not None else 0
    if ages.max is None:
        return f"{low} and over"
    return f"{low} to {ages.max}"


def check_start(catalog: Catalog, setting: str, age: int, modules: Iterable[str]) -> None:
    """Refuse a start the pathway does not cover: unknown setting, an age outside the
    pathway's range (the pathway's prompts, thresholds and actions were written for it),
    or a module asked for outside its own limits."""
    if setting not in SETTINGS:
        raise SessionError(f"unknown setting '{setting}' (use one of {', '.join(SETTINGS)})")
    if setting not in catalog.pathways:
        raise SessionError(f"no pathway is installed for setting '{setting}'")
    pathway = catalog.pathway(setting)
    if isinstance(age, bool) or not isinstance(age, int):
        raise AgeRefused("the child's age must be a whole number of years")
    if not pathway.ages.admits(age):
        raise AgeRefused(f"the {pathway.title} pathway ('{setting}') is for children aged "
                         f"{_range(pathway.ages)}; this child is {age}")
    check_modules(catalog, setting, age, modules)


def check_start_text(**fields: str | None) -> None:
    """Typed text kept with the record (reference, presenting issue) must be storable: no
    NUL and no unpaired surrogate, whichever door it came through."""
    for name, text in fields.items():
        problem = text_problem(text) if text else None
        if problem:
            raise RuleRefused(f"the {name.replace('_', ' ')}: {problem}")


def check_modules(catalog: Catalog, setting: str, age: int, modules: Iterable[str]) -> None:
    """A module brought in by a practitioner's choice must exist, admit the child's age and
    be used in this setting; the message names the module and the rule."""
    for module_id in modules:
        if module_id not in catalog.modules:
            raise ModuleRefused(f"unknown module '{module_id}'")
        module = catalog.module(module_id)
        if not module.ages.admits(age):
            raise ModuleRefused(f"module '{module_id}' ({module.title}) is for ages "
                                f"{_range(module.ages)}; this child is {age}")
        if setting not in module.settings:
            raise ModuleRefused(f"module '{module_id}' ({module.title}) is not used in the "
                                f"'{setting}' setting (it is for: "
                                f"{', '.join(module.settings)})")
