"""Password rules, as Cyber Essentials and the NCSC ask for them.

* at least :data:`MIN_LENGTH` (12) characters, because there is no multi-factor sign-in;
* not a common password: a deny-list of the passwords and patterns that guessing tools try
  first (:func:`deny_reason`), including a common word padded with digits or symbols, a
  repeated character, a keyboard or number run, or the user's own name;
* no forced expiry, no composition rules ("one capital, one digit..."): a passphrase of
  three random words is the recommended shape;
* no low maximum: :data:`MAX_LENGTH` only stops absurd input.

Hashing for server databases (PostgreSQL) uses Argon2id through ``argon2-cffi``'s
:class:`~argon2.PasswordHasher` with its RFC 9106 low-memory defaults (64 MiB, t=3, p=4);
SQLite databases need no stored hash at all: the password is checked by unwrapping the
data key (see :mod:`.crypto`).
"""

from __future__ import annotations

import functools
import re
import unicodedata

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from .errors import PasswordRejected

MIN_LENGTH = 12
MAX_LENGTH = 4096

# Words that make up most guessed passwords (leaked-password lists, NCSC's top 100 000,
# and the obvious ones for this app and its users). A password that is one of these, maybe
# with digits and symbols around it, is refused whatever its length.
_COMMON_WORDS = """
password passw0rd p@ssword p@ssw0rd pass word secret letmein welcome welcome1 hello
admin administrator root user guest login master changeme default test testing
qwerty qwertyuiop qwertyui azerty asdfgh asdfghjkl zxcvbn zxcvbnm qazwsx 1qaz2wsx
1q2w3e4r 1q2w3e4r5t 1q2w3e4r5t6y zaq12wsx iloveyou loveyou love lovely
monkey dragon sunshine princess football baseball soccer rugby cricket hockey
shadow superman batman spiderman pokemon starwars jordan michael jennifer hunter
freedom whatever trustno1 abc abcdef abcdefg abcdefgh abcdefghijkl
summer winter autumn spring january february march april june july august september
october november december monday friday chocolate cookie cheese banana orange
liverpool chelsea arsenal manchester united everton tottenham celtic rangers
london england britain scotland wales cymru ireland
heard screening nhs police custody nurse doctor school hospital health clinic surgery
emergency safeguarding camhs patient children child family mental
computer internet samsung google apple microsoft windows linux
"""
COMMON_WORDS = frozenset(_COMMON_WORDS.split())

# Whole passwords of twelve or more characters that appear near the top of leaked lists.
_COMMON_LONG = """
123456789012 1234567890123 12345678901234 123456789012345 1234567890qwerty
qwerty123456 qwertyuiop123 qwertyuiopasdf qwertyuiopasdfghjkl 1qaz2wsx3edc
1qaz2wsx3edc4rfv zaq12wsxcde3 zaq1zaq1zaq1 1q2w3e4r5t6y7u 1q2w3e4r5t6y7u8i
password1234 password12345 password123456 iloveyou1234 iloveyou12345 letmein12345
welcome12345 football1234 princess1234 sunshine1234 changeme1234 administrator1
abcdefghijkl abcdefghijklm abcd1234abcd aaaaaaaaaaaa 111111111111 000000000000
correcthorsebatterystaple correct horse battery staple
"""
COMMON_LONG = frozenset(_COMMON_LONG.split("\n")) | frozenset(_COMMON_LONG.split())

_KEYBOARD_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "abcdefghijklmnopqrstuvwxyz")
_PADDING = re.compile(r"^[\d\W_]*(?P<core>.*?)[\d\W_]*$")


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _leet(text: str) -> str:
    return text.translate(str.maketrans("@4310$5!7", "aaeiossit"))


def _is_run(text: str) -> bool:
    """A run along a keyboard row or the alphabet (either way), or one repeated unit."""
    if len(set(text)) <= 2:
        return True
    for unit in range(1, 5):  # "abcabcabcabc", "12121212..."
        if len(text) >= unit * 3 and text == (text[:unit] * (len(text) // unit + 1))[:len(text)]:
            return True
    for row in _KEYBOARD_ROWS:
        for seq in (row, row[::-1]):
            if text in (seq * 3):
                return True
    return False


def deny_reason(password: str, user_name: str | None = None) -> str | None:
    """Why a password is too easy to guess, or None when it is not on the deny-list."""
    folded = _normal(password)
    squashed = re.sub(r"\s+", "", folded)
    if folded in COMMON_LONG or squashed in COMMON_LONG:
        return "it is one of the most common passwords"
    core = _PADDING.match(squashed).group("core")  # type: ignore[union-attr]
    for candidate in {core, _leet(core), squashed, _leet(squashed)}:
        if candidate in COMMON_WORDS:
            return "it is a common word with numbers or symbols added"
        stripped = re.sub(r"[\d\W_]+", "", candidate)
        if stripped and stripped in COMMON_WORDS and len(stripped) >= len(candidate) // 2:
            return "it is a common word with numbers or symbols added"
    if _is_run(squashed) or _is_run(re.sub(r"[\W_]+", "", squashed)):
        return "it is a repeated character or a run of keys"
    if user_name:
        name = re.sub(r"[\s._@'-]+", "", _normal(user_name))
        bare = re.sub(r"[\d\W_]+", "", squashed)
        if name and len(name) >= 3 and (name in bare and len(bare) - len(name) < 6):
            return "it is mostly the user name"
    return None


def check_password(password: str, user_name: str | None = None) -> None:
    """Raise :class:`PasswordRejected` with a sentence saying why, or return."""
    if len(password) < MIN_LENGTH:
        raise PasswordRejected(f"the password must be at least {MIN_LENGTH} characters long; "
                               f"three random words make a good one")
    if len(password) > MAX_LENGTH:
        raise PasswordRejected(f"the password is longer than {MAX_LENGTH} characters")
    if password != password.strip() and not password.strip():
        raise PasswordRejected("the password cannot be only spaces")
    reason = deny_reason(password, user_name)
    if reason:
        raise PasswordRejected(f"that password is too easy to guess ({reason}); three random "
                               f"words make a good one")


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
