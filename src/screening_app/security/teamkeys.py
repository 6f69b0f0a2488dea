"""Team keys (encrypted SQLite; issue 14 item 2, red-team finding 2).

Every user holds the SQLCipher data key, so the data key alone does not separate teams.
Each team therefore has its own random 256-bit key, which seals the clinical text of its
records (:mod:`screening_app.store.sealing`). The team key is sealed (X25519 + AES-GCM,
:func:`.crypto.seal_to`) to the public box key of each *holder*: every enabled member of
the team, every enabled administrator (they verify the trail and manage every team), and
the recovery key. The sealed copies are rows of ``team_key``; a user's box key comes from
their own secret, which only their password opens (the key file). So a TeamB practitioner
with the files and their own password opens TeamB's key and nothing of TeamA's.

* At sign-in the keys the user holds are opened into their :class:`.keyring.Keyring`; a
  team the user belongs to that has no key yet (a database from before, or set-up) gets
  one, and its existing text is sealed.
* Adding a user (or moving them to a team, or making them an administrator) seals the
  team keys to them; a new team gets its key then.
* Disabling a user, resetting or changing a password, or moving a user out of a team
  replaces the team's key (:func:`rekey_team`): the new key is sealed to the remaining
  holders only and every sealed value of the team is sealed again under it, in one
  transaction. Older keys stay (sealed to the remaining holders) only to open the audit
  trail's reasons, which the hash chain fixes as they were written.
* Who gets the new key is NOT read from ``app_user`` or the key file alone (both writable by
  any user with the files: red-team findings on forged rows and swapped ``box_public``):
  each copy carries an attestation, an HMAC under the team key of (team, key id, holder,
  box public key), made by whoever sealed it while holding the key (an administrator's
  :func:`admit`, a rekey, or the holder at sign-in for a copy from before attestations);
  :func:`rekey_team` seals the new key only to holders of the current key whose copy is
  attested, to the attested public key, who are still entitled.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Iterable

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ..store.models import AppUser, Assessment, SealPermit, TeamKey, utcnow
from ..store.sealing import Sealer, key_id, reseal_team
from . import crypto
from .crypto import WrongKey
from .errors import SecurityError
from .keyfile import KeyFile
from .keyring import Keyring
from .roles import Principal, Role

RECOVERY = "recovery"


def holder_of(name: str) -> str:
    return KeyFile.user_slot(name)


def _aad(team: str, kid: str, holder: str) -> bytes:
    return f"heard team key v1|{team}|{kid}|{holder}".encode()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _attestation(key: bytes | bytearray, team: str, kid: str, holder: str,
                 public_hex: str) -> str:
    """Who this copy of the team key was sealed to, keyed with the team key itself: only a
    holder of the key (an administrator admitting a user, or the rekey) can make one."""
    return hmac.new(bytes(key), f"heard team key holder v1|{team}|{kid}|{holder}|"
                    f"{public_hex}".encode(), hashlib.sha256).hexdigest()


def _sealed(public_hex: str, team: str, kid: str, holder: str, key: bytes | bytearray) -> str:
    ephemeral, nonce, ciphertext = crypto.seal_to(public_hex, key, _aad(team, kid, holder))
    return json.dumps({"ephemeral": _b64(ephemeral), "nonce": _b64(nonce),
                       "ciphertext": _b64(ciphertext), "public": public_hex,
                       "attest": _attestation(key, team, kid, holder, public_hex)})


def attested_public(row: TeamKey, key: bytes | bytearray) -> str | None:
    """The box public key ``row``'s attestation names, if it verifies under ``key`` (the
    team key of ``row.kid``); None for a forged, stripped or damaged row."""
    try:
        parts = json.loads(row.sealed)
        public, attest = parts["public"], parts["attest"]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(public, str) or not isinstance(attest, str):
        return None
    wanted = _attestation(key, row.team, row.kid, row.holder, public)
    return public if hmac.compare_digest(attest, wanted) else None


def _open(box: bytes | bytearray, row: TeamKey) -> bytearray:
    try:
        parts = json.loads(row.sealed)
        ephemeral, nonce, ciphertext = (base64.b64decode(parts[k], validate=True)
                                        for k in ("ephemeral", "nonce", "ciphertext"))
    except (ValueError, KeyError, TypeError):
        raise WrongKey("a team key entry is damaged") from None
    return crypto.open_sealed(box, ephemeral, nonce, ciphertext,
                              _aad(row.team, row.kid, row.holder))


def box_public_of(secret: bytes | bytearray, label: bytes = crypto.BOX_LABEL) -> str:
    box = crypto.box_private_key(secret, label)
    try:
        return crypto.box_public_key(box)
    finally:
        crypto.wipe(box)


def all_teams(session: Session) -> set[str]:
    users = session.scalars(select(AppUser.team).distinct())
    records = session.scalars(select(Assessment.team).distinct())
    return {t for t in (*users, *records) if t is not None}


def entitled_teams(session: Session, role: str, team: str | None) -> set[str]:
    """The teams whose keys a user holds: their own; administrators every team."""
    if role == Role.ADMINISTRATOR:
        return all_teams(session) | ({team} if team else set())
    return {team} if team else set()


def holders(session: Session, keys: KeyFile, team: str) -> dict[str, str]:
    """Who must hold ``team``'s key now: holder -> public box key (from the key file)."""
    found = {}
    for user in session.scalars(select(AppUser).where(AppUser.disabled.is_(False))):
        if user.team != team and user.role != Role.ADMINISTRATOR:
            continue
        entry = keys.wrapped.get(holder_of(user.name)) or {}
        if "box_public" in entry:
            found[holder_of(user.name)] = str(entry["box_public"])
    recovery = keys.wrapped.get(RECOVERY) or {}
    if "box_public" in recovery:
        found[RECOVERY] = str(recovery["box_public"])
    return found


