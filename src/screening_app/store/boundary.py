"""What the store needs from whoever signs people in, as small protocols the store owns.

The store never imports the security layer: a signed-in user is anything with a ``team`` and
``sees_team`` (and, on an encrypted database, the team keys it holds: :mod:`.sealing`),
and the audit trail is anything that can ``append`` an entry inside the store's own
transaction (so an action and its audit entry commit together or not at all).
"""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy.orm import Session


class Scope(Protocol):
    """The signed-in user, as far as team visibility (and who acts) goes."""

    @property
    def name(self) -> str: ...

    @property
    def role(self) -> str: ...

    @property
    def team(self) -> str | None: ...

    def sees_team(self, team: str | None) -> bool: ...

    def team_key(self, team: str | None) -> bytes | None:
        """The current key of ``team`` if this user holds it; None where nothing is sealed
        (development and server databases)."""
        ...

    def key_by_id(self, key_id: str) -> bytes | None:
        """Any team key this user holds (current or older), by its id (:func:`.sealing.key_id`)."""
        ...


class AuditSink(Protocol):
    """Adds one audit entry in ``session``'s transaction; returns its sequence number.
    ``actor`` names who acted when it is not the signed-in user (``system``: the
    deployment's directory file imported at start-up)."""

    def append(self, session: Session, action: Any, *, record_id: str | None = None,
               detail: dict | None = None, reason: str | None = None,
               actor: str | None = None) -> int: ...
