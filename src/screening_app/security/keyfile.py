"""The key file beside an encrypted SQLite database (``heard.db`` -> ``heard.keys.json``).

The database is encrypted, so what must be read *before* it can be opened lives here:

* ``wrapped``: the data key wrapped once per user (Argon2id from their password, then
  AES-256-GCM) and once with the recovery key. Nothing here opens the database without a
  password or the recovery key.
* ``failures``: wrong-password counts and lock-outs per user name. They must be outside the
  encrypted database, because a wrong password cannot open it to count.
* ``policy``: the lock-out rule (attempts, minutes), a copy of the security settings kept
  in the database, written whenever an administrator changes them.
* ``pending``: sign-in failures not yet in the audit trail; the next successful sign-in
  moves them there (the trail itself lives in the encrypted database).

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
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..files import WriteError, write_atomically
from . import crypto
from .crypto import KdfParams, WrongKey
from .errors import SecurityError
from .roles import name_key

FORMAT = "heard-keys"
VERSION = 1
MAX_PENDING = 1000
DEFAULT_LOCKOUT_ATTEMPTS = 10
DEFAULT_LOCKOUT_MINUTES = 15


def key_file_for(database_path: Path) -> Path:
    """``/data/heard.db`` -> ``/data/heard.keys.json``."""
    return database_path.with_name(f"{database_path.stem}.keys.json")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_iso(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)


@dataclass
class LockoutPolicy:
    attempts: int = DEFAULT_LOCKOUT_ATTEMPTS
    minutes: int = DEFAULT_LOCKOUT_MINUTES  # 0: until an administrator unlocks

    def __post_init__(self) -> None:
        if not 1 <= int(self.attempts) <= 10:
            raise SecurityError("lock-out attempts must be from 1 to 10 (Cyber Essentials "
                                "allows at most 10)")
        if not 0 <= int(self.minutes) <= 24 * 60:
            raise SecurityError("lock-out minutes must be from 0 (until an administrator "
                                "unlocks) to 1440")
        self.attempts, self.minutes = int(self.attempts), int(self.minutes)


@dataclass
class Failures:
    count: int = 0
    locked_until: str | None = None  # ISO time, or "administrator"
    last: str | None = None


@dataclass
class KeyFile:
    database_id: str
    wrapped: dict[str, dict] = field(default_factory=dict)
    failures: dict[str, Failures] = field(default_factory=dict)
    policy: LockoutPolicy = field(default_factory=LockoutPolicy)
    pending: list[dict] = field(default_factory=list)
    created_at: str = field(default_factory=lambda: iso(_now()))

    # -- wrapping --------------------------------------------------------------------------------
    def _aad(self, slot: str) -> bytes:
        return f"{FORMAT} v{VERSION}|{self.database_id}|{slot}".encode()

    @staticmethod
    def user_slot(name: str) -> str:
        return f"user:{name_key(name)}"

    def has_user(self, name: str) -> bool:
        return self.user_slot(name) in self.wrapped

    def user_names(self) -> list[str]:
        return [entry["user"] for slot, entry in self.wrapped.items() if slot.startswith("user:")]

    def wrap_for_user(self, name: str, password: str, data_key: bytes | bytearray,
                      params: KdfParams = crypto.DEFAULT_KDF) -> None:
        salt = crypto.random_bytes(crypto.SALT_BYTES)
        kek = crypto.derive_kek(password, salt, params)
        try:
            slot = self.user_slot(name)
            nonce, ciphertext = crypto.wrap(kek, data_key, self._aad(slot))
        finally:
            crypto.wipe(kek)
        self.wrapped[slot] = {"kind": "password", "user": name, "salt": _b64(salt),
                              "kdf": params.to_dict(), "nonce": _b64(nonce),
                              "ciphertext": _b64(ciphertext), "updated_at": iso(_now())}

    def unwrap_for_user(self, name: str, password: str) -> bytearray:
        slot = self.user_slot(name)
        entry = self.wrapped.get(slot)
        if entry is None or entry.get("kind") != "password":
            raise WrongKey("no such user")
        try:
            salt, nonce = _unb64(entry["salt"]), _unb64(entry["nonce"])
            ciphertext = _unb64(entry["ciphertext"])
            params = KdfParams.from_dict(entry["kdf"])
        except (KeyError, ValueError, TypeError):
            raise WrongKey("the key file entry is damaged") from None
        kek = crypto.derive_kek(password, salt, params)
        try:
            return crypto.unwrap(kek, nonce, ciphertext, self._aad(slot))
        finally:
            crypto.wipe(kek)

    def remove_user(self, name: str) -> None:
        self.wrapped.pop(self.user_slot(name), None)
        self.failures.pop(name_key(name), None)

    def wrap_for_recovery(self, recovery_key: bytes | bytearray,
                          data_key: bytes | bytearray) -> None:
        nonce, ciphertext = crypto.wrap(crypto.recovery_wrapping_key(recovery_key), data_key,
                                        self._aad("recovery"))
        self.wrapped["recovery"] = {"kind": "recovery", "nonce": _b64(nonce),
                                    "ciphertext": _b64(ciphertext), "updated_at": iso(_now())}

    def unwrap_with_recovery(self, recovery_key: bytes | bytearray) -> bytearray:
        entry = self.wrapped.get("recovery")
        if entry is None:
            raise WrongKey("this key file has no recovery entry")
        try:
            nonce, ciphertext = _unb64(entry["nonce"]), _unb64(entry["ciphertext"])
        except (KeyError, ValueError, TypeError):
            raise WrongKey("the key file entry is damaged") from None
        return crypto.unwrap(crypto.recovery_wrapping_key(recovery_key), nonce, ciphertext,
                             self._aad("recovery"))

    # -- failures --------------------------------------------------------------------------------
    def locked_until(self, name: str, now: dt.datetime | None = None) -> str | None:
        """None when the user may try; else when the lock ends ("administrator": never by
        itself)."""
        state = self.failures.get(name_key(name))
        if state is None or state.locked_until is None:
            return None
        if state.locked_until == "administrator":
            return state.locked_until
        if parse_iso(state.locked_until) > (now or _now()):
            return state.locked_until
        return None

    def record_failure(self, name: str, terminal: str, now: dt.datetime | None = None) -> Failures:
        now = now or _now()
        key = name_key(name)
        state = self.failures.setdefault(key, Failures())
        if state.locked_until and state.locked_until != "administrator" \
                and parse_iso(state.locked_until) <= now:
            state.count, state.locked_until = 0, None  # a lock that has run out starts afresh
        state.count += 1
        state.last = iso(now)
        if state.count >= self.policy.attempts:
            state.locked_until = "administrator" if self.policy.minutes == 0 else iso(
                now + dt.timedelta(minutes=self.policy.minutes))
        self.add_pending({"at": iso(now), "action": "LOGIN_FAIL", "user": name,
                          "terminal": terminal, "count": state.count,
                          "locked": state.locked_until is not None})
        return state

    def clear_failures(self, name: str) -> None:
        self.failures.pop(name_key(name), None)

    def add_pending(self, event: dict) -> None:
        self.pending.append(event)
        del self.pending[:-MAX_PENDING]

    # -- (de)serialising -------------------------------------------------------------------------
    def to_json(self) -> str:
        return json.dumps({
            "format": FORMAT, "version": VERSION, "database_id": self.database_id,
            "created_at": self.created_at, "wrapped": self.wrapped,
            "failures": {k: vars(v) for k, v in self.failures.items()},
            "policy": vars(self.policy), "pending": self.pending,
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
                       created_at=str(data.get("created_at", "")))
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
    def creating(self) -> Iterator[None]:
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


if os.name == "nt":  # pragma: no cover - Windows
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
