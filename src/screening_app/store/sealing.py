"""Clinical free text sealed with the team's key (issue 14, red-team finding 2).

On an encrypted SQLite database every user holds the SQLCipher key, so SQLCipher alone does
not keep one team's records from another team's practitioner who has the files. Here each
clinical text column (:data:`SEALED`) is sealed, at write, with AES-256-GCM under the key of
the record's team, and opened at read; a user holds only their own team's key (their
scope's :meth:`~.boundary.Scope.team_key`), so another team's rows are ciphertext to them.

A sealed value is ``hs1:<key id>:<base64 nonce+ciphertext>``. Its associated data binds it
to its table, column and record (the assessment id, and the natural key of the row within
it), so a ciphertext copied into another record, or another column, does not open.

The sealing is done in ONE place for the ORM (mapper events registered below, reading the
:class:`Sealer` the :class:`~.repository.Store` puts in its sessions' ``info``); the few
column-level reads and writes (lists, the completing UPDATE, oversight) call
:meth:`Sealer.open` / :meth:`Sealer.seal` explicitly. A session without a sealer (plain
development databases, PostgreSQL: see docs/security.md) reads and writes plain text.

The reference stays searchable by a blind index: keyed HMACs of every prefix of the
normalised reference (``reference_token``), under a key derived from the team key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from collections.abc import Callable, Sequence
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import delete, event, insert, inspect, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper, Session
from sqlalchemy.orm.attributes import set_committed_value

from .boundary import Scope
from .errors import StoreError
from .models import Assessment, Base, ReferenceToken, normalise_reference

PREFIX = "hs1:"
SESSION_KEY = "heard.sealer"
_PLAIN = "heard.plain"
_UNKNOWN = object()

# table -> its sealed columns. tests/store/test_sealing.py fails when a text column is added
# to one of these tables without being sealed here (or listed there as not clinical).
SEALED: dict[str, tuple[str, ...]] = {
    "assessment": ("reference", "date_of_birth", "presenting_issue", "amend_reason",
                   "result"),
    "answer_event": ("value",),
    "flag_acknowledgement": ("note",),
    "decision": ("text", "reason"),
    "care_action": ("title", "outcome"),
    "escalation": ("reason", "outcome"),
}
JSON_COLUMNS = frozenset({("assessment", "result")})

# What a sealed value is bound to, beyond its table and column: its record (the assessment)
# and, where the row has one before it is inserted, its natural key within that record.
_BINDING: dict[str, Callable[[dict], str]] = {
    "assessment": lambda r: str(r["id"]),
    "answer_event": lambda r: f"{r['assessment_id']}/{r['seq']}",
    "flag_acknowledgement": lambda r: f"{r['assessment_id']}/{r['flag_id']}",
    "decision": lambda r: f"{r['assessment_id']}/{r['target']}",
    "care_action": lambda r: str(r["assessment_id"]),
    "escalation": lambda r: str(r["assessment_id"]),
}


def key_id(key: bytes | bytearray) -> str:
    """A short public name for a team key (which key sealed a value)."""
    return hashlib.sha256(b"heard team key id|" + bytes(key)).hexdigest()[:12]


def _aad(table: str, column: str, binding: str) -> bytes:
    return f"heard-sealed v1|{table}.{column}|{binding}".encode()


def _kid(value: str) -> str:
    return value[len(PREFIX):].partition(":")[0]


def is_sealed(value: object) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def seal_with(key: bytes | bytearray, table: str, column: str, binding: str,
              plaintext: str, cipher: AESGCM | None = None) -> str:
    nonce = os.urandom(12)
    body = (cipher or AESGCM(bytes(key))).encrypt(nonce, plaintext.encode("utf-8"),
                                                  _aad(table, column, binding))
    return f"{PREFIX}{key_id(key)}:{base64.b64encode(nonce + body).decode('ascii')}"


def open_with(lookup: Callable[[str], bytes | None], table: str, column: str, binding: str,
              value: str, ciphers: dict[str, AESGCM] | None = None) -> str:
    """The plain text of a sealed ``value`` (``lookup`` finds a key by its id; ``ciphers``
    keeps the AES contexts of keys already used, checked against ``lookup`` each time)."""
    kid, _, body = value[len(PREFIX):].partition(":")
    key = lookup(kid)
    if key is None:
        if ciphers is not None:
            ciphers.pop(kid, None)
        raise StoreError("this record is sealed with a team key you do not hold")
    cipher = ciphers.get(kid) if ciphers is not None else None
    if cipher is None:
        cipher = AESGCM(key)
        if ciphers is not None:
            ciphers[kid] = cipher
    try:
        raw = base64.b64decode(body, validate=True)
        return cipher.decrypt(raw[:12], raw[12:], _aad(table, column, binding)).decode("utf-8")
    except (InvalidTag, ValueError):
        raise StoreError(f"a sealed value in {table}.{column} does not open: it was changed, "
                         f"or moved from another record") from None


def index_key(key: bytes | bytearray) -> bytes:
    return hmac.new(bytes(key), b"heard blind index v1", hashlib.sha256).digest()


def reference_tokens(key: bytes | bytearray, reference: str | None) -> list[str]:
    """The blind index of a reference: one keyed HMAC per prefix of its normalised form."""
    normalised = normalise_reference(reference)
    if not normalised:
        return []
    ikey = index_key(key)
    return [hmac.new(ikey, normalised[:n].encode("utf-8"), hashlib.sha256).hexdigest()[:32]
            for n in range(1, len(normalised) + 1)]


def search_token(key: bytes | bytearray, prefix: str) -> str | None:
    tokens = reference_tokens(key, prefix)
    return tokens[-1] if tokens else None


class Sealer:
    """Seals and opens with the keys of one signed-in user (their :class:`Scope`)."""

    def __init__(self, scope: Scope):
        self.scope = scope
        self._teams: dict[str, str | None] = {}  # assessment id -> team, as guarded
        self._ciphers: dict[str, AESGCM] = {}

    @staticmethod
    def for_scope(scope: Scope | None) -> Sealer | None:
        """A sealer when the scope holds team keys (encrypted SQLite), else None."""
        if scope is None or scope.team_key(scope.team) is None:
            return None
        return Sealer(scope)

    def know(self, assessment_id: str, team: str | None) -> None:
        self._teams[assessment_id] = team

    def team_of(self, connection: Connection, assessment_id: str) -> str | None:
        if assessment_id not in self._teams:
            self._teams[assessment_id] = connection.scalar(
                select(Assessment.team).where(Assessment.id == assessment_id))
        return self._teams[assessment_id]

    def key(self, team: str | None) -> bytes | None:
        """The team's current key; None for records without a team (never sealed)."""
        if team is None:
            return None
        key = self.scope.team_key(team)
        if key is None:
            raise StoreError(f"you do not hold the key of the team {team!r}")
        return key

    def seal(self, team: str | None, table: str, column: str, binding: str,
             value: Any) -> Any:
        if value is None or is_sealed(value):
            return value
        key = self.key(team)
        if key is None:
            return value
        text = json.dumps(value, ensure_ascii=False) if (table, column) in JSON_COLUMNS \
            else value
        kid = key_id(key)
        cipher = self._ciphers.get(kid)
        if cipher is None:
            cipher = self._ciphers[kid] = AESGCM(key)
        return seal_with(key, table, column, binding, text, cipher)

    def open(self, table: str, column: str, binding: str, value: Any) -> Any:
        if not is_sealed(value):
            return value
        text = open_with(self.scope.key_by_id, table, column, binding, value, self._ciphers)
        return json.loads(text) if (table, column) in JSON_COLUMNS else text

    def holds(self, value: str) -> bool:
        """Whether this user holds the key that sealed ``value``."""
        return self.scope.key_by_id(_kid(value)) is not None

    def key_team(self, value: str) -> str | None:
        """The team whose key sealed ``value``, if this user holds that key (from the
        ``team_key`` row it was opened from, whose team the key's sealing binds)."""
        keyring = getattr(self.scope, "keyring", None)
        teams = getattr(keyring, "teams", None)
        return teams.get(_kid(value)) if isinstance(teams, dict) else None

    def opens_for(self, team: str | None, value: str) -> bool:
        """Whether ``value`` is sealed under a key of ``team`` that this user holds. A value
        sealed with another team's key (a record moved between teams by editing the file,
        red-team finding 3) never opens as ``team``'s, not even for an administrator who
        holds both keys."""
        if not self.holds(value):
            return False
        owner = self.key_team(value)
        return owner is None or owner == team

    def check_team(self, team: str | None, table: str, column: str, value: Any) -> None:
        """Refuse a sealed value of a record of ``team`` sealed with another team's key."""
        if is_sealed(value) and not self.opens_for(team, value):
            raise StoreError(f"a sealed value in {table}.{column} of this record is sealed "
                             f"for another team, or with a key you do not hold (was the "
                             f"record moved between teams outside Heard?); it is not opened")

    def tokens(self, team: str | None, reference: str | None) -> list[str]:
        key = self.key(team)
        return reference_tokens(key, reference) if key is not None else []


