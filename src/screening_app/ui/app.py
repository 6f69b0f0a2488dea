"""Starting the desktop app.

The home window appears first; the content, the database and (for ``--demo``) the
synthetic data are prepared on a worker thread meanwhile, then handed to the window. That
keeps the time to a usable window close to a bare Qt window's, whatever the size of the
content. Start-up problems (bad content, an unusable database) are shown on the home page
as sentences, never as a traceback.
"""

from __future__ import annotations

import logging
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QApplication

from ..settings import load_settings
from .main_window import MainWindow
from .theme import Theme, apply_font_scale

log = logging.getLogger(__name__)

DEFAULT_SIZE = (1366, 768)


class ContextLoader(QObject):
    """Builds the AppContext on a worker thread; ``loaded`` / ``failed`` arrive on the GUI
    thread (queued, because this object lives there)."""

    loaded = Signal(object)
    failed = Signal(str)

    def __init__(self, build: Callable[[], object], parent: QObject | None = None):
        super().__init__(parent)
        self._build = build

    def start(self) -> None:
        QThreadPool.globalInstance().start(self._run)

    def _run(self) -> None:
        try:
            ctx = self._build()
        except Exception as exc:  # noqa: BLE001 - reported on screen as a sentence
            self.failed.emit(describe_failure(exc))
            return
        self.loaded.emit(ctx)


def describe_failure(exc: BaseException) -> str:
    from ..content import ContentError

    if isinstance(exc, ContentError):
        first = str(exc.problems[0]) if exc.problems else ""
        return (f"The questionnaire content has {len(exc.problems)} problem(s), so "
                f"assessments cannot start. First: {first}. Run 'screening-app validate'.")
    from ..commands.common import CommandError
    from ..store import StoreError

    if isinstance(exc, (StoreError, CommandError)):
        return str(exc)
    log.exception("start-up failed")
    return f"Heard could not start ({type(exc).__name__}). Details are in the log."


def context_builder(args, demo_dir: Path | None,  # noqa: ANN001
                    opened=None) -> Callable[[], object]:  # noqa: ANN001
    def build() -> object:
        from ..commands.common import content_dirs, open_context

        if opened is not None:  # signed in on the GUI thread already
            from ..assessments import load_content
            from .main_window import context_for

            return context_for(load_content(content_dirs(args)), opened)
        if demo_dir is not None:
            args.db = f"sqlite:///{demo_dir / 'demo.db'}"
        ctx = open_context(args)
        if demo_dir is not None:
            from ..demo import build_demo

            build_demo(ctx)
        return ctx
    return build


CANCELLED = object()
DEVELOPMENT_ENV = "SCREENING_APP_DEVELOPMENT"
DEVELOPMENT_WARNING = ("Development database: not encrypted, no sign-in, no audit trail. Do not "
                       "enter real children's information; set it up with 'screening-app init'.")


def sign_in_or_set_up(args, window) -> tuple[object, str | None]:  # noqa: ANN001
    """Before any record is read: sign in to a set-up database, or set one up.

    Returns (Opened, None); (None, None) for a development database allowed by
    SCREENING_APP_DEVELOPMENT=1; (None, a problem sentence); or (CANCELLED, None).
    The desktop app never opens a database that has not been set up otherwise.
    """
    import os

    from ..security.access import DatabaseKind, initialise, kind_of, sign_in, target_of
    from ..security.frontdoor import Opened, open_store, secured_store
    from ..store import StoreError, resolve_database_url
    from ..store.database import sqlite_file_of
    from .locking import FirstRunDialog, RecoveryKeyDialog, SignInDialog

    url = resolve_database_url(getattr(args, "db", None))
    try:
        target = target_of(url)
        if target.backend == "sqlite":
            sqlite_file_of(url)  # a usable local folder, before anything else is asked
        kind = kind_of(target)
    except StoreError as exc:
        return None, str(exc)
    where = target.describe()
    if kind is DatabaseKind.DEVELOPMENT:
        if os.environ.get(DEVELOPMENT_ENV) == "1":
            return None, None

        def set_up(name: str, team: str, password: str) -> object:
            done = initialise(url, name, password, team=team or "Default team")
            return done, sign_in(url, name, password)

        first = FirstRunDialog(set_up, where=where, parent=window)
        if first.exec() != FirstRunDialog.DialogCode.Accepted:
            return CANCELLED, None
        done, signed = first.result_value
        if done.recovery_key:
            RecoveryKeyDialog(done.recovery_key, window).exec()
        return Opened(secured_store(signed), signed.principal.name, signed.principal.team,
                      signed.kind, signed), None
    dialog = SignInDialog(lambda name, password: open_store(url, name, lambda _p: password,
                                                            permission=None),
                          name=getattr(args, "user", None) or "", where=where, parent=window)
    if dialog.exec() != SignInDialog.DialogCode.Accepted:
        return CANCELLED, None
    return dialog.result_value, None


