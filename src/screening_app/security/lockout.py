"""The lock-out rule, written once for both backends.

An attempt is **counted before the password is checked** (:func:`begin_attempt`), by the
caller, under a lock that orders every attempt on the account (SQLite: the key file's
lock; PostgreSQL: ``SELECT ... FOR UPDATE`` on the account's row). So parallel attempts
cannot all read "not locked yet" and then each try a guess: at most ``attempts`` guesses are
ever being checked per lock-out. If the count cannot be written, the caller refuses the
sign-in (fail closed). A correct password clears the count (:func:`succeeded`).

The rule is the same for names that do not exist, so the lock-out does not reveal which
names do (the state is kept per folded name, whether or not it is a user).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

ADMINISTRATOR = "administrator"  # locked until an administrator unlocks


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_iso(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)


@dataclass
class Failures:
    """One account's (or unknown name's) lock-out state."""

    count: int = 0
    locked_until: str | None = None  # ISO time, or "administrator"
    last: str | None = None


def locked_until(state: Failures | None, now: dt.datetime) -> str | None:
    """None when the name may try; else when its lock ends ("administrator": never by
    itself)."""
    if state is None or state.locked_until is None:
        return None
    if state.locked_until == ADMINISTRATOR:
        return ADMINISTRATOR
    try:
        if parse_iso(state.locked_until) > now:
            return state.locked_until
    except ValueError:
        return ADMINISTRATOR  # an unreadable lock stays locked (fail closed)
    return None


def _lock_end(minutes: int, now: dt.datetime) -> str:
    return ADMINISTRATOR if minutes == 0 else iso(now + dt.timedelta(minutes=minutes))


def begin_attempt(state: Failures, attempts: int, minutes: int,
                  now: dt.datetime) -> str | None:
    """Count one attempt in ``state`` (changed in place) before its password is checked.

    Returns None when the password may be checked, else the lock's end (refuse, as locked).
    The attempt that reaches ``attempts`` sets the lock at once, so attempts started in
    parallel with it are refused; if that attempt then succeeds, :func:`succeeded` clears it.
    """
    until = locked_until(state, now)
    if until is not None:
        return until
    if state.locked_until is not None:  # a lock that has run out: start counting afresh
        state.count, state.locked_until = 0, None
    if state.count >= attempts:  # e.g. the policy was lowered: lock now
        state.locked_until = _lock_end(minutes, now)
        return state.locked_until
    state.count += 1
    state.last = iso(now)
    if state.count >= attempts:
        state.locked_until = _lock_end(minutes, now)
    return None


def succeeded(state: Failures) -> None:
    """The right password: the count starts again."""
    state.count, state.locked_until = 0, None
