"""Refusals of the application layer's rules, as one-line sentences for either door.

A :class:`RuleRefused` is a clinical or workflow rule saying no (complete with an
unacknowledged act-now flag, an age outside the pathway, a module outside its limits). It is
not a fault: nothing was changed, and the message says what to do instead.
"""

from __future__ import annotations

from ..store.errors import StoreError


class RuleRefused(ValueError):
    """A rule of the application layer refused the request; ``str()`` is the sentence."""


class CompletionRefused(RuleRefused):
    """The assessment cannot be completed yet (the message names what is outstanding)."""


class AgeRefused(RuleRefused):
    """The child's age is outside the pathway's range."""


class ModuleRefused(RuleRefused):
    """A module asked for is unknown, or outside its age or settings limits."""


class DecisionRefused(RuleRefused):
    """An acknowledgement or decision that does not fit the assessment."""


class ReasonNeeded(RuleRefused):
    """The change would retract an act-now disclosure: say why, and it is kept with the
    record (the disclosure stays on it)."""


class Locked(StoreError):
    """The workspace is locked: unlock it to go on (nothing was lost)."""

    def __init__(self) -> None:
        super().__init__("Heard is locked: unlock it to go on (nothing was lost)")
