"""Test-wide settings: offscreen Qt, private user folders, strict logging, a cheap Argon2 cost
and the project's own test data."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest

from screening_app.security import crypto

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
    # Tests work on development databases; the refusal without it is tested where unset
    # (tests/security/test_restore_doors.py).
    monkeypatch.setenv("SCREENING_APP_DEVELOPMENT", "1")


class _LogFailHandler(logging.Handler):
    """Collects every WARNING-or-worse record the test did not ask for (qutebrowser's logfail).

    A record is expected when the test lowered the level to exactly the record's level with
    ``caplog.at_level(level)`` or ``caplog.set_level(level, logger=...)``: that is how a test
    says "this warning is meant to happen", and it then asserts on ``caplog``.
    """

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.unexpected: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        # Collected, not raised: a record may come from a worker thread or a Qt callback.
        if record.levelno in (logging.getLogger(record.name).level, logging.getLogger().level):
            return
        self.unexpected.append(record)

    def fail_if_any(self) -> None:
        found, self.unexpected = self.unexpected, []
        if found:
            pytest.fail(f"{len(found)} unexpected log record(s); the first, on {found[0].name} "
                        f"at {found[0].levelname}: {found[0].getMessage()}", pytrace=False)


_LOGFAIL = pytest.StashKey[_LogFailHandler]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Report unexpected records as the test's own failure, not as a teardown error."""
    result = yield
    handler = item.stash.get(_LOGFAIL, None)
    if handler is not None:
        handler.fail_if_any()
    return result


@pytest.fixture(autouse=True)
def _fail_on_unexpected_logs(request):
    """Any log record at WARNING or above that the test did not expect fails it."""
    root = logging.getLogger()
    handler = _LogFailHandler()
    request.node.stash[_LOGFAIL] = handler
    # Just below WARNING: no standard level equals it, so only a test's own caplog level
    # marks a record as expected, and DEBUG/INFO chatter (SQLAlchemy, alembic) stays off.
    old_level = root.level
    root.setLevel(logging.WARNING - 1)
    root.addHandler(handler)
    yield
    root.removeHandler(handler)
    root.setLevel(old_level)
    handler.fail_if_any()  # records from the fixtures' own teardown


# Cheap enough to be instant, still real Argon2id (8 KiB is its minimum for one lane).
CHEAP_KDF = crypto.KdfParams(time_cost=1, memory_kib=8, parallelism=1)


@pytest.fixture(autouse=True)
def _cheap_key_derivation(request, monkeypatch):
    """Only tests about key derivation pay for the real Argon2id cost (64 MiB, three passes)."""
    if request.node.get_closest_marker("real_kdf") is None:
        monkeypatch.setattr(crypto, "test_cost", CHEAP_KDF)


# The key-derivation tests keep the real cost wherever they are collected from.
REAL_KDF_MODULES = ("tests/security/test_core_crypto.py",)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.nodeid.startswith(REAL_KDF_MODULES):
            item.add_marker(pytest.mark.real_kdf)


def pytest_configure(config):
    config.addinivalue_line("markers", "real_kdf: the test measures or checks key derivation "
                                       "itself, so it keeps the real Argon2id cost")


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'heard.db'}"
