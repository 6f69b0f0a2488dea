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
