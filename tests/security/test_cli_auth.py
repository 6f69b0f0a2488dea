"""Named users on the command line: lock-out, roles and teams, disabling, recovery."""

from __future__ import annotations

import json

import pytest

from .helpers import (
    ADMIN,
    ADMIN_PASSWORD,
    PASSWORD,
    add_user,
    as_admin,
    as_user,
    assess,
    cli,
    init,
)


@pytest.fixture
def db(tmp_path, capsys, monkeypatch):
    path = tmp_path / "heard.db"
    init(capsys, monkeypatch, path)
    return path


# -- lock-out ------------------------------------------------------------------------------------
def test_lockout_after_the_default_ten_failures(db, capsys, monkeypatch):
    add_user(capsys, monkeypatch, db, "Nurse Nia", "practitioner", "ED")
    for attempt in range(1, 11):
        result = as_user(capsys, monkeypatch, db, "Nurse Nia", "users", "passwd",
                         password=f"wrong guess number {attempt}")
        assert result.code == 1
        expected = "locked" if attempt == 10 else "wrong user name or password"
        assert expected in result.err, (attempt, result.err)
    # the right password no longer helps while locked
    locked = as_user(capsys, monkeypatch, db, "Nurse Nia", "show", "x")
    assert locked.code == 1 and "locked" in locked.err and "Traceback" not in locked.err
    unlocked = as_admin(capsys, monkeypatch, db, "users", "unlock", "Nurse Nia")
    assert unlocked.code == 0, unlocked.err
    assert assess(capsys, monkeypatch, db, "Nurse Nia")


def test_lockout_threshold_is_configurable(db, capsys, monkeypatch):
    add_user(capsys, monkeypatch, db, "Nurse Nia", "practitioner", "ED")
    changed = as_admin(capsys, monkeypatch, db, "users", "policy", "--lockout-attempts", "3",
                       "--lockout-minutes", "0")
    assert changed.code == 0, changed.err
    assert "after 3 wrong passwords" in changed.out
    for _attempt in range(3):
        result = as_user(capsys, monkeypatch, db, "Nurse Nia", "show", "x",
                         password="a wrong password guess")
    assert "locked" in result.err and "administrator" in result.err
    shown = as_admin(capsys, monkeypatch, db, "users", "list")
    assert "Nurse Nia\tpractitioner\tED\tlocked" in shown.out
    # the failures reached the audit trail at the administrator's next sign-in
    verified = as_admin(capsys, monkeypatch, db, "audit", "verify")
    assert verified.code == 0, verified.err


def test_lockout_counts_survive_separate_processes_and_success_resets(db, capsys, monkeypatch):
    add_user(capsys, monkeypatch, db, "Nurse Nia", "practitioner", "ED")
    for _ in range(9):
        as_user(capsys, monkeypatch, db, "Nurse Nia", "show", "x", password="nine bad tries")
    ok = as_user(capsys, monkeypatch, db, "Nurse Nia", "show", "no-such-id")
    assert "no assessment" in ok.err  # signed in, then found nothing
    result = as_user(capsys, monkeypatch, db, "Nurse Nia", "show", "x", password="bad again")
    assert "wrong user name or password" in result.err  # counting started afresh


def test_policy_bounds_follow_cyber_essentials(db, capsys, monkeypatch):
    result = as_admin(capsys, monkeypatch, db, "users", "policy", "--lockout-attempts", "11")
    assert result.code == 1 and "at most 10" in result.err


# -- roles and teams ------------------------------------------------------------------------------
@pytest.fixture
def teams(db, capsys, monkeypatch):
    add_user(capsys, monkeypatch, db, "Nia ED", "practitioner", "ED")
    add_user(capsys, monkeypatch, db, "Cal Custody", "practitioner", "Custody")
    add_user(capsys, monkeypatch, db, "Sue ED", "supervisor", "ED")
    add_user(capsys, monkeypatch, db, "Sam Custody", "supervisor", "Custody")
    return assess(capsys, monkeypatch, db, "Nia ED", reference="ED-42")


def test_practitioner_cannot_open_another_teams_record(db, teams, capsys, monkeypatch):
    record = teams
    own = as_user(capsys, monkeypatch, db, "Nia ED", "show", record)
    assert own.code == 0, own.err
    unknown_id = "00000000-0000-4000-8000-000000000000"
    for command in (["show", "ID"], ["export", "ID", "--pdf", str(db.parent / "x.pdf")]):
        other = as_user(capsys, monkeypatch, db, "Cal Custody",
                        *[record if a == "ID" else a for a in command])
        assert other.code == 1, command
        assert other.err.count("\n") == 1
        # another team's id is answered exactly like an id that does not exist (finding 20)
        unknown = as_user(capsys, monkeypatch, db, "Cal Custody",
                          *[unknown_id if a == "ID" else a for a in command])
        assert other.err.replace(record, "ID") == unknown.err.replace(unknown_id, "ID")
    assert not (db.parent / "x.pdf").exists()
    # the refusal is itself audited
    actions = [e["action"] for e in _entries(capsys, monkeypatch, db, record)]
    assert "access-denied" in actions


