"""Matching: expected ranked lists for realistic assessments over the fictional sample."""

from __future__ import annotations

import datetime as dt

import pytest

from screening_app.services import build_index, match_services, needs_from_result
from screening_app.services.files import read_directory
from screening_app.services.needs import (
    NeedMap,
    default_need_map,
    known_tags,
    tags_for_communication,
    tags_for_flag,
)

from .helpers import SAMPLE

TODAY = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def index():
    return build_index(read_directory(SAMPLE).entries, default_need_map())


def _names(suggestions) -> list[str]:
    return [s.name.removesuffix(" (fictional)") for s in suggestions]


GP_LOW_MOOD = {"flags": [{"id": "phq9-moderate-plus", "level": "refer"},
                         {"id": "psy-mood-persistent", "level": "refer"}]}
CUSTODY_COMMUNICATION = {
    "flags": [{"id": "custody-appropriate-adult", "level": "act-now"},
              {"id": "custody-vulnerable", "level": "act-now"},
              {"id": "slcn-assessment", "level": "refer"}],
    "communication": {"profile": [{"id": "understanding"}, {"id": "expressing"}]}}
SCHOOL_SELF_HARM = {"flags": [{"id": "psy-self-harm", "level": "refer"},
                              {"id": "sr-hurt-self", "level": "refer"},
                              {"id": "sr-feel-low", "level": "consider"}]}


def test_a_15_year_old_with_low_mood_in_gp(index):
    needs = needs_from_result(GP_LOW_MOOD)
    found = match_services(needs, 15, index, area="Northfield", today=TODAY)
    # Self-referral first (local before online), then professional routes by wait. Not
    # suggested: the closed cafe, adult talking therapies (18+), Southvale's counselling.
    assert _names(found) == [
        "Northfield Young People's Counselling",
        "Open Door Online Chat",
        "Northfield Schools Mental Health Support Team",
        "Children and Young People's Mental Health Service, Single Point of Access",
    ]
    first = found[0]
    assert first.why[0] == ("meets the need: low mood (refer; raised by phq9-moderate-plus, "
                            "psy-mood-persistent)")
    assert "the child or family can go directly (self referral)" in first.why
    assert (first.assured_date, first.last_modified, first.stale) == (
        "2026-10-01", "2026-10-01T09:00:00Z", False)


def test_a_custody_child_with_communication_needs(index):
    needs = needs_from_result(CUSTODY_COMMUNICATION)
    assert [(n.tag, n.level) for n in needs] == [
        ("appropriate-adult", "act-now"), ("liaison-diversion", "act-now"),
        ("communication", "refer")]
    found = match_services(needs, 14, index, area="Southvale", today=TODAY)
    assert _names(found) == [
        "Southvale Liaison and Diversion",        # act-now, and meets two needs
        "Southvale Appropriate Adult Service",    # act-now, same day
        "Children's Speech and Language Drop-in",  # communication, drop-in
    ]
    assert found[0].needs_met == ("liaison-diversion", "communication")
    assert "responds the same day" in found[0].why


def test_a_school_nurse_child_who_self_harms(index):
    needs = needs_from_result(SCHOOL_SELF_HARM)
    found = match_services(needs, 13, index, area="Northfield", today=TODAY)
    assert _names(found) == [
        "Northfield Young People's Counselling",
        "Open Door Online Chat",
        "Northfield Schools Mental Health Support Team",
        "Children and Young People's Mental Health Service, Single Point of Access",
        "Harbour Self-harm Support Group",
        "Children's Crisis and Liaison Team",
    ]
    harbour = found[4]
    assert harbour.alert.startswith("FICTIONAL ALERT")
    assert harbour.stale  # assured 2024-05-01
    assert "entry not checked in the last year: confirm before referring" in harbour.why


def test_an_act_now_need_goes_to_same_day_routes_first(index):
    needs = needs_from_result({"flags": [{"id": "ed-mh-presentation", "level": "act-now"}]})
    found = match_services(needs, 15, index, area="Northfield", today=TODAY)
    assert _names(found)[:2] == ["Children's Crisis and Liaison Team", "Open Door Online Chat"]
    assert all(s.level == "act-now" for s in found)


def test_language_ranks_a_service_that_offers_it_higher(index):
    needs = needs_from_result(GP_LOW_MOOD)
    found = match_services(needs, 15, index, area="Northfield", language="Polish", today=TODAY)
    assert _names(found)[:2] == ["Open Door Online Chat", "Northfield Young People's Counselling"]
    assert "speaks Polish" in found[0].why
    assert "does not list Polish: arrange an interpreter" in found[1].why


def test_age_and_area_filter(index):
    needs = needs_from_result(GP_LOW_MOOD)
    assert "Adult Talking Therapies" in _names(match_services(needs, 30, index, today=TODAY))
    southvale = _names(match_services(needs, 15, index, area="Southvale", today=TODAY))
    assert "Southvale Youth Counselling" in southvale
    assert "Northfield Young People's Counselling" not in southvale
    assert match_services([], 15, index, today=TODAY) == []


