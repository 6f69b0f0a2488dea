"""A data folder that cannot be written: refused at open with a clear message, the data in
it untouched (a WAL database cannot even be read there, so there is no half-working mode)."""

from __future__ import annotations

import hashlib

import pytest

from screening_app.store import Store, StoreError, open_database

from .helpers import one_line_failure, run_cli, write_answers
from .mounts import read_only_view


@pytest.fixture
def locked_folder(tmp_path):
    """A folder holding a Heard database with one assessment, seen through a read-only view."""
    source = tmp_path / "data"
    source.mkdir()
    db = open_database(f"sqlite:///{source / 'heard.db'}")
    Store(db).create_assessment(setting="ed", age=15, by="sam", content_pins={}, reference="K-1")
    db.dispose()
    digest = hashlib.sha256((source / "heard.db").read_bytes()).hexdigest()
    with read_only_view(source, tmp_path / "view") as mechanism:
        yield tmp_path / "view", mechanism
    assert hashlib.sha256((source / "heard.db").read_bytes()).hexdigest() == digest
    db = open_database(f"sqlite:///{source / 'heard.db'}")
    try:
        assert [s.reference for s in Store(db).list_drafts()] == ["K-1"]
    finally:
        db.dispose()


def test_opening_a_database_in_a_read_only_folder_is_refused(locked_folder):
    view, mechanism = locked_folder
    with pytest.raises(StoreError) as caught:
        open_database(f"sqlite:///{view / 'heard.db'}")
    message = str(caught.value)
    assert "is read-only" in message and "could not be saved" in message, (mechanism, message)
    assert "\n" not in message


def test_a_new_database_in_a_read_only_folder_is_refused(locked_folder):
    view, _mechanism = locked_folder
    with pytest.raises(StoreError, match="is read-only"):
        open_database(f"sqlite:///{view / 'new.db'}")
    with pytest.raises(StoreError, match="is read-only"):
        open_database(f"sqlite:///{view / 'sub' / 'new.db'}")


def test_the_command_line_reports_a_read_only_folder_in_one_line(locked_folder, tmp_path):
    view, _mechanism = locked_folder
    answers = tmp_path / "answers.json"
    write_answers(answers, 3)
    result = run_cli("--db", f"sqlite:///{view / 'heard.db'}", "assess", "--answers",
                     str(answers), "--echo-saved")
    failure = one_line_failure(result)
    assert "is read-only" in failure.line
    assert result.stdout == ""
