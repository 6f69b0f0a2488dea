"""Processes sharing one SQLite file: both writers succeed, nothing is lost, and an answer is
in the database before ``--echo-saved`` reports it."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess

from screening_app.security.policy import DEVELOPMENT_WARNING

from .helpers import REPO, cli_command, events_of, integrity, write_answers


def test_two_processes_writing_the_same_new_database_at_once(tmp_path):
    path = tmp_path / "shared" / "heard.db"  # does not exist yet: both race to create it
    url = f"sqlite:///{path}"
    count = 120
    files = []
    for n in range(2):
        answers_file = tmp_path / f"answers{n}.json"
        write_answers(answers_file, count, reference=f"P{n}")
        files.append(answers_file)
    procs = [subprocess.Popen(cli_command("--db", url, "assess", "--answers", str(f),
                                          "--echo-saved"),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)
             for f in files]
    outputs = [p.communicate(timeout=300) for p in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert err.splitlines() == [f"screening-app: {DEVELOPMENT_WARNING}"]
        assert out.count("\nsaved ") == count
    assert integrity(path) == "ok"
    expected = [{k: a[k] for k in ("module", "item", "value")}
                for a in json.loads(files[0].read_text())["answers"]]
    spans = []
    for out, _err in outputs:
        assessment_id = out.splitlines()[0]
        events = events_of(path, assessment_id)
        assert [{"module": m, "item": i, "value": v} for m, i, v in events] == expected
        with sqlite3.connect(path) as conn:
            spans.append(conn.execute(
                "SELECT min(answered_at), max(answered_at) FROM answer_event "
                "WHERE assessment_id = ?", (assessment_id,)).fetchone())
        conn.close()
    # They really did write at the same time (their saving periods overlap).
    (first_start, first_end), (second_start, second_end) = spans
    assert first_start < second_end and second_start < first_end, spans


def test_an_answer_is_committed_before_it_is_reported_saved(tmp_path):
    """Stop the process at each 'saved' line and look from outside: the answer is there."""
    path = tmp_path / "heard.db"
    answers_file = tmp_path / "answers.json"
    answers = write_answers(answers_file, 60)
    proc = subprocess.Popen(cli_command("--db", f"sqlite:///{path}", "assess", "--answers",
                                        str(answers_file), "--echo-saved"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)
    try:
        assessment_id = proc.stdout.readline().strip()
        reported = 0
        for line in proc.stdout:
            assert line.startswith("saved ")
            proc.send_signal(signal.SIGSTOP)
            reported += 1
            events = events_of(path, assessment_id)
            assert len(events) >= reported
            want = answers[reported - 1]
            assert events[reported - 1] == (want["module"], want["item"], want["value"])
            proc.send_signal(signal.SIGCONT)
    finally:
        proc.send_signal(signal.SIGCONT)
        _, err = proc.communicate(timeout=120)  # waits, and closes both pipes
    assert proc.returncode == 0, err
    assert reported == 60
