"""The Qt binding must not corrupt Python's reference counts.

PySide6 6.12.0 on Python 3.11 drops a reference to ``True`` on every ``Signal.emit()``
and to ``None`` on every Python slot called from C++ (it assumes the immortal objects of
Python 3.12+). After a few thousand clicks the interpreter aborts ("Fatal Python error:
bool_dealloc"). 6.11.3 on 3.11, and 6.12.0 on 3.12, are fine. This test fails on an
affected combination so that it is fixed in the dependency pins, not found by a nurse.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

PROBE = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QApplication, QButtonGroup, QRadioButton, QWidget
    app = QApplication([])
    class Source(QObject):
        changed = Signal(int)
    source = Source()
    source.changed.connect(lambda n: None)
    owner = QWidget()
    group = QButtonGroup(owner)
    buttons = [QRadioButton(str(n), owner) for n in range(2)]
    for n, b in enumerate(buttons):
        group.addButton(b, n)
    group.idClicked.connect(lambda n: None)
    counts = sys.getrefcount(True), sys.getrefcount(None)
    for n in range(100):
        source.changed.emit(n)
        buttons[n % 2].click()
    print(sys.getrefcount(True) - counts[0], sys.getrefcount(None) - counts[1], flush=True)
""")


def test_signals_keep_reference_counts():
    proc = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                          timeout=60)
    true_delta, none_delta = (int(x) for x in proc.stdout.split()[:2])
    import PySide6

    where = f"PySide6 {PySide6.__version__} on Python {sys.version.split()[0]}"
    assert true_delta >= 0 and none_delta >= -5, (
        f"{where} loses references (True {true_delta}, None {none_delta} per 100 signals): "
        "the app would abort after a few thousand clicks. Pin PySide6-Essentials<6.12 on "
        "Python 3.11, or use Python 3.12+.")
