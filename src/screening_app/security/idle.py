"""When the desktop app should lock: a wall-clock deadline, pushed back by every use.

A deadline on the wall clock, not a countdown, so that a laptop that slept past it locks as
soon as it wakes (KeePassXC's inactivity timer once missed that: their issue 2014). A clock
that jumps backwards (a time-zone or daylight-saving change does not: this is UTC seconds)
cannot postpone the lock by more than one idle period.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class IdleDeadline:
    def __init__(self, minutes: float, clock: Callable[[], float] = time.time):
        self.seconds = minutes * 60
        self._clock = clock
        self._deadline = clock() + self.seconds

    def touch(self) -> None:
        """Someone used the app: the lock moves to a full idle period from now."""
        self._deadline = self._clock() + self.seconds

    def set_minutes(self, minutes: float) -> None:
        self.seconds = minutes * 60
        self.touch()

    def remaining(self) -> float:
        left = self._deadline - self._clock()
        if left > self.seconds:  # the clock went back: never wait longer than one period
            self._deadline = self._clock() + self.seconds
            left = self.seconds
        return max(left, 0.0)

    def expired(self) -> bool:
        return self.remaining() <= 0
