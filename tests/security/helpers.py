"""Setting up an encrypted database and driving the real command line as named users."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from screening_app.cli import main
from screening_app.security import users
from screening_app.security.access import initialise, sign_in
from screening_app.security.roles import Role

ADMIN = "Ada Admin"
ADMIN_PASSWORD = "lantern orchard pebble"
PASSWORD = "violet harbour teapot"  # every other test user's password


def secured_database(folder: Path, *people: tuple[str, Role, str],
                     admin_team: str = "Admin office") -> str:
    """A new encrypted SQLite database in ``folder`` with its administrator and these
    ``(name, role, team)`` users, each with ``PASSWORD``; returns its URL."""
    url = f"sqlite:///{folder / 'heard.db'}"
    initialise(url, ADMIN, ADMIN_PASSWORD, team=admin_team)
    admin = sign_in(url, ADMIN, ADMIN_PASSWORD)
    try:
        for name, role, team in people:
            users.add_user(admin, name, role, team, PASSWORD)
    finally:
        admin.close()
    return url


@dataclass
class Result:
    code: int
    out: str
    err: str


def cli(capsys, monkeypatch, db: Path, *args: str, user: str | None = None,
        password: str | None = None, new_password: str | None = None,
        recovery: str | None = None) -> Result:
    """Run the command line in-process; passwords through the environment, as a script
    would give them."""
    for var, value in (("SCREENING_APP_PASSWORD", password),
                       ("SCREENING_APP_NEW_PASSWORD", new_password),
                       ("SCREENING_APP_RECOVERY_KEY", recovery)):
        if value is None:
            monkeypatch.delenv(var, raising=False)
        else:
            monkeypatch.setenv(var, value)
    capsys.readouterr()
    argv = ["--db", f"sqlite:///{db}"] + (["--user", user] if user else []) + list(args)
    code = main(argv)
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


def init(capsys, monkeypatch, db: Path, *, team: str = "Admin office") -> str:
    """``init --admin``; returns the recovery key it printed."""
    result = cli(capsys, monkeypatch, db, "init", "--admin", ADMIN, "--team", team,
                 password=ADMIN_PASSWORD)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    key_line = lines[lines.index(next(x for x in lines if x.startswith("RECOVERY KEY"))) + 1]
    return key_line.strip()


def add_user(capsys, monkeypatch, db: Path, name: str, role: str, team: str) -> None:
    result = cli(capsys, monkeypatch, db, "users", "add", name, "--role", role, "--team", team,
                 user=ADMIN, password=ADMIN_PASSWORD, new_password=PASSWORD)
    assert result.code == 0, result.err


def as_user(capsys, monkeypatch, db: Path, name: str, *args: str,
            password: str = PASSWORD) -> Result:
    return cli(capsys, monkeypatch, db, *args, user=name, password=password)


def as_admin(capsys, monkeypatch, db: Path, *args: str) -> Result:
    return cli(capsys, monkeypatch, db, *args, user=ADMIN, password=ADMIN_PASSWORD)


def answers_file(folder: Path, answers: list[dict], *, setting: str = "ed", age: int = 14,
                 **extra) -> Path:
    path = folder / "answers.json"
    path.write_text(json.dumps({"setting": setting, "child": {"age": age}, "answers": answers,
                                **extra}), encoding="utf-8")
    return path


def assess(capsys, monkeypatch, db: Path, name: str, answers: list[dict] | None = None,
           **extra) -> str:
    """An assessment made by ``name`` through ``assess``; returns its id."""
    path = answers_file(db.parent, answers or [{"module": "asq", "item": "q1", "value": "no"}],
                        **extra)
    result = as_user(capsys, monkeypatch, db, name, "assess", "--answers", str(path))
    assert result.code == 0, result.err
    path.unlink()
    return result.out.splitlines()[0].strip()


def audit_entries(capsys, monkeypatch, db: Path, record_id: str) -> list[dict]:
    result = as_admin(capsys, monkeypatch, db, "audit", "show", record_id, "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def data_key(db: Path, name: str = ADMIN, password: str = ADMIN_PASSWORD) -> bytes:
    """The database's data key, unwrapped as a user would (for tampering tests)."""
    from screening_app.security.keyfile import KeyFileStore, key_file_for

    return bytes(KeyFileStore(key_file_for(db)).read().unwrap_for_user(name, password))


def raw_connection(db: Path, key: bytes):  # noqa: ANN201
    """A bare SQLCipher connection with the key: what an attacker holding the key has."""
    import sqlcipher3

    conn = sqlcipher3.connect(str(db), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return conn
