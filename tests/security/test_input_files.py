"""Non-regular files (FIFOs, devices, links to devices) and oversized files: refused with one
line, at once, by every reader and by the one atomic writer (red-team findings 12, 13).

Every special target is made in ``tmp_path`` (a FIFO, a socket, a symlink to ``/dev/zero`` or
``/dev/null``); nothing is ever written to the real ``/dev``. Command lines run under
``timeout`` and a 3 GB address-space limit, so a reader that blocks or reads without bound
fails the test instead of hanging or exhausting the machine.
"""

from __future__ import annotations

import os
import resource
import socket
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from screening_app.commands.answers_file import MAX_ANSWERS_BYTES
from screening_app.content.yaml_source import MAX_FILE_BYTES
from screening_app.files import WriteError, write_atomically

from ..faults.helpers import REPO, without_development_warning

LIMIT_SECONDS = 30
HUNG = (124, 137, -9)  # timeout's own exit codes, or killed


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (3 * 1024**3, 3 * 1024**3))


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SCREENING_APP_DEVELOPMENT": "1"}
    proc = subprocess.run(["timeout", "-s", "KILL", str(LIMIT_SECONDS), sys.executable, "-m",
                           "screening_app", *args], capture_output=True, text=True, env=env,
                          cwd=REPO, timeout=LIMIT_SECONDS + 15, preexec_fn=_limit_memory)
    assert proc.returncode not in HUNG, f"hung: {proc.stderr}"
    return proc


def one_line(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode not in (0, 70), (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr and "unexpected error" not in proc.stderr
    lines = without_development_warning(proc.stderr).strip("\n").split("\n")
    assert len(lines) == 1, proc.stderr
    return lines[0]


def saved_assessments(db: Path) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        return conn.execute("SELECT count(*) FROM assessment").fetchone()[0] \
            if "assessment" in tables else 0


def special(tmp_path: Path, kind: str, name: str) -> Path:
    """A special file named ``name`` in ``tmp_path``."""
    path = tmp_path / name
    if kind == "fifo":
        os.mkfifo(path)
    elif kind in ("zero", "null", "urandom"):
        path.symlink_to(f"/dev/{kind}")
    elif kind == "sparse":  # 4 GiB that reads as zeros: must never be read whole
        with open(path, "wb") as fh:
            fh.truncate(4 * 1024**3)
    elif kind == "folder":
        path.mkdir()
    else:
        raise AssertionError(kind)
    return path


SPECIAL = ["fifo", "zero", "null", "urandom", "sparse"]


@pytest.mark.parametrize("kind", SPECIAL)
def test_assess_answers_from_a_special_or_huge_file_is_one_line(tmp_path, kind):
    path = special(tmp_path, kind, "answers.json")
    db = tmp_path / "h.db"
    line = one_line(run_cli("--db", f"sqlite:///{db}", "assess", "--answers", str(path)))
    assert str(path) in line
    expected = "limit" if kind == "sparse" else "not an ordinary file"
    assert expected in line, line
    assert saved_assessments(db) == 0


def test_answers_file_one_byte_past_the_cap_is_refused(tmp_path):
    path = tmp_path / "answers.json"
    path.write_bytes(b" " * (MAX_ANSWERS_BYTES + 1))
    line = one_line(run_cli("--db", f"sqlite:///{tmp_path / 'h.db'}", "assess", "--answers",
                            str(path)))
    assert str(path) in line and f"{MAX_ANSWERS_BYTES:,}" in line


@pytest.mark.parametrize("kind", SPECIAL)
def test_validate_content_folder_holding_a_special_file_is_one_line(tmp_path, kind):
    folder = tmp_path / "content"
    folder.mkdir()
    path = special(folder, kind, "x.yaml")
    proc = run_cli("validate", str(folder))
    assert proc.returncode not in (0, 70), proc.stderr
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out and "unexpected error" not in out
    mentions = [x for x in out.splitlines() if str(path) in x]
    assert len(mentions) == 1, out
    expected = "limit" if kind == "sparse" else "not an ordinary file"
    assert expected in mentions[0], mentions[0]


def test_content_file_one_byte_past_the_cap_is_refused(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    proc = run_cli("validate", str(path))
    assert proc.returncode not in (0, 70)
    assert f"{path}:1: " in proc.stdout + proc.stderr and f"{MAX_FILE_BYTES:,}" in \
        proc.stdout + proc.stderr


def _socket(path: Path) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(path))
    return sock


@pytest.mark.parametrize("kind", ["fifo", "null", "zero", "folder", "socket"])
def test_atomic_writer_refuses_a_non_regular_target_and_leaves_it(tmp_path, kind):
    sock = None
    if kind == "socket":
        target = tmp_path / "out.pdf"
        sock = _socket(target)
    else:
        target = special(tmp_path, kind, "out.pdf")
    before = os.lstat(target)
    try:
        with pytest.raises(WriteError, match="not an ordinary file") as got:
            write_atomically(target, b"a child's record", private=True)
    finally:
        if sock is not None:
            sock.close()
    assert str(target) in str(got.value) and "\n" not in str(got.value)
    after = os.lstat(target)
    assert (stat.S_IFMT(after.st_mode), after.st_ino) == (stat.S_IFMT(before.st_mode),
                                                          before.st_ino)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.pdf"]  # no .part left


def test_atomic_writer_still_replaces_a_regular_file_and_a_link_to_one(tmp_path):
    target = tmp_path / "settings.toml"
    target.write_text("old")
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    real = tmp_path / "real.txt"
    real.write_text("kept")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    write_atomically(link, b"written")  # the link is replaced; what it named is untouched
    assert real.read_text() == "kept" and not link.is_symlink()
    assert link.read_bytes() == b"written"


def test_assess_json_into_a_fifo_is_refused_and_the_fifo_kept(tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text('{"setting": "ed", "child": {"age": 14}, "answers": '
                       '[{"module": "asq", "item": "q1", "value": "no"}]}')
    pipe = special(tmp_path, "fifo", "result.json")
    line = one_line(run_cli("--db", f"sqlite:///{tmp_path / 'h.db'}", "assess", "--answers",
                            str(answers), "--json", str(pipe)))
    assert str(pipe) in line and "not an ordinary file" in line
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)


def test_a_file_whose_size_says_nothing_is_still_read_only_to_the_limit(tmp_path):
    """/proc files are regular but report size 0: the cap holds on what is read, not on
    what fstat says (a file that grows after the check is the same case)."""
    from screening_app.files import ReadError, read_limited

    link = tmp_path / "answers.json"
    link.symlink_to("/proc/self/maps")
    assert os.stat(link).st_size == 0
    with pytest.raises(ReadError, match=r"more than 64 bytes; the limit is 64") as got:
        read_limited(link, 64, "answers file")
    assert str(got.value).startswith(f"{link}: ")
