"""Password rules, as Cyber Essentials and the NCSC ask for them.

* at least :data:`MIN_LENGTH` (12) characters, because there is no multi-factor sign-in;
* not guessable: zxcvbn's estimate (Dropbox's model of how guessing tools work: leaked and
  common passwords, dictionary words with substitutions, keyboard runs, repeats, dates,
  and the user's own name, passed in) must be :data:`MIN_SCORE`, its top score: at least
  10^10 guesses, since a stolen key file can be attacked offline at Argon2id's pace;
* no forced expiry, no composition rules ("one capital, one digit..."): a passphrase of
  three random words is the recommended shape;
* no low maximum: :data:`MAX_LENGTH` only stops absurd input (zxcvbn looks at the first
  :data:`ESTIMATE_LENGTH` characters, which is where a guesser starts too).

Hashing for server databases (PostgreSQL) uses Argon2id through ``argon2-cffi``'s
:class:`~argon2.PasswordHasher` with its RFC 9106 low-memory defaults (64 MiB, t=3, p=4);
SQLite databases need no stored hash at all: the password is checked by unwrapping the
data key (see :mod:`.crypto`).
"""

from __future__ import annotations

import functools
import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from zxcvbn import zxcvbn

from .errors import PasswordRejected

MIN_LENGTH = 12
MAX_LENGTH = 4096
MIN_SCORE = 4  # zxcvbn: 0 (too guessable) to 4 (very unguessable: 10^10 guesses or more)
ESTIMATE_LENGTH = 72
# Words a guesser aiming at this app would try first (zxcvbn treats them like the user's own).
APP_WORDS = ("heard", "screening", "safeguarding", "camhs", "nhs", "custody", "nurse",
             "correct horse battery staple", "correcthorsebatterystaple")


def _user_inputs(user_name: str | None) -> list[str]:
    """The name whole and in parts ("Ada Admin": ada admin, adaadmin, ada, admin)."""
    if not user_name:
        return []
    folded = user_name.casefold()
    parts = [p for p in re.split(r"[\s._@'-]+", folded) if len(p) >= 3]
    return [folded, re.sub(r"[\s._@'-]+", "", folded), *parts]


def weakness(password: str, user_name: str | None = None) -> str | None:
    """Why a password is too easy to guess, or None when it is strong enough."""
    names = _user_inputs(user_name)
    # Padding with spaces costs a guesser nothing: "  football  2024 " is "football 2024".
    candidates = {password[:ESTIMATE_LENGTH],
                  " ".join(password.split())[:ESTIMATE_LENGTH]}
    estimate = min((zxcvbn(text, user_inputs=[*names, *APP_WORDS],
                           max_length=ESTIMATE_LENGTH) for text in candidates if text),
                   key=lambda e: e["guesses"])
    if estimate["score"] >= MIN_SCORE:
        return None
    named = sum(len(m["token"]) for m in estimate.get("sequence", [])
                if m.get("dictionary_name") == "user_inputs"
                and m.get("matched_word") in names)
    if names and named * 2 >= len(estimate["password"]):
        return "it is mostly the user name"
    warning = (estimate.get("feedback") or {}).get("warning") or ""
    return warning.rstrip(".") or "a guessing tool would find it quickly"


def check_password(password: str, user_name: str | None = None) -> None:
    """Raise :class:`PasswordRejected` with a sentence saying why, or return."""
    if len(password) < MIN_LENGTH:
        raise PasswordRejected(f"the password must be at least {MIN_LENGTH} characters long; "
                               f"three random words make a good one")
    if len(password) > MAX_LENGTH:
        raise PasswordRejected(f"the password is longer than {MAX_LENGTH} characters")
    if not password.strip():
        raise PasswordRejected("the password cannot be only spaces")
    reason = weakness(password, user_name)
    if reason:
        raise PasswordRejected(f"that password is too easy to guess ({reason[:1].lower()}"
                               f"{reason[1:]}); three random words make a good one")


# -- hashes for server databases ----------------------------------------------------------------
_HASHER = PasswordHasher()  # Argon2id, t=3, m=64 MiB, p=4 (RFC 9106 low memory)


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    try:
        return _HASHER.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


@functools.cache
def _decoy() -> str:
    return _HASHER.hash("heard decoy password that no one has")


def decoy_verify(password: str) -> None:
    """Spend the time a real check takes when a user name is unknown, so that the time
    taken does not tell an unknown name from a wrong password."""
    verify_password(_decoy(), password)
