"""Password rules, roles, the audit chain and the retention rule (no database)."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import replace

import pytest

from screening_app.security import audit
from screening_app.security.errors import AccessDenied, PasswordRejected, SecurityError
from screening_app.security.passwords import (
    check_password,
    hash_password,
    needs_rehash,
    verify_password,
)
from screening_app.security.retention import RetentionRule
from screening_app.security.roles import Permission, Principal, Role, check_name, parse_role


# -- passwords ---------------------------------------------------------------------------
@pytest.mark.parametrize("password", [
    "short", "elevenchars", "password1234", "Password1234!", "P@ssw0rd2024!!", "qwertyuiop12",
    "123456789012", "aaaaaaaaaaaaaaa", "abcabcabcabcabc", "iloveyou1234",
    "correct horse battery staple",
    "Liverpool1892!", "  football  2024 ", "zxcvbnm,./;'#", "1q2w3e4r5t6y",
    "Summer2024!!!", "London2024London",
])
def test_guessable_and_short_passwords_are_refused(password):
    with pytest.raises(PasswordRejected):
        check_password(password)


@pytest.mark.parametrize("password", [
    "purple tractor seaweed", "kettle-lantern-ocean", "My dog eats 3 socks a day",
    "Ŵyneb haul ar y bryn", "hedgehog umbrella violin 42",
])
def test_good_passphrases_pass_without_composition_rules(password):
    check_password(password)


def test_password_that_is_the_user_name():
    with pytest.raises(PasswordRejected, match="user name"):
        check_password("nurse.okafor2024", "nurse.okafor")
    with pytest.raises(PasswordRejected, match="user name"):
        check_password("Ada Admin 2024!!", "Ada Admin")  # zxcvbn is given the name
    check_password("Ada Admin 2024!!", "Someone Else")  # not guessable for another name
    check_password("hedgehog umbrella violin", "nurse.okafor")


def test_no_low_maximum_length():
    check_password(" ".join(f"pebble{n}orchard" for n in range(60)))


def test_argon2id_password_hash():
    stored = hash_password("purple tractor seaweed")
    assert stored.startswith("$argon2id$") and "m=65536,t=3" in stored
    assert verify_password(stored, "purple tractor seaweed")
    assert not verify_password(stored, "purple tractor seaweeD")
    assert not verify_password("not a hash", "x")
    assert not needs_rehash(stored)


# -- roles -------------------------------------------------------------------------------
def test_role_matrix():
    p = Principal("p", Role.PRACTITIONER, "ED")
    s = Principal("s", Role.SUPERVISOR, "ED")
    a = Principal("a", Role.ADMINISTRATOR, "Admin")
    assert p.can(Permission.RECORDS) and not p.can(Permission.RECORD_AUDIT)
    assert s.can(Permission.RECORD_AUDIT) and not s.can(Permission.MANAGE_USERS)
    assert all(a.can(perm) for perm in Permission)
    with pytest.raises(AccessDenied, match="manage users"):
        p.require(Permission.MANAGE_USERS)
    assert p.sees_team("ED") and not p.sees_team("Custody") and not p.sees_team(None)
    assert a.sees_team(None) and not a.sees_team("ED")
    assert s.may_see_record_audit("ED") and not s.may_see_record_audit("Custody")
    assert not p.may_see_record_audit("ED") and a.may_see_record_audit("Custody")
    assert parse_role(" Supervisor ") is Role.SUPERVISOR
    with pytest.raises(SecurityError):
        parse_role("root")


def test_names_refuse_control_and_bidi_characters():
    assert check_name("  Nurse Okafor ") == "Nurse Okafor"
    for bad in ("", "a\u202eb", "x\ny", "a" * 65):
        with pytest.raises(SecurityError):
            check_name(bad)


# -- audit chain -------------------------------------------------------------------------
KEY = os.urandom(32)


def make_chain(n: int, key: bytes = KEY) -> list[audit.Entry]:
    entries, prev = [], audit.GENESIS
    for seq in range(1, n + 1):
        fields = {"seq": seq, "at": f"2026-01-01T00:00:{seq:02d}.000000Z", "actor": "alice",
                  "role": "practitioner", "team": "ED", "terminal": "pc1", "os_user": "nhs",
                  "action": "view", "record_id": f"rec-{seq}", "reason": None,
                  "detail": audit.canonical_detail({"n": seq})}
        digest, mac = audit.seal(key, prev, fields)
        entries.append(audit.Entry(**fields, prev_hash=prev, entry_hash=digest, mac=mac))
        prev = digest
    return entries


def test_intact_chain():
    verdict = audit.verify_chain(make_chain(5), KEY)
    assert verdict.ok and verdict.checked == 5 and verdict.head_seq == 5
    assert "intact" in verdict.sentence()
    assert audit.verify_chain([], KEY).ok


def test_edited_entry():
    chain = make_chain(5)
    chain[2] = replace(chain[2], actor="mallory")
    verdict = audit.verify_chain(chain, KEY)
    assert not verdict.ok and verdict.broken_seq == 3 and "altered" in verdict.problem


def test_deleted_entry():
    chain = make_chain(5)
    del chain[1]
    verdict = audit.verify_chain(chain, KEY)
    assert verdict.broken_seq == 2 and "missing" in verdict.problem


def test_deleted_and_renumbered():
    chain = make_chain(5)
    del chain[1]
    chain = [replace(e, seq=i) for i, e in enumerate(chain, start=1)]
    verdict = audit.verify_chain(chain, KEY)
    assert verdict.broken_seq == 2 and "does not follow" in verdict.problem


def test_reordered_entries():
    chain = make_chain(5)
    a, b = chain[1], chain[2]
    chain[1], chain[2] = replace(b, seq=2), replace(a, seq=3)
    verdict = audit.verify_chain(chain, KEY)
    assert verdict.broken_seq == 2 and "does not follow" in verdict.problem


def test_rewritten_without_the_key():
    forged = make_chain(5, key=os.urandom(32))
    verdict = audit.verify_chain(forged, KEY)
    assert verdict.broken_seq == 1 and "seal" in verdict.problem


def test_clock_going_back_is_a_warning_not_a_break():
    chain = make_chain(3)
    fields = chain[2].fields() | {"at": "2025-01-01T00:00:00.000000Z"}
    digest, mac = audit.seal(KEY, chain[1].entry_hash, fields)
    chain[2] = audit.Entry(**fields, prev_hash=chain[1].entry_hash, entry_hash=digest, mac=mac)
    verdict = audit.verify_chain(chain, KEY)
    assert verdict.ok and verdict.warnings


def test_server_audit_key_sources(tmp_path):
    key = os.urandom(32)
    assert audit.server_audit_key({audit.AUDIT_KEY_ENV: key.hex()}) == key
    path = tmp_path / "audit.key"
    path.write_text(key.hex() + "\n")
    assert audit.server_audit_key({audit.AUDIT_KEY_FILE_ENV: str(path)}) == key
    with pytest.raises(SecurityError, match="needs the audit key"):
        audit.server_audit_key({})
    with pytest.raises(SecurityError, match="64 hexadecimal"):
        audit.server_audit_key({audit.AUDIT_KEY_ENV: "abc"})


# -- retention ---------------------------------------------------------------------------
def test_retention_until_25th_birthday():
    rule = RetentionRule()
    dob = dt.date(2012, 5, 17)
    assert rule.review_date(assessed_on=dt.date(2026, 1, 1), age=13, date_of_birth=dob) \
        == dt.date(2037, 5, 17)


def test_retention_26th_if_17_when_assessed():
    rule = RetentionRule()
    assert rule.review_date(assessed_on=dt.date(2026, 1, 1), age=17,
                            date_of_birth=dt.date(2008, 6, 1)) == dt.date(2034, 6, 1)


def test_retention_without_date_of_birth_is_never_early():
    rule = RetentionRule()
    # aged 14 on 2026-03-01: 25th birthday at the latest on 2037-03-01
    assert rule.review_date(assessed_on=dt.date(2026, 3, 1), age=14) == dt.date(2037, 3, 1)


def test_retention_minimum_years_and_leap_day():
    rule = RetentionRule(minimum_years=21)
    assert rule.review_date(assessed_on=dt.date(2024, 2, 29), age=16) == dt.date(2045, 3, 1)
    assert RetentionRule().review_date(assessed_on=dt.date(2024, 2, 29), age=16) \
        == dt.date(2033, 3, 1)
    with pytest.raises(SecurityError):
        RetentionRule(birthday=5)
    assert "25th" in RetentionRule().describe()


# -- idle lock ---------------------------------------------------------------------------
def test_idle_deadline_is_wall_clock_and_survives_sleep():
    from screening_app.security.idle import IdleDeadline

    now = [1000.0]
    deadline = IdleDeadline(5, clock=lambda: now[0])
    now[0] += 299
    assert not deadline.expired()
    deadline.touch()
    now[0] += 299
    assert not deadline.expired()
    now[0] += 3600  # the laptop slept for an hour: locks at once on waking
    assert deadline.expired()
    deadline.touch()
    now[0] -= 7200  # the clock went back two hours: still at most one period
    assert deadline.remaining() == 300