def create_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv or sys.argv[:1])
        app.setApplicationName("Heard")
        app.setOrganizationName("Heard")
        app.setApplicationDisplayName("Heard")
    return app  # type: ignore[return-value]


def run_app(args, *, on_ready: Callable[[MainWindow], None] | None = None) -> int:  # noqa: ANN001
    """Open the main window and run until it is closed; returns the exit status."""
    settings = load_settings()
    app = create_app()
    theme = Theme(app, settings.color_scheme)
    if settings.font_scale != 1.0:
        apply_font_scale(app, settings.font_scale)
    window = MainWindow(settings, theme=theme)
    window.resize(*DEFAULT_SIZE)
    demo_dir = Path(tempfile.mkdtemp(prefix="heard-demo-")) if getattr(args, "demo", False) \
        else None
    if demo_dir is not None:
        window.setWindowTitle("Heard (demonstration data)")
    window.show()

    def begin() -> None:
        """Sign in (or set up), then open the content and database off the GUI thread.

        Run from the event loop, so the window is on screen and responsive first; the
        security and storage layers are imported only here."""
        opened, problem = (None, None) if demo_dir is not None else sign_in_or_set_up(args,
                                                                                      window)
        if opened is CANCELLED:
            app.quit()
            return
        loader = ContextLoader(context_builder(args, demo_dir, opened), window)
        loader.loaded.connect(window.set_context)
        loader.failed.connect(window.show_problem)
        if demo_dir is None and opened is None and not problem:
            loader.loaded.connect(lambda _ctx: window.show_problem(DEVELOPMENT_WARNING))
        if problem:
            window.show_problem(problem)
        else:
            loader.start()

    _quit_on_signals(app)
    if on_ready is not None:
        QTimer.singleShot(0, window, lambda: on_ready(window))
    QTimer.singleShot(0, window, begin)
    try:
        return app.exec()
    finally:
        QThreadPool.globalInstance().waitForDone(10_000)
        if window.idle is not None:
            window.idle.stop()
        if window.ctx is not None:
            security = getattr(window.ctx, "security", None)
            if security is not None and security.signed is not None:
                security.close()  # disposes the engine and overwrites the key
            else:
                window.ctx.store.database.dispose()
        if demo_dir is not None:
            shutil.rmtree(demo_dir, ignore_errors=True)


def _quit_on_signals(app: QApplication) -> None:
    """Ctrl+C or a polite kill closes the window normally (pending text is saved, the demo
    folder removed). The signal wakes Qt's loop through a socket, so Python's handler runs
    at once without a polling timer."""
    import signal
    import socket

    from PySide6.QtCore import QSocketNotifier

    def close(*_args: object) -> None:
        for window in app.topLevelWidgets():
            window.close()
        app.quit()

    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    signal.set_wakeup_fd(writer.fileno())
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, app)
    notifier.activated.connect(lambda *_: reader.recv(64))
    app._heard_signal_socket = (reader, writer, notifier)  # keep them alive
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, close)


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Process events until ``condition`` holds (for scripted runs, not for the GUI)."""
    deadline = time.monotonic() + timeout
    app = QApplication.instance()
    while not condition():
        if time.monotonic() > deadline:
            return False
        app.processEvents()
        time.sleep(0.002)
    return True
