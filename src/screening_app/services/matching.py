"""Which services fit a child: a pure function over plain inputs.

:func:`build_index` turns the directory and the need map into a :class:`MatchIndex` once
(per directory change); :func:`match_services` then ranks the services for one child's
needs, age, area and language. It reads nothing else, so the result builder, the review
screen and the command line get the same answer for the same inputs.

Ranking, in order: services that meet an act-now need first; then how much of the child's
need they meet (act-now 3, refer 2, consider 1 per need); then access: for an act-now need
a same-day response (typical wait 0 days), otherwise a route the child or family can use
themselves (self-referral, drop-in) before one that needs a professional's referral (the
other way round for needs a professional takes forward, such as safeguarding: see
``professional_routes_first`` in need_tags.json); then a
service offering the child's language; then a service named for the child's area before
one open to all areas (online, national); then the shorter typical wait; then the name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .languages import language_key, language_name
from .model import ACTIVE, OPEN_ROUTES, DirectoryEntry
from .needs import LEVEL_RANK, Need, NeedMap

WEIGHT = {"act-now": 3, "refer": 2, "consider": 1}
STALE_AFTER_DAYS = 365
NO_WAIT = 10_000  # sorts an unknown wait last


@dataclass(frozen=True)
class IndexedService:
    id: str
    name: str
    organization: str | None
    min_age: float
    max_age: float
    areas: frozenset[str]
    area_names: tuple[str, ...]
    open_to_all_areas: bool
    languages: frozenset[str]
    tags: frozenset[str]
    access_routes: tuple[str, ...]
    open_route: bool
    professional_route: bool
    typical_wait_days: int | None
    sector: str | None
    alert: str | None
    last_modified: str | None
    assured_date: str | None
    freshest: dt.date | None
    url: str | None
    email: str | None
    description: str | None
    # The reasons that depend on the service alone, worded once when the index is built.
    ages_why: str = ""
    route_why: str | None = None
    wait_why: str | None = None


@dataclass(frozen=True)
class MatchIndex:
    services: tuple[IndexedService, ...]
    by_tag: dict[str, tuple[int, ...]]


@dataclass(frozen=True)
class Suggestion:
    service_id: str
    name: str
    organization: str | None
    needs_met: tuple[str, ...]
    level: str  # the most urgent need it meets
    why: tuple[str, ...]
    access_routes: tuple[str, ...]
    typical_wait_days: int | None
    sector: str | None
    last_modified: str | None
    assured_date: str | None
    stale: bool
    alert: str | None
    url: str | None
    email: str | None

    def to_dict(self) -> dict:
        return {"id": self.service_id, "name": self.name, "organization": self.organization,
                "needs_met": list(self.needs_met), "level": self.level, "why": list(self.why),
                "access_routes": list(self.access_routes),
                "typical_wait_days": self.typical_wait_days, "sector": self.sector,
                "last_modified": self.last_modified, "assured_date": self.assured_date,
                "stale": self.stale, "alert": self.alert, "url": self.url,
                "email": self.email}


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def _fold(text: str | None) -> str | None:
    return " ".join(text.split()).casefold() if text else None


def index_entry(entry: DirectoryEntry, term_tags: dict[tuple[str, str], set[str]]
                ) -> IndexedService | None:
    """One entry ready to match (None when it is not active)."""
    service = entry.service
    if service.status != ACTIVE:
        return None
    tags: set[str] = set()
    for attribute in service.attributes:
        term = attribute.taxonomy_term
        if term is None or not term.taxonomy:
            continue
        taxonomy = term.taxonomy.casefold()
        for key in (term.term, term.id, term.name):
            if key:
                tags |= term_tags.get((taxonomy, key.casefold()), set())
    area_names = tuple(a.name or a.service_area or "" for a in service.service_areas)
    areas = frozenset(f for f in (_fold(n) for n in area_names) if f)
    languages = frozenset(k for lang in service.languages
                          for k in (language_key(lang.name), language_key(lang.code)) if k)
    local = entry.local
    dates = [d for d in (_date(service.assured_date), _date(service.last_modified)) if d]
    low = int(service.minimum_age) if service.minimum_age else 0
    high = service.maximum_age
    open_routes = [r.replace("-", " ") for r in local.access_routes if r in OPEN_ROUTES]
    if open_routes:
        route_why = f"the child or family can go directly ({', '.join(open_routes)})"
    elif local.access_routes:
        route_why = f"needs a {' or '.join(r.replace('-', ' ') for r in local.access_routes)}"
    else:
        route_why = None
    wait = local.typical_wait_days
    return IndexedService(
        id=service.id, name=service.name,
        organization=service.organization.name if service.organization else None,
        min_age=service.minimum_age if service.minimum_age is not None else 0,
        max_age=service.maximum_age if service.maximum_age is not None else 200,
        areas=areas, area_names=tuple(n for n in area_names if n),
        open_to_all_areas=not areas or local.sector == "online",
        languages=languages, tags=frozenset(tags), access_routes=local.access_routes,
        open_route=any(r in OPEN_ROUTES for r in local.access_routes),
        professional_route=any(r not in OPEN_ROUTES for r in local.access_routes),
        typical_wait_days=local.typical_wait_days, sector=local.sector, alert=service.alert,
        last_modified=service.last_modified, assured_date=service.assured_date,
        freshest=max(dates) if dates else None, url=service.url, email=service.email,
        description=service.description,
        ages_why=(f"takes children aged {low} to {int(high)}" if high is not None
                  else f"takes children from age {low}"),
        route_why=route_why,
        wait_why=f"typical wait {wait} days" if wait else None)


def build_index(entries: Iterable[DirectoryEntry], need_map: NeedMap) -> MatchIndex:
    term_tags = need_map.tags_by_term()
    services = tuple(s for s in (index_entry(e, term_tags) for e in entries) if s is not None)
    return index_of(services)


def index_of(services: Sequence[IndexedService]) -> MatchIndex:
    by_tag: dict[str, list[int]] = {}
    for i, service in enumerate(services):
        for tag in service.tags:
            by_tag.setdefault(tag, []).append(i)
    return MatchIndex(tuple(services), {t: tuple(ix) for t, ix in by_tag.items()})


def match_services(needs: Sequence[Need], age: int, index: MatchIndex, *,
                   area: str | None = None, language: str | None = None,
                   today: dt.date | None = None, limit: int | None = 20) -> list[Suggestion]:
    """The services that meet at least one need, fit the age and area, best first.

    ``area`` is the site's (a service named for other areas only is left out);
    ``language`` is the child's when they need an interpreter or sign, in any spelling
    :func:`.languages.language_key` knows ("Polish", "pl", "BSL")."""
    today = today or dt.date.today()
    wanted = {n.tag: n for n in needs}
    area_key, wanted_language = _fold(area), language_key(language)
    hits: dict[int, list[Need]] = {}
    for tag, need in wanted.items():
        for i in index.by_tag.get(tag, ()):
            hits.setdefault(i, []).append(need)
    ranked = []
    services = index.services
    for i, met in hits.items():
        s = services[i]
        if not s.min_age <= age <= s.max_age:
            continue
        in_area = area_key is not None and area_key in s.areas
        if area_key is not None and not in_area and not s.open_to_all_areas:
            continue
        if len(met) > 1:
            met.sort(key=_need_order)
        top = met[0].level
        fit = sum(WEIGHT.get(n.level, 1) for n in met)
        if top == "act-now":
            access = 0 if s.typical_wait_days == 0 else 1
        elif all(n.open_routes_first for n in met):
            access = 0 if s.open_route else 1
        else:
            access = 0 if s.professional_route else 1
        speaks = wanted_language is not None and wanted_language in s.languages
        key = (LEVEL_RANK.get(top, 9), -fit, access, 0 if speaks else 1,
               0 if in_area else 1,
               s.typical_wait_days if s.typical_wait_days is not None else NO_WAIT, s.name, s.id)
        ranked.append((key, s, met, in_area, speaks))
    ranked.sort(key=lambda r: r[0])
    if limit is not None:
        ranked = ranked[:limit]
    words = _Words(" ".join(area.split()) if area and area_key else None,
                   language_name(language) if language and wanted_language else None,
                   today - dt.timedelta(days=STALE_AFTER_DAYS))
    return [_suggestion(s, met, in_area, speaks, words)
            for _key, s, met, in_area, speaks in ranked]


def _need_order(need: Need) -> tuple[int, str]:
    return LEVEL_RANK.get(need.level, 9), need.tag


class _Words:
    """The per-call reasons, each worded once per call."""

    def __init__(self, area: str | None, language: str | None, fresh_since: dt.date):
        self.area, self.language, self.fresh_since = area, language, fresh_since
        self.needs: dict[Need, str] = {}
        self.covers = f"in {area}"
        self.offers = f"speaks {language}"
        self.no_language = f"does not list {language}: arrange an interpreter"

    def need(self, n: Need) -> str:
        line = self.needs.get(n)
        if line is None:
            line = self.needs[n] = (f"meets the need: {n.tag.replace('-', ' ')} ({n.level}; "
                                    f"raised by {', '.join(n.because) or 'the assessment'})")
        return line


def _suggestion(s: IndexedService, met: list[Need], in_area: bool, speaks: bool,
                words: _Words) -> Suggestion:
    why = [words.need(n) for n in met]
    why.append(s.ages_why)
    if in_area:
        why.append(words.covers)
    elif words.area is not None:
        why.append("open to children from any area")
    if met[0].level == "act-now":
        why.append("responds the same day" if s.typical_wait_days == 0
                   else "not a same-day service: use the urgent route first")
    if s.route_why:
        why.append(s.route_why)
    if s.wait_why:
        why.append(s.wait_why)
    if words.language is not None:
        why.append(words.offers if speaks else words.no_language)
    stale = s.freshest is None or s.freshest < words.fresh_since
    if stale:
        why.append("entry not checked in the last year: confirm before referring"
                   if s.freshest else "entry has no date: confirm before referring")
    return Suggestion(
        service_id=s.id, name=s.name, organization=s.organization,
        needs_met=tuple(n.tag for n in met), level=met[0].level, why=tuple(why),
        access_routes=s.access_routes, typical_wait_days=s.typical_wait_days,
        sector=s.sector, last_modified=s.last_modified, assured_date=s.assured_date,
        stale=stale, alert=s.alert, url=s.url, email=s.email)
