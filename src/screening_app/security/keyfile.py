"""The key file beside an encrypted SQLite database (``heard.db`` -> ``heard.keys.json``).

The database is encrypted, so what must be read *before* it can be opened lives here:

* ``wrapped``: the data key wrapped once per user (Argon2id from their password, then
  AES-256-GCM) and once with the recovery key. Nothing here opens the database without a
  password or the recovery key.
* ``failures``: sign-in attempt counts and lock-outs per folded name (names that are not
  users too, so the lock-out does not reveal which are). They must be outside the encrypted
  database, because a wrong password cannot open it to count. Each attempt is counted here
  *before* its password is checked (:mod:`.lockout`).
* ``attempts``: how many attempts were ever counted; the database remembers the number it
  last saw, so a key file rolled back or with its failures erased is noticed at the next
  sign-in.
* ``policy``: the lock-out rule (attempts, minutes), a copy of the security settings kept
  in the database, checked against them after every sign-in.
* ``pending``: sign-in failures not yet in the audit trail; the next successful sign-in
  moves them there, marked as unauthenticated (anyone who can write this file can add or
  remove them).

The file holds no personal data about children and no secret in clear. It is written
atomically (a temporary file beside it, fsync, rename) with owner-only permissions, and
read-modify-write happens under an exclusive lock so that two instances do not lose a
failure count.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import json
import os
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..files import WriteError, write_atomically
from . import crypto, lockout
from .crypto import KdfParams, WrongKey
from .errors import SecurityError
from .lockout import Failures, iso, parse_iso
from .policy import LockoutPolicy
from .roles import name_key

__all__ = ["Failures", "KeyFile", "KeyFileStore", "LockoutPolicy", "iso", "key_file_for",
           "parse_iso", "pending_key_file", "rekey_key_file", "write_private_atomically"]

FORMAT = "heard-keys"
VERSION = 1
MAX_PENDING = 1000
MAX_FAILURE_NAMES = 1000


def key_file_for(database_path: Path) -> Path:
    """``/data/heard.db`` -> ``/data/heard.keys.json``."""
    return database_path.with_name(f"{database_path.stem}.keys.json")


def pending_key_file(database_path: Path) -> Path:
    """Where ``init`` writes the key file before the encrypted database takes the plain
    one's place; renamed to :func:`key_file_for` straight after (see :mod:`.encrypted`)."""
    return database_path.with_name(f".{database_path.stem}.keys.json.pending")


