"""Test-wide settings: offscreen Qt, private user folders, and strict logging."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
# The team's shared corpus may hold newer cases; when it sits beside the clone they are added.
SHARED_TESTDATA = REPO.parent / "shared" / "testdata"


def _hostile_cases() -> list[dict]:
    """The repository's hostile strings, plus any extra named cases from ../shared."""
    def load(path: Path) -> list[dict]:
        return json.loads(path.read_text(encoding="utf-8"))["cases"]

    cases = load(DATA / "hostile-strings.json")
    extra = SHARED_TESTDATA / "hostile-strings.json"
    if extra.is_file():
        names = {c["name"] for c in cases}
        cases += [c for c in load(extra) if c["name"] not in names]
    return cases


HOSTILE_CASES = _hostile_cases()


@pytest.fixture(autouse=True)
def _private_user_folders(tmp_path_factory, monkeypatch):
    """Keep every test away from the real user's data, settings and logs."""
    home = tmp_path_factory.mktemp("home")
    for var in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))
    monkeypatch.delenv("SCREENING_APP_DB", raising=False)
    monkeypatch.delenv("SCREENING_APP_PASSWORD", raising=False)


@pytest.fixture(autouse=True)
def _fail_on_error_logs(request, caplog):
    """An unexpected ERROR log record fails the test; mark allow_error_logs to expect one."""
    caplog.set_level(logging.WARNING)
    yield
    if request.node.get_closest_marker("allow_error_logs"):
        return
    errors = [r for r in caplog.get_records("call") if r.levelno >= logging.ERROR]
    assert not errors, f"unexpected error log: {errors[0].getMessage()}"


def pytest_configure(config):
    config.addinivalue_line("markers", "allow_error_logs: the test expects ERROR log records")


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'heard.db'}"
