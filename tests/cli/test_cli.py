"""The command line: one clear line and a non-zero exit for every kind of bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from screening_app.app import load_content
from screening_app.cli import main

from .helpers import ED_SAFETY_NO, asq, errors_of, write_answers


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    return subprocess.run([sys.executable, "-m", "screening_app", *args], capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=120)


@pytest.mark.parametrize(("content", "message"), [
    ("{not json", "not valid JSON"),
    ('{"setting": "ed", "setting": "gp", "child": {"age": 3}}', "duplicate key 'setting'"),
    ('{"setting": "ward", "child": {"age": 3}}', "setting"),
    ('{"setting": "ed", "child": {}}', "exactly one of age or date_of_birth"),
    ('{"setting": "ed", "child": {"age": NaN}}', "NaN"),
    ('{"setting": "ed", "child": {"age": 9}, "extra": 1}', "unknown key"),
    ('[1, 2]', "Input should be"),
])
def test_bad_answers_files(tmp_path, content, message):
    path = tmp_path / "answers.json"
    path.write_text(content)
    proc = run_cli("--db", f"sqlite:///{tmp_path / 'h.db'}", "assess", "--answers", str(path))
    assert proc.returncode == 1
    assert message in proc.stderr
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


def test_echo_saved_prints_id_then_each_commit(tmp_path):
    path = write_answers(tmp_path, asq(q1="no", q2="no", q3="no", q4="no"))
    proc = run_cli("--db", f"sqlite:///{tmp_path / 'h.db'}", "assess", "--answers", str(path),
                   "--echo-saved")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines[0]) == 36
    assert lines[1:] == ["saved asq.q1", "saved asq.q2", "saved asq.q3", "saved asq.q4"]


def test_show_json_matches_assess_json_and_text_has_no_markup(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'h.db'}"
    path = write_answers(tmp_path, asq(q1="yes", q5="no"), presenting_issue="<b>ankle</b>",
                         reference="REF-1")
    out = tmp_path / "r.json"
    assert main(["--db", db, "assess", "--answers", str(path), "--json", str(out)]) == 0
    result = json.loads(out.read_text())
    capsys.readouterr()
    assert main(["--db", db, "show", result["assessment_id"], "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == result
    assert main(["--db", db, "show", result["assessment_id"]]) == 0
    text = capsys.readouterr().out
    assert "Presenting issue: <b>ankle</b>" in text and "[ACT NOW]" in text
    for key in ("assessment_id", "setting", "status", "content", "answers", "modules", "flags",
                "recommendations", "communication", "child_voice", "services"):
        assert key in result
    assert result["content"]["asq"]["version"] == load_content().pin("asq")["version"]


def test_complete_makes_status_complete_and_read_only(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'h.db'}"
    path = write_answers(tmp_path, asq(q1="no", q2="no", q3="no", q4="no") + ED_SAFETY_NO)
    out = tmp_path / "r.json"
    assert main(["--db", db, "assess", "--answers", str(path), "--json", str(out),
                 "--complete"]) == 0
    result = json.loads(out.read_text())
    assert result["status"] == "complete" and result["completed_by"]


@pytest.mark.parametrize("args", [
    ["show", "no-such-id"],
    ["--db", "sqlite:///:memory:", "show", "x"],
    ["--db", "mysql://x/y", "show", "x"],
    ["--content", "/no/such/folder", "validate"],
    ["describe", "--setting", "ed", "--age", "99"],
])
def test_errors_are_one_line_without_traceback(tmp_path, args):
    proc = run_cli(*args, env={"SCREENING_APP_DB": f"sqlite:///{tmp_path / 'h.db'}"})
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert len(errors_of(proc.stderr)) == 1, proc.stderr


def test_not_a_database_file_is_refused(tmp_path):
    bogus = tmp_path / "heard.db"
    bogus.write_text("this is a letter, not a database\n" * 10)
    proc = run_cli("--db", f"sqlite:///{bogus}", "show", "x")
    assert proc.returncode == 1
    assert "is not a Heard database" in proc.stderr
    assert bogus.read_text().startswith("this is a letter")


def test_python_dash_m_and_console_script_agree():
    proc = run_cli("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("screening-app ")


def test_describe_json_lists_modules_items_and_flags(capsys):
    assert main(["describe", "--setting", "ed", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    asq_module = next(m for m in data["modules"] if m["module"] == "asq")
    ids = [i["id"] for i in asq_module["items"]]
    assert [i for i in ids if i in {"q1", "q2", "q3", "q4", "q5"}] == ["q1", "q2", "q3", "q4",
                                                                       "q5"]
    assert {"id": "asq-acute", "level": "act-now",
            "title": "Acute positive suicide screen"} in asq_module["flags"]
    assert all(m["source"] and m["licence"] for m in data["modules"])


def test_show_escapes_terminal_control_characters(tmp_path, capsys):
    """Red-team finding 11: a reference holding ESC[2J or U+202E must not act on the
    terminal; the JSON stays valid and reads back to the same text."""
    db = f"sqlite:///{tmp_path / 'h.db'}"
    nasty = "REF\x1b[2J\u202eevil"
    path = write_answers(tmp_path, asq(q1="no"), reference=nasty)
    out = tmp_path / "r.json"
    assert main(["--db", db, "assess", "--answers", str(path), "--json", str(out)]) == 0
    aid = json.loads(out.read_text())["assessment_id"]
    capsys.readouterr()
    assert main(["--db", db, "show", aid]) == 0
    text = capsys.readouterr().out
    assert "\x1b" not in text and "\u202e" not in text and "\\x1b" in text
    assert main(["--db", db, "show", aid, "--json"]) == 0
    raw = capsys.readouterr().out
    assert "\x1b" not in raw and "\u202e" not in raw
    assert json.loads(raw)["reference"] == nasty


def test_the_crash_log_is_owner_only(tmp_path, monkeypatch):
    import os
    import stat

    from screening_app.commands import common

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        where = common._write_crash_log()
    assert stat.S_IMODE(os.stat(where).st_mode) == 0o600
