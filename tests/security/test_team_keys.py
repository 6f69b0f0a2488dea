"""What a user holding the files keeps after being disabled or after a password change
(red-team finding 2): nothing. The data key is replaced and sealed to the remaining users'
own keys, so an old copy of the key file with the old password opens nothing; audit entries
made before and after still verify; an interrupted rekey is finished at the next sign-in."""

from __future__ import annotations

import shutil

import pytest

from screening_app.security.access import initialise, sign_in
from screening_app.security.crypto import sqlcipher_key
from screening_app.security.keyfile import KeyFile, KeyFileStore, key_file_for, rekey_key_file
from screening_app.security.records import verify_trail
from screening_app.security.roles import Role
from screening_app.security.users import add_user, disable_user, set_password
from screening_app.store import StoreError

from .helpers import ADMIN, ADMIN_PASSWORD, PASSWORD, raw_connection


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "heard.db"
    initialise(f"sqlite:///{path}", ADMIN, ADMIN_PASSWORD, team="ED")
    admin = sign_in(f"sqlite:///{path}", ADMIN, ADMIN_PASSWORD)
    try:
        for name in ("Bob", "Carol"):
            add_user(admin, name, Role.PRACTITIONER, "ED", PASSWORD)
    finally:
        admin.close()
    return path


def _opens(db, key: bytes) -> bool:  # noqa: ANN001
    conn = raw_connection(db, key)
    try:
        conn.execute("SELECT count(*) FROM app_user").fetchone()
        return True
    except Exception:  # noqa: BLE001 - SQLCipher: "file is not a database"
        return False
    finally:
        conn.close()


def _kept_copy(db, tmp_path) -> KeyFile:  # noqa: ANN001
    copy = tmp_path / "bob-copy.json"
    shutil.copy(key_file_for(db), copy)
    return KeyFileStore(copy).read()


def test_a_disabled_user_with_a_copy_of_the_key_file_opens_nothing(db, tmp_path):
    old = bytes(_kept_copy(db, tmp_path).unwrap_for_user("Bob", PASSWORD))
    assert _opens(db, old)
    admin = sign_in(f"sqlite:///{db}", ADMIN, ADMIN_PASSWORD)
    try:
        assert disable_user(admin, "Bob", "left the team") == []
        assert verify_trail(admin).ok  # the same session goes on, on the new key
    finally:
        admin.close()
    assert not _opens(db, old)
    sign_in(f"sqlite:///{db}", "Carol", PASSWORD).close()  # the others keep their access
    admin = sign_in(f"sqlite:///{db}", ADMIN, ADMIN_PASSWORD)
    try:
        verdict = verify_trail(admin)
        assert verdict.ok, verdict.sentence()
    finally:
        admin.close()


def test_an_old_password_with_an_old_key_file_opens_nothing_after_a_change(db, tmp_path):
    old = bytes(_kept_copy(db, tmp_path).unwrap_for_user("Carol", PASSWORD))
    carol = sign_in(f"sqlite:///{db}", "Carol", PASSWORD)
    try:
        set_password(carol, "Carol", "saffron glacier turnip")
    finally:
        carol.close()
    assert not _opens(db, old)
    with pytest.raises(StoreError):
        sign_in(f"sqlite:///{db}", "Carol", PASSWORD)
    sign_in(f"sqlite:///{db}", "Carol", "saffron glacier turnip").close()
    sign_in(f"sqlite:///{db}", "Bob", PASSWORD).close()


