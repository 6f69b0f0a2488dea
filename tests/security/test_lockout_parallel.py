"""Lock-out that holds under parallel attempts and a full disk (red-team finding 7), and the
same for names that do not exist (finding 14).

40 processes try at once: 39 wrong guesses and, started last, the right password. The
attempt is counted before the slow hash under a lock, so at most ``attempts`` (10) guesses
are ever checked, the right password is refused, and the account ends locked. On both
backends.
"""

from __future__ import annotations

import os
import re
import time

import pytest

from screening_app.security.access import initialise, sign_in
from screening_app.security.errors import WRONG_CREDENTIALS, AuthenticationError, LockedOut
from screening_app.security.keyfile import KeyFileStore, key_file_for
from screening_app.security.roles import Role
from screening_app.security.users import add_user

from .helpers import ADMIN, ADMIN_PASSWORD, PASSWORD

PARALLEL = 40
OK, WRONG, LOCKED, OTHER = 0, 1, 2, 3


def _attempt_in_child(url: str, name: str, password: str, gate: int, delay: float) -> int:
    pid = os.fork()
    if pid:
        return pid
    code = OTHER
    try:
        os.read(gate, 1)  # every child waits here until all are forked
        time.sleep(delay)
        try:
            sign_in(url, name, password).close()
            code = OK
        except LockedOut:
            code = LOCKED
        except AuthenticationError:
            code = WRONG
    finally:
        os._exit(code)


def _attack(url: str, name: str, right: str) -> list[int]:
    read_end, write_end = os.pipe()
    pids = [_attempt_in_child(url, name, f"wrong guess number {n:02d}", read_end, 0.0)
            for n in range(PARALLEL - 1)]
    pids.append(_attempt_in_child(url, name, right, read_end, 0.5))  # started last
    os.write(write_end, b"x" * PARALLEL)
    codes = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids]
    os.close(read_end)
    os.close(write_end)
    return codes


def _add_practitioner(url: str) -> None:
    admin = sign_in(url, ADMIN, ADMIN_PASSWORD)
    try:
        add_user(admin, "Pat", Role.PRACTITIONER, "ED", PASSWORD)
    finally:
        admin.close()


def test_forty_parallel_guesses_lock_an_encrypted_database(tmp_path):
    db = tmp_path / "heard.db"
    url = f"sqlite:///{db}"
    initialise(url, ADMIN, ADMIN_PASSWORD)
    _add_practitioner(url)
    codes = _attack(url, "Pat", PASSWORD)
    assert codes[-1] == LOCKED, codes  # the right password, tried after ten guesses
    assert OTHER not in codes and OK not in codes, codes
    keys = KeyFileStore(key_file_for(db)).read()
    assert keys.failures["pat"].count == 10  # exactly ten passwords were ever checked
    assert keys.locked_until("pat") is not None
    assert sum(1 for e in keys.pending if e.get("refused")) == PARALLEL - 10
    with pytest.raises(LockedOut):
        sign_in(url, "Pat", PASSWORD)


def test_unknown_names_lock_out_like_real_ones(tmp_path):
    db = tmp_path / "heard.db"
    url = f"sqlite:///{db}"
    initialise(url, ADMIN, ADMIN_PASSWORD)
    _add_practitioner(url)
    seen = {}
    for name in ("Pat", "Nobody Here"):
        outcomes = []
        for n in range(11):
            try:
                sign_in(url, name, f"wrong guess number {n:02d}")
            except LockedOut as exc:
                text = re.sub(r"\d\d:\d\d", "HH:MM", str(exc))
                outcomes.append(("locked", text.replace(name, "NAME")))
            except AuthenticationError as exc:
                outcomes.append(("wrong", str(exc)))
        seen[name] = outcomes
    assert seen["Pat"] == seen["Nobody Here"]
    assert [kind for kind, _ in seen["Pat"]] == ["wrong"] * 9 + ["locked"] * 2


def test_a_failure_that_cannot_be_counted_refuses_the_sign_in(tmp_path):
    from tests.faults.mounts import small_filesystem

    folder = tmp_path / "small"
    with small_filesystem(folder, 2048) as mounted:
        if not mounted:
            pytest.fail("this test needs to mount a tmpfs (run as root, as CI does)")
        db = folder / "heard.db"
        url = f"sqlite:///{db}"
        initialise(url, ADMIN, ADMIN_PASSWORD)
        ballast = folder / "ballast"
        with ballast.open("wb") as fh:
            try:
                while True:
                    fh.write(b"\0" * 65536)
                    fh.flush()
            except OSError:
                pass
        before = KeyFileStore(key_file_for(db)).read().attempts
        messages = set()
        for password in [f"wrong guess number {n:02d}" for n in range(15)] + [ADMIN_PASSWORD]:
            with pytest.raises(AuthenticationError) as caught:
                sign_in(url, ADMIN, password)
            messages.add(str(caught.value))
        # the right password is refused with the same sentence: nothing tells them apart
        assert messages == {WRONG_CREDENTIALS}
        ballast.unlink()
        assert KeyFileStore(key_file_for(db)).read().attempts == before  # none was counted
        sign_in(url, ADMIN, ADMIN_PASSWORD).close()  # room again: the right one works


@pytest.fixture(scope="module")
def pg_server():
    from tests.store.pg import NoPostgres, start_server

    try:
        server = start_server()
    except NoPostgres as exc:
        pytest.fail(f"PostgreSQL is required: {exc}", pytrace=False)
    yield server
    server.stop()


def test_forty_parallel_guesses_lock_a_server_database(pg_server, tmp_path, monkeypatch):
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from screening_app.store import open_database
    from screening_app.store.models import SignInAttempt

    url = pg_server.create_database()
    key_file = tmp_path / "audit.key"
    initialise(url, ADMIN, ADMIN_PASSWORD, audit_key_file=key_file)
    monkeypatch.setenv("SCREENING_APP_AUDIT_KEY_FILE", str(key_file))
    _add_practitioner(url)
    codes = _attack(url, "Pat", PASSWORD)
    assert codes[-1] == LOCKED, codes
    assert OTHER not in codes and OK not in codes, codes
    database = open_database(url)
    try:
        with Session(database.reader) as session:
            row = session.scalars(select(SignInAttempt).where(
                SignInAttempt.name_key == "pat")).one()
            assert row.count == 10 and row.locked_until is not None
    finally:
        database.dispose()
    with pytest.raises(LockedOut):
        sign_in(url, "Pat", PASSWORD)
    # names that are not users are counted and locked the same way
    for n in range(9):
        with pytest.raises(AuthenticationError):
            sign_in(url, "Nobody Here", f"wrong guess number {n:02d}")
    for n in range(2):
        with pytest.raises(LockedOut):
            sign_in(url, "Nobody Here", f"wrong guess number 9{n}")

