"""The directory in the database, on SQLite and PostgreSQL: all-or-nothing import, admin
edits, the editable need mapping, audit entries, and the administrators-only rule."""

from __future__ import annotations

import unicodedata

import pytest

from screening_app.services import DirectoryEntry, ImportRefused, LocalAdditions
from screening_app.services.files import read_directory
from screening_app.services.needs import default_need_map
from screening_app.store import Store
from screening_app.store.directory import Directory
from screening_app.store.errors import AccessDenied
from tests.conftest import HOSTILE_CASES

from .conftest import audit_since, scoped_store
from .helpers import SAMPLE, sample_contents, write_json


@pytest.fixture
def admin(database) -> Store:
    return scoped_store(database, "Ada Admin", "administrator", "North ED")


def _actions(store: Store, mark: int) -> list[str]:
    return [e.action for e in audit_since(store, mark)]


def test_import_saves_every_entry_and_gives_them_back(admin, audit_mark):
    entries = read_directory(SAMPLE).entries
    directory = Directory(admin)
    summary = directory.import_entries(entries, by="Ada Admin", source="sample-directory.json")
    assert (summary.added, summary.updated, summary.removed) == (14, 0, 0)
    stored = directory.entries()
    assert sorted(stored, key=lambda e: e.id) == sorted(entries, key=lambda e: e.id)
    assert directory.entry(entries[3].id).local == entries[3].local
    again = directory.import_entries(entries[:2], by="Ada Admin", source="again.json",
                                     replace=True)
    assert (again.added, again.updated, again.removed) == (0, 2, 12)
    assert len(directory.entries()) == 2
    assert _actions(admin, audit_mark) == ["directory-import", "directory-import"]


def test_a_failing_import_saves_nothing(admin):
    entries = read_directory(SAMPLE).entries
    directory = Directory(admin)
    duplicate = [*entries, entries[0]]
    with pytest.raises(Exception, match="same service id appears twice"):
        directory.import_entries(duplicate, by="Ada Admin", source="bad.json")
    assert directory.entries() == []


def test_only_administrators_change_the_directory(database, store):
    entries = read_directory(SAMPLE).entries
    with pytest.raises(AccessDenied, match=r"Pat Practitioner \(practitioner\) may not change "
                                           r"the directory"):
        Directory(store).import_entries(entries, by="Pat", source="x.json")
    with pytest.raises(AccessDenied):
        Directory(store).set_mapping("low-mood", [("esdNeeds", "x")], by="Pat")
    assert Directory(store).entries() == []


def test_an_administrators_edit_is_checked_and_audited(admin, audit_mark):
    directory = Directory(admin)
    entry = read_directory(SAMPLE).entries[0]
    directory.import_entries([entry], by="Ada Admin", source="s.json")
    edited = DirectoryEntry({**entry.record, "alert": "Closed on Friday (fictional)"},
                            LocalAdditions(access_routes=("drop-in",), typical_wait_days=3))
    directory.save_entry(edited, by="Ada Admin")
    assert directory.entry(entry.id) == edited
    with pytest.raises(Exception, match="not saved: record 1 .*minimum_age"):
        directory.save_entry(DirectoryEntry({**entry.record, "minimum_age": "ten"}),
                             by="Ada Admin")
    assert _actions(admin, audit_mark)[-1] == "directory-edit"


def test_the_need_mapping_defaults_and_an_administrators_change(admin, audit_mark):
    directory = Directory(admin)
    assert directory.need_map() == default_need_map()
    directory.set_mapping("low-mood", [("esdNeeds", "Mental health"), ("heard-needs",
                                                                       "low-mood")],
                          by="Ada Admin")
    directory.set_mapping("psy-new-flag", [("heard-needs", "anxiety")], by="Ada Admin")
    directory.set_mapping("anxiety", [], by="Ada Admin")
    terms = directory.need_map().terms
    assert terms["low-mood"] == (("esdNeeds", "Mental health"), ("heard-needs", "low-mood"))
    assert terms["psy-new-flag"] == (("heard-needs", "anxiety"),)
    assert terms["anxiety"] == ()
    assert terms["self-harm"] == default_need_map().terms["self-harm"]
    assert _actions(admin, audit_mark) == ["need-map"] * 3


def test_the_match_index_follows_every_change(admin):
    directory = Directory(admin)
    entries = read_directory(SAMPLE).entries
    directory.import_entries(entries[:3], by="Ada Admin", source="a.json")
    first = directory.index()
    assert directory.index() is first  # unchanged: not rebuilt
    directory.import_entries(entries, by="Ada Admin", source="b.json")
    assert len(directory.index().services) == 13  # 14, one temporarily closed
    before = directory.index()
    directory.set_mapping("low-mood", [], by="Ada Admin")
    after = directory.index()
    assert after is not before and "low-mood" not in after.by_tag


@pytest.mark.parametrize("case", HOSTILE_CASES, ids=[c["name"] for c in HOSTILE_CASES])
def test_hostile_text_is_kept_exactly_or_refused_with_a_reason(admin, tmp_path, case):
    record = dict(sample_contents()[0])
    record["description"] = case["text"]
    record["alert"] = case["text"][:500]
    path = write_json(tmp_path / "hostile.json", [record])
    # Control characters (bar tab and line ends) and bidi embeddings/overrides/isolates.
    controls = any((unicodedata.category(ch) == "Cc" and ch not in "\t\n\r")
                   or unicodedata.bidirectional(ch) in ("LRE", "RLE", "LRO", "RLO", "PDF",
                                                        "LRI", "RLI", "FSI", "PDI")
                   for ch in case["text"])
    if controls:
        with pytest.raises(ImportRefused) as refused:
            read_directory(path)
        assert {p.field for p in refused.value.problems} == {"description", "alert"}
        assert {p.reason for p in refused.value.problems} == {
            "contains control or text-direction characters"}
        return
    entries = read_directory(path).entries
    directory = Directory(admin)
    directory.import_entries(entries, by="Ada Admin", source="hostile.json")
    (stored,) = directory.entries()
    assert stored.record["description"] == case["text"]
    assert stored == entries[0]