def test_an_interrupted_rekey_is_finished_at_the_next_sign_in(db):
    """The state a kill leaves between PRAGMA rekey and renaming the new key file."""
    keys = KeyFileStore(key_file_for(db)).read()
    current = keys.unwrap_for_user(ADMIN, ADMIN_PASSWORD)
    new = KeyFile.from_json(keys.to_json(), key_file_for(db))
    fresh = bytearray(b"\x42" * 32)
    new.reseal(fresh)
    KeyFileStore(rekey_key_file(db)).write(new)
    conn = raw_connection(db, bytes(current))
    try:
        conn.execute(f'PRAGMA rekey = "{sqlcipher_key(fresh)}"')
    finally:
        conn.close()
    sign_in(f"sqlite:///{db}", "Bob", PASSWORD).close()
    assert not rekey_key_file(db).exists()
    assert bytes(KeyFileStore(key_file_for(db)).read().unwrap_for_user(ADMIN, ADMIN_PASSWORD)) \
        == bytes(fresh)


def test_another_teams_practitioner_with_the_files_reads_nothing(tmp_path):
    """One encrypted database per team: Carol (TeamB) has TeamA's files and her own
    password, and even moves her own wrap into TeamA's key file; nothing opens."""
    from screening_app.security.crypto import WrongKey
    from screening_app.security.errors import AuthenticationError

    team_a, team_b = tmp_path / "a" / "heard.db", tmp_path / "b" / "heard.db"
    for db, team, user in ((team_a, "TeamA", "Bob"), (team_b, "TeamB", "Carol")):
        initialise(f"sqlite:///{db}", ADMIN, ADMIN_PASSWORD, team=team)
        admin = sign_in(f"sqlite:///{db}", ADMIN, ADMIN_PASSWORD)
        try:
            add_user(admin, user, Role.PRACTITIONER, team, PASSWORD)
        finally:
            admin.close()
    with pytest.raises(AuthenticationError):
        sign_in(f"sqlite:///{team_a}", "Carol", PASSWORD)
    a_keys, b_keys = (KeyFileStore(key_file_for(db)).read() for db in (team_a, team_b))
    a_keys.wrapped[b_keys.user_slot("Carol")] = b_keys.wrapped[b_keys.user_slot("Carol")]
    with pytest.raises(WrongKey):
        a_keys.unwrap_user("Carol", PASSWORD)
    own_key = bytes(b_keys.unwrap_for_user("Carol", PASSWORD))
    assert not _opens(team_a, own_key)  # her own team's key opens nothing of TeamA's


def test_a_key_file_from_before_sealed_keys_is_upgraded_by_recovery(tmp_path):
    """An older key file's recovery entry cannot take a new data key; a recovery with the
    recovery key upgrades it, and from then on the key is replaced as usual."""
    import base64

    from screening_app.security import crypto
    from screening_app.security.access import recover

    db = tmp_path / "heard.db"
    text = initialise(f"sqlite:///{db}", ADMIN, ADMIN_PASSWORD, team="ED").recovery_key
    admin = sign_in(f"sqlite:///{db}", ADMIN, ADMIN_PASSWORD)
    try:
        for name in ("Bob", "Carol"):
            add_user(admin, name, Role.PRACTITIONER, "ED", PASSWORD)
    finally:
        admin.close()
    store = KeyFileStore(key_file_for(db))
    recovery = crypto.parse_recovery_key(text)
    with store.update() as keys:  # the recovery entry as version 1 of the key file wrote it
        data_key = keys.unwrap_for_user(ADMIN, ADMIN_PASSWORD)
        nonce, ciphertext = crypto.wrap(crypto.recovery_wrapping_key(recovery), data_key,
                                        keys._aad("recovery"))
        keys.wrapped["recovery"] = {"kind": "recovery",
                                    "nonce": base64.b64encode(nonce).decode(),
                                    "ciphertext": base64.b64encode(ciphertext).decode()}
    admin = sign_in(f"sqlite:///{db}", ADMIN, ADMIN_PASSWORD)
    try:
        notes = disable_user(admin, "Bob")
    finally:
        admin.close()
    assert notes and "not replaced" in notes[0]
    recover(f"sqlite:///{db}", text, "Carol", "saffron glacier turnip")
    assert "box_public" in store.read().wrapped["recovery"]
    admin = sign_in(f"sqlite:///{db}", ADMIN, ADMIN_PASSWORD)
    try:
        assert set_password(admin, "Carol", "quiet meadow lighthouse") == []  # replaced now
        assert verify_trail(admin).ok
    finally:
        admin.close()
    recover(f"sqlite:///{db}", text, "Carol", "saffron glacier turnip")  # still opens