def open_value(sealer: Sealer | None, table: str, column: str, binding: str,
               value: Any) -> Any:
    """``value`` opened when it is sealed and a sealer is given (else as stored)."""
    return sealer.open(table, column, binding, value) if sealer is not None else value


def sealer_of(session: Session | None) -> Sealer | None:
    return session.info.get(SESSION_KEY) if session is not None else None


# -- the ORM events: every insert and update of a sealed table seals, every load opens --------
def _table(mapper: Mapper) -> str:
    return str(mapper.local_table.name)  # type: ignore[attr-defined]


def _before_write(mapper: Mapper, connection: Connection, target: Any, *, insert_: bool) -> None:
    table = _table(mapper)
    state = inspect(target)
    sealer = sealer_of(state.session)
    if table == "assessment" and (insert_ or state.attrs.reference.history.has_changes()):
        # The plain key for development databases; sealed ones search by reference_token.
        target.reference_key = None if sealer is not None else \
            normalise_reference(target.reference)
    columns = SEALED.get(table)
    if sealer is None or not columns:
        return
    row = state.dict
    team = row.get("team") if table == "assessment" else \
        sealer.team_of(connection, row["assessment_id"])
    binding = _BINDING[table](row)
    plain = {}
    for column in columns:
        if column not in row or (not insert_ and not state.attrs[column].history.has_changes()):
            continue
        value = row[column]
        if value is None or is_sealed(value):
            continue
        plain[column] = value
        setattr(target, column, sealer.seal(team, table, column, binding, value))
    if plain:
        state.info[_PLAIN] = plain


