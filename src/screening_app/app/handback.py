"""Child mode's hand-back: who may take the screen back from the child, and how often they
may try.

Signed in, the screen comes back only with the staff member's own password (checked like a
sign-in, so it counts toward the account's lock-out). On a development database there is no
password, so the staff member chooses a hand-over code; only a salted Argon2id hash of it is
kept, in memory, for that hand-over. Either way, after ``MAX_FAILURES`` wrong tries the
field rests for ``REST_SECONDS``: a child pressing keys cannot guess their way out.
"""

from __future__ import annotations

import datetime as dt
import hmac
import os
from collections.abc import Callable
from dataclasses import dataclass, field

from argon2.low_level import Type, hash_secret_raw

MIN_CODE = 4
MAX_FAILURES = 5
REST_SECONDS = 30

Clock = Callable[[], dt.datetime]


@dataclass(frozen=True)
class HandbackAttempt:
    accepted: bool
    wait_seconds: int = 0  # > 0: resting after too many wrong tries; nothing was checked

    @property
    def message(self) -> str:
        if self.accepted:
            return ""
        if self.wait_seconds:
            return f"Too many tries. Wait {self.wait_seconds} seconds, then try again."
        return "That is not right. Try again."


def _hash_code(code: str, salt: bytes) -> bytes:
    # OWASP's minimum Argon2id set-up: a short-lived secret that never leaves memory.
    return hash_secret_raw(code.encode("utf-8"), salt, time_cost=2, memory_cost=19 * 1024,
                           parallelism=1, hash_len=32, type=Type.ID)


class HandoverCode:
    """A code chosen by the staff member for one hand-over."""

    def __init__(self, code: str):
        if len(code) < MIN_CODE:
            raise ValueError(f"the code needs at least {MIN_CODE} characters")
        self._salt = os.urandom(16)
        self._digest = _hash_code(code, self._salt)

    def __call__(self, attempt: str) -> bool:
        return hmac.compare_digest(_hash_code(attempt, self._salt), self._digest)


@dataclass
class ChildHandover:
    """One hand-over of the screen to a child: ``attempt`` says whether it comes back."""

    check: Callable[[str], bool]
    uses_password: bool
    clock: Clock
    failures: int = 0
    resting_until: dt.datetime | None = field(default=None)

    @property
    def prompt(self) -> str:
        what = "password" if self.uses_password else "code"
        return f"For staff: type your {what} to take the screen back."

    def attempt(self, secret: str) -> HandbackAttempt:
        now = self.clock()
        if self.resting_until is not None and now < self.resting_until:
            return HandbackAttempt(False, max(1, int((self.resting_until - now)
                                                     .total_seconds() + 0.999)))
        if secret and self.check(secret):
            self.failures, self.resting_until = 0, None
            return HandbackAttempt(True)
        self.failures += 1
        if self.failures >= MAX_FAILURES:
            self.failures = 0
            self.resting_until = now + dt.timedelta(seconds=REST_SECONDS)
            return HandbackAttempt(False, REST_SECONDS)
        return HandbackAttempt(False)
