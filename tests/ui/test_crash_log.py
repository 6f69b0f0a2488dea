"""The desktop app's log (heard.log): owner-only, rotated, opened only at the first record
(so start-up does not pay for logging.handlers), and it takes Qt's warnings and crashes."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

SCRIPT = textwrap.dedent("""
    import logging, sys
    from screening_app.ui import crash
    crash.LOG_BYTES = 2_000
    path = crash.install_crash_handlers()
    print(path)
    print("handlers-loaded", "logging.handlers" in sys.modules)
    for i in range(200):
        logging.getLogger("screening_app").info("record %d %s", i, "x" * 40)
    from PySide6.QtCore import qWarning
    qWarning("a warning from Qt")
    print("handlers-loaded", "logging.handlers" in sys.modules)
""")


def test_the_log_is_owner_only_rotated_and_opened_at_the_first_record(tmp_path: Path):
    env = dict(os.environ, HOME=str(tmp_path), XDG_STATE_HOME=str(tmp_path / "state"),
               QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                         text=True, timeout=120, check=True).stdout.splitlines()
    log = Path(out[0])
    assert out[1:] == ["handlers-loaded False", "handlers-loaded True"]
    files = sorted(log.parent.glob("heard.log*"))
    assert log in files and len(files) == 4  # the file and its 3 backups
    for f in files:
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f
    assert stat.S_IMODE(log.parent.stat().st_mode) == 0o700
    newest = log.read_text("utf-8")
    assert "a warning from Qt" in newest and "WARNING screening_app.qt" in newest
    assert "record 0 " not in "".join(f.read_text("utf-8") for f in files)  # rotated away
