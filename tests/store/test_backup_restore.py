"""``screening-app backup OUT`` and ``restore IN`` for the SQLite database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from screening_app.cli import main
from screening_app.security.policy import DEVELOPMENT_WARNING
from screening_app.store import Store, open_database
from screening_app.store.schema import BASE_REVISION, HEAD_REVISION, migrate_to

from .helpers import new_draft, sha256_of

TABLES = ("alembic_version", "assessment", "answer_event", "flag_acknowledgement", "decision",
          "export_record")


def dump(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in TABLES}
    finally:
        conn.close()



def fill(url: str, n: int = 3, reference: str = "R") -> list[str]:
    db = open_database(url)
    try:
        store = Store(db)
        ids = []
        for i in range(n):
            draft = new_draft(store, reference=f"{reference}-{i}")
            v = store.record_answer(draft.id, "asq", "q1", "yes", by="sam",
                                    expected_version=draft.row_version)
            store.acknowledge_flag(draft.id, "asq-acute", by="sam")
            if i == 0:
                store.complete(draft.id, {"status": "complete"}, by="sam", expected_version=v)
                store.record_export(draft.id, kind="pdf", variant="full", by="sam")
            ids.append(draft.id)
        return ids
    finally:
        db.dispose()


@pytest.fixture
def live(tmp_path, monkeypatch):
    """The app's database (via SCREENING_APP_DB), with a few assessments in it."""
    path = tmp_path / "data" / "heard.db"
    url = f"sqlite:///{path}"
    monkeypatch.setenv("SCREENING_APP_DB", url)
    fill(url)
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """The command's exit code and output, less the warning every development-database
    use prints (tests/security/test_restore_doors.py checks it is there)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    warning = f"screening-app: {DEVELOPMENT_WARNING}\n"
    return code, out, err.replace(warning, "", 1)


def test_a_backup_is_a_checked_single_file_copy_of_the_committed_data(live, tmp_path, capsys):
    # A writer mid-transaction: its uncommitted row must not appear in the backup.
    writer = sqlite3.connect(live, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE assessment SET reference = 'UNCOMMITTED' WHERE status = 'draft'")
    try:
        code, out, err = run(capsys, "backup", str(tmp_path / "copy.db"))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert (code, err) == (0, "")
    assert out == f"backed up 3 assessment(s) and 3 answer(s) to {tmp_path / 'copy.db'}\n"
    copy = tmp_path / "copy.db"
    assert dump(copy) == dump(live)
    assert not Path(f"{copy}-wal").exists()
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


def test_a_backup_never_replaces_a_file_and_a_folder_gets_a_dated_name(live, tmp_path, capsys):
    existing = tmp_path / "existing.db"
    existing.write_bytes(b"keep me")
    code, _out, err = run(capsys, "backup", str(existing))
    assert code == 1 and "already exists" in err and err.count("\n") == 1
    assert existing.read_bytes() == b"keep me"
    folder = tmp_path / "backups"
    folder.mkdir()
    assert run(capsys, "backup", str(folder))[0] == 0
    (made,) = folder.iterdir()
    assert made.name.startswith("heard-") and made.suffix == ".db"
    assert dump(made) == dump(live)


def test_backup_and_restore_refuse_postgresql_in_one_line(pg_url, tmp_path, capsys):
    for argv in (["backup", str(tmp_path / "x.db")], ["restore", str(tmp_path / "x.db")]):
        code, _out, err = run(capsys, "--db", pg_url, *argv)
        assert code == 1 and "PostgreSQL" in err and err.count("\n") == 1


def test_restore_into_a_new_place(live, tmp_path, capsys):
    backup = tmp_path / "backup.db"
    assert run(capsys, "backup", str(backup))[0] == 0
    elsewhere = tmp_path / "new" / "heard.db"
    code, out, err = run(capsys, "--db", f"sqlite:///{elsewhere}", "restore", str(backup))
    assert (code, err) == (0, "")
    assert "restored 3 assessment(s)" in out and "kept as" not in out
    assert dump(elsewhere) == dump(backup)


def test_restore_will_not_replace_a_database_unless_asked(live, tmp_path, capsys):
    backup = tmp_path / "backup.db"
    assert run(capsys, "backup", str(backup))[0] == 0
    fill(f"sqlite:///{live}", n=2, reference="LATER")  # work done since the backup
    before = dump(live)
    code, _out, err = run(capsys, "restore", str(backup))
    assert code == 1 and err.count("\n") == 1
    assert "holds 5 assessment(s)" in err and "--replace" in err
    assert dump(live) == before


def test_restore_with_replace_keeps_a_safety_copy(live, tmp_path, capsys):
    backup = tmp_path / "backup.db"
    assert run(capsys, "backup", str(backup))[0] == 0
    fill(f"sqlite:///{live}", n=2, reference="LATER")
    before = dump(live)
    code, out, err = run(capsys, "restore", "--replace", str(backup))
    assert (code, err) == (0, "")
    (safety,) = live.parent.glob("heard-*-before-restore.db")
    assert f"kept as {safety}" in out
    assert dump(safety) == before
    assert dump(live) == dump(backup)
    db = open_database(f"sqlite:///{live}")  # healthy and usable afterwards
    try:
        assert len(Store(db).search(reference="R-")) == 3
        assert Store(db).search(reference="LATER") == []
    finally:
        db.dispose()


def _corrupt_copy(source: Path, target: Path) -> Path:
    data = bytearray(source.read_bytes())
    for page_start in range(4096, len(data), 4096):  # garble every b-tree page header
        for offset in range(page_start, page_start + 24):
            data[offset] ^= 0x5A
    target.write_bytes(bytes(data))
    return target


@pytest.mark.parametrize("kind", ["missing", "text", "empty-sqlite", "other-app", "corrupt",
                                  "newer"])
def test_restore_refuses_anything_but_a_whole_heard_database(live, tmp_path, capsys, kind):
    good = tmp_path / "good.db"
    assert run(capsys, "backup", str(good))[0] == 0
    bad = tmp_path / f"{kind}.db"
    if kind == "text":
        bad.write_text("name,age\nsam,15\n")
    elif kind == "empty-sqlite":
        sqlite3.connect(bad).close()
        bad.write_bytes(b"")
    elif kind == "other-app":
        with sqlite3.connect(bad) as conn:
            conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    elif kind == "corrupt":
        _corrupt_copy(good, bad)
    elif kind == "newer":
        bad.write_bytes(good.read_bytes())
        with sqlite3.connect(bad) as conn:
            conn.execute("UPDATE alembic_version SET version_num = '0099_future'")
    before = sha256_of(live)
    code, out, err = run(capsys, "restore", "--replace", str(bad))
    assert code == 1 and out == "" and err.count("\n") == 1, err
    assert "Traceback" not in err
    expected = {"missing": "no such file", "text": "not a Heard database",
                "empty-sqlite": "not a Heard database", "other-app": "not a Heard database",
                "corrupt": "", "newer": "newer version of Heard"}[kind]
    assert expected in err
    assert sha256_of(live) == before
    assert not list(live.parent.glob("*before-restore*"))


def test_restore_moves_a_damaged_database_aside(live, tmp_path, capsys):
    backup = tmp_path / "backup.db"
    assert run(capsys, "backup", str(backup))[0] == 0
    damaged_bytes = _corrupt_copy(backup, tmp_path / "d.db").read_bytes()
    live.write_bytes(damaged_bytes)
    code, _out, err = run(capsys, "show", "anything")
    assert code == 1 and "damaged" in err
    code, out, err = run(capsys, "restore", str(backup))
    assert code == 1 and "not a readable Heard database" in err
    code, out, err = run(capsys, "restore", "--replace", str(backup))
    assert (code, err) == (0, "")
    (aside,) = live.parent.glob("heard-*-damaged.db")
    assert aside.read_bytes() == damaged_bytes
    assert dump(live) == dump(backup)


def test_an_older_backup_is_restored_and_upgraded(tmp_path, capsys, monkeypatch):
    old = tmp_path / "old.db"
    db = open_database(f"sqlite:///{old}", migrate=False)
    migrate_to(db, BASE_REVISION)
    db.dispose()
    target = tmp_path / "data" / "heard.db"
    code, _out, err = run(capsys, "--db", f"sqlite:///{target}", "restore", str(old))
    assert (code, err) == (0, "")
    assert dump(target)["alembic_version"] == [(HEAD_REVISION,)]


def test_backup_of_no_database_or_a_foreign_one_makes_nothing(tmp_path, capsys):
    out = tmp_path / "copy.db"
    code, _o, err = run(capsys, "--db", f"sqlite:///{tmp_path / 'none.db'}", "backup", str(out))
    assert code == 1 and "no database at" in err and not out.exists()
    assert not (tmp_path / "none.db").exists()
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    conn.close()
    code, _o, err = run(capsys, "--db", f"sqlite:///{other}", "backup", str(out))
    assert code == 1 and "not a Heard database" in err and not out.exists()