def _after_write(mapper: Mapper, connection: Connection, target: Any, *, insert_: bool) -> None:
    state = inspect(target)
    plain = state.info.pop(_PLAIN, None) or {}
    for column, value in plain.items():
        set_committed_value(target, column, value)
    sealer = sealer_of(state.session)
    if insert_ and sealer is not None and _table(mapper) == "assessment":
        reference = plain.get("reference", target.reference)
        tokens = sealer.tokens(target.team, reference)
        if tokens:
            connection.execute(insert(ReferenceToken), [
                {"assessment_id": target.id, "token": t} for t in tokens])


def _on_load(target: Any, context: Any, *_attrs: Any) -> None:
    mapper = inspect(target).mapper
    table = _table(mapper)
    columns = SEALED.get(table)
    if not columns:
        return
    sealer = sealer_of(context.session)
    if sealer is None:
        return
    row = inspect(target).dict
    if any(c not in row for c in ("id", "assessment_id", "seq", "flag_id", "target")
           if c in mapper.columns):
        return  # a partial load: opened when the row is loaded whole
    binding = _BINDING[table](row)
    # The record's team: on its own row, or as the store's guard found it for the others.
    found = row.get("team") if table == "assessment" else \
        sealer._teams.get(row["assessment_id"], _UNKNOWN)
    known = found is not _UNKNOWN
    team: str | None = None if found is _UNKNOWN else found  # type: ignore[assignment]
    held = team is not None and sealer.scope.team_key(team) is not None
    for column in columns:
        value = row.get(column)
        if not is_sealed(value):
            continue
        if held:
            # A record of a team this user reads: every value must be that team's.
            sealer.check_team(team, table, column, value)
        elif known and sealer.holds(value) and not sealer.opens_for(team, value):
            continue  # another team's key on a record of a team not read here: the guard
        # Another team's row (loaded to be refused by the store's guard) stays sealed.
        if sealer.holds(value):
            set_committed_value(target, column, sealer.open(table, column, binding, value))


