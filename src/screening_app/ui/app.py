"""Starting the desktop app.

The home window appears first; the content, the database and (for ``--demo``) the
synthetic data are prepared on a worker thread meanwhile, then handed to the window. That
keeps the time to a usable window close to a bare Qt window's, whatever the size of the
content. Start-up problems (bad content, an unusable database) are shown on the home page
as sentences, never as a traceback.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtWidgets import QApplication

from ..settings import load_settings
from .background import run_in_background, wait_for_background
from .crash import install_crash_handlers
from .main_window import MainWindow
from .theme import FUSION, FUSION_ARGS, Theme, apply_font_scale

if TYPE_CHECKING:
    from ..app import Workspace

log = logging.getLogger(__name__)

DEFAULT_SIZE = (1366, 768)


def describe_failure(exc: BaseException) -> str:
    """A start-up failure as one sentence for the home page (details go to the log)."""
    from ..app import RuleRefused, StoreError
    from ..content import ContentError

    if isinstance(exc, ContentError):
        first = str(exc.problems[0]) if exc.problems else ""
        return (f"The questionnaire content has {len(exc.problems)} problem(s), so "
                f"assessments cannot start. First: {first}. Run 'screening-app validate'.")
    if isinstance(exc, (StoreError, RuleRefused)):
        return str(exc)
    log.error("start-up failed", exc_info=(type(exc), exc, exc.__traceback__))
    return f"Heard could not start ({type(exc).__name__}). Details are in the log."


def workspace_builder(args: argparse.Namespace, demo_dir: Path | None,
                      signed: object | None) -> Callable[[], Workspace]:
    """What the store worker runs after the window is up: load the content, then open the
    workspace (signed in already, a throwaway demo database, or a development one)."""
    def build() -> Workspace:
        from ..app import (
            development_workspace,
            load_content,
            resolve_database_url,
            signed_workspace,
        )

        catalog = load_content([Path(d) for d in getattr(args, "content", []) or []])
        if signed is not None:
            return signed_workspace(catalog, signed)  # type: ignore[arg-type]
        if demo_dir is not None:
            from ..demo import build_demo

            ws = development_workspace(catalog, f"sqlite:///{demo_dir / 'demo.db'}", None,
                                       synthetic=True)
            build_demo(ws)
            return ws
        return development_workspace(catalog, resolve_database_url(args.db), args.user)
    return build


CANCELLED = object()
SIGN_IN_CANCELLED = ("Sign-in was cancelled, so no records were opened. Close Heard, or start "
                     "it again to sign in.")
DEVELOPMENT_WARNING = ("Development database: not encrypted, no sign-in, no audit trail. Do not "
                       "enter real children's information; set it up with 'screening-app init'.")


def sign_in_or_set_up(args: argparse.Namespace, window: MainWindow) -> tuple[object, str | None]:
    """Before any record is read: sign in to a set-up database, or set one up.

    Returns (the sign-in, None); (None, None) for a development database allowed by
    SCREENING_APP_DEVELOPMENT=1; (None, a problem sentence); or (CANCELLED, None, after
    saying so on the home page). The desktop app never opens a database that has not been
    set up otherwise.
    """
    import os

    from ..app import (
        DEVELOPMENT_ENV,
        DatabaseKind,
        StoreError,
        database_kind,
        describe_database,
        resolve_database_url,
        set_up,
        sign_in_user,
    )
    from .locking import FirstRunDialog, RecoveryKeyDialog, SignInDialog

    url = resolve_database_url(getattr(args, "db", None))
    try:
        kind = database_kind(url)  # an unusable folder is named before anything is asked
        where = describe_database(url)
    except StoreError as exc:
        return None, str(exc)
    if kind is DatabaseKind.DEVELOPMENT:
        if os.environ.get(DEVELOPMENT_ENV) == "1":
            return None, None
        first = FirstRunDialog(lambda name, team, password: set_up(url, name, password,
                                                                   team=team),
                               where=where, parent=window)
        if first.exec() != FirstRunDialog.DialogCode.Accepted:
            return CANCELLED, None
        recovery_key, signed = first.result_value  # type: ignore[misc]
        if recovery_key:
            RecoveryKeyDialog(recovery_key, window).exec()
        return signed, None
    # After Sign out the next person types their own name (not the one Heard started with).
    name = "" if window.signed_out_page is not None else getattr(args, "user", None) or ""
    dialog = SignInDialog(lambda name, password: sign_in_user(url, name, password),
                          name=name, where=where, parent=window)
    accepted = dialog.exec() == SignInDialog.DialogCode.Accepted
    dialog.deleteLater()  # one per sign-in: none is kept, nor its fields
    return (dialog.result_value, None) if accepted else (CANCELLED, None)


def open_session(args: argparse.Namespace, window: MainWindow,
                 demo_dir: Path | None) -> Callable[[], None]:
    """What signs in (or sets up), then opens the content and database off the GUI thread
    and hands the workspace to ``window``. Run at start-up and again after Sign out
    (``window.sign_in_requested``), so the next practitioner signs in the same way."""
    def begin() -> None:
        """Run from the event loop, so the window is on screen and responsive first; the
        security and storage layers are imported only here."""
        signed, problem = (None, None) if demo_dir is not None else sign_in_or_set_up(args,
                                                                                      window)
        if signed is CANCELLED:
            window.show_problem(SIGN_IN_CANCELLED if window.signed_out_page is None
                                else "Sign-in was cancelled: nobody is signed in.")
            return
        if problem:
            window.show_problem(problem)
            return

        def ready(ws: Workspace) -> None:
            window.set_workspace(ws)
            # The development warning, and the deployment's directory file if not imported.
            notes = [DEVELOPMENT_WARNING if demo_dir is None and not ws.signed_in else None,
                     ws.directory_notice]
            if any(notes):
                window.show_problem(" ".join(n for n in notes if n))

        run_in_background(workspace_builder(args, demo_dir, signed), ready,
                          lambda exc: window.show_problem(describe_failure(exc)))

    window.sign_in_requested.connect(begin)
    return begin


def create_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        # Fusion from the command line: set from Python, PySide would first build its QStyle
        # types and enums, a measurable share of start-up (issue 15).
        app = QApplication([*(argv or sys.argv[:1]), *FUSION_ARGS])
        app.setProperty(FUSION, True)
        app.setApplicationName("Heard")
        app.setOrganizationName("Heard")
        app.setApplicationDisplayName("Heard")
        app.setDesktopFileName("heard")  # matches packaging/linux/heard.desktop
    return app  # type: ignore[return-value]


def run_app(args: argparse.Namespace, *,
            on_ready: Callable[[MainWindow], None] | None = None) -> int:
    """Open the main window and run until it is closed; returns the exit status."""
    settings = load_settings()
    app = create_app()
    install_crash_handlers()
    theme = Theme(app, settings.color_scheme)
    if settings.font_scale != 1.0:
        apply_font_scale(app, settings.font_scale)
    window = MainWindow(settings, theme=theme)
    window.resize(*DEFAULT_SIZE)
    demo_dir = Path(tempfile.mkdtemp(prefix="heard-demo-")) if getattr(args, "demo", False) \
        else None
    if demo_dir is not None:
        # The platform adds " — Heard" (the display name): not "Heard (…) — Heard".
        window.setWindowTitle("Demonstration data")
    window.show()

    begin = open_session(args, window, demo_dir)
    _quit_on_signals(app)
    if on_ready is not None:
        QTimer.singleShot(0, window, lambda: on_ready(window))
    QTimer.singleShot(0, window, begin)
    try:
        return app.exec()
    finally:
        wait_for_background(10_000)
        QThreadPool.globalInstance().waitForDone(10_000)
        if window.idle is not None:
            window.idle.stop()
        if window.ws is not None:
            window.ws.close()  # disposes the engine and overwrites the key
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
