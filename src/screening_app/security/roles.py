"""Who may do what: three roles, teams, and one table of permissions.

=====================  ============  ==========  =============
permission             practitioner  supervisor  administrator
=====================  ============  ==========  =============
records (own team)     yes           yes         yes
record audit trail     no            own team    any record
verify the audit       no            no          yes
manage users           no            no          yes
security settings      no            no          yes
retention and delete   no            no          yes
=====================  ============  ==========  =============

"records" is create, view, edit, complete, amend and export, always limited to the user's
own team: a practitioner never sees another team's assessments, in the desktop app or on
the command line (the store filters and refuses; see ``Store.scope``). An administrator
works on their own team's records like anyone else, manages users and settings, and can
erase any record under the retention rules without reading it (the report shows ids and
dates only).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

from .errors import AccessDenied, SecurityError
from .keyring import Keyring


class Role(StrEnum):
    PRACTITIONER = "practitioner"
    SUPERVISOR = "supervisor"
    ADMINISTRATOR = "administrator"


class Permission(StrEnum):
    RECORDS = "records"
    RECORD_AUDIT = "record-audit"
    VERIFY_AUDIT = "verify-audit"
    MANAGE_USERS = "manage-users"
    SETTINGS = "settings"
    RETENTION = "retention"
    BACKUP = "backup"


PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.PRACTITIONER: frozenset({Permission.RECORDS}),
    Role.SUPERVISOR: frozenset({Permission.RECORDS, Permission.RECORD_AUDIT}),
    Role.ADMINISTRATOR: frozenset(Permission),
}

_WHY = {
    Permission.RECORDS: "work on assessments",
    Permission.RECORD_AUDIT: "see a record's audit trail (supervisors and administrators)",
    Permission.VERIFY_AUDIT: "check the audit trail (administrators)",
    Permission.MANAGE_USERS: "manage users (administrators)",
    Permission.SETTINGS: "change security settings (administrators)",
    Permission.RETENTION: "review or erase records under the retention rules "
                          "(administrators)",
    Permission.BACKUP: "back up or restore the database (administrators)",
}


def parse_role(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError:
        raise SecurityError(f"unknown role {text!r} (practitioner, supervisor or "
                            f"administrator)") from None


_BIDI_AND_CONTROL = re.compile("[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e"
                               "\u2066-\u2069\ufeff]")


def check_name(name: str, what: str = "user name") -> str:
    """A user or team name: 1-64 visible characters, no control or bidi characters."""
    cleaned = unicodedata.normalize("NFC", name).strip()
    if not cleaned:
        raise SecurityError(f"a {what} cannot be empty")
    if len(cleaned) > 64:
        raise SecurityError(f"a {what} has at most 64 characters")
    if _BIDI_AND_CONTROL.search(cleaned):
        raise SecurityError(f"a {what} cannot hold control or text-direction characters")
    return cleaned


def name_key(name: str) -> str:
    """How names are compared: case and Unicode form do not make a second user."""
    return unicodedata.normalize("NFKC", name.strip()).casefold()


@dataclass(frozen=True)
class Principal:
    """The signed-in user, as the store and the front doors see them."""

    name: str
    role: Role
    team: str | None
    # Encrypted SQLite: the team keys this user holds (their own team's; administrators
    # every team's). None on server and development databases, where nothing is sealed.
    keyring: Keyring | None = field(default=None, compare=False, repr=False)

    def team_key(self, team: str | None) -> bytes | None:
        return self.keyring.team_key(team) if self.keyring is not None else None

    def key_by_id(self, key_id: str) -> bytes | None:
        return self.keyring.key_by_id(key_id) if self.keyring is not None else None

    def can(self, permission: Permission) -> bool:
        return permission in PERMISSIONS[self.role]

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise AccessDenied(f"{self.name} ({self.role}) may not {_WHY[permission]}")

    def sees_team(self, team: str | None) -> bool:
        """Whether records of ``team`` are visible to this user: their own team's; records
        without a team (made in a development database before set-up) administrators only."""
        if team is None:
            return self.role is Role.ADMINISTRATOR
        return self.team is not None and team == self.team

    def may_see_record_audit(self, team: str | None) -> bool:
        if self.role is Role.ADMINISTRATOR:
            return True
        return self.can(Permission.RECORD_AUDIT) and self.sees_team(team)
