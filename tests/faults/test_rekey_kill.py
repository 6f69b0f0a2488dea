"""Disabling a user replaces the data key (``PRAGMA rekey`` and a new key file). Killed at
random points while it does, the database always opens for the remaining users with every
record in it (the next sign-in finishes an interrupted rekey). Seeded like the init kill
test: ``HEARD_REKEY_KILL_SEED`` replays a run."""

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

from screening_app.security.access import initialise, sign_in
from screening_app.security.keyfile import key_file_for
from screening_app.security.roles import Role
from screening_app.security.users import add_user, disable_user
from screening_app.store.models import AnswerEvent, Assessment

ADMIN, ADMIN_PASSWORD, PASSWORD = "Ada Admin", "lantern orchard pebble", "violet harbour teapot"
TRIALS = 100
ANSWERS = 2000


def _template(folder: Path) -> Path:
    db = folder / "heard.db"
    url = f"sqlite:///{db}"
    initialise(url, ADMIN, ADMIN_PASSWORD, team="ED")
    admin = sign_in(url, ADMIN, ADMIN_PASSWORD)
    try:
        for name in ("Bob", "Carol"):
            add_user(admin, name, Role.PRACTITIONER, "ED", PASSWORD)
        with admin.session() as session, session.begin():
            record = Assessment(id=str(uuid.uuid4()), setting="ed", age=14, created_by="x",
                                team="ED")
            session.add(record)
            session.flush()
            session.add_all(AnswerEvent(assessment_id=record.id, seq=i + 1, module="voice",
                                        item="worries", value=f'"answer {i}"', answered_by="x")
                            for i in range(ANSWERS))
    finally:
        admin.close()
    return db


def _copy(template: Path, folder: Path) -> Path:
    folder.mkdir()
    for source in (template, key_file_for(template)):
        shutil.copy(source, folder / source.name)
    return folder / template.name


def _disable_in_child(db: Path) -> int:
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            admin = sign_in(f"sqlite:///{db}", ADMIN, ADMIN_PASSWORD)
            disable_user(admin, "Bob", "left")
            admin.close()
            code = 0
        finally:
            os._exit(code)
    return pid


def _answers_seen_by_carol(db: Path) -> int:
    carol = sign_in(f"sqlite:///{db}", "Carol", PASSWORD)
    try:
        with Session(carol.database.reader) as session:
            return session.scalar(select(func.count()).select_from(AnswerEvent)) or 0
    finally:
        carol.close()


def test_disable_killed_at_random_points_keeps_the_database_open(tmp_path, capsys):
    seed = int(os.environ.get("HEARD_REKEY_KILL_SEED",
                              random.SystemRandom().randrange(1 << 30)))
    with capsys.disabled():
        print(f"\nrekey kill test: HEARD_REKEY_KILL_SEED={seed}")
    rng = random.Random(seed)
    (tmp_path / "template").mkdir()
    template = _template(tmp_path / "template")
    calibration = _copy(template, tmp_path / "calibrate")
    started = time.monotonic()
    _pid, status = os.waitpid(_disable_in_child(calibration), 0)
    full = time.monotonic() - started
    assert os.waitstatus_to_exitcode(status) == 0
    assert _answers_seen_by_carol(calibration) == ANSWERS
    for trial in range(TRIALS):
        db = _copy(template, tmp_path / f"t{trial}")
        pid = _disable_in_child(db)
        time.sleep(rng.uniform(0, full * 1.05))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        assert _answers_seen_by_carol(db) == ANSWERS, f"trial {trial}"
        shutil.rmtree(db.parent)
    with capsys.disabled():
        print(f"rekey kill test: {TRIALS} kills over {full:.2f} s runs, nothing lost")