def rekey_key_file(database_path: Path) -> Path:
    """The key file for the new data key while ``PRAGMA rekey`` runs (see
    :func:`.encrypted.rekey`); renamed to :func:`key_file_for` once it has."""
    return database_path.with_name(f".{database_path.stem}.keys.json.rekey")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class KeyFile:
    database_id: str
    wrapped: dict[str, dict] = field(default_factory=dict)
    failures: dict[str, Failures] = field(default_factory=dict)
    policy: LockoutPolicy = field(default_factory=LockoutPolicy)
    pending: list[dict] = field(default_factory=list)
    created_at: str = field(default_factory=lambda: iso(_now()))
    attempts: int = 0

    # -- wrapping --------------------------------------------------------------------------------
    def _aad(self, slot: str) -> bytes:
        return f"{FORMAT} v{VERSION}|{self.database_id}|{slot}".encode()

    @staticmethod
    def user_slot(name: str) -> str:
        return f"user:{name_key(name)}"

    def has_user(self, name: str) -> bool:
        return self.user_slot(name) in self.wrapped

    def wrap_for_user(self, name: str, password: str, data_key: bytes | bytearray,
                      params: KdfParams = crypto.DEFAULT_KDF,
                      user_secret: bytes | bytearray | None = None) -> None:
        """Wrap the data key and the user's own secret (their audit signing key comes from
        it, :func:`.crypto.user_signing_key`) with their password."""
        salt = crypto.random_bytes(crypto.SALT_BYTES)
        kek = crypto.derive_kek(password, salt, params)
        try:
            slot = self.user_slot(name)
            nonce, ciphertext = crypto.wrap(kek, data_key, self._aad(slot))
            entry = {"kind": "password", "user": name, "salt": _b64(salt),
                     "kdf": params.to_dict(), "nonce": _b64(nonce),
                     "ciphertext": _b64(ciphertext), "updated_at": iso(_now())}
            if user_secret is not None:
                s_nonce, s_ciphertext = crypto.wrap(kek, user_secret,
                                                    self._aad(f"{slot}|secret"))
                entry["secret"] = {"nonce": _b64(s_nonce), "ciphertext": _b64(s_ciphertext)}
                box = crypto.box_private_key(user_secret)
                try:
                    public = crypto.box_public_key(box)
                finally:
                    crypto.wipe(box)
                entry["box_public"] = public
                entry["sealed"] = self._seal(slot, public, data_key)
        finally:
            crypto.wipe(kek)
        self.wrapped[slot] = entry

    def _seal(self, slot: str, public_hex: str, data_key: bytes | bytearray) -> dict:
        ephemeral, nonce, ciphertext = crypto.seal_to(public_hex, data_key,
                                                      self._aad(f"{slot}|sealed"))
        return {"ephemeral": _b64(ephemeral), "nonce": _b64(nonce),
                "ciphertext": _b64(ciphertext)}

    def _open_sealed(self, slot: str, entry: dict, box: bytes | bytearray) -> bytearray:
        sealed = entry["sealed"]
        try:
            parts = (_unb64(sealed["ephemeral"]), _unb64(sealed["nonce"]),
                     _unb64(sealed["ciphertext"]))
        except (KeyError, ValueError, TypeError):
            raise WrongKey("the key file entry is damaged") from None
        return crypto.open_sealed(box, *parts, self._aad(f"{slot}|sealed"))

    def reseal(self, data_key: bytes | bytearray) -> list[str]:
        """Seal a new data key to every user's (and the recovery key's) public key, and drop
        the old password wraps of the data key. Returns the users who could not be kept
        (wraps made before there were user keys: an administrator resets their password)."""
        recovery = self.wrapped.get("recovery")
        if recovery is None or "box_public" not in recovery:
            raise SecurityError("this key file's recovery entry was made by an older version "
                                "of Heard, so the data key cannot be replaced yet")
        lost = []
        for slot, entry in list(self.wrapped.items()):
            if "box_public" not in entry:
                lost.append(str(entry.get("user", slot)))
                del self.wrapped[slot]
                continue
            entry["sealed"] = self._seal(slot, entry["box_public"], data_key)
            entry.pop("nonce", None)
            entry.pop("ciphertext", None)
        return lost

    def unwrap_for_user(self, name: str, password: str) -> bytearray:
        data_key, secret = self.unwrap_user(name, password)
        crypto.wipe(secret)
        return data_key

    def unwrap_user(self, name: str, password: str) -> tuple[bytearray, bytearray | None]:
        """The data key and the user's own secret (None for a wrap made before there were
        user secrets), with one key derivation."""
        slot = self.user_slot(name)
        entry = self.wrapped.get(slot)
        if entry is None or entry.get("kind") != "password":
            raise WrongKey("no such user")
        try:
            salt, params = _unb64(entry["salt"]), KdfParams.from_dict(entry["kdf"])
            wrapped_key = (_unb64(entry["nonce"]), _unb64(entry["ciphertext"])) \
                if "nonce" in entry else None
            secret = entry.get("secret")
            secret_parts = (_unb64(secret["nonce"]), _unb64(secret["ciphertext"])) \
                if secret else None
        except (KeyError, ValueError, TypeError):
            raise WrongKey("the key file entry is damaged") from None
        kek = crypto.derive_kek(password, salt, params)
        try:
            user_secret = crypto.unwrap(kek, *secret_parts, self._aad(f"{slot}|secret")) \
                if secret_parts else None
            if user_secret is not None and "sealed" in entry:
                box = crypto.box_private_key(user_secret)
                try:
                    return self._open_sealed(slot, entry, box), user_secret
                finally:
                    crypto.wipe(box)
            if wrapped_key is None:
                raise WrongKey("the key file entry is damaged")
            return crypto.unwrap(kek, *wrapped_key, self._aad(slot)), user_secret
        finally:
            crypto.wipe(kek)

    def remove_user(self, name: str) -> None:
        self.wrapped.pop(self.user_slot(name), None)
        self.failures.pop(name_key(name), None)

    def wrap_for_recovery(self, recovery_key: bytes | bytearray,
                          data_key: bytes | bytearray) -> None:
        box = crypto.box_private_key(recovery_key, crypto.RECOVERY_BOX_LABEL)
        try:
            public = crypto.box_public_key(box)
        finally:
            crypto.wipe(box)
        self.wrapped["recovery"] = {"kind": "recovery", "box_public": public,
                                    "sealed": self._seal("recovery", public, data_key),
                                    "updated_at": iso(_now())}

    def unwrap_with_recovery(self, recovery_key: bytes | bytearray) -> bytearray:
        entry = self.wrapped.get("recovery")
        if entry is None:
            raise WrongKey("this key file has no recovery entry")
        if "sealed" in entry:
            box = crypto.box_private_key(recovery_key, crypto.RECOVERY_BOX_LABEL)
            try:
                return self._open_sealed("recovery", entry, box)
            finally:
                crypto.wipe(box)
        try:
            nonce, ciphertext = _unb64(entry["nonce"]), _unb64(entry["ciphertext"])
        except (KeyError, ValueError, TypeError):
            raise WrongKey("the key file entry is damaged") from None
        return crypto.unwrap(crypto.recovery_wrapping_key(recovery_key), nonce, ciphertext,
                             self._aad("recovery"))

    # -- failures (the rule itself is in lockout.py) ----------------------------------------
    def locked_until(self, name: str, now: dt.datetime | None = None) -> str | None:
        """None when ``name`` may try; else when its lock ends."""
        return lockout.locked_until(self.failures.get(name_key(name)), now or _now())

    def begin_attempt(self, name: str, terminal: str, now: dt.datetime | None = None) \
            -> tuple[str | None, str]:
        """Count an attempt for ``name`` before its password is checked, and note it in
        ``pending``. Returns the lock's end when it is refused (else None) and the note's id
        (:meth:`settle` records the outcome)."""
        now = now or _now()
        key = name_key(name)
        state = self.failures.setdefault(key, Failures())
        refused = lockout.begin_attempt(state, self.policy.attempts, self.policy.minutes, now)
        self.attempts += 1
        note = uuid.uuid4().hex
        event = {"id": note, "at": iso(now), "action": "LOGIN_FAIL", "user": name,
                 "terminal": terminal, "count": state.count,
                 "locked": state.locked_until is not None}
        if refused is not None:
            event["refused"] = True
            event["outcome"] = "failed"
        self.add_pending(event)
        self._forget_old_failures(keep=key)
        return refused, note

    def settle(self, note: str, outcome: str) -> None:
        """Record an attempt's outcome ("failed" or "ok") on its note."""
        for event in self.pending:
            if isinstance(event, dict) and event.get("id") == note:
                event["outcome"] = outcome

    def clear_failures(self, name: str) -> None:
        self.failures.pop(name_key(name), None)

    def _forget_old_failures(self, keep: str) -> None:
        """Keep the file small when many unknown names are tried: forget unlocked ones."""
        if len(self.failures) <= MAX_FAILURE_NAMES:
            return
        now = _now()
        for key in sorted((k for k, v in self.failures.items()
                           if k != keep and lockout.locked_until(v, now) is None),
                          key=lambda k: self.failures[k].last or "")[:len(self.failures)
                                                                        - MAX_FAILURE_NAMES]:
            del self.failures[key]

    def add_pending(self, event: dict) -> None:
        self.pending.append(event)
        del self.pending[:-MAX_PENDING]

    # -- (de)serialising -------------------------------------------------------------------------
    def to_json(self) -> str:
        return json.dumps({
            "format": FORMAT, "version": VERSION, "database_id": self.database_id,
            "created_at": self.created_at, "wrapped": self.wrapped,
            "failures": {k: vars(v) for k, v in self.failures.items()},
            "policy": vars(self.policy), "pending": self.pending, "attempts": self.attempts,
        }, indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str, where: Path) -> KeyFile:
        try:
            data = json.loads(text)
            if data.get("format") != FORMAT:
                raise ValueError("not a key file")
            if data.get("version") != VERSION:
                raise SecurityError(f"{where} was written by another version of Heard "
                                    f"(key file version {data.get('version')})")
            return cls(database_id=str(data["database_id"]), wrapped=dict(data["wrapped"]),
                       failures={k: Failures(**v) for k, v in data.get("failures", {}).items()},
                       policy=LockoutPolicy(**data.get("policy", {})),
                       pending=list(data.get("pending", [])),
                       created_at=str(data.get("created_at", "")),
                       attempts=int(data.get("attempts", 0)))
        except SecurityError:
            raise
        except (ValueError, KeyError, TypeError, AttributeError):
            raise SecurityError(f"{where} is not a Heard key file, or it is damaged; restore "
                                f"it from the backup kept with the database") from None

    @classmethod
    def new(cls) -> KeyFile:
        return cls(database_id=str(uuid.uuid4()))


