"""Red-team finding 3 (and 4): a TeamB practitioner holding the files sets a TeamA record's
team to TeamB with raw SQL (through the data key every user holds). A routine administrator
action that replaces TeamB's key (here: disabling a TeamB member) must not open the TeamA
values (the administrator holds every key) and seal them under TeamB's new key; and
``show`` of the moved record refuses in one clean line (it crashed with JSONDecodeError)."""

from __future__ import annotations

import pytest

from screening_app.security.access import sign_in
from screening_app.security.keyfile import KeyFileStore, key_file_for
from screening_app.security.roles import Role
from screening_app.security.users import add_user, disable_user
from screening_app.store import StoreError

from .helpers import ADMIN, ADMIN_PASSWORD, PASSWORD, as_user, raw_connection
from .test_team_keys import MARKER, _store, _team_a_record, _two_teams


def _move_to_teamb(db, record: str) -> None:  # noqa: ANN001
    """What Carol did: UPDATE assessment SET team = 'TeamB', with her own data key."""
    data_key, _secret = KeyFileStore(key_file_for(db)).read().unwrap_user("Carol", PASSWORD)
    conn = raw_connection(db, bytes(data_key))
    try:
        # She holds the data key, so the read-only triggers are hers to drop and put back.
        triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                                "AND tbl_name = 'assessment'").fetchall()
        for name, _sql in triggers:
            conn.execute(f'DROP TRIGGER "{name}"')
        conn.execute("UPDATE assessment SET team = 'TeamB' WHERE id = ? OR parent_id = ?",
                     (record, record))
        for _name, sql in triggers:
            conn.execute(sql)
    finally:
        conn.close()


def _teamb_rekey(db, name: str = "Erin") -> None:  # noqa: ANN001
    """A routine administrator action that replaces TeamB's key and reseals TeamB."""
    admin = sign_in(f"sqlite:///{db}", ADMIN, ADMIN_PASSWORD)
    try:
        add_user(admin, name, Role.PRACTITIONER, "TeamB", PASSWORD)
        disable_user(admin, name, "left")
    finally:
        admin.close()


def test_a_record_moved_to_teamb_is_not_resealed_for_teamb(tmp_path):
    db = _two_teams(tmp_path)
    record = _team_a_record(db)
    _move_to_teamb(db, record)
    _teamb_rekey(db)  # before the fix: TeamA's values re-sealed under TeamB's new key
    carol = sign_in(f"sqlite:///{db}", "Carol", PASSWORD)
    try:
        with pytest.raises(StoreError, match="sealed for another team"):
            _store(carol).load(record)
        data_key = bytes(carol.data_key or b"")
    finally:
        carol.close()
    # Nothing of the record opens with the keys Carol holds, row by row.
    from screening_app.store.sealing import SEALED, Sealer, is_sealed

    carol = sign_in(f"sqlite:///{db}", "Carol", PASSWORD)
    try:
        sealer = Sealer(carol.principal)
        conn = raw_connection(db, data_key)
        try:
            for table, columns in SEALED.items():
                for column in columns:
                    for (value,) in conn.execute(f'SELECT "{column}" FROM "{table}"'):
                        assert value is None or not is_sealed(value) \
                            or not sealer.holds(value) or MARKER not in value
                        if is_sealed(value):
                            assert not sealer.holds(value) or sealer.key_team(value) == "TeamB"
        finally:
            conn.close()
    finally:
        carol.close()
    # The administrator (who holds TeamA's key too) does not read it as TeamB's either.
    admin = sign_in(f"sqlite:///{db}", ADMIN, ADMIN_PASSWORD)
    try:
        with pytest.raises(StoreError, match="sealed for another team"):
            _store(admin).load(record)
    finally:
        admin.close()


def test_show_of_a_moved_record_refuses_in_one_clean_line(tmp_path, capsys, monkeypatch):
    db = _two_teams(tmp_path)
    record = _team_a_record(db)
    _move_to_teamb(db, record)
    for name in ("Erin", "Finn"):  # before, and after a TeamB rekey
        shown = as_user(capsys, monkeypatch, db, "Carol", "show", record)
        assert shown.code != 0
        assert MARKER not in shown.out + shown.err
        assert "Traceback" not in shown.err and "JSONDecodeError" not in shown.err
        assert "sealed for another team" in shown.err
        assert len(shown.err.strip().splitlines()) == 1, shown.err
        _teamb_rekey(db, name)


