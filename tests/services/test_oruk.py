"""ORUK import and export: the shipped examples import, every malformed file is refused
whole, naming record, field and reason, and an export validates against the ORUK schema."""

from __future__ import annotations

import csv
import io
import json

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from screening_app.services import ImportRefused
from screening_app.services.files import export_directory, read_directory
from screening_app.services.oruk import paged_answer, service_schema
from screening_app.services.tabular import neutralise

from .helpers import DATA, SAMPLE, example_full, sample_contents, tabular_package, write_json


def _validator() -> Draft202012Validator:
    return Draft202012Validator(service_schema(), format_checker=FormatChecker())


@pytest.mark.parametrize("name", ["example-service_full.json", "example-service_list.json"])
def test_the_shipped_oruk_json_examples_import(name):
    read = read_directory(DATA / name)
    assert [e.name for e in read.entries] == ["Community Counselling"]
    assert read.entries[0].service.minimum_age == 12


def test_a_paged_answer_that_is_one_page_of_many_says_so():
    read = read_directory(DATA / "example-service_list.json")
    assert read.notes == ["example-service_list.json is page 1 of 10 of a paged answer: "
                          "only this page's 1 service(s) were in the file"]


def test_the_shipped_tabular_example_imports(tmp_path):
    read = read_directory(tabular_package(tmp_path / "pkg"))
    (entry,) = read.entries
    assert entry.record == {**{k: v for k, v in example_full().items()
                               if k in entry.record}, "organization_id": entry.record[
        "organization_id"]}
    assert entry.record["maximum_age"] == 100
    assert entry.record["alert"].startswith("Following COVID-19")


def test_the_sample_directory_is_fictional_and_imports_with_its_local_additions():
    entries = read_directory(SAMPLE).entries
    assert len(entries) == 14
    assert all(e.record["description"].startswith("FICTIONAL SAMPLE") for e in entries)
    assert all("(fictional)" in e.name for e in entries)
    crisis = next(e for e in entries if e.name.startswith("Children's Crisis"))
    assert crisis.local.typical_wait_days == 0
    assert crisis.local.access_routes == ("professional-referral",)
    assert crisis.local.sector == "nhs"
    # Heard's own attributes were taken out of the ORUK record
    assert all(a["taxonomy_term"]["taxonomy"] == "heard-needs"
               for a in crisis.record["attributes"])


def test_import_export_import_gives_back_the_same_entries_and_validates(tmp_path):
    first = read_directory(SAMPLE).entries
    out = tmp_path / "out.json"
    out.write_bytes(export_directory(out, first)[out.name])
    exported = json.loads(out.read_text())
    assert exported["total_items"] == 14
    for record in exported["contents"]:
        assert list(_validator().iter_errors(record)) == []
    again = read_directory(out).entries
    assert again == first
    assert exported == paged_answer(first)


def test_an_export_carries_the_local_additions_as_oruk_attributes(tmp_path):
    entries = read_directory(SAMPLE).entries
    record = paged_answer(entries)["contents"][0]
    heard = {a["taxonomy_term"]["taxonomy"]: a["taxonomy_term"]["term"]
             for a in record["attributes"] if a["taxonomy_term"]["taxonomy"].startswith("heard:")}
    assert heard == {"heard:access-route": "professional-referral",
                     "heard:typical-wait-days": "21", "heard:sector": "voluntary-community"}


def _refused(path) -> list[str]:
    with pytest.raises(ImportRefused) as caught:
        read_directory(path)
    return [str(p) for p in caught.value.problems]


def test_bad_ages_are_refused_naming_record_and_field(tmp_path):
    records = sample_contents()[:3]
    records[1]["minimum_age"] = 19
    records[1]["maximum_age"] = 12
    records[2]["maximum_age"] = 300
    problems = _refused(write_json(tmp_path / "bad.json", records))
    assert problems == [
        f"record 2 (id {records[1]['id']}): minimum_age: 19 is above maximum_age 12",
        f"record 3 (id {records[2]['id']}): maximum_age: 300 is not an age (0 to 120)"]


def test_duplicate_ids_and_schema_breaks_are_refused(tmp_path):
    records = sample_contents()[:3]
    records[2]["id"] = records[0]["id"]
    records[1]["status"] = "open-ish"
    del records[1]["name"]
    problems = _refused(write_json(tmp_path / "bad.json", records))
    rid1, rid0 = records[1]["id"], records[0]["id"]
    assert f"record 2 (id {rid1}): -: 'name' is a required property" in problems
    assert any(p.startswith(f"record 2 (id {rid1}): status: 'open-ish' is not one of")
               for p in problems)
    assert f"record 3 (id {rid0}): id: duplicate id, already used by record 1 (id {rid0})" \
        in problems