def open_keys(session: Session, holder: str, box: bytes | bytearray, keyring: Keyring) -> None:
    """Every team key sealed to ``holder`` into ``keyring``."""
    public: str | None = None
    for row in session.scalars(select(TeamKey).where(TeamKey.holder == holder)):
        try:
            key = _open(box, row)
        except WrongKey:
            continue  # sealed to an older box key of this holder: a later reseal replaces it
        try:
            keyring.add(row.team, key, current=row.current)
            if key_id(key) == row.kid and attested_public(row, key) is None:
                # A copy from before attestations: it opened with this holder's own box key
                # and holds the key it names, so it is genuine; attest it for the next rekey.
                public = public or crypto.box_public_key(box)
                parts = json.loads(row.sealed)
                parts.update(public=public,
                             attest=_attestation(key, row.team, row.kid, row.holder, public))
                row.sealed = json.dumps(parts)
        finally:
            crypto.wipe(key)


def _has_key(session: Session, team: str) -> bool:
    return session.scalar(select(TeamKey.kid).where(TeamKey.team == team,
                                                    TeamKey.current.is_(True)).limit(1)) \
        is not None


def _reseal(session: Session, team: str, principal: Principal) -> int:
    session.add(SealPermit(team=team))
    session.flush()
    try:
        return reseal_team(session, team, Sealer(principal))
    finally:
        session.execute(delete(SealPermit).where(SealPermit.team == team))


def create_team_key(session: Session, keys: KeyFile, team: str, principal: Principal) -> None:
    """A first key for ``team``, sealed to its holders; any text it already has is sealed."""
    keyring = _keyring(principal)
    if _has_key(session, team):
        return
    key = crypto.new_data_key()
    try:
        kid = keyring.add(team, key, current=True)
        for holder, public in holders(session, keys, team).items():
            session.add(TeamKey(team=team, kid=kid, holder=holder, current=True,
                                sealed=_sealed(public, team, kid, holder, key),
                                created_at=utcnow()))
        session.flush()
        _reseal(session, team, principal)
    finally:
        crypto.wipe(key)


