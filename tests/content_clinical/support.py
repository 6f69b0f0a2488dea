"""Shared helpers for the clinical content tests: the shipped catalog, sessions, and a walker
that completes a pathway's core the way a practitioner would for a child with no worries."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from screening_app.content import Catalog, load_catalog
from screening_app.content.models import SETTINGS
from screening_app.engine import AssessmentSession

REPO = Path(__file__).resolve().parents[2]
CONTENT = REPO / "src" / "screening_app" / "questionnaires"
DOCS = REPO / "docs"

# The answer a practitioner gives when there is nothing to worry about, for every core item.
NO_CONCERN: dict[tuple[str, str], Any] = {
    ("ed-triage", "reason"): "injury",
    ("gp-consult", "reason"): "physical",
    ("school-health", "reason"): "review",
    ("custody-booking", "reason"): "theft",
    ("custody-booking", "appropriate_adult"): "parent",
    ("custody-booking", "welfare_informed"): "yes",
    ("custody-booking", "mh_history"): "no",
    ("custody-booking", "presentation"): ["none"],
    ("slcn", "noticed"): ["none"],
    ("slcn", "language"): "english",
    ("slcn", "supports"): ["none"],
    ("slcn", "explain_back"): "yes",
    ("slcn", "child_understand"): "no",
    ("slcn", "child_words"): "no",
    ("slcn", "child_remember"): "no",
    ("custody-booking", "aa_status"): "present",
    ("custody-booking", "juvenile_care"): ["not_girl", "not_cell", "apart"],
    ("psychosocial", "exploitation"): ["none"],
    ("context", "known"): ["none"],
    ("psychosocial", "home"): "no",
    ("psychosocial", "school"): "no",
    ("psychosocial", "friends"): "no",
    ("psychosocial", "eating"): "no",
    ("psychosocial", "mood"): "no",
    ("psychosocial", "self_harm"): "no",
    ("psychosocial", "safety"): "no",
    ("asq", "q1"): "no",
    ("asq", "q2"): "no",
    ("asq", "q3"): "no",
    ("asq", "q4"): "no",
    ("teen-topics", "substances"): "no",
    ("teen-topics", "relationships"): "no",
    ("teen-topics", "identity"): "no",
    ("self-rating", "feel"): 4,
    ("self-rating", "sleep"): 4,
    ("self-rating", "school"): 4,
    ("self-rating", "friends"): 5,
    ("self-rating", "home"): 5,
    ("self-rating", "worried"): "no",
    ("self-rating", "talk_to"): "yes",
    ("self-rating", "scared"): "no",
    ("self-rating", "hurt_self"): "no",
    ("self-rating", "want_talk"): "no",
    ("self-rating", "understand"): "no",
    ("self-rating", "words"): "no",
    ("self-rating", "remember"): "no",
    ("self-rating", "reading"): "no",
    ("self-rating", "hearing"): "no",
    ("voice", "worries"): "Nothing really. Just my ankle.",
    ("voice", "help"): "Nothing at the moment, thanks.",
    ("voice", "trusted"): "My mum, and Mr Patel at school.",
    ("consent", "present"): ["parent", "alone"],
    ("voice", "going_well"): "Football, and my nan.",
    ("consent", "share"): "nothing",
}

# Flags that fire for every child in a setting, whatever the answers (none since the custody
# appropriate-adult duty became a checklist item that clears when an adult is recorded).
ALWAYS: dict[str, set[str]] = {}


@cache
def catalog() -> Catalog:
    cat, problems = load_catalog([CONTENT])
    assert not problems, "\n".join(str(p) for p in problems)
    return cat


def session(setting: str, age: int, answers: dict | None = None,
            extra: tuple[str, ...] = ()) -> AssessmentSession:
    """A session with ``answers`` ({(module, item): value}) applied in order."""
    s = AssessmentSession(catalog(), setting, age, extra_modules=extra)
    for (module, item), value in (answers or {}).items():
        s.answer(module, item, value)
    return s


def flag_ids(s: AssessmentSession) -> set[str]:
    return {f.id for f in s.evaluation.flags}


def core_modules(s: AssessmentSession) -> list[str]:
    return [step.module for step in s.steps if step.core]


def pending_core(s: AssessmentSession) -> list[tuple[str, str]]:
    """Shown, required, answerable core items that have no answer yet, in pathway order."""
    core = set(core_modules(s))
    return [(m.id, i.id) for m, i in s.visible_items()
            if m.id in core and i.answerable and i.required and (m.id, i.id) not in s.answers]


def complete_core_with_no_concerns(setting: str, age: int) -> AssessmentSession:
    """Answer every core item as for a child with nothing to worry about; each answer counts."""
    s = AssessmentSession(catalog(), setting, age)
    while pending := pending_core(s):
        key = pending[0]
        assert key in NO_CONCERN, f"no 'no concern' answer is defined for {key[0]}.{key[1]}"
        s.answer(*key, NO_CONCERN[key])
    return s


@cache
def quiet(setting: str, age: int) -> AssessmentSession:
    """A completed no-worries assessment, shared between tests: read it, never answer on it."""
    return complete_core_with_no_concerns(setting, age)


def result_json(s: AssessmentSession) -> str:
    return json.dumps(s.result(), ensure_ascii=False)


def ages_for(setting: str) -> range:
    ages = catalog().pathway(setting).ages
    return range(ages.min, ages.max + 1)


__all__ = ["ALWAYS", "CONTENT", "DOCS", "NO_CONCERN", "REPO", "SETTINGS", "ages_for", "catalog",
           "complete_core_with_no_concerns", "core_modules", "flag_ids", "pending_core",
           "quiet", "result_json", "session"]
