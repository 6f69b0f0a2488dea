"""The Qt-free building blocks: key derivation, wrapping, recovery keys, the key file."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat

import pytest

from screening_app.security import crypto
from screening_app.security.crypto import FLOOR, KdfParams, WrongKey
from screening_app.security.errors import SecurityError
from screening_app.security.keyfile import KeyFile, KeyFileStore, LockoutPolicy, key_file_for


def test_argon2id_parameters_meet_the_floor():
    # OWASP DA4: at least 64 MiB and three passes (RFC 9106 low-memory profile).
    assert crypto.DEFAULT_KDF.memory_kib >= 64 * 1024 and crypto.DEFAULT_KDF.time_cost >= 3
    with pytest.raises(WrongKey):
        KdfParams(time_cost=1, memory_kib=FLOOR.memory_kib).check()
    with pytest.raises(WrongKey):
        KdfParams.from_dict({"algorithm": "argon2id", "time_cost": 3, "memory_kib": 1024,
                             "parallelism": 1})


def test_kek_depends_on_password_and_salt():
    salt = os.urandom(16)
    a = crypto.derive_kek("correct password here", salt)
    assert len(a) == 32
    assert a == crypto.derive_kek("correct password here", salt)
    assert a != crypto.derive_kek("correct password herE", salt)
    assert a != crypto.derive_kek("correct password here", os.urandom(16))


def test_wrap_unwrap_and_aad_binding():
    kek, dek = os.urandom(32), crypto.new_data_key()
    nonce, ct = crypto.wrap(kek, dek, b"slot-a")
    assert crypto.unwrap(kek, nonce, ct, b"slot-a") == dek
    with pytest.raises(WrongKey):
        crypto.unwrap(kek, nonce, ct, b"slot-b")
    with pytest.raises(WrongKey):
        crypto.unwrap(os.urandom(32), nonce, ct, b"slot-a")
    tampered = bytes([ct[0] ^ 1]) + ct[1:]
    with pytest.raises(WrongKey):
        crypto.unwrap(kek, nonce, tampered, b"slot-a")


def test_nonces_and_data_keys_never_repeat():
    kek, dek = os.urandom(32), os.urandom(32)
    nonces = {crypto.wrap(kek, dek, b"x")[0] for _ in range(20_000)}
    assert len(nonces) == 20_000
    assert len({bytes(crypto.new_data_key()) for _ in range(1000)}) == 1000


def test_wipe_overwrites():
    secret = bytearray(b"abc")
    crypto.wipe(secret)
    assert secret == bytearray(3)


def test_recovery_key_round_trip_and_typos():
    key = os.urandom(32)
    text = crypto.recovery_key_text(key)
    assert all(len(group) <= 5 for group in text.split("-"))
    assert crypto.parse_recovery_key(text) == key
    assert crypto.parse_recovery_key(text.lower().replace("-", " ")) == key
    wrong = ("A" if text[0] != "A" else "B") + text[1:]
    with pytest.raises(crypto.BadRecoveryKey):
        crypto.parse_recovery_key(wrong)
    with pytest.raises(crypto.BadRecoveryKey):
        crypto.parse_recovery_key("not a key")


def test_sqlcipher_raw_key_form():
    key = bytes(range(32))
    assert crypto.sqlcipher_key(key) == f"x'{key.hex()}'"
    with pytest.raises(ValueError):
        crypto.sqlcipher_key(b"short")


def test_audit_key_is_separate_from_data_key():
    dek = os.urandom(32)
    audit = crypto.audit_key_from_data_key(dek)
    assert audit != dek and len(audit) == 32
    assert audit == crypto.audit_key_from_data_key(dek)


# -- key file ----------------------------------------------------------------------------
def test_key_file_name_beside_database(tmp_path):
    assert key_file_for(tmp_path / "heard.db") == tmp_path / "heard.keys.json"


def test_key_file_wraps_per_user_and_recovery(tmp_path):
    dek, recovery = crypto.new_data_key(), os.urandom(32)
    keys = KeyFile.new()
    keys.wrap_for_user("Alice Smith", "a long enough passphrase", dek)
    keys.wrap_for_recovery(recovery, dek)
    store = KeyFileStore(tmp_path / "heard.keys.json")
    store.write(keys)
    again = store.read()
    assert again.unwrap_for_user("alice smith", "a long enough passphrase") == dek
    assert again.unwrap_with_recovery(recovery) == dek
    with pytest.raises(WrongKey):
        again.unwrap_for_user("Alice Smith", "a long enough passphrasE")
    with pytest.raises(WrongKey):
        again.unwrap_for_user("Bob", "a long enough passphrase")
    with pytest.raises(WrongKey):
        again.unwrap_with_recovery(os.urandom(32))
    if os.name != "nt":
        assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    text = store.path.read_text()
    assert dek.hex() not in text and "a long enough passphrase" not in text


def test_moving_a_wrap_to_another_slot_does_not_open(tmp_path):
    dek = crypto.new_data_key()
    keys = KeyFile.new()
    keys.wrap_for_user("alice", "a long enough passphrase", dek)
    entry = dict(keys.wrapped["user:alice"], user="mallory")
    keys.wrapped["user:mallory"] = entry
    with pytest.raises(WrongKey):
        keys.unwrap_for_user("mallory", "a long enough passphrase")


def test_lockout_counts_before_the_check_and_expires():
    keys = KeyFile.new()
    keys.policy = LockoutPolicy(attempts=3, minutes=10)
    now = dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)
    for n in range(1, 3):
        assert keys.begin_attempt("Alice", "pc1", now)[0] is None
        assert keys.failures["alice"].count == n
        assert keys.locked_until("alice", now) is None
    # the third attempt may still be checked, but it sets the lock as it starts
    assert keys.begin_attempt("alice", "pc1", now)[0] is None
    assert keys.locked_until("ALICE", now) is not None
    assert keys.begin_attempt("alice", "pc1", now)[0] is not None  # refused
    assert keys.locked_until("alice", now + dt.timedelta(minutes=11)) is None
    # after the lock runs out, counting starts again
    assert keys.begin_attempt("alice", "pc1", now + dt.timedelta(minutes=11))[0] is None
    assert keys.failures["alice"].count == 1
    assert [e["action"] for e in keys.pending] == ["LOGIN_FAIL"] * 5
    assert keys.attempts == 5
    keys.clear_failures("alice")
    assert keys.locked_until("alice", now) is None


def test_lockout_until_administrator():
    keys = KeyFile.new()
    keys.policy = LockoutPolicy(attempts=2, minutes=0)
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    keys.begin_attempt("a", "pc", now)
    keys.begin_attempt("a", "pc", now)
    assert keys.locked_until("a", now + dt.timedelta(days=365)) == "administrator"


def test_lockout_policy_bounds():
    with pytest.raises(SecurityError):
        LockoutPolicy(attempts=11)
    with pytest.raises(SecurityError):
        LockoutPolicy(attempts=0)
    assert LockoutPolicy().attempts == 10


def test_damaged_or_missing_key_file_is_one_sentence(tmp_path):
    store = KeyFileStore(tmp_path / "heard.keys.json")
    with pytest.raises(SecurityError, match="missing"):
        store.read()
    store.path.write_text("{not json")
    with pytest.raises(SecurityError, match="damaged"):
        store.read()
    store.path.write_text(json.dumps({"format": "heard-keys", "version": 99}))
    with pytest.raises(SecurityError, match="another version"):
        store.read()


def test_update_writes_back_atomically(tmp_path):
    store = KeyFileStore(tmp_path / "heard.keys.json")
    store.write(KeyFile.new())
    with store.update() as keys:
        keys.begin_attempt("bob", "pc")
    assert store.read().failures["bob"].count == 1
    with pytest.raises(RuntimeError), store.update() as keys:
        keys.begin_attempt("bob", "pc")
        raise RuntimeError("interrupted")
    assert store.read().failures["bob"].count == 1
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_a_sealed_key_opens_only_for_its_owner_and_its_slot():
    owner, other = crypto.new_user_secret(), crypto.new_user_secret()
    public = crypto.box_public_key(crypto.box_private_key(owner))
    sealed = crypto.seal_to(public, b"k" * 32, b"db|user:a|sealed")
    assert crypto.open_sealed(crypto.box_private_key(owner), *sealed,
                              b"db|user:a|sealed") == bytearray(b"k" * 32)
    with pytest.raises(WrongKey):
        crypto.open_sealed(crypto.box_private_key(other), *sealed, b"db|user:a|sealed")
    with pytest.raises(WrongKey):
        crypto.open_sealed(crypto.box_private_key(owner), *sealed, b"db|user:b|sealed")


def test_signatures_verify_only_with_their_key_and_message():
    signing = crypto.user_signing_key(crypto.new_user_secret())
    public = crypto.signing_public_key(signing)
    signature = crypto.sign(signing, b"entry hash")
    assert crypto.signature_valid(public, b"entry hash", signature)
    assert not crypto.signature_valid(public, b"entry hasH", signature)
    other = crypto.signing_public_key(crypto.user_signing_key(crypto.new_user_secret()))
    assert not crypto.signature_valid(other, b"entry hash", signature)
    assert not crypto.signature_valid(public, b"entry hash", "zz")  # malformed: just false
