"""The command line, in-process: services, actions and escalate on a development database
and on one set up with users, teams and the audit trail."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from screening_app.cli import main
from screening_app.security.policy import DEVELOPMENT_WARNING
from screening_app.services.oruk import service_schema
from tests.security.helpers import add_user, as_admin, as_user, audit_entries, init
from tests.security.helpers import assess as assess_as

from .helpers import SAMPLE, sample_contents, write_json

LOW_MOOD = [{"module": "phq9", "item": f"q{i}", "value": 2} for i in range(1, 9)] + [
    {"module": "phq9", "item": "q9", "value": 0}]


def run(capsys, db: Path, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--db", f"sqlite:///{db}", *args])
    out = capsys.readouterr()
    # less the warning every development-database use prints (checked in tests/security)
    warning = f"screening-app: {DEVELOPMENT_WARNING}\n"
    return code, out.out, out.err.replace(warning, "", 1)


def gp_assessment(capsys, tmp_path: Path, db: Path) -> str:
    answers = write_json(tmp_path / "answers.json", {
        "setting": "gp", "child": {"age": 15}, "modules": ["phq9"], "answers": LOW_MOOD})
    code, out, err = run(capsys, db, "assess", "--answers", str(answers))
    assert code == 0, err
    return out.splitlines()[0].strip()


@pytest.fixture
def db(tmp_path, capsys) -> Path:
    path = tmp_path / "heard.db"
    code, out, err = run(capsys, path, "services", "import", str(SAMPLE))
    assert code == 0, err
    assert out == ("imported 14 service(s) from sample-directory.json: 14 new, 0 updated, "
                   "0 removed\n")
    return path


def test_list_and_export_json_that_validates_and_imports_back(capsys, db, tmp_path):
    code, out, _ = run(capsys, db, "services", "list", "--json")
    listed = json.loads(out)
    assert len(listed) == 14 and listed[0]["name"] == "Adult Talking Therapies (fictional)"
    out_file = tmp_path / "export.json"
    code, out, err = run(capsys, db, "services", "export", str(out_file))
    assert (code, out) == (0, f"exported 14 service(s) to {out_file}\n"), err
    exported = json.loads(out_file.read_text())
    validator = Draft202012Validator(service_schema(), format_checker=FormatChecker())
    assert all(not list(validator.iter_errors(r)) for r in exported["contents"])
    assert exported == json.loads(SAMPLE.read_text()) | {"contents": sorted(
        json.loads(SAMPLE.read_text())["contents"], key=lambda r: (r["name"], r["id"]))}
    code, out, _ = run(capsys, db, "services", "import", str(out_file))
    assert out.endswith("0 new, 14 updated, 0 removed\n")


def test_export_to_a_folder_writes_the_tabular_form(capsys, db, tmp_path):
    folder = tmp_path / "tabular"
    code, _, err = run(capsys, db, "services", "export", str(folder))
    assert code == 0, err
    assert sorted(p.name for p in folder.iterdir()) == [
        "attributes.csv", "datapackage.json", "languages.csv", "organizations.csv",
        "service_areas.csv", "services.csv", "taxonomy_terms.csv"]
    code, out, err = run(capsys, tmp_path / "other.db", "services", "import", str(folder))
    assert (code, out.split(":")[0]) == (0, "imported 14 service(s) from tabular/datapackage.json")


def test_a_bad_file_is_refused_whole_naming_each_problem(capsys, db, tmp_path):
    records = sample_contents()[:2]
    records[0]["minimum_age"] = -4
    records[1]["id"] = records[0]["id"]
    fresh = tmp_path / "fresh.db"
    code, out, err = run(capsys, fresh, "services", "import",
                         str(write_json(tmp_path / "bad.json", records)))
    assert code == 1 and out == ""
    rid = records[0]["id"]
    assert err.splitlines() == [
        f"record 1 (id {rid}): minimum_age: -4 is not an age (0 to 120)",
        f"record 2 (id {rid}): id: duplicate id, already used by record 1 (id {rid})",
        "screening-app: bad.json: nothing imported; 2 problem(s) above"]
    assert run(capsys, fresh, "services", "list")[1].startswith("the directory is empty")
    code, _, err = run(capsys, fresh, "services", "import", str(tmp_path / "missing.json"))
    assert (code, err.strip()) == (1, f"screening-app: {tmp_path / 'missing.json'}: no such "
                                      f"file or folder")


def test_match_actions_and_escalation_for_a_gp_assessment(capsys, db, tmp_path):
    aid = gp_assessment(capsys, tmp_path, db)
    code, out, err = run(capsys, db, "services", "match", aid, "--area", "Northfield",
                         "--json")
    assert code == 0, err
    found = json.loads(out)
    assert found["needs"] == [{"tag": "low-mood", "level": "refer",
                               "because": ["phq9-moderate-plus"]}]
    assert [s["name"] for s in found["services"]] == [
        "Northfield Young People's Counselling (fictional)", "Open Door Online Chat (fictional)",
        "Northfield Schools Mental Health Support Team (fictional)",
        "Children and Young People's Mental Health Service, Single Point of Access (fictional)"]
    spa = found["services"][3]["id"]
    code, out, err = run(capsys, db, "actions", "add", aid, "--from", "flag:phq9-moderate-plus",
                         "--owner", "Dr Patel", "--due", "2026-01-05", "--service", spa, "--json")
    assert code == 0, err
    (referral,) = json.loads(out)
    assert (referral["kind"], referral["level"], referral["service_id"]) == (
        "referral", "refer", spa)
    code, out, _ = run(capsys, db, "actions", "list", "--overdue", "--json")
    assert [a["id"] for a in json.loads(out)] == [referral["id"]]
    code, out, err = run(capsys, db, "actions", "update", str(referral["id"]), "--status",
                         "did-not-attend", "--json")
    dna, follow_up = json.loads(out)
    assert (dna["status"], follow_up["kind"], follow_up["follows_id"]) == (
        "did-not-attend", "follow-up", referral["id"])
    code, out, err = run(capsys, db, "escalate", aid, "--to", "safeguarding lead", "--reason",
                         "family not reachable")
    assert code == 0 and "to safeguarding lead" in out, err
    code, out, err = run(capsys, db, "escalate", aid, "--outcome", "lead visited")
    assert code == 0 and "outcome: lead visited" in out, err
    code, _, err = run(capsys, db, "escalate", aid, "--outcome", "again")
    assert (code, err.strip()) == (1, f"screening-app: assessment {aid} has no escalation "
                                      f"waiting for its outcome")
    code, out, _ = run(capsys, db, "actions", "oversight", "--json")
    (row,) = json.loads(out)
    assert (row["assessment_id"], row["open_actions"]) == (aid, 1)


@pytest.mark.parametrize("args,message", [
    (["actions", "add", "ID", "--from", "flag:nope", "--owner", "x", "--due", "today"],
     "this assessment has no flag 'nope'; see 'screening-app show'"),
    (["actions", "add", "ID", "--from", "manual", "--title", "t", "--owner", "x", "--due",
      "soon"], "--due 'soon': give a date as YYYY-MM-DD, 'today' or +DAYS"),
    (["actions", "update", "999", "--status", "done"], "no action with id 999"),
    (["escalate", "ID", "--to", "inspector"], "escalate needs --to ROLE and --reason TEXT (or "
                                           "--outcome TEXT, or --list)"),
    (["services", "map", "low-mood", "no-colon"], "'no-colon': give each term as "
                                                  "TAXONOMY:TERM"),
])
def test_bad_input_gets_one_clear_line(capsys, db, tmp_path, args, message):
    aid = gp_assessment(capsys, tmp_path, db)
    code, out, err = run(capsys, db, *[aid if a == "ID" else a for a in args])
    assert code == 1 and out == ""
    assert err == f"screening-app: {message}\n"


def test_signed_in_teams_roles_and_audit(capsys, monkeypatch, tmp_path):
    db = tmp_path / "secure.db"
    init(capsys, monkeypatch, db, team="North GP")
    add_user(capsys, monkeypatch, db, "Pat", "practitioner", "North GP")
    add_user(capsys, monkeypatch, db, "Sue", "supervisor", "North GP")
    add_user(capsys, monkeypatch, db, "Olga", "practitioner", "South custody")
    refused = as_user(capsys, monkeypatch, db, "Pat", "services", "import", str(SAMPLE))
    assert refused.code == 1
    assert "Pat (practitioner) may not change the directory of services" in refused.err
    assert as_admin(capsys, monkeypatch, db, "services", "import", str(SAMPLE)).code == 0
    aid = assess_as(capsys, monkeypatch, db, "Pat", LOW_MOOD, setting="gp", age=15,
                    modules=["phq9"])
    added = as_user(capsys, monkeypatch, db, "Pat", "actions", "add", aid, "--from",
                    "flag:phq9-moderate-plus", "--owner", "Pat", "--due", "2026-01-01")
    assert added.code == 0, added.err
    for args in (["actions", "add", aid, "--from", "manual", "--title", "x", "--owner", "O",
                  "--due", "today"],
                 ["escalate", aid, "--to", "inspector", "--reason", "r"],
                 ["services", "match", aid]):
        other = as_user(capsys, monkeypatch, db, "Olga", *args)
        assert other.code == 1 and aid in other.err and "Traceback" not in other.err
    assert as_user(capsys, monkeypatch, db, "Pat", "actions", "oversight").code == 1
    oversight = as_user(capsys, monkeypatch, db, "Sue", "actions", "oversight", "--json")
    assert [r["assessment_id"] for r in json.loads(oversight.out)] == [aid]
    assert json.loads(as_user(capsys, monkeypatch, db, "Olga", "actions", "list",
                              "--json").out) == []
    assert as_user(capsys, monkeypatch, db, "Pat", "escalate", aid, "--to", "GP partner",
                   "--reason", "no CAMHS reply").code == 0
    actions = [e["action"] for e in audit_entries(capsys, monkeypatch, db, aid)]
    assert {"action-add", "escalate", "access-denied"} <= set(actions)
    # Erasure under the retention rule takes the actions and escalations with the record.
    erased = as_admin(capsys, monkeypatch, db, "delete", aid, "--reason", "retention ended")
    assert erased.code == 0, erased.err
    assert json.loads(as_user(capsys, monkeypatch, db, "Pat", "actions", "list", "--all",
                              "--json").out) == []
    assert as_user(capsys, monkeypatch, db, "Pat", "escalate", aid, "--list").code == 1