# -- team separation inside ONE database (issue 14 item 2) ------------------------------------
MARKER = "ZEBRA-TEAMA-7731"


def _two_teams(tmp_path):  # noqa: ANN001, ANN202
    """One encrypted database: Bob in TeamA, Carol in TeamB, Ada administrator."""
    db = tmp_path / "heard.db"
    initialise(f"sqlite:///{db}", ADMIN, ADMIN_PASSWORD, team="Admin office")
    admin = sign_in(f"sqlite:///{db}", ADMIN, ADMIN_PASSWORD)
    try:
        add_user(admin, "Bob", Role.PRACTITIONER, "TeamA", PASSWORD)
        add_user(admin, "Carol", Role.PRACTITIONER, "TeamB", PASSWORD)
    finally:
        admin.close()
    return db


def _team_a_record(db) -> str:  # noqa: ANN001
    """Bob writes every kind of free text there is, each holding the marker."""
    import datetime as dt

    from screening_app.store import Store
    from screening_app.store.actions import Actions

    bob = sign_in(f"sqlite:///{db}", "Bob", PASSWORD)
    try:
        store = Store(bob.database, scope=bob.principal, audit=bob.audit)
        made = store.create_assessment(setting="ed", age=14, by="Bob", content_pins={},
                                       reference=f"{MARKER}-REF", date_of_birth="2012-03-04",
                                       presenting_issue=f"{MARKER} presenting")
        version = store.record_answer(made.id, "asq", "q1", f"{MARKER} answer", by="Bob",
                                      expected_version=made.row_version)
        store.acknowledge_flag(made.id, "f1", by="Bob", note=f"{MARKER} note")
        store.record_decision(made.id, "flag:f1", "override", by="Bob",
                              text=f"{MARKER} text", reason=f"{MARKER} reason")
        actions = Actions(store)
        action = actions.add(made.id, source="manual", owner="Bob", by="Bob",
                             due_on=dt.date(2030, 1, 1), title=f"{MARKER} title")
        actions.update(action.id, by="Bob", outcome=f"{MARKER} outcome")
        escalation = actions.escalate(made.id, to_role="safeguarding lead", by="Bob",
                                      reason=f"{MARKER} escalation")
        actions.record_outcome(escalation.id, outcome=f"{MARKER} escalation outcome", by="Bob")
        store.complete(made.id, {"status": "complete", "flags": [],
                                 "note": f"{MARKER} result"},
                       by="Bob", expected_version=version)
        store.record_export(made.id, kind="pdf", variant="partner", by="Bob",
                            destination=f"/exports/{MARKER}.pdf",
                            sharing={"recipient": f"{MARKER} recipient", "purpose": "care"})
        amended = store.amend(made.id, reason=f"{MARKER} amend", by="Bob")
        store.discard(amended.id, reason=f"{MARKER} discard", by="Bob",
                      expected_version=amended.row_version)
        return made.id
    finally:
        bob.close()


def _dump(db, key: bytes) -> str:  # noqa: ANN001
    """Every cell of every table, as an attacker with the SQLCipher key reads them."""
    conn = raw_connection(db, key)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = "
                                             "'table'")]
        cells = [repr(row) for name in tables
                 for row in conn.execute(f'SELECT * FROM "{name}"')]
        return "\n".join(cells)
    finally:
        conn.close()


