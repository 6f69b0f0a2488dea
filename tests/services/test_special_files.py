"""A directory file named by a user or the deployment is read only if it is an ordinary file:
a FIFO with no writer, or a link to /dev/zero, gets one sentence naming it, never a hang or
an exhausted memory (red-team findings 12 and 13, for the directory's readers too)."""

from __future__ import annotations

import json
import os
import shutil
import signal
from pathlib import Path

import pytest

from screening_app.app import Workspace, load_content
from screening_app.deployment import load_deployment
from screening_app.services.errors import ImportRefused
from screening_app.services.files import read_directory
from screening_app.store import Store
from screening_app.store.database import open_database

from .helpers import SAMPLE
from .test_cli import run
from .test_directory_sync import deployment_toml


@pytest.fixture(autouse=True)
def no_hang():
    """A read that blocks (the old code, on a FIFO) fails the test instead of hanging it."""
    def hung(_signum, _frame):
        raise AssertionError("the read blocked")
    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(30)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def special(tmp_path: Path, kind: str, name: str = "services.json") -> Path:
    path = tmp_path / name
    if kind == "fifo":
        os.mkfifo(path)  # no writer: a blocking open would wait for ever
    else:
        path.symlink_to("/dev/zero")  # endless: a whole read would exhaust memory
    return path


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_importing_a_special_file_is_one_sentence(capsys, tmp_path, kind):
    path = special(tmp_path, kind)
    code, out, err = run(capsys, tmp_path / "heard.db", "services", "import", str(path))
    assert code != 0 and out == ""
    assert str(path) in err and "not an ordinary file" in err
    # the importer's usual form: each problem on its line, then what was (not) done
    assert "Traceback" not in err and err.strip().splitlines()[-1].endswith(
        "nothing imported; 1 problem(s) above")


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_a_tabular_directory_with_a_special_csv_names_it(tmp_path, kind):
    folder = tmp_path / "directory"
    folder.mkdir()
    (folder / "datapackage.json").write_text(json.dumps({"resources": [
        {"name": "service", "path": "services.csv"}]}), encoding="utf-8")
    special(folder, kind, "services.csv")
    with pytest.raises(ImportRefused) as refused:
        read_directory(folder)
    assert "services.csv" in str(refused.value) and "not an ordinary file" in str(refused.value)


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_a_special_deployment_directory_file_keeps_the_directory(tmp_path, kind):
    database = open_database(f"sqlite:///{tmp_path / 'heard.db'}")
    try:
        store = Store(database)
        good = tmp_path / "good" / "services.json"
        good.parent.mkdir()
        shutil.copy(SAMPLE, good)
        catalog = load_content()
        ws = Workspace(catalog, store, user="dev", machine=load_deployment(
            deployment_toml(tmp_path / "etc", good)))
        assert ws.sync_directory() is None
        kept = len(ws.directory().entries())
        assert kept > 0
        # the file replaced after the deployment was read (which checks it is a file)
        good.unlink()
        bad = special(good.parent, kind)
        problem = ws.sync_directory()
        assert problem is not None and str(bad) in problem and "not an ordinary file" in problem
        assert len(ws.directory().entries()) == kept
    finally:
        database.dispose()