class KeyFileStore:
    """Reads and writes one key file; ``update()`` is read-modify-write under a lock."""

    def __init__(self, path: Path):
        self.path = path
        self._lock_path = path.with_name(f".{path.name}.lock")

    def exists(self) -> bool:
        return self.path.exists()

    def read(self) -> KeyFile:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise SecurityError(f"the key file {self.path} is missing: the database cannot be "
                                f"opened without it. Restore it from the backup kept with "
                                f"the database") from None
        except OSError as exc:
            raise SecurityError(f"cannot read the key file {self.path}: "
                                f"{exc.strerror or exc}") from None
        return KeyFile.from_json(text, self.path)

    @contextlib.contextmanager
    def update(self) -> Iterator[KeyFile]:
        """Yield the key file; write it back (atomically) when the block ends without error."""
        with self._locked():
            keys = self.read()
            yield keys
            self.write(keys)

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the key file's lock (``init`` holds it throughout)."""
        with self._locked():
            yield

    def write(self, keys: KeyFile) -> None:
        write_private_atomically(self.path, keys.to_json().encode("utf-8"))

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise SecurityError(f"cannot lock the key file {self.path}: "
                                f"{exc.strerror or exc}") from None
        try:
            _lock(fd)
            yield
        finally:
            with contextlib.suppress(OSError):
                _unlock(fd)
            os.close(fd)


if sys.platform == "win32":  # pragma: no cover - Windows
    import msvcrt

    def _lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_LOCK, 1)

    def _unlock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def write_private_atomically(path: Path, data: bytes) -> None:
    """Owner-only file, written whole or not at all."""
    try:
        write_atomically(path, data, private=True)
    except WriteError as exc:
        raise SecurityError(str(exc)) from None