def admit(session: Session, keys: KeyFile, principal: Principal, holder: str, public: str,
          teams: Iterable[str]) -> None:
    """Seal every key of ``teams`` (current and older) to ``holder``; a team without a key
    gets one first. The signed-in ``principal`` must hold them (administrators do)."""
    keyring = _keyring(principal)
    for team in sorted(set(teams)):
        if team not in keyring.current:
            if _has_key(session, team):
                raise SecurityError(f"you do not hold the key of the team {team!r}")
            create_team_key(session, keys, team, principal)
        for kid in keyring.kids_of(team):
            session.execute(delete(TeamKey).where(TeamKey.team == team, TeamKey.kid == kid,
                                                  TeamKey.holder == holder))
            key = keyring.keys[kid]
            session.add(TeamKey(team=team, kid=kid, holder=holder,
                                current=keyring.current.get(team) == kid,
                                sealed=_sealed(public, team, kid, holder, key),
                                created_at=utcnow()))
    session.flush()


def drop_holder(session: Session, holder: str, teams: Iterable[str] | None = None) -> None:
    query = delete(TeamKey).where(TeamKey.holder == holder)
    if teams is not None:
        query = query.where(TeamKey.team.in_(list(teams)))
    session.execute(query)


def rekey_team(session: Session, keys: KeyFile, team: str, principal: Principal) -> int:
    """Replace ``team``'s key: the new one sealed to its holders now, every sealed value of
    the team sealed again under it (in ``session``'s transaction). Returns how many."""
    keyring = _keyring(principal)
    before = keyring.current.get(team)
    if before is None:
        raise SecurityError(f"you do not hold the key of the team {team!r}")
    entitled = holders(session, keys, team)
    # Red-team findings (forged app_user row, swapped box_public in the key file): the new
    # key goes only to holders of the CURRENT key whose copy an administrator (or an earlier
    # rekey) attested with that key, and to the public key attested there; never to whoever
    # app_user or the key file (both writable with the files) now names.
    current_key = keyring.keys[before]
    now: dict[str, str] = {}
    for row in session.scalars(select(TeamKey).where(TeamKey.team == team,
                                                     TeamKey.kid == before)):
        public = attested_public(row, current_key)
        if public is not None and row.holder in entitled:
            now[row.holder] = public
    session.execute(delete(TeamKey).where(TeamKey.team == team,
                                          TeamKey.holder.not_in(list(entitled))))
    session.execute(update(TeamKey).where(TeamKey.team == team).values(current=False))
    key = crypto.new_data_key()
    try:
        kid = keyring.add(team, key, current=True)
        for holder, public in now.items():
            session.add(TeamKey(team=team, kid=kid, holder=holder, current=True,
                                sealed=_sealed(public, team, kid, holder, key),
                                created_at=utcnow()))
        session.flush()
        return _reseal(session, team, principal)
    except BaseException:
        keyring.current[team] = before
        raise
    finally:
        crypto.wipe(key)


def rekey_teams(signed, teams: Iterable[str]) -> float:  # noqa: ANN001 - a SignedIn
    """:func:`rekey_team` for each of ``teams`` the signed-in user holds, in one
    transaction; returns the seconds it took."""
    store = signed.target.keys
    if store is None or signed.principal.keyring is None:
        return 0.0
    started = time.perf_counter()
    keys = store.read()
    with signed.session() as session, session.begin():
        for team in sorted(set(teams)):
            if team in signed.principal.keyring.current:
                rekey_team(session, keys, team, signed.principal)
    return time.perf_counter() - started


def at_sign_in(session: Session, keys: KeyFile, principal: Principal, secret: bytes | bytearray,
               role: str) -> None:
    """Open the keys ``principal`` holds; make the missing ones of the teams they belong to
    (a database set up, or upgraded, before team keys)."""
    keyring = _keyring(principal)
    box = crypto.box_private_key(secret)
    try:
        open_keys(session, holder_of(principal.name), box, keyring)
    finally:
        crypto.wipe(box)
    for team in sorted(entitled_teams(session, role, principal.team)):
        if team not in keyring.current and not _has_key(session, team):
            create_team_key(session, keys, team, principal)
    if principal.team is not None and principal.team not in keyring.current:
        # Never carry on without it: the store would not seal what this user writes.
        raise SecurityError(f"your copy of the key of the team {principal.team!r} does not "
                            f"open (restored from an older backup?); ask an administrator "
                            f"to reset your password")


def _keyring(principal: Principal) -> Keyring:
    if principal.keyring is None:
        raise SecurityError("the session holds no team keys; sign in again")
    return principal.keyring
