"""``init`` killed at random points while it encrypts a development database of a few
thousand answers: every time, what is left is either the old plain database whole or a
working encrypted one with its key file, every answer is there, and no plain copy of the
child's words is left beside it (red-team findings 1 and 3).

Each trial forks this (already warm) process and runs the real ``initialise`` in the
child, which the parent SIGKILLs after a random delay drawn from a seeded generator
(``HEARD_INIT_KILL_SEED`` reproduces a run; the seed is printed). The delays cover the
whole run, calibrated on one uninterrupted run first.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import time
import uuid
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from screening_app.security.access import DatabaseKind, initialise, kind_of, sign_in, target_of
from screening_app.security.keyfile import key_file_for
from screening_app.store import open_database
from screening_app.store.database import SQLITE_HEADER
from screening_app.store.models import AnswerEvent, Assessment

ADMIN, PASSWORD = "Ada Admin", "lantern orchard pebble"
TRIALS = 100
ASSESSMENTS, ANSWERS_EACH = 3, 1000
MARKER = "MARKER-INITKILL-7Q"


def _template(folder: Path) -> Path:
    path = folder / "template.db"
    database = open_database(f"sqlite:///{path}")
    try:
        with Session(database.engine) as session, session.begin():
            for n in range(ASSESSMENTS):
                record = Assessment(id=str(uuid.uuid4()), setting="ed", age=14,
                                    created_by="dev", reference=f"REF-{n}")
                session.add(record)
                session.flush()
                session.add_all(AnswerEvent(
                    assessment_id=record.id, seq=i + 1, module="voice", item="worries",
                    value=f'"{MARKER} answer {i}"', answered_by="dev")
                    for i in range(ANSWERS_EACH))
        with database.engine.connect() as conn:
            conn.connection.dbapi_connection.execute("PRAGMA journal_mode=DELETE")
    finally:
        database.dispose()
    return path


def _run_init_in_child(db: Path) -> int:
    pid = os.fork()
    if pid == 0:  # the child: the real set-up, then leave without cleaning up
        code = 1
        try:
            initialise(f"sqlite:///{db}", ADMIN, PASSWORD, team="ED")
            code = 0
        finally:
            os._exit(code)
    return pid


def _counts(database) -> tuple[int, int]:  # noqa: ANN001
    with Session(database.reader) as session:
        return (session.scalar(select(func.count()).select_from(Assessment)),
                session.scalar(select(func.count()).select_from(AnswerEvent)))


def _check_nothing_lost(folder: Path, db: Path) -> str:
    """What the kill left, after the next use finishes or undoes it."""
    url = f"sqlite:///{db}"
    kind = kind_of(target_of(url))  # finishes or undoes an interrupted init
    leftovers = sorted(p.name for p in folder.iterdir()
                       if p.name.endswith((".encrypting", ".pending"))
                       or ".encrypting-" in p.name)
    assert leftovers == [], leftovers
    for other in folder.iterdir():
        if other != db and other.is_file():
            assert MARKER.encode() not in other.read_bytes(), f"plain copy left: {other.name}"
    if kind is DatabaseKind.DEVELOPMENT:
        assert db.read_bytes()[:16] == SQLITE_HEADER
        assert not key_file_for(db).exists()
        database = open_database(url, create=False)
        try:
            assert _counts(database) == (ASSESSMENTS, ASSESSMENTS * ANSWERS_EACH)
        finally:
            database.dispose()
        return "plain"
    assert kind is DatabaseKind.ENCRYPTED
    assert MARKER.encode() not in db.read_bytes()
    signed = sign_in(url, ADMIN, PASSWORD)
    try:
        assert _counts(signed.database) == (ASSESSMENTS, ASSESSMENTS * ANSWERS_EACH)
    finally:
        signed.close()
    return "encrypted"


def test_init_killed_at_random_points_loses_nothing(tmp_path, capsys):
    seed = int(os.environ.get("HEARD_INIT_KILL_SEED", random.SystemRandom().randrange(1 << 30)))
    with capsys.disabled():
        print(f"\ninit kill test: HEARD_INIT_KILL_SEED={seed}")
    rng = random.Random(seed)
    template = _template(tmp_path)

    # Calibrate: how long one uninterrupted set-up takes here.
    calibration = tmp_path / "calibrate"
    calibration.mkdir()
    shutil.copy(template, calibration / "heard.db")
    started = time.monotonic()
    _pid, status = os.waitpid(_run_init_in_child(calibration / "heard.db"), 0)
    full = time.monotonic() - started
    assert os.waitstatus_to_exitcode(status) == 0
    assert _check_nothing_lost(calibration, calibration / "heard.db") == "encrypted"

    outcomes = {"plain": 0, "encrypted": 0}
    for trial in range(TRIALS):
        folder = tmp_path / f"t{trial}"
        folder.mkdir()
        db = folder / "heard.db"
        shutil.copy(template, db)
        pid = _run_init_in_child(db)
        time.sleep(rng.uniform(0, full * 1.05))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        outcomes[_check_nothing_lost(folder, db)] += 1
        shutil.rmtree(folder)
    with capsys.disabled():
        print(f"init kill test: {TRIALS} kills over {full:.2f} s runs: {outcomes}")
    assert sum(outcomes.values()) == TRIALS
