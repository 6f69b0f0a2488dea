"""Writing and reading the audit trail inside the database's own transactions.

:class:`AuditWriter` appends one sealed entry (see :mod:`.audit`) in the caller's
transaction, so an action and its audit entry commit together or not at all: if the audit
write fails, the action does not happen. On PostgreSQL a transaction-scoped advisory lock
orders concurrent writers; on SQLite the write transaction (``BEGIN IMMEDIATE``) already
holds the database's write lock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from ..store.models import AuditEvent
from . import crypto
from .audit import GENESIS, Action, Entry, Terminal, canonical_detail, seal
from .keyfile import iso
from .roles import Principal

# pg_advisory_xact_lock key for the audit chain: "HrdAudit" in ASCII.
PG_AUDIT_LOCK = 0x487264417564


@dataclass
class AuditWriter:
    """Appends entries for one signed-in user at one terminal."""

    key: bytes
    principal: Principal | None
    terminal: Terminal
    # Ed25519 key of whoever causes the entries (the signed-in user, or the recovery key's
    # holder) and the name it is published under in the trail; None: entries go unsigned.
    signing_key: bytearray | None = None
    signer: str | None = None

    def forget(self) -> None:
        crypto.wipe(self.signing_key)
        self.signing_key = None

    def append(self, session: Session, action: Action | str, *, record_id: str | None = None,
               detail: dict | None = None, reason: str | None = None,
               actor: str | None = None, at: dt.datetime | None = None,
               terminal: str | None = None, team: str | None = None) -> int:
        """Add one entry in ``session``'s transaction; returns its ``seq``."""
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_AUDIT_LOCK})
        last = session.execute(select(AuditEvent.seq, AuditEvent.entry_hash)
                               .order_by(AuditEvent.seq.desc()).limit(1)).first()
        seq, prev_hash = (last.seq + 1, last.entry_hash) if last else (1, GENESIS)
        principal = self.principal
        fields = {
            "seq": seq,
            "at": iso(at or dt.datetime.now(dt.UTC)),
            "actor": actor or (principal.name if principal else self.terminal.os_user),
            "role": str(principal.role) if principal and actor is None else None,
            "team": team if team is not None else (
                principal.team if principal and actor is None else None),
            "terminal": terminal or self.terminal.hostname,
            "os_user": self.terminal.os_user,
            "action": str(action),
            "record_id": record_id,
            "reason": reason,
            "detail": canonical_detail(detail),
        }
        digest, mac = seal(self.key, prev_hash, fields)
        signature = crypto.sign(self.signing_key, digest.encode("ascii")) \
            if self.signing_key is not None else None
        session.add(AuditEvent(**fields, prev_hash=prev_hash, entry_hash=digest, mac=mac,
                               signature=signature,
                               signer=self.signer if signature else None))
        session.flush()
        return seq


def row_to_entry(row: AuditEvent) -> Entry:
    return Entry(seq=row.seq, at=row.at, actor=row.actor, role=row.role, team=row.team,
                 terminal=row.terminal, os_user=row.os_user, action=row.action,
                 record_id=row.record_id, reason=row.reason, detail=row.detail,
                 prev_hash=row.prev_hash, entry_hash=row.entry_hash, mac=row.mac,
                 signature=row.signature, signer=row.signer)


def iter_entries(session: Session, *, record_id: str | None = None,
                 batch: int = 2000) -> Iterator[Entry]:
    """Entries in ``seq`` order, read in batches (the trail can be long)."""
    after = 0
    while True:
        query = select(AuditEvent).where(AuditEvent.seq > after)
        if record_id is not None:
            query = query.where(AuditEvent.record_id == record_id)
        rows = session.scalars(query.order_by(AuditEvent.seq).limit(batch)).all()
        if not rows:
            return
        for row in rows:
            yield row_to_entry(row)
        after = rows[-1].seq