def test_supervisor_sees_own_teams_audit_trail_only(db, teams, capsys, monkeypatch):
    record = teams
    sue = as_user(capsys, monkeypatch, db, "Sue ED", "audit", "show", record)
    assert sue.code == 0, sue.err
    assert "create" in sue.out
    for name in ("Nia ED", "Sam Custody", "Cal Custody"):
        denied = as_user(capsys, monkeypatch, db, name, "audit", "show", record)
        assert denied.code == 1, name
    # another team's supervisor cannot tell the record exists (finding 20)
    unknown = "00000000-0000-4000-8000-000000000000"
    other = as_user(capsys, monkeypatch, db, "Sam Custody", "audit", "show", record)
    nothing = as_user(capsys, monkeypatch, db, "Sam Custody", "audit", "show", unknown)
    assert other.err.replace(record, "ID") == nothing.err.replace(unknown, "ID")
    assert as_user(capsys, monkeypatch, db, "Sue ED", "audit", "verify").code == 1


def test_only_administrators_manage_users(db, teams, capsys, monkeypatch):
    for args in (["users", "list"], ["users", "add", "X Y", "--role", "practitioner",
                                     "--team", "ED"], ["retention", "report"],
                 ["delete", teams, "--reason", "test"], ["users", "policy"]):
        result = as_user(capsys, monkeypatch, db, "Sue ED", *args)
        assert result.code == 1 and "may not" in result.err, args


def _entries(capsys, monkeypatch, db, record):
    result = as_admin(capsys, monkeypatch, db, "audit", "show", record, "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


# -- users -----------------------------------------------------------------------------------------
def test_disabled_user_cannot_sign_in_and_their_records_stay(db, teams, capsys, monkeypatch):
    record = teams
    assert as_admin(capsys, monkeypatch, db, "users", "disable", "Nia ED", "--reason",
                    "left the trust").code == 0
    refused = as_user(capsys, monkeypatch, db, "Nia ED", "show", record)
    assert refused.code == 1 and "wrong user name or password" in refused.err
    kept = as_user(capsys, monkeypatch, db, "Sue ED", "show", record, "--json")
    assert kept.code == 0 and json.loads(kept.out)["created_by"] == "Nia ED"
    enabled = cli(capsys, monkeypatch, db, "users", "enable", "Nia ED", user=ADMIN,
                  password=ADMIN_PASSWORD, new_password="fresh kettle morning")
    assert enabled.code == 0, enabled.err
    assert as_user(capsys, monkeypatch, db, "Nia ED", "show", record,
                   password="fresh kettle morning").code == 0


def test_last_administrator_cannot_be_disabled_or_demoted(db, capsys, monkeypatch):
    assert "only administrator" in as_admin(capsys, monkeypatch, db, "users", "disable",
                                            ADMIN).err
    assert "only administrator" in as_admin(capsys, monkeypatch, db, "users", "change", ADMIN,
                                            "--role", "practitioner").err


def test_password_change_replaces_the_data_key(db, capsys, monkeypatch):
    add_user(capsys, monkeypatch, db, "Nia", "practitioner", "ED")
    before = db.read_bytes()
    changed = cli(capsys, monkeypatch, db, "users", "passwd", user="Nia", password=PASSWORD,
                  new_password="quiet meadow lighthouse")
    assert changed.code == 0, changed.err
    # re-encrypted with a new data key, so an old key file and old password open nothing
    assert db.read_bytes()[16:4096] != before[16:4096]
    assert as_user(capsys, monkeypatch, db, "Nia", "show", "x").code == 1
    assert "wrong user name" in as_user(capsys, monkeypatch, db, "Nia", "show", "x").err
    ok = as_user(capsys, monkeypatch, db, "Nia", "users", "passwd", "Nia",
                 password="quiet meadow lighthouse")
    assert "wrong user name" not in ok.err


def test_weak_new_password_is_refused(db, capsys, monkeypatch):
    result = cli(capsys, monkeypatch, db, "users", "add", "Nia", "--role", "practitioner",
                 "--team", "ED", user=ADMIN, password=ADMIN_PASSWORD,
                 new_password="Password1234!")
    assert result.code == 1 and "too easy to guess" in result.err


def test_recovery_key_resets_a_forgotten_password(tmp_path, capsys, monkeypatch):
    db = tmp_path / "heard.db"
    key = init(capsys, monkeypatch, db)
    bad = cli(capsys, monkeypatch, db, "users", "recover", ADMIN,
              recovery="AAAAA-" + key[6:], new_password="brand new passphrase here")
    assert bad.code == 1 and "recovery key" in bad.err
    result = cli(capsys, monkeypatch, db, "users", "recover", ADMIN, recovery=key,
                 new_password="brand new passphrase here")
    assert result.code == 0, result.err
    assert cli(capsys, monkeypatch, db, "users", "list", user=ADMIN,
               password="brand new passphrase here").code == 0
    assert cli(capsys, monkeypatch, db, "users", "list", user=ADMIN,
               password=ADMIN_PASSWORD).code == 1


def test_admin_commands_need_an_initialised_database(tmp_path, capsys, monkeypatch):
    db = tmp_path / "dev.db"
    result = cli(capsys, monkeypatch, db, "users", "list", user="x", password="y")
    assert result.code == 1 and "init" in result.err
