"""SIGKILL a headless ``assess --echo-saved`` at random points, again and again: every answer
it reported saved is in the database, in order, and ``PRAGMA integrity_check`` is ok every
time. (This is a process crash; surviving power loss is what ``synchronous=FULL`` is for,
and needs a filesystem that drops unsynced writes to test, such as LazyFS.)

Most runs are forked from a warm parent (``zygote.py``) so that 120 kill points fit in well
under a minute on a two-core machine; a few go through the console entry point from cold.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from screening_app.store import Store, open_database

from .helpers import (
    REPO,
    cli_command,
    events_of,
    integrity,
    row_version_of,
    without_development_warning,
    write_answers,
)

KILL_POINTS = int(os.environ.get("HEARD_KILL_POINTS", "100"))
WORKERS = int(os.environ.get("HEARD_KILL_WORKERS", "3"))
COLD_KILL_POINTS = 3
ANSWERS = 300  # far more than any run gets through before it is killed (~15 ms each)
SEED = int(os.environ.get("HEARD_KILL_SEED", "0")) or random.SystemRandom().randrange(1 << 30)


@dataclass
class Tally:
    kills: int = 0
    early_kills: int = 0  # before the first answer was reported saved
    acknowledged: int = 0
    committed_unreported: int = 0  # committed, killed before it could print 'saved'
    notes: list[str] = field(default_factory=list)


def _wait_for(path: Path, needle: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            if needle in path.read_text(encoding="utf-8", errors="replace"):
                return
        except FileNotFoundError:
            pass
        time.sleep(0.002)
    raise AssertionError(f"no {needle!r} in {path} in time")


def _check(db_path: Path, out: Path, err: Path, answers: list[dict], tally: Tally,
           label: str) -> None:
    text = out.read_text(encoding="utf-8") if out.exists() else ""
    lines = text.split("\n")[:-1]  # a last line without its newline was never fully said
    errors = without_development_warning(err.read_text()) if err.exists() else ""
    assert errors == "", f"{label}: {errors}"
    verdict = integrity(db_path)
    assert verdict == "ok", f"{label}: integrity_check says {verdict}"
    if not lines:
        tally.early_kills += 1
        return
    assessment_id, saved = lines[0], lines[1:]
    assert all(line.startswith("saved ") for line in saved), f"{label}: {saved}"
    assert row_version_of(db_path, assessment_id) is not None, f"{label}: reported id is lost"
    events = events_of(db_path, assessment_id)
    # Everything reported is there; at most one more committed just before the kill.
    assert len(saved) <= len(events) <= len(saved) + 1, f"{label}: {len(saved)} vs {len(events)}"
    assert saved == [f"saved {a['module']}.{a['item']}" for a in answers[:len(saved)]], label
    assert events == [(a["module"], a["item"], a["value"]) for a in answers[:len(events)]], label
    # The draft's version moved with every answer: no half-applied transaction.
    assert row_version_of(db_path, assessment_id) == 1 + len(events), label
    if not saved:
        tally.early_kills += 1
    tally.acknowledged += len(saved)
    tally.committed_unreported += len(events) - len(saved)


def _worker(n: int, kills: int, folder: Path, answers_file: Path, answers: list[dict]) -> Tally:
    rng = random.Random(SEED + n)
    folder.mkdir()
    db_path = folder / "heard.db"
    open_database(f"sqlite:///{db_path}").dispose()
    argv = ["--db", f"sqlite:///{db_path}", "assess", "--answers", str(answers_file),
            "--echo-saved"]
    zygote = subprocess.Popen([sys.executable, str(Path(__file__).with_name("zygote.py"))],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO)
    tally = Tally()

    def ask(request: dict) -> dict:
        zygote.stdin.write(json.dumps(request) + "\n")
        zygote.stdin.flush()
        return json.loads(zygote.stdout.readline())

    try:
        for k in range(kills):
            out, err = folder / f"out{k}.txt", folder / f"err{k}.txt"
            label = f"worker {n} kill {k} (seed {SEED})"
            pid = ask({"run": argv, "stdout": str(out), "stderr": str(err)})["pid"]
            try:
                if rng.random() < 0.15:  # during start-up: content, open, create
                    time.sleep(rng.uniform(0, 0.5))
                else:
                    _wait_for(out, "\nsaved ", time.monotonic() + 60)
                    time.sleep(rng.uniform(0, 0.25))
            finally:
                os.kill(pid, signal.SIGKILL)
                status = ask({"reap": pid})["status"]
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, \
                f"{label}: ended by itself ({status})"
            tally.kills += 1
            _check(db_path, out, err, answers, tally, label)
    finally:
        zygote.stdin.close()
        zygote.wait(timeout=30)
        zygote.stdout.close()
    # The database is healthy for the app itself afterwards, and every draft opens.
    db = open_database(f"sqlite:///{db_path}")
    try:
        store = Store(db)
        for summary in store.list_drafts(limit=1000):
            store.load(summary.id)
    finally:
        db.dispose()
    return tally


def test_killing_assess_at_random_points_loses_no_reported_answer(tmp_path):
    answers_file = tmp_path / "answers.json"
    answers = write_answers(answers_file, ANSWERS)
    share = [KILL_POINTS // WORKERS + (n < KILL_POINTS % WORKERS) for n in range(WORKERS)]
    started = time.monotonic()
    with ThreadPoolExecutor(WORKERS) as pool:
        futures = [pool.submit(_worker, n, share[n], tmp_path / f"w{n}", answers_file, answers)
                   for n in range(WORKERS)]
        tallies = [f.result() for f in futures]
    total = Tally(kills=sum(t.kills for t in tallies),
                  early_kills=sum(t.early_kills for t in tallies),
                  acknowledged=sum(t.acknowledged for t in tallies),
                  committed_unreported=sum(t.committed_unreported for t in tallies))
    print(f"\nkill test (seed {SEED}): {total.kills} kills, {total.early_kills} during start-up, "
          f"{total.acknowledged} acknowledged answers all present, "
          f"{total.committed_unreported} committed but unreported, "
          f"{time.monotonic() - started:.1f} s")
    assert total.kills >= 100
    assert total.acknowledged > total.kills  # the kills really landed mid-stream


def test_killing_the_console_script_from_cold(tmp_path):
    answers_file = tmp_path / "answers.json"
    answers = write_answers(answers_file, ANSWERS)
    db_path = tmp_path / "heard.db"
    rng = random.Random(SEED)
    tally = Tally()
    for k in range(COLD_KILL_POINTS):
        out, err = tmp_path / f"out{k}.txt", tmp_path / f"err{k}.txt"
        with out.open("w") as stdout, err.open("w") as stderr:
            proc = subprocess.Popen(
                cli_command("--db", f"sqlite:///{db_path}", "assess", "--answers",
                            str(answers_file), "--echo-saved"),
                stdout=stdout, stderr=stderr, cwd=REPO)
            try:
                _wait_for(out, "\nsaved ", time.monotonic() + 120)
                time.sleep(rng.uniform(0, 0.3))
            finally:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
        assert proc.returncode == -signal.SIGKILL
        _check(db_path, out, err, answers, tally, f"cold kill {k} (seed {SEED})")
    assert tally.acknowledged >= COLD_KILL_POINTS