def test_new_flags_are_tolerated_and_mappable():
    assert tags_for_flag("psy-brand-new-flag") == ["psy-brand-new-flag"]
    assert tags_for_flag("teen-self-harm-online") == ["self-harm"]
    assert tags_for_flag("custody-welfare-person") == []
    assert tags_for_communication("sr-reading") == ["communication"]
    assert "low-mood" in known_tags()
    mapped = NeedMap({"psy-brand-new-flag": (("heard-needs", "LOW-MOOD"),)})
    assert mapped.tags_by_term() == {("heard-needs", "low-mood"): {"psy-brand-new-flag"}}


def test_an_edited_mapping_changes_the_match():
    entries = read_directory(SAMPLE).entries
    needs = needs_from_result({"flags": [{"id": "psy-brand-new-flag", "level": "consider"}]})
    assert match_services(needs, 15, build_index(entries, default_need_map()),
                          today=TODAY) == []
    edited = NeedMap({**default_need_map().terms,
                      "psy-brand-new-flag": (("heard-needs", "young-carer"),)})
    found = match_services(needs, 15, build_index(entries, edited), today=TODAY)
    assert _names(found) == ["Young Carers Hub"]


def test_suggestions_for_a_result_and_the_family_copy(index):
    from screening_app.services.suggest import for_family, plain_words, suggestions_for

    result = {"age": 15, "flags": [
        {"id": "phq9-moderate-plus", "level": "refer"},
        {"id": "ctx-domestic-abuse", "level": "refer"}]}
    found = suggestions_for(result, index, area="Northfield", today=TODAY)
    assert _names(found)[0] == "Northfield Young People's Counselling"
    family = for_family(found)
    # self-referral only: the single point of access and the school team need a
    # professional, so the family copy leaves them to the professionals' copies
    assert _names(family) == ["Northfield Young People's Counselling", "Open Door Online Chat"]
    assert plain_words(family[1]) == ("Open Door Online Chat (fictional). You can contact "
                                      "them yourselves. They usually reply the same day. "
                                      "https://example.org/open-door-online")


def test_the_family_copy_never_names_a_safeguarding_service():
    from screening_app.services.matching import Suggestion
    from screening_app.services.suggest import for_family

    def suggestion(needs, routes=("self-referral",), level="refer"):
        return Suggestion("id", "S", None, needs, level, (), routes, None, None, None, None,
                          False, None, None, None)

    assert for_family([suggestion(("safeguarding",))]) == []
    assert for_family([suggestion(("low-mood", "exploitation"))]) == []
    assert for_family([suggestion(("low-mood",), level="act-now")]) == []
    assert for_family([suggestion(("low-mood",), routes=("professional-referral",))]) == []
    assert len(for_family([suggestion(("low-mood",))])) == 1


def test_every_shipped_flag_has_a_need_rule():
    """A flag without a rule raises a tag named after itself, which no directory maps: its
    services would silently never be suggested. A new flag needs a line in need_tags.json
    (an empty tag list when it asks for an action rather than a service)."""
    from fnmatch import fnmatchcase

    from screening_app.app import load_content
    from screening_app.services.needs import shipped_rules

    catalog = load_content()
    rules = [r["match"] for r in shipped_rules()["flag_rules"]]
    flags = {f.id for loaded in [*catalog.modules.values(), *catalog.pathways.values()]
             for f in loaded.model.flags}
    assert len(flags) > 50
    assert sorted(f for f in flags if not any(fnmatchcase(f, m) for m in rules)) == []
    tags = {t for f in flags for t in tags_for_flag(f)}
    assert tags <= set(default_need_map().terms), "every tag has default taxonomy terms"


def test_needs_a_professional_takes_forward_rank_professional_routes_first():
    from screening_app.services import DirectoryEntry, LocalAdditions

    def entry(n: int, name: str, routes: tuple[str, ...], wait: int) -> DirectoryEntry:
        return DirectoryEntry({
            "id": f"00000000-0000-4000-8000-00000000000{n}", "name": name, "status": "active",
            "attributes": [{"id": f"10000000-0000-4000-8000-00000000000{n}", "taxonomy_term": {
                "id": "20000000-0000-4000-8000-000000000001", "name": "x", "description": "",
                "taxonomy": "heard-needs", "term": "exploitation"}}, {
                "id": f"30000000-0000-4000-8000-00000000000{n}", "taxonomy_term": {
                    "id": "40000000-0000-4000-8000-000000000001", "name": "y",
                    "description": "", "taxonomy": "heard-needs", "term": "low-mood"}}]},
            LocalAdditions(access_routes=routes, typical_wait_days=wait))

    index = build_index([entry(1, "Drop-in", ("drop-in",), 0),
                         entry(2, "Specialist team", ("professional-referral",), 5)],
                        default_need_map())
    exploitation = needs_from_result({"flags": [{"id": "psy-exploitation", "level": "refer"}]})
    assert not exploitation[0].open_routes_first
    assert _names(match_services(exploitation, 15, index, today=TODAY)) == [
        "Specialist team", "Drop-in"]
    mood = needs_from_result({"flags": [{"id": "psy-mood-persistent", "level": "refer"}]})
    assert _names(match_services(mood, 15, index, today=TODAY)) == ["Drop-in",
                                                                     "Specialist team"]
