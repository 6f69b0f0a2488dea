"""The lock-out rule itself (security/lockout.py), as both backends use it."""

from __future__ import annotations

import datetime as dt

from screening_app.security import lockout
from screening_app.security.lockout import ADMINISTRATOR, Failures

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def test_attempts_are_counted_before_the_check_and_the_last_one_sets_the_lock():
    state = Failures()
    for n in range(1, 10):
        assert lockout.begin_attempt(state, 10, 15, NOW) is None
        assert (state.count, state.locked_until) == (n, None)
    assert lockout.begin_attempt(state, 10, 15, NOW) is None  # the tenth is still checked
    assert lockout.locked_until(state, NOW) is not None  # ...but locks as it starts
    assert lockout.begin_attempt(state, 10, 15, NOW) is not None  # the eleventh is refused
    assert state.count == 10


def test_a_right_password_clears_and_an_expired_lock_starts_afresh():
    state = Failures()
    for _ in range(3):
        lockout.begin_attempt(state, 3, 15, NOW)
    later = NOW + dt.timedelta(minutes=16)
    assert lockout.locked_until(state, later) is None
    assert lockout.begin_attempt(state, 3, 15, later) is None and state.count == 1
    lockout.succeeded(state)
    assert (state.count, state.locked_until) == (0, None)


def test_until_an_administrator_and_a_lowered_policy_and_a_damaged_lock():
    state = Failures()
    lockout.begin_attempt(state, 1, 0, NOW)
    assert lockout.locked_until(state, NOW + dt.timedelta(days=400)) == ADMINISTRATOR
    lowered = Failures(count=5)
    assert lockout.begin_attempt(lowered, 3, 15, NOW) is not None  # policy now 3: locked
    assert lockout.locked_until(Failures(1, "not a time"), NOW) == ADMINISTRATOR  # fail closed