def test_a_teamb_practitioner_with_the_files_reads_no_teama_record(tmp_path):
    """The must-show of issue 14: TeamA and TeamB in ONE database; Carol (TeamB) has the
    database and the key file and her own password, opens the file with SQLCipher directly
    and reads every table: no TeamA reference, answer or free text."""
    db = _two_teams(tmp_path)
    _team_a_record(db)
    data_key, _secret = KeyFileStore(key_file_for(db)).read().unwrap_user("Carol", PASSWORD)
    dump = _dump(db, bytes(data_key))
    assert "Bob" in dump  # she did open it: the names and the structure are there
    assert MARKER not in dump
    assert MARKER.casefold() not in dump


def _store(signed):  # noqa: ANN001, ANN202
    from screening_app.store import Store

    return Store(signed.database, scope=signed.principal, audit=signed.audit)


def test_teama_reads_its_own_record_and_searches_it_teamb_finds_nothing(tmp_path):
    db = _two_teams(tmp_path)
    record = _team_a_record(db)
    bob = sign_in(f"sqlite:///{db}", "Bob", PASSWORD)
    try:
        store = _store(bob)
        got = store.load(record)
        assert got.reference == f"{MARKER}-REF"
        assert got.presenting_issue == f"{MARKER} presenting"
        assert got.answers[0].value == f"{MARKER} answer"
        assert got.acknowledgements[0].note == f"{MARKER} note"
        assert (got.decisions[0].text, got.decisions[0].reason) == (f"{MARKER} text",
                                                                    f"{MARKER} reason")
        assert got.result is not None and got.result["note"] == f"{MARKER} result"
        for wanted in (f"{MARKER}-REF", MARKER.lower(), "zebra-tea", "Z", f" {MARKER}-ref "):
            assert record in [s.id for s in store.search(reference=wanted)], wanted
        assert store.search(reference=f"{MARKER}-REFX") == []
        from screening_app.store.actions import Actions

        listed = Actions(store).list(assessment_id=record, include_closed=True)
        assert [a.title for a in listed] == [f"{MARKER} title"]
        assert listed[0].outcome == f"{MARKER} outcome"
        assert Actions(store).escalations(record)[0].reason == f"{MARKER} escalation"
    finally:
        bob.close()
    carol = sign_in(f"sqlite:///{db}", "Carol", PASSWORD)
    try:
        assert _store(carol).search(reference=f"{MARKER}-REF") == []
        assert carol.principal.keyring is not None
        assert carol.principal.keyring.held_teams() == {"TeamB"}
    finally:
        carol.close()


def test_teama_reads_its_record_through_the_command_line(tmp_path, capsys, monkeypatch):
    from .helpers import as_user, assess

    db = _two_teams(tmp_path)
    record = assess(capsys, monkeypatch, db, "Bob", [
        {"module": "asq", "item": "q1", "value": "no"},
        {"module": "asq", "item": "q4", "value": "yes"},
        {"module": "asq", "item": "q4_how", "value": f"{MARKER} answer"}],
        reference=f"{MARKER}-REF")
    shown = as_user(capsys, monkeypatch, db, "Bob", "show", record, "--json")
    assert shown.code == 0, shown.err
    assert f"{MARKER}-REF" in shown.out and f"{MARKER} answer" in shown.out
    data_key, _secret = KeyFileStore(key_file_for(db)).read().unwrap_user("Carol", PASSWORD)
    assert MARKER not in _dump(db, bytes(data_key))
    refused = as_user(capsys, monkeypatch, db, "Carol", "show", record)
    assert refused.code != 0 and MARKER not in refused.out + refused.err


