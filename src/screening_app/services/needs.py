"""Need tags: what an assessment's flags and communication needs ask a service for, and
which directory taxonomy terms answer each tag.

The rules are data (``resources/services/need_tags.json``), matched by pattern on flag and
communication-need ids: a flag added to the content later is handled without a code change
(with no rule it raises a tag named after its own id, which an administrator can map).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import cache

from ..paths import resources_dir

LEVELS = ("act-now", "refer", "consider")
LEVEL_RANK = {level: i for i, level in enumerate(LEVELS)}  # 0 is the most urgent
# Communication needs are adjustments, not flags: they ask for a service at "consider".
COMMUNICATION_LEVEL = "consider"


@dataclass(frozen=True)
class Need:
    tag: str
    level: str  # act-now | refer | consider
    because: tuple[str, ...] = ()  # the flag or communication-need ids that raised it
    # False for a need a professional takes forward (safeguarding, exploitation ...): its
    # services are ranked professional routes first, not self-referral first.
    open_routes_first: bool = True


@dataclass(frozen=True)
class NeedMap:
    """Need tag -> taxonomy terms, as (taxonomy, term) pairs; terms compare case-folded."""

    terms: Mapping[str, tuple[tuple[str, str], ...]]

    def terms_for(self, tag: str) -> tuple[tuple[str, str], ...]:
        return self.terms.get(tag, ())

    def tags_by_term(self) -> dict[tuple[str, str], set[str]]:
        index: dict[tuple[str, str], set[str]] = {}
        for tag, pairs in self.terms.items():
            for taxonomy, term in pairs:
                index.setdefault((taxonomy.casefold(), term.casefold()), set()).add(tag)
        return index


@cache
def shipped_rules() -> dict:
    return json.loads((resources_dir() / "services" / "need_tags.json").read_text("utf-8"))


def default_need_map() -> NeedMap:
    return NeedMap({tag: tuple((t["taxonomy"], t["term"]) for t in terms)
                    for tag, terms in shipped_rules()["taxonomy"].items()})


def known_tags() -> list[str]:
    """Every tag the shipped rules can raise, sorted."""
    rules = shipped_rules()
    tags = {t for r in rules["flag_rules"] + rules["communication_rules"] for t in r["tags"]}
    return sorted(tags | set(rules["taxonomy"]))


def _tags(rule_set: str, item_id: str) -> list[str]:
    matched = [r for r in shipped_rules()[rule_set] if fnmatchcase(item_id, r["match"])]
    if not matched:
        return [item_id]
    tags: list[str] = []
    for rule in matched:
        tags.extend(t for t in rule["tags"] if t not in tags)
    return tags


def tags_for_flag(flag_id: str) -> list[str]:
    return _tags("flag_rules", flag_id)


def tags_for_communication(need_id: str) -> list[str]:
    return _tags("communication_rules", need_id)


def merge_needs(raised: Iterable[tuple[str, str, str]]) -> list[Need]:
    """(tag, level, because) triples -> one Need per tag at its most urgent level."""
    level: dict[str, str] = {}
    because: dict[str, list[str]] = {}
    for tag, lvl, why in raised:
        if tag not in level or LEVEL_RANK.get(lvl, 9) < LEVEL_RANK.get(level[tag], 9):
            level[tag] = lvl
        because.setdefault(tag, [])
        if why not in because[tag]:
            because[tag].append(why)
    professional = professional_first_tags()
    return sorted((Need(t, level[t], tuple(because[t]), t not in professional) for t in level),
                  key=lambda n: (LEVEL_RANK.get(n.level, 9), n.tag))


def professional_first_tags() -> frozenset[str]:
    return frozenset(shipped_rules()["professional_routes_first"]["tags"])


def needs_from_result(result: Mapping) -> list[Need]:
    """The needs of an assessment result (the result format's ``flags`` and
    ``communication.profile``), most urgent first."""
    raised: list[tuple[str, str, str]] = []
    for flag in result.get("flags") or []:
        for tag in tags_for_flag(str(flag.get("id"))):
            raised.append((tag, str(flag.get("level")), str(flag.get("id"))))
    profile = (result.get("communication") or {}).get("profile") or []
    for need in profile:
        for tag in tags_for_communication(str(need.get("id"))):
            raised.append((tag, COMMUNICATION_LEVEL, str(need.get("id"))))
    return merge_needs(raised)
