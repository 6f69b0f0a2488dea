"""The audit trail's seal: a hash chain with an HMAC, and the check that finds tampering.

Every entry is sealed as::

    entry_hash = SHA-256( prev_hash || "\\n" || canonical JSON of the entry's fields )
    mac        = HMAC-SHA256( audit key, entry_hash )

``prev_hash`` is the previous entry's ``entry_hash`` (64 zeros for the first), and ``seq``
counts 1, 2, 3... with no gaps. :func:`verify_chain` walks the entries in ``seq`` order and
names the first one that breaks: a missing ``seq`` (an entry removed), a ``prev_hash`` that
is not the entry before's hash (removed and renumbered, or moved), a hash that does not
match the fields (altered), or a MAC that does not match (rewritten by someone without the
audit key, which is never stored in the database: for SQLite it is derived from the data
key; for PostgreSQL it comes from a key file or the environment, see :func:`server_audit_key`).

What it cannot see on its own: the newest entries removed from the end (the chain is then
shorter but whole). ``audit verify`` prints the head (last ``seq`` and hash) so that it can
be written down or sent elsewhere and compared later; see docs/security.md.

Entries hold identifiers and actions, never clinical content: who, what, which record,
when, from which terminal, why.
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import json
import os
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from .errors import SecurityError

GENESIS = "0" * 64
AUDIT_KEY_ENV = "SCREENING_APP_AUDIT_KEY"
AUDIT_KEY_FILE_ENV = "SCREENING_APP_AUDIT_KEY_FILE"


class Action(StrEnum):
    """What happened. DPA 2018 s62's operations map onto these: collection (CREATE, ANSWER),
    alteration (ANSWER, CLEAR, COMPLETE, AMEND, ACKNOWLEDGE, DECIDE), consultation (VIEW,
    AUDIT_VIEW), disclosure (EXPORT, PRINT, SHARE), combination (AMEND: a new version built
    from an old one) and erasure (DELETE)."""

    CREATE = "create"
    VIEW = "view"
    ANSWER = "answer"
    CLEAR = "clear"
    COMPLETE = "complete"
    AMEND = "amend"
    ACKNOWLEDGE = "acknowledge"
    DECIDE = "decide"
    EXPORT = "export"
    PRINT = "print"
    SHARE = "share"
    DELETE = "delete"
    ACCESS_DENIED = "access-denied"
    INIT = "init"
    LOGIN = "login"
    LOGIN_FAILED = "login-failed"
    LOCK = "lock"
    UNLOCK = "unlock"
    SIGN_OUT = "sign-out"
    USER_ADD = "user-add"
    USER_CHANGE = "user-change"
    USER_DISABLE = "user-disable"
    USER_ENABLE = "user-enable"
    USER_UNLOCK = "user-unlock"
    PASSWORD_CHANGE = "password-change"
    PASSWORD_RESET = "password-reset"
    RECOVERY = "recovery"
    SETTINGS = "settings"
    AUDIT_VIEW = "audit-view"
    AUDIT_VERIFY = "audit-verify"
    RETENTION_REPORT = "retention-report"
    BACKUP = "backup"
    RESTORE = "restore"


@dataclass(frozen=True)
class Terminal:
    """Where an action came from."""

    hostname: str
    os_user: str

    @classmethod
    def here(cls) -> Terminal:
        try:
            os_user = getpass.getuser()
        except (OSError, KeyError):
            os_user = "unknown"
        return cls(hostname=socket.gethostname() or "unknown", os_user=os_user)


@dataclass(frozen=True)
class Entry:
    """One audit entry as stored (``detail`` is canonical JSON text)."""

    seq: int
    at: str
    actor: str
    role: str | None
    team: str | None
    terminal: str
    os_user: str
    action: str
    record_id: str | None
    reason: str | None
    detail: str
    prev_hash: str
    entry_hash: str
    mac: str

    def fields(self) -> dict:
        return {"seq": self.seq, "at": self.at, "actor": self.actor, "role": self.role,
                "team": self.team, "terminal": self.terminal, "os_user": self.os_user,
                "action": self.action, "record_id": self.record_id, "reason": self.reason,
                "detail": self.detail}

    def detail_dict(self) -> dict:
        try:
            value = json.loads(self.detail)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}


def canonical_detail(detail: dict | None) -> str:
    return json.dumps(detail or {}, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def _canonical(fields: dict) -> bytes:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=True).encode("ascii")


def entry_hash(prev_hash: str, fields: dict) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + _canonical(fields)).hexdigest()


def entry_mac(key: bytes, digest: str) -> str:
    return hmac.new(key, digest.encode("ascii"), hashlib.sha256).hexdigest()


def seal(key: bytes, prev_hash: str, fields: dict) -> tuple[str, str]:
    """(entry_hash, mac) for a new entry whose predecessor's hash is ``prev_hash``."""
    digest = entry_hash(prev_hash, fields)
    return digest, entry_mac(key, digest)