def test_an_administrator_holds_both_teams_keys_and_verifies_sealed_records(tmp_path):
    from screening_app.security.records import record_trail
    from screening_app.store.sealing import Sealer

    db = _two_teams(tmp_path)
    record = _team_a_record(db)
    carol = sign_in(f"sqlite:///{db}", "Carol", PASSWORD)
    try:
        _store(carol).create_assessment(setting="ed", age=9, by="Carol", content_pins={},
                                        presenting_issue="TeamB words")
    finally:
        carol.close()
    admin = sign_in(f"sqlite:///{db}", ADMIN, ADMIN_PASSWORD)
    try:
        assert admin.principal.keyring is not None
        assert {"TeamA", "TeamB", "Admin office"} <= admin.principal.keyring.held_teams()
        verdict = verify_trail(admin)  # opens TeamA's sealed result to check its hash
        assert verdict.ok, verdict.sentence()
        trail = record_trail(admin, record)
        assert f"{MARKER} reason" in [e.reason for e in trail]
        exported = next(e.detail_dict() for e in trail if e.action == "export")
        assert exported["recipient"] == f"{MARKER} recipient"
        assert exported["destination"] == f"/exports/{MARKER}.pdf"
        sealer = Sealer(admin.principal)
        conn = raw_connection(db, bytes(admin.data_key or b""))
        try:
            opened = {sealer.open("assessment", "presenting_issue", rid, value) for rid, value
                      in conn.execute("SELECT id, presenting_issue FROM assessment")}
        finally:
            conn.close()
    finally:
        admin.close()
    assert {f"{MARKER} presenting", "TeamB words"} <= opened


def test_a_ciphertext_moved_to_another_record_does_not_open(tmp_path):
    from screening_app.store import StoreError as Refused

    db = _two_teams(tmp_path)
    bob = sign_in(f"sqlite:///{db}", "Bob", PASSWORD)
    try:
        store = _store(bob)
        one = store.create_assessment(setting="ed", age=14, by="Bob", content_pins={},
                                      presenting_issue=f"{MARKER} one")
        two = store.create_assessment(setting="ed", age=15, by="Bob", content_pins={},
                                      presenting_issue="two")
        data_key = bytes(bob.data_key or b"")
    finally:
        bob.close()
    conn = raw_connection(db, data_key)
    try:
        conn.execute("UPDATE assessment SET presenting_issue = (SELECT presenting_issue FROM "
                     "assessment WHERE id = ?) WHERE id = ?", (one.id, two.id))
    finally:
        conn.close()
    bob = sign_in(f"sqlite:///{db}", "Bob", PASSWORD)
    try:
        assert _store(bob).load(one.id).presenting_issue == f"{MARKER} one"
        with pytest.raises(Refused, match="does not open"):
            _store(bob).load(two.id)
    finally:
        bob.close()


def test_disabling_a_member_replaces_the_team_key_and_reseals_the_team(tmp_path):
    """Dan (TeamA) keeps his team key when he leaves; after he is disabled, TeamA's text,
    old and new, is sealed under a key he never held."""
    import time

    from screening_app.store.sealing import is_sealed, open_with

    db = _two_teams(tmp_path)
    admin = sign_in(f"sqlite:///{db}", ADMIN, ADMIN_PASSWORD)
    try:
        add_user(admin, "Dan", Role.PRACTITIONER, "TeamA", PASSWORD)
    finally:
        admin.close()
    bob = sign_in(f"sqlite:///{db}", "Bob", PASSWORD)
    try:
        store = _store(bob)
        made = store.create_assessment(setting="ed", age=14, by="Bob", content_pins={},
                                       reference="R-1", presenting_issue=f"{MARKER} old")
        version = made.row_version
        for n in range(2000):
            version = store.record_answer(made.id, "asq", f"q{n}", f"{MARKER} {n}", by="Bob",
                                          expected_version=version)
    finally:
        bob.close()
    dan = sign_in(f"sqlite:///{db}", "Dan", PASSWORD)
    kept = {kid: bytes(k) for kid, k in dan.principal.keyring.keys.items()}  # type: ignore[union-attr]
    dan.close()
    admin = sign_in(f"sqlite:///{db}", ADMIN, ADMIN_PASSWORD)
    try:
        started = time.perf_counter()
        disable_user(admin, "Dan", "left")
        took = time.perf_counter() - started
        data_key = bytes(admin.data_key or b"")
    finally:
        admin.close()
    print(f"\ndisable + team rekey of 2,001 sealed values: {took:.2f} s")
    bob = sign_in(f"sqlite:///{db}", "Bob", PASSWORD)
    try:
        store = _store(bob)
        assert store.load(made.id).presenting_issue == f"{MARKER} old"
        assert len(store.load(made.id).answers) == 2000
        assert [s.id for s in store.search(reference="r-1")] == [made.id]
        store.create_assessment(setting="ed", age=9, by="Bob", content_pins={},
                                presenting_issue=f"{MARKER} new")
    finally:
        bob.close()
    conn = raw_connection(db, data_key)
    try:
        values = [v for (v,) in conn.execute("SELECT presenting_issue FROM assessment UNION ALL "
                                             "SELECT value FROM answer_event")]
    finally:
        conn.close()
    assert len(values) == 2002 and all(is_sealed(v) for v in values)
    for value in values:
        with pytest.raises(StoreError):
            open_with(kept.get, "assessment", "presenting_issue", "any", value)
    assert all(value.split(":")[1] not in kept for value in values)
    carol = sign_in(f"sqlite:///{db}", "Carol", PASSWORD)  # other teams keep working
    carol.close()


