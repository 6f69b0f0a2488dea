"""Disk full: a clear message, nothing half-written, nothing saved before lost, and the same
answer saves once there is room again.

On a real tmpfs of a few hundred KiB when we can mount one (root, as in CI); SQLite's
``max_page_count`` gives the same SQLITE_FULL anywhere, and is tested as well.
"""

from __future__ import annotations

import os

import pytest

from screening_app.store import Store, StoreError, open_database

from .helpers import (
    count_rows,
    events_of,
    integrity,
    one_line_failure,
    row_version_of,
    run_cli,
    write_answers,
)
from .mounts import small_filesystem

BIG = "x" * 20_000  # one answer of free text, so the disk fills in a few dozen answers


def _fill_until_full(store: Store, assessment_id: str, version: int):
    saved = 0
    while True:
        try:
            version = store.record_answer(assessment_id, "voice", f"note{saved}", BIG + str(saved),
                                          by="sam", expected_version=version)
        except StoreError as exc:
            return saved, version, exc
        saved += 1
        assert saved < 10_000, "the disk never filled"


def _check_full_then_recover(open_db, path, make_room) -> None:
    db = open_db()
    store = Store(db)
    draft = store.create_assessment(setting="ed", age=15, by="sam", content_pins={})
    saved, version, error = _fill_until_full(store, draft.id, draft.row_version)
    assert saved > 0
    message = str(error)
    assert "is full" in message and "nothing saved before was lost" in message
    assert "\n" not in message
    # Still refused while full, and nothing half-written in between.
    with pytest.raises(StoreError, match="is full"):
        store.record_answer(draft.id, "voice", "pending", BIG, by="sam",
                            expected_version=version)
    db.dispose()
    make_room()
    assert integrity(path) == "ok"
    events = events_of(path, draft.id)
    assert [v for _m, _i, v in events] == [BIG + str(n) for n in range(saved)]
    assert row_version_of(path, draft.id) == draft.row_version + saved  # no torn transaction
    # The value the practitioner still has on screen saves once there is room.
    db = open_db()
    try:
        Store(db).record_answer(draft.id, "voice", "pending", BIG, by="sam",
                                expected_version=version)
        assert Store(db).load(draft.id).answers[-1].item == "pending"
    finally:
        db.dispose()


def test_a_full_disk_on_a_small_real_filesystem(tmp_path):
    folder = tmp_path / "small"
    with small_filesystem(folder, 1024) as mounted:
        if not mounted:
            pytest.fail("this test needs to mount a tmpfs (run as root, as CI does); "
                        "test_a_full_database_file covers SQLITE_FULL without one")
        ballast = folder / "ballast"
        ballast.write_bytes(b"\0" * 384 * 1024)  # freed later, to make room again
        path = folder / "heard.db"
        _check_full_then_recover(lambda: open_database(f"sqlite:///{path}"), path,
                                 ballast.unlink)


def test_a_full_database_file(tmp_path):
    """SQLITE_FULL from max_page_count: the same error SQLite gives for a full disk."""
    path = tmp_path / "heard.db"
    open_database(f"sqlite:///{path}").dispose()
    limit = {"pages": 60}

    def hook(conn) -> None:  # noqa: ANN001
        conn.execute(f"PRAGMA max_page_count = {limit['pages']}")

    def make_room() -> None:
        limit["pages"] = 10_000

    _check_full_then_recover(lambda: open_database(f"sqlite:///{path}", on_connect=hook),
                             path, make_room)


def test_the_command_line_reports_a_full_disk_in_one_line(tmp_path):
    folder = tmp_path / "small"
    answers = tmp_path / "answers.json"
    write_answers(answers, 50)
    with small_filesystem(folder, 512) as mounted:
        path = folder / "heard.db"
        url = f"sqlite:///{path}"
        open_database(url).dispose()
        before = count_rows(path, "answer_event")
        if mounted:
            fd = os.open(folder / "ballast", os.O_WRONLY | os.O_CREAT)
            try:  # fill every last block
                while os.write(fd, b"\0" * 4096):
                    pass
            except OSError:
                pass
            finally:
                os.close(fd)
            inject = None
        else:  # not root: the same SQLITE_FULL, injected into the subprocess
            inject = {"HEARD_FAULT_MAX_PAGES": "0"}
        result = run_cli("--db", url, "assess", "--answers", str(answers), "--echo-saved",
                         inject=inject)
        failure = one_line_failure(result)
        assert "is full" in failure.line, failure.line
        saved = [line for line in result.stdout.splitlines() if line.startswith("saved ")]
        if mounted:
            os.unlink(folder / "ballast")
        assert integrity(path) == "ok"
        assert count_rows(path, "answer_event") == before + len(saved)
