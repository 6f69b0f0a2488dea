"""Work off the GUI thread: one helper for sign-in, unlock, loading, export and store calls.

``run_in_background(work, done, failed)`` runs ``work()`` on the store's worker (one thread,
so store work is serialised, as Anki's ``TaskManager`` does with one worker) and calls
``done(result)`` or ``failed(exception)`` back on the GUI thread. Slow work (Argon2, a
locked database, reportlab) never freezes the window.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from shiboken6 import isValid

log = logging.getLogger(__name__)

_pool: QThreadPool | None = None
_running: set[_Job] = set()  # keeps each job's signal object alive until it reports


def store_pool() -> QThreadPool:
    """The one worker every store call shares."""
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(1)
        _pool.setExpiryTimeout(-1)
    return _pool


def wait_for_background(msecs: int = 30_000) -> bool:
    """Let running work finish (at exit, and in tests)."""
    return _pool is None or _pool.waitForDone(msecs)


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits, so the slots run queued on the GUI."""

    done = Signal(object)
    failed = Signal(object)

    def __init__(self, on_done: Callable[[Any], None],
                 on_failed: Callable[[BaseException], None], forget: Callable[[], None]):
        super().__init__()
        self._on_done, self._on_failed, self._forget = on_done, on_failed, forget
        self.done.connect(self._deliver_done)
        self.failed.connect(self._deliver_failed)

    def _deliver_done(self, value: object) -> None:
        self._forget()
        if _receiver_alive(self._on_done):
            self._on_done(value)

    def _deliver_failed(self, exc: object) -> None:
        self._forget()
        assert isinstance(exc, BaseException)
        if _receiver_alive(self._on_failed):
            self._on_failed(exc)


def _receiver_alive(callback: Callable[..., None]) -> bool:
    """False for a method of a widget deleted while the work ran (a window closed during an
    unlock): there is nobody left to tell, and calling it would raise."""
    owner = getattr(callback, "__self__", None)
    return not isinstance(owner, QObject) or isValid(owner)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay):
        super().__init__()
        self.setAutoDelete(False)
        self.work = work
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as exc:  # noqa: BLE001 - reported to the caller as it is
            self.relay.failed.emit(exc)
            return
        self.relay.done.emit(result)


def run_in_background(work: Callable[[], Any], done: Callable[[Any], None],
                      failed: Callable[[BaseException], None]) -> None:
    """Run ``work`` on the store worker; ``done``/``failed`` are called on the GUI thread."""
    holder: list[_Job] = []
    relay = _Relay(done, failed, lambda: _running.discard(holder[0]))
    job = _Job(work, relay)
    holder.append(job)
    _running.add(job)
    store_pool().start(job)