@dataclass
class Verdict:
    ok: bool
    checked: int
    head_seq: int = 0
    head_hash: str = GENESIS
    broken_seq: int | None = None
    problem: str | None = None
    warnings: list[str] = field(default_factory=list)

    def sentence(self) -> str:
        if self.ok:
            return (f"audit trail intact: {self.checked} entries, head {self.head_seq} "
                    f"{self.head_hash}")
        where = f" at entry {self.broken_seq}" if self.broken_seq else ""
        return f"audit trail broken{where}: {self.problem}"


def verify_chain(entries: Iterable[Entry], key: bytes) -> Verdict:
    """Check every entry in ``seq`` order; stop at the first that breaks the chain."""
    expected, prev_hash, prev_at, checked = 1, GENESIS, "", 0
    warnings: list[str] = []
    for entry in entries:
        if entry.seq != expected:
            if entry.seq > expected:
                problem = (f"entry {expected} is missing (removed)" if entry.seq == expected + 1
                           else f"entries {expected} to {entry.seq - 1} are missing (removed)")
                return Verdict(False, checked, expected - 1, prev_hash, expected, problem,
                               warnings)
            return Verdict(False, checked, expected - 1, prev_hash, entry.seq,
                           "entry number repeated or out of order", warnings)
        if not hmac.compare_digest(entry.prev_hash, prev_hash):
            return Verdict(False, checked, expected - 1, prev_hash, entry.seq,
                           f"it does not follow entry {expected - 1} (entries were removed "
                           f"or reordered)", warnings)
        digest = entry_hash(entry.prev_hash, entry.fields())
        if not hmac.compare_digest(digest, entry.entry_hash):
            return Verdict(False, checked, expected - 1, prev_hash, entry.seq,
                           "its contents were altered (the hash does not match)", warnings)
        if not hmac.compare_digest(entry_mac(key, digest), entry.mac):
            return Verdict(False, checked, expected - 1, prev_hash, entry.seq,
                           "its seal does not match: it was rewritten without the audit key",
                           warnings)
        if prev_at and entry.at < prev_at:
            warnings.append(f"entry {entry.seq} is timed before entry {entry.seq - 1} (the "
                            f"clock went back)")
        prev_hash, prev_at = entry.entry_hash, entry.at
        expected += 1
        checked += 1
    return Verdict(True, checked, expected - 1, prev_hash, warnings=warnings)


def server_audit_key(environ: dict | None = None) -> bytes:
    """The audit key for a PostgreSQL database: ``SCREENING_APP_AUDIT_KEY`` (64 hex digits)
    or the file named by ``SCREENING_APP_AUDIT_KEY_FILE`` (the same, on one line). Every
    workstation using the database needs the same key; the database never holds it."""
    env = os.environ if environ is None else environ
    text = env.get(AUDIT_KEY_ENV)
    source = AUDIT_KEY_ENV
    if not text and env.get(AUDIT_KEY_FILE_ENV):
        path = Path(env[AUDIT_KEY_FILE_ENV])
        source = str(path)
        try:
            text = path.read_text(encoding="ascii").strip()
        except OSError as exc:
            raise SecurityError(f"cannot read the audit key file {path}: "
                                f"{exc.strerror or exc}") from None
    if not text:
        raise SecurityError(f"a PostgreSQL database needs the audit key: set {AUDIT_KEY_FILE_ENV} "
                            f"to the key file made by 'screening-app init' (or {AUDIT_KEY_ENV})")
    try:
        key = bytes.fromhex(text.strip())
    except ValueError:
        key = b""
    if len(key) != 32:
        raise SecurityError(f"the audit key in {source} is not 64 hexadecimal digits")
    return key
