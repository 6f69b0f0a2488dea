"""Encryption at rest: after a real session through an initialised database, a unique
marker typed as the child's words is in no file on disk (database, WAL, SHM, key file,
temporary files, logs), and a wrong password fails as one clean line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

from screening_app.security.keyfile import key_file_for
from screening_app.store.database import SQLITE_HEADER

from .helpers import ADMIN, ADMIN_PASSWORD, PASSWORD

REPO = Path(__file__).resolve().parents[2]


def run(env: dict, *args: str, input_text: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "screening_app", *args], env=env,
                          capture_output=True, text=True, timeout=180, cwd=REPO,
                          input=input_text)


def files_containing(folder: Path, marker: bytes) -> list[Path]:
    hits = []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if marker in data or marker.decode().encode("utf-16-le") in data:
                hits.append(path)
    return hits


def test_marker_is_in_no_file_and_wrong_password_is_one_line(tmp_path):
    data = tmp_path / "data"
    home = tmp_path / "home"
    temp = tmp_path / "tmp"
    for folder in (data, home, temp):
        folder.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCREENING_APP_")}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"),
               XDG_CONFIG_HOME=str(home / "config"), XDG_CACHE_HOME=str(home / "cache"),
               XDG_STATE_HOME=str(home / "state"), TMPDIR=str(temp), TMP=str(temp),
               TEMP=str(temp))
    db = data / "heard.db"
    url = f"sqlite:///{db}"

    setup = run(env | {"SCREENING_APP_PASSWORD": ADMIN_PASSWORD}, "--db", url, "init",
                "--admin", ADMIN)
    assert setup.returncode == 0, setup.stderr
    added = run(env | {"SCREENING_APP_PASSWORD": ADMIN_PASSWORD,
                       "SCREENING_APP_NEW_PASSWORD": PASSWORD},
                "--db", url, "--user", ADMIN, "users", "add", "Nurse Nia", "--role",
                "practitioner", "--team", "ED")
    assert added.returncode == 0, added.stderr

    marker = f"MARKER-{uuid.uuid4().hex}"
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({
        "setting": "ed", "child": {"age": 14}, "reference": "ED-1",
        "answers": [{"module": "voice", "item": "worries", "value": f"I said {marker} today"}],
    }), encoding="utf-8")
    session = run(env | {"SCREENING_APP_PASSWORD": PASSWORD}, "--db", url,
                  "--user", "Nurse Nia", "assess", "--answers", str(answers), "--echo-saved")
    assert session.returncode == 0, session.stderr
    assert "saved voice.worries" in session.stdout
    assessment_id = session.stdout.splitlines()[0]
    answers.unlink()  # the only place the marker was typed in clear

    # It really is stored: reading it back as the user shows it.
    shown = run(env | {"SCREENING_APP_PASSWORD": PASSWORD}, "--db", url, "--user",
                "Nurse Nia", "show", assessment_id, "--json")
    assert shown.returncode == 0, shown.stderr
    assert marker in shown.stdout

    side_files = [db, Path(f"{db}-wal"), Path(f"{db}-shm"), key_file_for(db)]
    assert db.exists() and key_file_for(db).exists()
    assert db.read_bytes()[:16] != SQLITE_HEADER  # encrypted from the first page
    assert files_containing(data, marker.encode()) == [], side_files
    assert files_containing(temp, marker.encode()) == []
    assert files_containing(home, marker.encode()) == []  # logs, settings, crash files

    wrong = run(env | {"SCREENING_APP_PASSWORD": "not the password at all"}, "--db", url,
                "--user", "Nurse Nia", "show", assessment_id)
    assert wrong.returncode == 1
    assert wrong.stderr == "screening-app: wrong user name or password\n"
    assert wrong.stdout == ""
    unknown = run(env | {"SCREENING_APP_PASSWORD": PASSWORD}, "--db", url,
                  "--user", "Nobody", "show", assessment_id)
    assert unknown.stderr == "screening-app: wrong user name or password\n"
    missing = run(env, "--db", url, "show", assessment_id)
    assert missing.returncode == 1 and missing.stderr.count("\n") == 1
    assert "--user" in missing.stderr and "Traceback" not in missing.stderr


def test_database_without_its_key_file_is_refused(tmp_path, capsys, monkeypatch):
    from .helpers import cli, init

    db = tmp_path / "heard.db"
    init(capsys, monkeypatch, db)
    key_file_for(db).rename(tmp_path / "elsewhere.json")
    result = cli(capsys, monkeypatch, db, "show", "x", user=ADMIN, password=ADMIN_PASSWORD)
    assert result.code == 1 and "key file" in result.err and result.err.count("\n") == 1


def test_init_encrypts_an_existing_development_database(tmp_path, capsys, monkeypatch):
    from .helpers import as_admin, cli, init

    db = tmp_path / "heard.db"
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({"setting": "ed", "child": {"age": 12}, "answers": [
        {"module": "voice", "item": "worries", "value": "dev-data-kept"}]}))
    made = cli(capsys, monkeypatch, db, "assess", "--answers", str(answers))
    assert made.code == 0, made.err
    assessment_id = made.out.splitlines()[0]
    assert db.read_bytes()[:16] == SQLITE_HEADER
    init(capsys, monkeypatch, db)
    assert db.read_bytes()[:16] != SQLITE_HEADER
    assert b"dev-data-kept" not in db.read_bytes()
    # the record made before set-up has no team: administrators see it, nobody else
    shown = as_admin(capsys, monkeypatch, db, "show", assessment_id, "--json")
    assert shown.code == 0, shown.err
    assert "dev-data-kept" in shown.out


def test_backup_before_an_upgrade_stays_encrypted(tmp_path):
    from screening_app.security.access import initialise, open_encrypted
    from screening_app.store.schema import backup_before_upgrade

    from .helpers import data_key, raw_connection

    db = tmp_path / "heard.db"
    initialise(f"sqlite:///{db}", ADMIN, ADMIN_PASSWORD)
    key = data_key(db)
    database = open_encrypted(db, key)
    try:
        copy = backup_before_upgrade(database, "0003_security")
    finally:
        database.dispose()
    assert copy.read_bytes()[:16] != SQLITE_HEADER
    conn = raw_connection(copy, key)
    try:
        assert conn.execute("SELECT count(*) FROM app_user").fetchone()[0] == 1
    finally:
        conn.close()