event.listen(Base, "before_insert", lambda m, c, t: _before_write(m, c, t, insert_=True),
             propagate=True)
event.listen(Base, "before_update", lambda m, c, t: _before_write(m, c, t, insert_=False),
             propagate=True)
event.listen(Base, "after_insert", lambda m, c, t: _after_write(m, c, t, insert_=True),
             propagate=True)
event.listen(Base, "after_update", lambda m, c, t: _after_write(m, c, t, insert_=False),
             propagate=True)
event.listen(Base, "load", _on_load, propagate=True)
event.listen(Base, "refresh", _on_load, propagate=True)


# -- replacing a team's key (screening_app.security.teamkeys.rekey_team) ----------------------
def _team_rows(session: Session, table: str, team: str) -> tuple[Any, Sequence[Any]]:
    model = next(m.class_ for m in Base.registry.mappers if _table(m) == table)
    keys = [c for c in ("id", "assessment_id", "seq", "flag_id", "target")
            if c in model.__table__.c]
    columns = [model.__table__.c[c] for c in (*keys, *SEALED[table]) if c != "id"] \
        + [model.__table__.c.id]
    query = select(*columns)
    if table == "assessment":
        query = query.where(model.__table__.c.team == team)
    else:
        query = query.join(Assessment, Assessment.id == model.__table__.c.assessment_id) \
            .where(Assessment.team == team)
    return model, session.execute(query).mappings().all()


def reseal_team(session: Session, team: str, sealer: Sealer) -> int:
    """Open every sealed value of ``team``'s records (under any key the sealer holds, or
    plain, from before sealing) and seal it again under the team's current key; rebuild
    the blind index. Returns the number of values sealed. Run inside one transaction.

    A value sealed with another team's key (a record whose team was edited in the file) is
    neither opened nor sealed again: it stays as it is, unreadable as this team's."""
    count = refused = 0
    for table in SEALED:
        model, rows = _team_rows(session, table, team)
        for row in rows:
            binding = _BINDING[table](row)
            changes = {}
            for column in SEALED[table]:
                value = row[column]
                if value is None or (is_sealed(value) and not sealer.holds(value)):
                    continue  # nothing, or under a key nobody here holds: left as it is
                if is_sealed(value) and not sealer.opens_for(team, value):
                    # Sealed with ANOTHER team's key (the record's team was edited in the
                    # file, red-team finding 3): never opened here, never sealed as ours.
                    refused += 1
                    continue
                opened = sealer.open(table, column, binding, value)
                changes[column] = sealer.seal(team, table, column, binding, opened)
            if changes:
                count += len(changes)
                session.execute(update(model.__table__).where(model.__table__.c.id == row["id"])
                                .values(**changes))
            if table == "assessment" and not (is_sealed(row["reference"])
                                              and not sealer.opens_for(team, row["reference"])):
                session.execute(delete(ReferenceToken).where(
                    ReferenceToken.assessment_id == row["id"]))
                reference = sealer.open(table, "reference", binding, row["reference"])
                tokens = sealer.tokens(team, reference)
                if tokens:
                    session.execute(insert(ReferenceToken), [
                        {"assessment_id": row["id"], "token": t} for t in tokens])
                session.execute(update(Assessment).where(Assessment.id == row["id"])
                                .values(reference_key=None)
                                .execution_options(synchronize_session=False))
    return count


__all__ = ["JSON_COLUMNS", "PREFIX", "SEALED", "Sealer", "is_sealed", "key_id", "open_value",
           "open_with", "reference_tokens", "reseal_team", "seal_with", "search_token"]
