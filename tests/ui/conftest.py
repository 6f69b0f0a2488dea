"""Desktop-app fixtures: the shipped content (loaded once), a fresh SQLite file per test,
and a main window shown offscreen at 1366x768."""

from __future__ import annotations

import pytest

from screening_app.app import Workspace, load_content
from screening_app.settings import UserSettings
from screening_app.store import Store, open_database

# The offscreen platform cannot pass size hints to a window manager and says so once per
# window; it is a property of the test platform, not of the app.
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/ui/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture(autouse=True)
def _fail_on_dangling_threads(monkeypatch):
    """Work a test leaves running on a QThreadPool or QThread fails it (napari's conftest).

    Such work would call back into the next test's widgets or use a closed database.
    """
    from PySide6.QtCore import QThread, QThreadPool

    pools: list[QThreadPool] = []
    threads: list[QThread] = []
    pool_start, thread_start = QThreadPool.start, QThread.start

    def start_in_pool(self, *args, **kwargs):
        pools.append(self)
        return pool_start(self, *args, **kwargs)

    def start_thread(self, *args, **kwargs):
        threads.append(self)
        return thread_start(self, *args, **kwargs)

    monkeypatch.setattr(QThreadPool, "start", start_in_pool)
    monkeypatch.setattr(QThread, "start", start_thread)
    yield
    busy = [p for p in pools if p.activeThreadCount() > 0]
    running = [t for t in threads if t.isRunning()]
    for pool in busy:  # let it finish so that it cannot leak into the next test
        pool.waitForDone(30_000)
    for thread in running:
        thread.wait(30_000)
    assert not busy and not running, (
        f"the test left work running: {len(busy)} busy thread pool(s), {len(running)} "
        "QThread(s); wait for it (qtbot.waitUntil / waitSignal) before the test ends")


@pytest.fixture(scope="session")
def catalog():
    return load_content()


@pytest.fixture
def db_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'heard.db'}"


@pytest.fixture
def ctx(catalog, db_url):
    database = open_database(db_url)
    yield Workspace(catalog, Store(database), user="Nurse Test")
    database.dispose()


@pytest.fixture
def fast_typing(monkeypatch):
    """Typed answers are sent after 50 ms instead of a second."""
    from screening_app.ui.items import entry

    monkeypatch.setattr(entry, "DEBOUNCE_MS", 50)


@pytest.fixture
def make_window(qtbot, fast_typing):
    from screening_app.ui.main_window import MainWindow

    def make(ctx, settings: UserSettings | None = None):
        window = MainWindow(settings or UserSettings(), ctx, persist_settings=False)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        return window
    return make


@pytest.fixture
def window(make_window, ctx):
    return make_window(ctx)