def test_a_password_reset_reseals_the_team_keys_to_the_new_password(tmp_path):
    db = _two_teams(tmp_path)
    record = _team_a_record(db)
    admin = sign_in(f"sqlite:///{db}", ADMIN, ADMIN_PASSWORD)
    try:
        set_password(admin, "Bob", "saffron glacier turnip")
    finally:
        admin.close()
    bob = sign_in(f"sqlite:///{db}", "Bob", "saffron glacier turnip")
    try:
        assert _store(bob).load(record).reference == f"{MARKER}-REF"
    finally:
        bob.close()
    bob = sign_in(f"sqlite:///{db}", "Bob", "saffron glacier turnip")
    try:
        set_password(bob, "Bob", "quiet meadow lighthouse")  # his own change, too
    finally:
        bob.close()
    bob = sign_in(f"sqlite:///{db}", "Bob", "quiet meadow lighthouse")
    try:
        assert _store(bob).load(record).presenting_issue == f"{MARKER} presenting"
    finally:
        bob.close()


def test_moving_a_user_to_another_team_gives_its_key_and_replaces_the_old_one(tmp_path):
    from screening_app.security.users import change_user

    db = _two_teams(tmp_path)
    record = _team_a_record(db)
    admin = sign_in(f"sqlite:///{db}", ADMIN, ADMIN_PASSWORD)
    try:
        change_user(admin, "Carol", team="TeamA")
        change_user(admin, "Bob", team="TeamB")
    finally:
        admin.close()
    carol = sign_in(f"sqlite:///{db}", "Carol", PASSWORD)
    try:
        assert _store(carol).load(record).reference == f"{MARKER}-REF"
        assert carol.principal.keyring is not None
        assert carol.principal.keyring.held_teams() == {"TeamA"}
    finally:
        carol.close()
    bob = sign_in(f"sqlite:///{db}", "Bob", PASSWORD)
    try:
        assert bob.principal.keyring is not None
        assert bob.principal.keyring.held_teams() == {"TeamB"}
    finally:
        bob.close()


def test_recovery_gives_the_recovered_user_their_team_keys(tmp_path):
    from screening_app.security.access import recover

    db = tmp_path / "heard.db"
    text = initialise(f"sqlite:///{db}", ADMIN, ADMIN_PASSWORD, team="Admin office").recovery_key
    admin = sign_in(f"sqlite:///{db}", ADMIN, ADMIN_PASSWORD)
    try:
        add_user(admin, "Bob", Role.PRACTITIONER, "TeamA", PASSWORD)
    finally:
        admin.close()
    record = _team_a_record(db)
    assert text is not None
    recover(f"sqlite:///{db}", text, "Bob", "saffron glacier turnip")
    bob = sign_in(f"sqlite:///{db}", "Bob", "saffron glacier turnip")
    try:
        assert _store(bob).load(record).reference == f"{MARKER}-REF"
    finally:
        bob.close()


