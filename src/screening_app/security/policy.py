"""The security settings an administrator sets, and the rule for development databases.

The settings (lock-out, idle lock, retention) live in the database's ``security_setting``
table, the one copy that counts. The key file beside an encrypted SQLite database keeps a
copy of the lock-out rule only because a wrong password cannot open the database to read
it; after every sign-in that copy is checked against the database (see
:mod:`.encrypted`), since anyone who can write the key file can edit it.

A development database (never set up: plain, no sign-in, no audit trail) is used only when
asked for: :func:`allow_development` refuses unless ``SCREENING_APP_DEVELOPMENT=1`` is set,
and returns the warning every use must print.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..store.models import SecuritySetting, utcnow
from .errors import DevelopmentRefused, SecurityError
from .retention import RetentionRule

DEFAULT_LOCKOUT_ATTEMPTS = 10
DEFAULT_LOCKOUT_MINUTES = 15
DEFAULT_IDLE_LOCK_MINUTES = 5
DEVELOPMENT_ENV = "SCREENING_APP_DEVELOPMENT"
DEVELOPMENT_WARNING = ("warning: development database (not encrypted, no sign-in, no audit "
                       "trail): synthetic data only; set it up with 'screening-app init "
                       "--admin NAME' before real use")
# The row whose presence says "this database has been set up" (PostgreSQL); never removed.
INITIALISED_KEY = "initialised"
POLICY_KEYS = ("lockout", "idle_lock_minutes", "retention")


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
class SecurityPolicy:
    lockout: LockoutPolicy = field(default_factory=LockoutPolicy)
    idle_lock_minutes: int = DEFAULT_IDLE_LOCK_MINUTES
    retention: RetentionRule = field(default_factory=RetentionRule)

    def __post_init__(self) -> None:
        if isinstance(self.idle_lock_minutes, bool) or not isinstance(
                self.idle_lock_minutes, int) or not 1 <= self.idle_lock_minutes <= 60:
            raise SecurityError("the idle lock must be from 1 to 60 minutes")


def read_policy(session: Session) -> SecurityPolicy:
    values = {row.key: json.loads(row.value) for row in session.scalars(
        select(SecuritySetting).where(SecuritySetting.key.in_(POLICY_KEYS)))}
    try:
        return SecurityPolicy(
            lockout=LockoutPolicy(**values.get("lockout", {})),
            idle_lock_minutes=int(values.get("idle_lock_minutes", DEFAULT_IDLE_LOCK_MINUTES)),
            retention=RetentionRule(**values.get("retention", {})))
    except (TypeError, ValueError):
        raise SecurityError("the security settings in the database are damaged; an "
                            "administrator can set them again with 'screening-app users "
                            "policy'") from None


def write_policy(session: Session, policy: SecurityPolicy, by: str) -> None:
    now = utcnow()
    for key, value in (("lockout", vars(policy.lockout)),
                       ("idle_lock_minutes", policy.idle_lock_minutes),
                       ("retention", policy.retention.to_dict())):
        row = session.get(SecuritySetting, key)
        text = json.dumps(value, sort_keys=True)
        if row is None:
            session.add(SecuritySetting(key=key, value=text, updated_at=now, updated_by=by))
        elif row.value != text:
            row.value, row.updated_at, row.updated_by = text, now, by


def mark_initialised(session: Session, kind: str, by: str) -> None:
    """Record, in the database, that it has been set up (read by ``kind_of``)."""
    if session.get(SecuritySetting, INITIALISED_KEY) is None:
        session.add(SecuritySetting(key=INITIALISED_KEY, value=json.dumps({"kind": kind}),
                                    updated_at=utcnow(), updated_by=by))


def development_allowed(environ: Mapping[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    return env.get(DEVELOPMENT_ENV) == "1"


def allow_development(where: str, environ: Mapping[str, str] | None = None) -> str:
    """Refuse a development database unless it was asked for; else the warning to print
    (always, on every use, whether or not stderr is a terminal)."""
    if not development_allowed(environ):
        raise DevelopmentRefused(
            f"{where} has not been set up: run 'screening-app init --admin NAME' to set it "
            f"up (encrypted), or set {DEVELOPMENT_ENV}=1 to use it as a development "
            f"database (synthetic data only: no encryption, no sign-in, no audit trail)")
    return DEVELOPMENT_WARNING
