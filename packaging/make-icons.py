"""Render packaging/icons/heard.svg to the PNG sizes, a Windows .ico and a macOS .icns.

Run with the project's Python (Qt's SVG renderer and image writers, no other tool):
    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/make-icons.py OUTDIR
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

SOURCE = Path(__file__).resolve().parent / "icons" / "heard.svg"
SIZES = (16, 32, 48, 64, 128, 256, 512)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    return image


def main(outdir: Path) -> int:
    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 - Qt needs one
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        print(f"{SOURCE}: not a valid SVG", file=sys.stderr)
        return 1
    outdir.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        path = outdir / f"heard-{size}.png"
        if not render(renderer, size).save(str(path)):
            print(f"cannot write {path}", file=sys.stderr)
            return 1
    for name, fmt, size in (("heard.ico", "ICO", 256), ("heard.icns", "ICNS", 512)):
        path = outdir / name
        if not render(renderer, size).save(str(path), fmt):
            print(f"cannot write {path} (Qt image format plugin {fmt} missing?)", file=sys.stderr)
            return 1
    print(f"icons written to {outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("build/icons")))
