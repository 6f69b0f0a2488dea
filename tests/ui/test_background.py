"""Work that finishes after the window it reports to was deleted (closed during an unlock,
for example) is dropped, not delivered to a deleted C++ object."""

from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import QWidget

from screening_app.ui.background import run_in_background, wait_for_background


class Receiver(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.got: list[object] = []

    def done(self, value: object) -> None:
        self.got.append(value)
        self.setWindowTitle(str(value))  # raises on a deleted widget

    def failed(self, exc: BaseException) -> None:
        self.got.append(exc)
        self.setWindowTitle("failed")


def test_a_result_reaches_a_live_widget_and_is_dropped_for_a_deleted_one(qtbot):
    alive = Receiver()
    qtbot.addWidget(alive)
    run_in_background(lambda: 41 + 1, alive.done, alive.failed)
    qtbot.waitUntil(lambda: alive.got == [42])

    gone = Receiver()
    on_done, on_failed = gone.done, gone.failed
    shiboken6.delete(gone)
    run_in_background(lambda: 1, on_done, on_failed)
    run_in_background(lambda: 1 / 0, on_done, on_failed)
    assert wait_for_background(5_000)
    done = []
    run_in_background(lambda: None, lambda _v: done.append(True), alive.failed)
    qtbot.waitUntil(lambda: done == [True])  # the two before it were delivered (dropped)
