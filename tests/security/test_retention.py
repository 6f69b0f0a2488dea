"""Retention: the report of records due for review, and audited erasure."""

from __future__ import annotations

import json

import pytest

from .helpers import add_user, as_admin, as_user, assess, audit_entries, init


@pytest.fixture
def db(tmp_path, capsys, monkeypatch):
    path = tmp_path / "heard.db"
    init(capsys, monkeypatch, path)
    add_user(capsys, monkeypatch, path, "Nia", "practitioner", "ED")
    return path


def test_report_lists_records_due_and_nothing_else(db, capsys, monkeypatch):
    record = assess(capsys, monkeypatch, db, "Nia", age=17)
    now = as_admin(capsys, monkeypatch, db, "retention", "report", "--json")
    assert now.code == 0, now.err
    assert json.loads(now.out) == []
    later = as_admin(capsys, monkeypatch, db, "retention", "report", "--within", "4000",
                     "--json")
    due = json.loads(later.out)
    assert [d["id"] for d in due] == [record]
    # 17 when assessed: kept until the 26th birthday, at the latest nine years on
    assert due[0]["review_date"][:4] == str(int(due[0]["first_assessed"][:4]) + 9)
    assert set(due[0]) == {"id", "versions", "team", "setting", "first_assessed",
                           "last_activity", "review_date", "status"}  # no clinical content


def test_rule_is_configurable(db, capsys, monkeypatch):
    changed = as_admin(capsys, monkeypatch, db, "retention", "rule", "--minimum-years", "20")
    assert changed.code == 0 and "at least 20 years" in changed.out
    assess(capsys, monkeypatch, db, "Nia", age=17)
    soon = as_admin(capsys, monkeypatch, db, "retention", "report", "--within", "4000",
                    "--json")
    assert json.loads(soon.out) == []


def test_delete_is_admin_only_audited_and_needs_a_reason(db, capsys, monkeypatch):
    record = assess(capsys, monkeypatch, db, "Nia", age=17)
    denied = as_user(capsys, monkeypatch, db, "Nia", "delete", record, "--reason", "x")
    assert denied.code == 1 and "may not" in denied.err
    blank = as_admin(capsys, monkeypatch, db, "delete", record, "--reason", "  ")
    assert blank.code == 1 and "reason" in blank.err
    done = as_admin(capsys, monkeypatch, db, "delete", record, "--reason",
                    "retention period ended (review 2026-01)")
    assert done.code == 0, done.err
    gone = as_user(capsys, monkeypatch, db, "Nia", "show", record)
    assert gone.code == 1 and "no assessment" in gone.err
    entries = audit_entries(capsys, monkeypatch, db, record)
    deletion = [e for e in entries if e["action"] == "delete"]
    assert len(deletion) == 1 and deletion[0]["reason"].startswith("retention period")
    assert as_admin(capsys, monkeypatch, db, "audit", "verify").code == 0


def test_completed_record_and_its_amendment_are_erased_together(db, capsys, monkeypatch):
    from .helpers import answers_file

    # every safety screen answered, so the record may be completed
    path = answers_file(db.parent, [{"module": "asq", "item": f"q{n}", "value": "no"}
                                    for n in range(1, 5)]
                        + [{"module": "psychosocial", "item": item, "value": "no"}
                           for item in ("self_harm", "safety")])
    made = as_user(capsys, monkeypatch, db, "Nia", "assess", "--answers", str(path),
                   "--complete")
    assert made.code == 0, made.err
    record = made.out.splitlines()[0]
    done = as_admin(capsys, monkeypatch, db, "delete", record, "--reason", "duplicate record")
    assert done.code == 0, done.err
    assert "1 version" in done.out
