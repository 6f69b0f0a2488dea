"""Test-wide settings: offscreen Qt, private user folders, and strict logging."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
HOSTILE_STRINGS = SHARED / "testdata" / "hostile-strings.json"


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
