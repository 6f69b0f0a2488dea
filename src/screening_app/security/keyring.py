"""The team keys a signed-in user holds (encrypted SQLite): opened at sign-in from the
``team_key`` rows sealed to their box key (:mod:`.teamkeys`), handed to the store through
:class:`~.roles.Principal` (the store's ``Scope``), wiped when the session closes."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..store.sealing import key_id
from . import crypto


@dataclass(eq=False)
class Keyring:
    keys: dict[str, bytearray] = field(default_factory=dict)  # key id -> key
    current: dict[str, str] = field(default_factory=dict)  # team -> key id sealing new text
    teams: dict[str, str] = field(default_factory=dict)  # key id -> team

    def add(self, team: str, key: bytes | bytearray, *, current: bool) -> str:
        kid = key_id(key)
        self.keys[kid] = bytearray(key)
        self.teams[kid] = team
        if current:
            self.current[team] = kid
        return kid

    def team_key(self, team: str | None) -> bytes | None:
        kid = self.current.get(team) if team is not None else None
        return bytes(self.keys[kid]) if kid is not None else None

    def key_by_id(self, kid: str) -> bytes | None:
        key = self.keys.get(kid)
        return bytes(key) if key is not None else None

    def kids_of(self, team: str) -> list[str]:
        return [kid for kid, t in self.teams.items() if t == team]

    def held_teams(self) -> set[str]:
        return set(self.current)

    def wipe(self) -> None:
        for key in self.keys.values():
            crypto.wipe(key)
        self.keys.clear()
        self.current.clear()
        self.teams.clear()
