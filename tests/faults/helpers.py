"""Shared by the fault tests: running the real command line, answers files, checking a DB."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
INJECT_DIR = Path(__file__).resolve().parent / "inject"


def asq_answers(count: int) -> list[dict]:
    """``count`` answers to ASQ q1-q4 (always shown), values alternating, so every answer is
    a new committed event and its value tells which answer it was. A "no" that takes back
    an act-now flag carries its reason, as the core requires."""
    return [{"module": "asq", "item": f"q{1 + n % 4}", "value": "yes" if (n // 4) % 2 == 0
             else "no", "reason": "fault test: alternating answers"} for n in range(count)]


def write_answers(path: Path, count: int, *, reference: str | None = None) -> list[dict]:
    answers = asq_answers(count)
    document: dict = {"setting": "ed", "child": {"age": 15}, "answers": answers}
    if reference:
        document["reference"] = reference
    path.write_text(json.dumps(document), encoding="utf-8")
    return answers


def cli_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "screening_app", *args]


def run_cli(*args: str, env: dict | None = None, timeout: float = 120,
            inject: dict | None = None) -> subprocess.CompletedProcess:
    """The real command line in a subprocess. ``inject``: fault settings read by
    ``inject/sitecustomize.py`` (environment variables), for faults no mount can make."""
    environment = dict(os.environ if env is None else env)
    if inject:
        environment["PYTHONPATH"] = os.pathsep.join(
            [str(INJECT_DIR), environment.get("PYTHONPATH", "")]).rstrip(os.pathsep)
        environment.update(inject)
    return subprocess.run(cli_command(*args), capture_output=True, text=True, timeout=timeout,
                          env=environment, cwd=REPO)


@dataclass
class Failure:
    code: int
    line: str


def without_development_warning(stderr: str) -> str:
    """stderr less the warning every use of a development database prints (or the start of
    it, when a kill cut it short)."""
    from screening_app.security.policy import DEVELOPMENT_WARNING

    warning = f"screening-app: {DEVELOPMENT_WARNING}\n"
    if warning.startswith(stderr):
        return ""
    return stderr.replace(warning, "", 1)


def one_line_failure(result: subprocess.CompletedProcess) -> Failure:
    """Assert the contract for errors: non-zero exit, one line on stderr, no traceback."""
    assert result.returncode not in (0, 70), (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = without_development_warning(result.stderr).strip("\n").split("\n")
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("screening-app: "), lines[0]
    return Failure(result.returncode, lines[0])


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return "; ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
    finally:
        conn.close()


def events_of(path: Path, assessment_id: str) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(path)
    try:
        return [(m, i, json.loads(v)) for m, i, v in conn.execute(
            "SELECT module, item, value FROM answer_event WHERE assessment_id = ? ORDER BY seq",
            (assessment_id,))]
    finally:
        conn.close()


def row_version_of(path: Path, assessment_id: str) -> int | None:
    conn = sqlite3.connect(path)
    try:
        row = conn.execute("SELECT row_version FROM assessment WHERE id = ?",
                           (assessment_id,)).fetchone()
        return row[0] if row else None
    finally:
        conn.close()


def count_rows(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()