def test_a_team_from_before_team_keys_gets_one_at_sign_in_and_its_text_is_sealed(tmp_path):
    """An encrypted database from before team keys: plain text and no team_key rows. The
    first sign-in of a member makes the key and seals what is there, completed records too."""
    from screening_app.store import Store
    from screening_app.store.sealing import is_sealed

    db = _two_teams(tmp_path)
    bob = sign_in(f"sqlite:///{db}", "Bob", PASSWORD)
    try:  # written as the earlier version did: no sealing
        plain = Store(bob.database)
        made = plain.create_assessment(setting="ed", age=14, by="Bob", content_pins={},
                                       team="TeamA", reference="OLD-1",
                                       presenting_issue="plain words")
        version = plain.record_answer(made.id, "asq", "q1", "no", by="Bob",
                                      expected_version=made.row_version)
        plain.complete(made.id, {"status": "complete"}, by="Bob", expected_version=version)
        data_key = bytes(bob.data_key or b"")
    finally:
        bob.close()
    conn = raw_connection(db, data_key)
    try:
        conn.execute("DELETE FROM team_key WHERE team = 'TeamA'")
    finally:
        conn.close()
    bob = sign_in(f"sqlite:///{db}", "Bob", PASSWORD)
    try:
        got = _store(bob).load(made.id)
        assert (got.presenting_issue, got.answers[0].value) == ("plain words", "no")
        assert [s.id for s in _store(bob).search(reference="old")] == [made.id]
    finally:
        bob.close()
    conn = raw_connection(db, data_key)
    try:
        values = conn.execute("SELECT a.presenting_issue, a.reference, a.result, e.value FROM "
                              "assessment a JOIN answer_event e ON e.assessment_id = a.id "
                              "WHERE a.id = ?", (made.id,)).fetchone()
    finally:
        conn.close()
    assert all(is_sealed(v.strip('"')) for v in values), values


def test_a_user_whose_team_key_does_not_open_cannot_sign_in_to_write_plain_text(tmp_path):
    """Their team's key sealed to an older box key (a database restored from before their
    password change): signing in is refused rather than writing their text unsealed."""
    from screening_app.security.errors import SecurityError

    db = _two_teams(tmp_path)
    data_key = bytes(KeyFileStore(key_file_for(db)).read().unwrap_for_user("Bob", PASSWORD))
    conn = raw_connection(db, data_key)
    try:
        conn.execute("DELETE FROM team_key WHERE holder = 'user:bob'")
    finally:
        conn.close()
    with pytest.raises(SecurityError, match="reset their password|reset your password"):
        sign_in(f"sqlite:///{db}", "Bob", PASSWORD)
    admin = sign_in(f"sqlite:///{db}", ADMIN, ADMIN_PASSWORD)
    try:
        set_password(admin, "Bob", "saffron glacier turnip")
    finally:
        admin.close()
    sign_in(f"sqlite:///{db}", "Bob", "saffron glacier turnip").close()


def test_verify_says_so_when_a_sealed_record_cannot_be_checked(tmp_path):
    """An administrator without a team's key: the completed record is not called changed."""
    db = _two_teams(tmp_path)
    _team_a_record(db)
    data_key = bytes(KeyFileStore(key_file_for(db)).read().unwrap_for_user(ADMIN,
                                                                            ADMIN_PASSWORD))
    conn = raw_connection(db, data_key)
    try:
        conn.execute("DELETE FROM team_key WHERE holder = 'user:ada admin' AND team = 'TeamA'")
    finally:
        conn.close()
    admin = sign_in(f"sqlite:///{db}", ADMIN, ADMIN_PASSWORD)
    try:
        verdict = verify_trail(admin)
    finally:
        admin.close()
    assert not verdict.ok and "could not be checked" in verdict.problem
