"""Suggestions for one assessment result, for the result JSON, the review screen and the
copies: :func:`suggestions_for` (professional and partner copies) and :func:`for_family`
with :func:`plain_words` (the family copy: only services a family can use themselves, never
one that would reveal a safeguarding concern)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from ..content.models import DECLINED
from .matching import MatchIndex, Suggestion, match_services
from .model import OPEN_ROUTES
from .needs import needs_from_result, shipped_rules

# The communication module's answers that say the child needs an interpreter or sign.
INTERPRETER_ANSWERS = frozenset({"other_needs", "sign"})


def child_language(result: Mapping) -> str | None:
    """The language the child needs, as typed (``slcn.interpreter_language``), when the
    communication module says they need an interpreter or sign (``slcn.language``); else
    None: a child comfortable in English is matched on needs alone."""
    answers = {(a.get("module"), a.get("item")): a.get("value")
               for a in result.get("answers") or [] if a.get("counted", True)}
    if answers.get(("slcn", "language")) not in INTERPRETER_ANSWERS:
        return None
    typed = answers.get(("slcn", "interpreter_language"))
    if not isinstance(typed, str) or typed == DECLINED or not typed.strip():
        return None
    return " ".join(typed.split())


def suggestions_for(result: Mapping, index: MatchIndex, *, area: str | None = None,
                    today: dt.date | None = None, limit: int = 10) -> list[Suggestion]:
    """The ranked suggestions for a result in the result format (``age``, ``flags``,
    ``communication``, ``answers``): ``area`` is the site's (deployment settings), the
    language the child's own (:func:`child_language`)."""
    return match_services(needs_from_result(result), int(result["age"]), index, area=area,
                          language=child_language(result), today=today, limit=limit)


def family_leaves_out() -> frozenset[str]:
    return frozenset(shipped_rules()["family_copy_leaves_out"]["tags"])


def for_family(suggestions: Iterable[Suggestion]) -> list[Suggestion]:
    """The suggestions fit for the family copy: a route the family can use themselves, not
    an act-now arrangement, and no need the family copy must not name."""
    hidden = family_leaves_out()
    return [s for s in suggestions
            if s.level != "act-now" and any(r in OPEN_ROUTES for r in s.access_routes)
            and not hidden.intersection(s.needs_met)]


def plain_words(s: Suggestion) -> str:
    """One or two short sentences for a family."""
    routes = [r for r in s.access_routes if r in OPEN_ROUTES]
    how = ("You can just go along" if routes == ["drop-in"]
           else "You can contact them yourselves")
    if s.typical_wait_days == 0:
        wait = " They usually reply the same day."
    elif s.typical_wait_days:
        wait = f" The wait is usually about {s.typical_wait_days} days."
    else:
        wait = ""
    contact = next((c for c in (s.url, s.email) if c), None)
    where = f" {contact}" if contact else ""
    return f"{s.name}. {how}.{wait}{where}".strip()
