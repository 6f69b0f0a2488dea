"""The site's area (deployment settings) and the child's language (the communication
module's answers) reach the match: expected ranked lists where each changes the order."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from screening_app.app import Workspace, load_content
from screening_app.deployment import Deployment
from screening_app.services import DirectoryEntry, build_index, match_services, needs_from_result
from screening_app.services.files import read_directory
from screening_app.services.languages import language_key, language_name
from screening_app.services.needs import default_need_map
from screening_app.services.suggest import child_language, suggestions_for
from screening_app.store import Store, open_database
from screening_app.store.directory import Directory

from .helpers import SAMPLE

TODAY = dt.date(2026, 12, 1)
GP_LOW_MOOD = [{"id": "phq9-moderate-plus", "level": "refer"},
               {"id": "psy-mood-persistent", "level": "refer"}]
CUSTODY_INTERPRETER = [{"id": "custody-appropriate-adult", "level": "act-now"},
                       {"id": "custody-vulnerable", "level": "act-now"},
                       {"id": "slcn-interpreter", "level": "act-now"}]


@pytest.fixture(scope="module")
def catalog():
    return load_content()


@pytest.fixture(scope="module")
def index():
    return build_index(read_directory(SAMPLE).entries, default_need_map())


def _names(suggestions) -> list[str]:
    return [s.name.removesuffix(" (fictional)") for s in suggestions]


def answers(language: str, typed: object = None, *, counted: bool = True) -> list[dict]:
    given = [{"module": "slcn", "item": "language", "value": language}]
    if typed is not None:
        given.append({"module": "slcn", "item": "interpreter_language", "value": typed,
                      "counted": counted})
    return given


def result(flags: list[dict], given: list[dict] | None = None, age: int = 15) -> dict:
    return {"age": age, "flags": flags, "answers": given or []}


@pytest.mark.parametrize(("text", "key"), [
    ("Polish", "pol"), ("polish ", "pol"), ("pl", "pol"), ("POL", "pol"), ("polski", "pol"),
    ("pl-PL", "pol"), ("Polish (Silesian dialect)", "pol"), ("Arabic (Sudanese)", "ara"),
    ("Moroccan Arabic", "ara"), ("Punjabi - Mirpuri", "pan"), ("BSL", "bfi"),
    ("British Sign Language", "bfi"), ("british sign language (BSL)", "bfi"),
    ("Polish Sign Language", "polish sign language"), ("Tok Pisin", "tok pisin"),
    ("", None), ("  ", None), (None, None)])
def test_a_language_folds_to_one_key_however_it_is_written(text, key):
    assert language_key(text) == key


def test_a_language_reads_as_people_say_it():
    assert [language_name(t) for t in ("pl", "bsl", "ar", "Tok  Pisin")] == [
        "Polish", "British Sign Language", "Arabic", "Tok Pisin"]


def test_the_childs_language_comes_from_the_communication_answers():
    assert child_language(result([], answers("other_needs", "Polish"))) == "Polish"
    assert child_language(result([], answers("sign", " BSL "))) == "BSL"
    # comfortable in English, no language typed, declined, or hidden by branching: none
    assert child_language(result([], answers("other_fluent", "Polish"))) is None
    assert child_language(result([], answers("other_needs"))) is None
    assert child_language(result([], answers("other_needs", "declined"))) is None
    assert child_language(result([], answers("other_needs", "Polish", counted=False))) is None
    assert child_language({"age": 15, "flags": []}) is None


def test_a_child_needing_a_polish_interpreter_ranks_polish_speakers_first(index):
    plain = suggestions_for(result(GP_LOW_MOOD), index, area="Northfield", today=TODAY)
    polish = suggestions_for(result(GP_LOW_MOOD, answers("other_needs", "polish")), index,
                             area="Northfield", today=TODAY)
    assert _names(plain) == [
        "Northfield Young People's Counselling",
        "Open Door Online Chat",
        "Northfield Schools Mental Health Support Team",
        "Children and Young People's Mental Health Service, Single Point of Access",
    ]
    assert _names(polish) == [
        "Open Door Online Chat",                   # lists Polish: before the local service
        "Northfield Young People's Counselling",
        "Northfield Schools Mental Health Support Team",
        "Children and Young People's Mental Health Service, Single Point of Access",
    ]
    assert "speaks Polish" in polish[0].why
    assert "does not list Polish: arrange an interpreter" in polish[1].why
    assert "in Northfield" in polish[1].why
    assert "open to children from any area" in polish[0].why


def test_a_custody_child_needing_an_interpreter_in_southvale(index):
    needs = needs_from_result(result(CUSTODY_INTERPRETER))
    plain = match_services(needs, 14, index, area="Southvale", today=TODAY)
    polish = match_services(needs, 14, index, area="Southvale", language="pl", today=TODAY)
    assert _names(plain) == [
        "Southvale Liaison and Diversion",
        "Southvale Appropriate Adult Service",
        "Community Interpreting Line",
        "Children's Speech and Language Drop-in",
    ]
    assert _names(polish) == [
        "Southvale Liaison and Diversion",        # meets two act-now needs
        "Community Interpreting Line",            # speaks Polish: before the same-fit one
        "Southvale Appropriate Adult Service",
        "Children's Speech and Language Drop-in",
    ]


def test_a_service_outside_the_sites_area_is_dropped_unless_open_to_all(index):
    needs = needs_from_result(result(GP_LOW_MOOD))
    everywhere = match_services(needs, 15, index, today=TODAY)
    southvale = match_services(needs, 15, index, area="Southvale", today=TODAY)
    assert _names(everywhere) == [
        "Open Door Online Chat",
        "Southvale Youth Counselling",
        "Northfield Young People's Counselling",
        "Northfield Schools Mental Health Support Team",
        "Children and Young People's Mental Health Service, Single Point of Access",
    ]
    # Northfield's own services go; the online chat (open to all areas) stays, after the
    # local counselling; the single point of access covers both areas.
    assert _names(southvale) == [
        "Southvale Youth Counselling",
        "Open Door Online Chat",
        "Children and Young People's Mental Health Service, Single Point of Access",
    ]
    assert "in Southvale" in southvale[0].why
    assert "open to children from any area" in southvale[1].why


def test_a_service_listing_only_a_code_or_only_a_name_speaks_the_language():
    def entry(n: int, language: dict) -> DirectoryEntry:
        return DirectoryEntry({
            "id": f"00000000-0000-4000-8000-00000000000{n}", "name": f"Service {n}",
            "status": "active", "languages": [{"id": f"5000000{n}", **language}],
            "attributes": [{"id": f"10000000-0000-4000-8000-00000000000{n}", "taxonomy_term": {
                "id": "20000000-0000-4000-8000-000000000001", "name": "x", "description": "",
                "taxonomy": "heard-needs", "term": "low-mood"}}]})

    index = build_index([entry(1, {"name": "English"}), entry(2, {"code": "pl"}),
                         entry(3, {"name": "Polski"}), entry(4, {"code": "bfi"})],
                        default_need_map())
    needs = needs_from_result(result(GP_LOW_MOOD))
    assert [s.name for s in match_services(needs, 15, index, language="Polish",
                                           today=TODAY)] == [
        "Service 2", "Service 3", "Service 1", "Service 4"]
    assert [s.name for s in match_services(needs, 15, index, language="BSL",
                                           today=TODAY)][0] == "Service 4"


def test_the_workspace_matches_for_the_sites_area_and_the_childs_language(catalog, tmp_path):
    machine = Deployment(source=Path("/etc/xdg/screening-app/deployment.toml"),
                         area="Southvale")
    ws = Workspace(catalog, Store(open_database(f"sqlite:///{tmp_path / 'a.db'}")),
                   user="Nurse Test", machine=machine)
    try:
        Directory(ws.store).import_entries(read_directory(SAMPLE).entries, by="admin",
                                           source="sample")
        found = ws.suggest_services(result(GP_LOW_MOOD, answers("other_needs", "Polish")))
        assert [s["name"].removesuffix(" (fictional)") for s in found] == [
            "Open Door Online Chat",
            "Southvale Youth Counselling",
            "Children and Young People's Mental Health Service, Single Point of Access",
        ]
        assert "speaks Polish" in found[0]["reasons"]
        assert "in Southvale" in found[1]["why"]
    finally:
        ws.close()


def test_the_sites_area_is_a_deployment_setting(tmp_path):
    from screening_app.deployment import DeploymentError, load_deployment

    path = tmp_path / "deployment.toml"
    path.write_text('area = "  Northfield "\n', encoding="utf-8")
    path.chmod(0o644)
    assert load_deployment(path).area == "Northfield"
    path.write_text(f'area = "{"x" * 81}"\n', encoding="utf-8")
    with pytest.raises(DeploymentError, match=r"deployment.toml: area: must be 1 to 80 "):
        load_deployment(path)