# -- red-team findings 1 and 2: who the next team key is sealed to -----------------------------
def _raw_sql(db, sql: str) -> None:  # noqa: ANN001
    """Carol's SQL through her data key, the guard triggers dropped and put back."""
    data_key, _secret = KeyFileStore(key_file_for(db)).read().unwrap_user("Carol", PASSWORD)
    conn = raw_connection(db, bytes(data_key))
    try:
        triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                                ).fetchall()
        for name, _sql in triggers:
            conn.execute(f'DROP TRIGGER "{name}"')
        conn.execute(sql)
        for _name, trigger in triggers:
            conn.execute(trigger)
    finally:
        conn.close()


def _teama_rekey(db) -> None:  # noqa: ANN001
    """Someone's routine password reset in TeamA: TeamA's key is replaced."""
    from screening_app.security.users import set_password

    admin = sign_in(f"sqlite:///{db}", ADMIN, ADMIN_PASSWORD)
    try:
        set_password(admin, "Bob", "saffron glacier turnip")
    finally:
        admin.close()


def _carol_opens(db, holder: str, team: str) -> list[str]:  # noqa: ANN001
    """The current key ids of ``team`` Carol's box key opens among ``holder``'s rows."""
    from screening_app.security import crypto
    from screening_app.security.teamkeys import _open
    from screening_app.store.models import TeamKey

    data_key, secret = KeyFileStore(key_file_for(db)).read().unwrap_user("Carol", PASSWORD)
    box = crypto.box_private_key(secret)
    conn = raw_connection(db, bytes(data_key))
    opened = []
    try:
        for kid, sealed in conn.execute("SELECT kid, sealed FROM team_key WHERE holder = ? AND "
                                        "team = ? AND current", (holder, team)):
            try:
                _open(box, TeamKey(team=team, kid=kid, holder=holder, sealed=sealed))
                opened.append(kid)
            except Exception:  # noqa: BLE001, S112 - not hers
                continue
    finally:
        conn.close()
    return opened


@pytest.mark.parametrize("forged", ["team = 'TeamA'", "role = 'administrator'"])
def test_a_forged_app_user_row_gets_no_key_at_the_next_rekey(tmp_path, forged):
    db = _two_teams(tmp_path)
    record = _team_a_record(db)
    _raw_sql(db, f"UPDATE app_user SET {forged} WHERE name = 'Carol'")
    _teama_rekey(db)  # before the fix: TeamA's new key sealed to Carol's box key
    assert _carol_opens(db, "user:carol", "TeamA") == []
    bob = sign_in(f"sqlite:///{db}", "Bob", "saffron glacier turnip")
    try:  # the real members keep their access
        assert _store(bob).load(record).presenting_issue == f"{MARKER} presenting"
    finally:
        bob.close()


def test_a_swapped_recovery_box_key_gets_no_key_at_the_next_rekey(tmp_path):
    import json

    db = _two_teams(tmp_path)
    _team_a_record(db)
    path = key_file_for(db)
    keys = KeyFileStore(path).read()
    carol = keys.wrapped[keys.user_slot("Carol")]["box_public"]
    data = json.loads(path.read_text())
    data["wrapped"]["recovery"]["box_public"] = carol
    path.write_text(json.dumps(data))
    _teama_rekey(db)  # before the fix: TeamA's new key sealed "to recovery" with her key
    assert _carol_opens(db, "recovery", "TeamA") == []
    conn = raw_connection(db, bytes(KeyFileStore(path).read().unwrap_user("Carol",
                                                                           PASSWORD)[0]))
    try:  # recovery keeps its copy, sealed to the box key attested when it was made
        assert conn.execute("SELECT count(*) FROM team_key WHERE holder = 'recovery' AND "
                            "team = 'TeamA' AND current").fetchone()[0] == 1
    finally:
        conn.close()


def test_copies_from_before_attestations_are_attested_by_their_holder_at_sign_in(tmp_path):
    db = _two_teams(tmp_path)
    record = _team_a_record(db)
    admin = sign_in(f"sqlite:///{db}", ADMIN, ADMIN_PASSWORD)
    try:
        add_user(admin, "Dave", Role.PRACTITIONER, "TeamA", PASSWORD)
    finally:
        admin.close()
    _raw_sql(db, "UPDATE team_key SET sealed = json_remove(sealed, '$.public', '$.attest')")
    sign_in(f"sqlite:///{db}", "Bob", PASSWORD).close()  # attests Bob's own copies
    admin = sign_in(f"sqlite:///{db}", ADMIN, ADMIN_PASSWORD)
    try:
        disable_user(admin, "Dave", "left")  # TeamA's key replaced
    finally:
        admin.close()
    bob = sign_in(f"sqlite:///{db}", "Bob", PASSWORD)
    try:
        assert _store(bob).load(record).presenting_issue == f"{MARKER} presenting"
    finally:
        bob.close()
    assert _carol_opens(db, "user:carol", "TeamA") == []
