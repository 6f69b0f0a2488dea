"""Desktop-app fixtures: the shipped content (loaded once), a fresh SQLite file per test,
and a main window shown offscreen at 1366x768."""

from __future__ import annotations

import pytest

from screening_app.assessments import AppContext, load_content
from screening_app.settings import UserSettings
from screening_app.store import Store, open_database

# The offscreen platform cannot pass size hints to a window manager and says so once per
# window; it is a property of the test platform, not of the app.
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/ui/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture(scope="session")
def catalog():
    return load_content()


@pytest.fixture
def db_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'heard.db'}"


@pytest.fixture
def ctx(catalog, db_url):
    database = open_database(db_url)
    yield AppContext(catalog=catalog, store=Store(database), user="Nurse Test")
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
