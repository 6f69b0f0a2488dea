"""`screening-app screenshots --text-scale`: the app's own text size, not display scaling
(issue 15.4: every screen must fit 1366x768 at 200% text)."""

from __future__ import annotations

import subprocess
import sys

from PySide6.QtGui import QImage


def shots(out, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "screening_app", "screenshots", str(out),
                           *options], capture_output=True, text=True, timeout=300)


def first_line_height(image: QImage) -> int:
    """The height of the first line of text from the top left (the menu bar's "Session")."""
    rows = [any(image.pixelColor(x, y).lightness() < 100 for x in range(0, 80))
            for y in range(0, 80)]
    top = rows.index(True)
    return rows[top:].index(False)


def test_screenshots_at_200_percent_text(tmp_path):
    proc = shots(tmp_path, "--text-scale", "2")
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = sorted(p.name for p in tmp_path.glob("*.png"))
    for wanted in ("home", "start", "walkthrough-flag", "act-now", "review"):
        assert f"{wanted}-text2x.png" in names
    big = QImage(str(tmp_path / "home-text2x.png"))
    assert (big.width(), big.height()) == (1366, 768)  # the same window, larger text
    proc = shots(tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    normal = QImage(str(tmp_path / "home.png"))
    assert first_line_height(big) >= first_line_height(normal) * 1.7, "the text is not larger"


def test_text_scale_outside_the_setting_range_is_refused(tmp_path):
    proc = shots(tmp_path, "--text-scale", "5")
    assert proc.returncode != 0
    assert "--text-scale must be between 0.75 and 3" in proc.stderr
    assert list(tmp_path.glob("*.png")) == []
