"""What "fits the screen" means, checked on real widgets: every visible control inside its
window, nothing scrolling sideways, and no label showing less than its text needs."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QWidget,
)

CONTROLS = (QAbstractButton, QComboBox, QLineEdit)


def _global_rect(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(widget.rect().topLeft()), widget.size())


def _scroll_viewport(widget: QWidget) -> QWidget | None:
    """The viewport of the nearest scroll area holding ``widget`` (it may scroll out)."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            return parent.viewport()
        parent = parent.parentWidget()
    return None


def _name(widget: QWidget) -> str:
    text = widget.text() if hasattr(widget, "text") else ""
    return f"{type(widget).__name__} {widget.objectName() or ''} {text!r:.60}"


def layout_problems(top: QWidget) -> list[str]:
    """Everything that does not fit in ``top`` (a window or dialog), as sentences."""
    problems: list[str] = []
    window = _global_rect(top)
    for area in top.findChildren(QAbstractScrollArea):
        if area.isVisible() and area.horizontalScrollBar().maximum() > 0 \
                and isinstance(area, QScrollArea):
            problems.append(f"{_name(area)} scrolls sideways by "
                            f"{area.horizontalScrollBar().maximum()} px")
    for widget in top.findChildren(QWidget):
        if not widget.isVisible() or widget.window() is not top:
            continue
        rect = _global_rect(widget)
        viewport = _scroll_viewport(widget)
        if isinstance(widget, CONTROLS):
            if viewport is None and not window.contains(rect):
                problems.append(f"{_name(widget)} at {rect.getRect()} is outside the window "
                                f"{window.getRect()}")
            elif viewport is not None:
                port = _global_rect(viewport)
                if rect.right() > port.right() + 1 or rect.left() < port.left() - 1:
                    problems.append(f"{_name(widget)} runs off the side of its page")
        if isinstance(widget, QLabel) and widget.text() and widget.pixmap().isNull():
            problems.extend(_clipped(widget))
        if isinstance(widget, QPushButton) and widget.text():
            hint = widget.minimumSizeHint()
            if hint.width() > widget.width() + 2 or hint.height() > widget.height() + 2:
                problems.append(f"{_name(widget)} is squeezed: needs {hint.width()}x"
                                f"{hint.height()}, has {widget.width()}x{widget.height()}")
    return problems


def _clipped(label: QLabel) -> list[str]:
    if label.width() <= 0:
        return []
    if label.wordWrap():
        needed = label.heightForWidth(label.width())
        if needed > label.height() + 2:
            return [f"{_name(label)} is cut off: needs {needed} px high, has {label.height()}"]
        return []
    if getattr(label, "elided", False):  # shortens its own text on purpose
        return []
    needed = label.sizeHint().width()
    if needed > label.width() + 2:
        return [f"{_name(label)} is cut off: needs {needed} px wide, has {label.width()}"]
    return []
