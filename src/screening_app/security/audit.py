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

from . import crypto
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
    signature: str | None = None
    signer: str | None = None

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
    root_hash: str | None = None  # entry 1's hash: the trail's identity, to anchor elsewhere
    hashes: dict[int, str] = field(default_factory=dict, repr=False)

    def sentence(self) -> str:
        if self.ok:
            return (f"audit trail intact: {self.checked} entries, root {self.root_hash}, "
                    f"head {self.head_seq} {self.head_hash}")
        where = f" at entry {self.broken_seq}" if self.broken_seq else ""
        return f"audit trail broken{where}: {self.problem}"


def verify_chain(entries: Iterable[Entry], key: bytes) -> Verdict:
    """Check every entry in ``seq`` order; stop at the first that breaks the chain."""
    expected, prev_hash, prev_at, checked = 1, GENESIS, "", 0
    warnings: list[str] = []
    signers = Signers()
    hashes: dict[int, str] = {}
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
        signature_problem = signers.check(entry)
        if signature_problem is not None:
            return Verdict(False, checked, expected - 1, prev_hash, entry.seq,
                           signature_problem, warnings)
        if prev_at and entry.at < prev_at:
            warnings.append(f"entry {entry.seq} is timed before entry {entry.seq - 1} (the "
                            f"clock went back)")
        prev_hash, prev_at = entry.entry_hash, entry.at
        hashes[entry.seq] = entry.entry_hash
        expected += 1
        checked += 1
    if signers.unsigned:
        warnings.append(f"{signers.unsigned} entries are not signed (written before audit "
                        f"signatures, on a server database, or by users without a "
                        f"published key); only the chain and its seal protect them")
    return Verdict(True, checked, expected - 1, prev_hash, warnings=warnings,
                   root_hash=hashes.get(1), hashes=hashes)


def check_anchor(verdict: Verdict, *, root: str | None = None,
                 head: tuple[int, str] | None = None) -> Verdict:
    """Compare an intact trail with what was written down or logged elsewhere earlier: its
    root (entry 1's hash) and a head (seq and hash). A trail cut short, or rebuilt from
    scratch with keys of someone's own making, fails here even though it verifies."""
    if not verdict.ok:
        return verdict
    if root is not None and root.lower() != verdict.root_hash:
        verdict.ok, verdict.problem = False, ("its root is not the anchored one: the whole "
                                              "trail was replaced")
        verdict.broken_seq = 1
    elif head is not None and verdict.hashes.get(head[0]) != head[1].lower():
        verdict.ok, verdict.broken_seq = False, head[0]
        verdict.problem = ("it does not hold the anchored head: entries were removed from "
                           "the end, or the trail was rewritten")
    return verdict


RECOVERY_SIGNER = "(recovery key)"
# Entries that publish a user's new signing key in detail["signing_key"].
_KEY_SETTERS = frozenset({Action.USER_ADD, Action.USER_ENABLE, Action.PASSWORD_CHANGE,
                          Action.PASSWORD_RESET, Action.RECOVERY})


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


class Signers:
    """The signing keys the trail has published so far, and the check of each entry's
    signature against them.

    The root is the ``init`` entry: it publishes the first administrator's key and the
    recovery key holder's, and is signed by the former. Later keys are published only in
    entries signed by an administrator (adding, enabling, resetting a user), by the user
    themselves (changing their own password, or publishing a first key for an account made
    before signatures existed), or by the recovery key; a disabled user's key is retired.
    An entry must be signed by its actor's current key (entries moved in from the key file
    are signed by whoever moved them). So a user holding the data key can add entries only
    in their own name, and cannot remove or re-seal anyone else's."""

    def __init__(self) -> None:
        self.keys: dict[str, str] = {}
        self.roles: dict[str, str] = {}
        self.unsigned = 0

    def check(self, entry: Entry) -> str | None:
        detail = entry.detail_dict()
        actor = _fold(entry.actor)
        if entry.signature is None or entry.signer is None:
            if actor in self.keys and entry.action != Action.LOGIN_FAILED:
                return (f"it is not signed, but {entry.actor} signs their entries (it was "
                        f"written outside the app)")
            self.unsigned += 1
            return None
        signer = _fold(entry.signer)
        if entry.action == Action.INIT and not self.keys and signer == actor:
            self._publish(actor, detail.get("signing_key"), "administrator")
            self._publish(_fold(RECOVERY_SIGNER), detail.get("recovery_signing_key"),
                          "administrator")
        elif entry.action == Action.LOGIN and signer == actor and actor not in self.keys:
            self._publish(actor, detail.get("signing_key"), self.roles.get(actor, ""))
        elif entry.action == Action.RECOVERY and signer == _fold(RECOVERY_SIGNER) \
                and signer not in self.keys:  # a trail begun before signatures
            self._publish(signer, detail.get("recovery_signing_key"), "administrator")
        public = self.keys.get(signer)
        if public is None:
            return f"it is signed by {entry.signer}, whose key the trail never published"
        if not crypto.signature_valid(public, entry.entry_hash.encode("ascii"),
                                      entry.signature):
            return ("its signature does not match: it was written or re-sealed by someone "
                    "without the signer's password")
        if signer != actor and entry.action != Action.LOGIN_FAILED \
                and signer != _fold(RECOVERY_SIGNER):
            return f"it is written in {entry.actor}'s name but signed by {entry.signer}"
        return self._apply(entry, detail, signer)

    def _publish(self, who: str, public: object, role: str) -> None:
        if isinstance(public, str):
            self.keys[who] = public
            if role:
                self.roles[who] = role

    def _apply(self, entry: Entry, detail: dict, signer: str) -> str | None:
        user = _fold(str(detail.get("user", "")))
        administrator = self.roles.get(signer) == "administrator" \
            or signer == _fold(RECOVERY_SIGNER)
        if entry.action == Action.USER_ADD and isinstance(detail.get("role"), str):
            if not administrator:
                return f"it adds a user but {entry.signer} is not an administrator"
            self.roles[user] = detail["role"]
        if entry.action == Action.USER_CHANGE and isinstance(detail.get("after"), dict):
            if not administrator:
                return f"it changes a user but {entry.signer} is not an administrator"
            role = detail["after"].get("role")
            if isinstance(role, str):
                self.roles[user] = role
        if entry.action in _KEY_SETTERS and "signing_key" in detail:
            if not (administrator or (entry.action == Action.PASSWORD_CHANGE
                                      and user == signer)):
                return f"it publishes a key for {detail.get('user')} without the right to"
            self._publish(user, detail["signing_key"], "")
        if entry.action == Action.USER_DISABLE:
            if not administrator:
                return f"it disables a user but {entry.signer} is not an administrator"
            self.keys.pop(user, None)
        return None


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
