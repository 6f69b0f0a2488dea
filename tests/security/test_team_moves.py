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
