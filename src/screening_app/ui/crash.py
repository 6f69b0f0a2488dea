"""The desktop app's log and crash path.

A rotating log file in the platform's log folder (owner-only, 0600; no child data: only
events and exception types with their tracebacks), Qt's own messages routed into it
(``qInstallMessageHandler``), and an excepthook that logs an unexpected exception and shows
one clear sentence instead of a traceback. "Details are in the log" is then true.
Anki's ``aqt/errors.py`` and qutebrowser's ``crashsignal.py`` are the models.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

log = logging.getLogger("screening_app")
qt_log = logging.getLogger("screening_app.qt")

LOG_BYTES = 1_000_000
LOG_BACKUPS = 3
_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}
_installed: list[_LazyRotatingHandler] = []


def log_folder() -> Path:
    from platformdirs import user_log_dir

    return Path(user_log_dir("screening-app", "Heard"))


def log_file() -> Path:
    return log_folder() / "heard.log"


def _private_file(path: Path) -> None:
    """Create the log owner-only before the handler opens it (and tighten an old one)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


class _LazyRotatingHandler(logging.Handler):
    """The rotating owner-only log file, opened at the first record: ``logging.handlers``
    (with socket, pickle and queue) cost start-up about 12 ms, before any window."""

    def __init__(self, path: Path):
        super().__init__(logging.INFO)
        self.baseFilename = str(path)
        self._file: logging.Handler | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self._file is None:
            self._file = _rotating_file(Path(self.baseFilename))
            self._file.setFormatter(self.formatter)
        self._file.emit(record)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        super().close()


def _rotating_file(path: Path) -> logging.Handler:
    from logging.handlers import RotatingFileHandler

    class PrivateRotatingHandler(RotatingFileHandler):
        def doRollover(self) -> None:  # noqa: N802 - the stdlib's name
            super().doRollover()
            os.chmod(self.baseFilename, 0o600)

    return PrivateRotatingHandler(path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS,
                                  encoding="utf-8")


# Said by Qt's offscreen platform (tests, benchmarks, screenshots) on every window shown: not
# news, and writing it opened the log file before the first window was up.
_PLATFORM_NOISE = frozenset({"This plugin does not support propagateSizeHints()"})


def _qt_message(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    if message in _PLATFORM_NOISE:
        return
    qt_log.log(_QT_LEVELS.get(mode, logging.WARNING), "%s", message)


def _excepthook(kind: type[BaseException], exc: BaseException,
                tb: TracebackType | None) -> None:
    log.critical("unexpected error", exc_info=(kind, exc, tb))
    from PySide6.QtWidgets import QApplication, QMessageBox

    if QApplication.instance() is not None:
        QMessageBox.critical(None, "Heard",
                             f"Something went wrong ({kind.__name__}). Your saved answers are "
                             f"safe. Details are in the log: {log_file()}")


def install_crash_handlers() -> Path | None:
    """Start the log file and the handlers (once per process); returns the log's path, or
    None when no log folder can be written (the app still runs)."""
    if _installed:
        return Path(_installed[0].baseFilename)
    qInstallMessageHandler(_qt_message)
    sys.excepthook = _excepthook
    path = log_file()
    try:
        _private_file(path)  # made now: a folder that cannot be written is known at once
    except OSError:
        return None
    handler = _LazyRotatingHandler(path)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    if log.level == logging.NOTSET or log.level > logging.INFO:
        log.setLevel(logging.INFO)
    _installed.append(handler)
    return path
