"""PostgreSQL row-level security per team (migration ``0006_team_keys``).

At the start of every transaction of a store with a signed-in user, the store names that
user's team and role in two settings local to the transaction (``set_config(..., true)``,
the same as ``SET LOCAL``); the policies let the transaction read and write only the rows
of that team (administrators: also the rows made before set-up, which have no team). A
transaction that names no team (owner tasks: migrations, ``audit verify``, retention) is
not limited.

This stops a store query that forgets its team filter, or a SQL mistake in a store
transaction, from reaching another team's rows. It does not stop anyone who holds the
database role: they choose the setting. Per-user database logins (policies on
``current_user``) would; see docs/security.md.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, SessionTransaction

SESSION_KEY = "heard.team_rows"
# What a transaction names when its user has no team: no team name can be this (names
# cannot hold control characters), so it matches no team's rows.
NO_TEAM = "\x01"


def team_rows(team: str | None, role: str) -> dict[str, Any]:
    """The ``Session.info`` that limits a session's transactions to ``team``'s rows."""
    return {SESSION_KEY: (team if team is not None else NO_TEAM, role)}


def record_exists(session: Session, record_id: str) -> bool:
    """Whether a record exists that this transaction's team may not see (PostgreSQL), so
    that a refusal is audited like before row-level security."""
    return bool(session.scalar(text("SELECT heard_record_exists(:id)"), {"id": record_id}))


@event.listens_for(Session, "after_begin")
def _name_the_team(session: Session, _transaction: SessionTransaction,
                   connection: Connection) -> None:
    named = session.info.get(SESSION_KEY)
    if named is None or connection.dialect.name != "postgresql":
        return
    team, role = named
    connection.execute(text("SELECT set_config('heard.team', :team, true), "
                            "set_config('heard.role', :role, true)"),
                       {"team": team, "role": role})