def test_an_id_that_is_not_a_uuid_is_refused(tmp_path):
    record = example_full()
    record["id"] = "service-1"
    assert _refused(write_json(tmp_path / "bad.json", record)) == [
        "record 1 (id service-1): id: 'service-1' is not a 'uuid'"]


def test_unknown_heard_taxonomy_values_and_termless_attributes_are_refused(tmp_path):
    records = paged_answer(read_directory(SAMPLE).entries)["contents"][:1]
    route = next(a for a in records[0]["attributes"]
                 if a["taxonomy_term"]["taxonomy"] == "heard:access-route")
    route["taxonomy_term"]["term"] = "walk-in"
    records[0]["attributes"].append({"id": "5d5a3d0e-9b8e-4a4b-8f41-8f3c0d4f3a11"})
    problems = _refused(write_json(tmp_path / "bad.json", records))
    rid = records[0]["id"]
    assert any(p.startswith(f"record 1 (id {rid}): attributes[") and
               "unknown access route 'walk-in'" in p for p in problems)
    assert any(p.endswith("names no taxonomy term") for p in problems)


def test_a_tabular_attribute_naming_an_unknown_term_is_refused(tmp_path):
    package = tabular_package(tmp_path / "pkg")
    service_id = next(csv.DictReader(io.StringIO(
        (tmp_path / "pkg" / "example-csv-services.csv").read_text())))["id"]
    (tmp_path / "pkg" / "example-csv-attribute.csv").write_text(
        f"id,link_id,taxonomy_term_id,link_type\n"
        f"ae58cc39-8b70-4ab1-8aea-786882e5ac8e,{service_id},"
        f"11111111-2222-4333-8444-555555555555,link_type\n")
    assert _refused(package) == [
        "example-csv-attribute.csv row 2: taxonomy_term_id: unknown taxonomy term "
        "'11111111-2222-4333-8444-555555555555' (not in taxonomy_terms.csv)"]


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "+cmd", "-2+3", "@SUM(A1)",
                                  "\tlead", "\rlead"])
def test_formula_like_csv_cells_are_refused(tmp_path, cell):
    text = (DATA / "example-csv-services.csv").read_text()
    header, row = [line for line in text.splitlines() if line][:2]
    quoted = '"' + cell.replace('"', '""') + '"'
    row = row.replace("Community Counselling", quoted)
    problems = _refused(tabular_package(tmp_path / "pkg", f"{header}\n{row}\n"))
    assert problems == ["example-csv-services.csv row 2: name: cell starts like a "
                        "spreadsheet formula (= + - @ tab or CR)"]


def test_a_bad_number_in_csv_is_named(tmp_path):
    text = (DATA / "example-csv-services.csv").read_text()
    header, row = [line for line in text.splitlines() if line][:2]
    row = row.replace(",12,100,", ",twelve,100,")
    problems = _refused(tabular_package(tmp_path / "pkg", f"{header}\n{row}\n"))
    assert problems[0].endswith("minimum_age: 'twelve' is not a number")


def test_unreadable_or_shapeless_files_are_refused(tmp_path):
    (tmp_path / "x.json").write_text("{not json")
    assert _refused(tmp_path / "x.json")[0].startswith("x.json: -: not readable JSON")
    write_json(tmp_path / "y.json", {"hello": 1})
    assert _refused(tmp_path / "y.json") == [
        "y.json: -: not an ORUK service, list of services or paged answer (no 'contents')"]


def test_the_csv_export_neutralises_every_cell_a_spreadsheet_would_run(tmp_path):
    records = sample_contents()[:2]
    records[0]["name"] = "=1+1 (fictional)"
    records[1]["description"] = "@risky"
    records[1]["alert"] = "-rm"
    entries = read_directory(write_json(tmp_path / "in.json", records)).entries
    files = export_directory(tmp_path / "pkg", entries)
    services = list(csv.DictReader(io.StringIO(files["services.csv"].decode())))
    assert services[0]["name"] == "'=1+1 (fictional)"
    assert services[1]["description"] == "'@risky"
    assert services[1]["alert"] == "'-rm"
    for name, data in files.items():
        if name.endswith(".csv"):
            for row in csv.reader(io.StringIO(data.decode())):
                assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in row)


def test_the_tabular_export_imports_back(tmp_path):
    entries = read_directory(SAMPLE).entries
    folder = tmp_path / "pkg"
    folder.mkdir()
    for name, data in export_directory(folder, entries).items():
        (folder / name).write_bytes(data)
    again = read_directory(folder).entries
    assert [(e.id, e.name, e.local) for e in again] == [(e.id, e.name, e.local)
                                                         for e in entries]
    assert again[0].record["service_areas"][0]["name"] == "Northfield"


@pytest.mark.parametrize("cell,expected", [("=x", "'=x"), ("plain", "plain"), ("", ""),
                                           ("\tx", "'\tx")])
def test_neutralise(cell, expected):
    assert neutralise(cell) == expected
