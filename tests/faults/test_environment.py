"""Locked, unreachable, corrupt, foreign and networked databases: each a one-line message
from the real command line, a non-zero exit, no traceback, and nothing changed."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from screening_app.store import Store, open_database

from ..store.helpers import sha256_of
from .helpers import count_rows, integrity, one_line_failure, run_cli, write_answers

HOLD_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE assessment SET age = age")
print("held", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""



@pytest.fixture
def answers(tmp_path) -> Path:
    path = tmp_path / "answers.json"
    write_answers(path, 5)
    return path


@pytest.fixture
def heard_db(tmp_path) -> Path:
    path = tmp_path / "data" / "heard.db"
    db = open_database(f"sqlite:///{path}")
    Store(db).create_assessment(setting="ed", age=15, by="sam", content_pins={}, reference="A")
    db.dispose()
    return path


def _hold_lock(path: Path, seconds: float) -> subprocess.Popen:
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(path), str(seconds)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_a_database_locked_by_another_process_is_reported_after_the_busy_timeout(
        heard_db, answers):
    holder = _hold_lock(heard_db, 60)
    try:
        start = time.monotonic()
        result = run_cli("--db", f"sqlite:///{heard_db}", "assess", "--answers", str(answers),
                         "--echo-saved")
        waited = time.monotonic() - start
    finally:
        holder.kill()
        holder.communicate()  # waits, and closes its pipe
    failure = one_line_failure(result)
    assert "locked by another program" in failure.line and "Nothing was lost" in failure.line
    assert waited >= 5  # it waited the busy timeout before giving up
    assert "saved" not in result.stdout
    assert integrity(heard_db) == "ok"
    assert count_rows(heard_db, "assessment") == 1  # nothing half-made
    assert count_rows(heard_db, "answer_event") == 0


def test_a_short_lock_is_waited_out_and_everything_saves(heard_db, answers):
    holder = _hold_lock(heard_db, 1.5)
    try:
        result = run_cli("--db", f"sqlite:///{heard_db}", "assess", "--answers", str(answers),
                         "--echo-saved")
    finally:
        holder.communicate(timeout=30)  # waits, and closes its pipe
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("saved ") == 5
    assert count_rows(heard_db, "answer_event") == 5


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_postgresql_server_is_one_line(answers):
    url = f"postgresql+psycopg://heard:secret-pw@127.0.0.1:{_closed_port()}/heard"
    start = time.monotonic()
    result = run_cli("--db", url, "assess", "--answers", str(answers))
    failure = one_line_failure(result)
    assert "cannot reach the database server" in failure.line
    assert "secret-pw" not in result.stderr
    assert time.monotonic() - start < 60
    env = dict(os.environ, SCREENING_APP_DB=url)
    failure = one_line_failure(run_cli("show", "some-id", env=env))
    assert "cannot reach the database server" in failure.line


def _truncated(source: Path, target: Path) -> None:
    data = source.read_bytes()
    target.write_bytes(data[: len(data) // 2])


def _flipped(source: Path, target: Path) -> None:
    data = bytearray(source.read_bytes())
    for start in range(4096, len(data), 4096):
        for offset in range(start, start + 24):
            data[offset] ^= 0xA5
    target.write_bytes(bytes(data))


@pytest.mark.parametrize(("kind", "expected"), [
    ("text", "is not a Heard database"),
    ("random", "is not a Heard database"),
    ("pdf", "is not a Heard database"),
    ("truncated", "is damaged"),
    ("flipped", "is damaged"),
    ("other-app", "another application, not a Heard database"),
])
def test_a_corrupt_or_foreign_file_is_refused_and_left_alone(heard_db, answers, tmp_path, kind,
                                                             expected):
    path = tmp_path / "suspect" / "heard.db"
    path.parent.mkdir()
    if kind == "text":
        path.write_text("this is my shopping list\n" * 50)
    elif kind == "random":
        path.write_bytes(os.urandom(64 * 1024))
    elif kind == "pdf":
        path.write_bytes(b"%PDF-1.7\n" + os.urandom(8192))
    elif kind == "truncated":
        _truncated(heard_db, path)
    elif kind == "flipped":
        _flipped(heard_db, path)
    elif kind == "other-app":
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
            conn.execute("INSERT INTO notes (body) VALUES ('keep me')")
        conn.close()
    before = sha256_of(path)
    result = run_cli("--db", f"sqlite:///{path}", "assess", "--answers", str(answers))
    failure = one_line_failure(result)
    assert expected in failure.line, failure.line
    assert result.stdout == ""
    assert sha256_of(path) == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["heard.db"]


def test_sqlite_on_a_network_share_is_one_line(answers):
    for url in ("sqlite://///fileserver/share/heard.db",
                "sqlite:///\\\\fileserver\\share\\heard.db"):
        failure = one_line_failure(run_cli("--db", url, "assess", "--answers", str(answers)))
        assert "network share" in failure.line and "PostgreSQL" in failure.line
    assert not Path("/fileserver").exists()


def test_a_schema_newer_than_the_app_is_one_line(heard_db, answers):
    with sqlite3.connect(heard_db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0042_from_the_future'")
    conn.close()
    before = sha256_of(heard_db)
    failure = one_line_failure(run_cli("--db", f"sqlite:///{heard_db}", "assess", "--answers",
                                       str(answers)))
    assert "0042_from_the_future" in failure.line and "newer version" in failure.line
    assert sha256_of(heard_db) == before
