"""Colour scheme and text size.

The app follows the system's light or dark scheme (``QStyleHints.colorScheme``) and reacts
when it changes. Colours come from palette roles; the only colours of our own are the flag
levels and the banner, chosen per scheme for contrast. A practitioner may force light or
dark, and scale all text (the setting is stored per workstation).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

_BASE_POINT_SIZE = "_heard_base_point_size"

# (light scheme, dark scheme): text-on-window contrast at least 4.5:1 in each.
_LEVEL_COLOURS = {
    "act-now": ("#b00020", "#ff8a80"),
    "refer": ("#8a4b00", "#ffcc80"),
    "consider": ("#1f4e8c", "#90caf9"),
}


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def level_colour(level: str, palette: QPalette | None = None) -> QColor:
    light, dark = _LEVEL_COLOURS.get(level, ("#444444", "#dddddd"))
    return QColor(dark if is_dark(palette) else light)


def banner_palette(palette: QPalette, *, error: bool) -> QPalette:
    out = QPalette(palette)
    if is_dark(palette):
        back, text = ("#5c1a1a", "#ffffff") if error else ("#1a3a5c", "#ffffff")
    else:
        back, text = ("#fde7e9", "#5c0011") if error else ("#e3f0fc", "#0b2e59")
    out.setColor(QPalette.ColorRole.Window, QColor(back))
    out.setColor(QPalette.ColorRole.WindowText, QColor(text))
    return out


def dark_palette() -> QPalette:
    p = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#202124", QPalette.ColorRole.WindowText: "#e8eaed",
        QPalette.ColorRole.Base: "#303134", QPalette.ColorRole.AlternateBase: "#3a3b3e",
        QPalette.ColorRole.Text: "#e8eaed", QPalette.ColorRole.Button: "#2d2e31",
        QPalette.ColorRole.ButtonText: "#e8eaed", QPalette.ColorRole.Highlight: "#8ab4f8",
        QPalette.ColorRole.HighlightedText: "#202124", QPalette.ColorRole.ToolTipBase: "#2d2e31",
        QPalette.ColorRole.ToolTipText: "#e8eaed", QPalette.ColorRole.PlaceholderText: "#9aa0a6",
        QPalette.ColorRole.Link: "#8ab4f8", QPalette.ColorRole.BrightText: "#ffffff",
        QPalette.ColorRole.Light: "#3c3d40", QPalette.ColorRole.Midlight: "#333437",
        QPalette.ColorRole.Mid: "#28292c", QPalette.ColorRole.Dark: "#111213",
        QPalette.ColorRole.Shadow: "#000000",
    }
    for role, colour in roles.items():
        p.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7f8388"))
    return p


def wanted_scheme(choice: str) -> Qt.ColorScheme:
    if choice == "dark":
        return Qt.ColorScheme.Dark
    if choice == "light":
        return Qt.ColorScheme.Light
    return QGuiApplication.styleHints().colorScheme()


class Theme(QObject):
    """Applies the scheme now and again whenever the system's scheme changes."""

    def __init__(self, app: QApplication, choice: str = "system"):
        super().__init__(app)
        self.app = app
        self.choice = choice
        self._platform_palette = QPalette(app.palette())
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_changed)
        self.apply()

    def set_choice(self, choice: str) -> None:
        self.choice = choice
        self.apply()

    def _system_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self.choice == "system":
            self._platform_palette = QPalette(QGuiApplication.palette())
            self.apply()

    def apply(self) -> None:
        scheme = wanted_scheme(self.choice)
        platform_is_dark = is_dark(self._platform_palette)
        if scheme == Qt.ColorScheme.Dark and not platform_is_dark:
            # The platform gives no dark palette (or the user forces dark): use our own.
            self.app.setStyle("Fusion")
            self.app.setPalette(dark_palette())
        elif scheme == Qt.ColorScheme.Light and platform_is_dark:
            self.app.setStyle("Fusion")
            self.app.setPalette(QApplication.style().standardPalette())
        else:
            self.app.setPalette(self._platform_palette)


def apply_font_scale(app: QApplication, scale: float) -> None:
    """Scale every font from the platform's default size; headings follow (PlainLabel)."""
    base = app.property(_BASE_POINT_SIZE)
    if base is None:
        base = app.font().pointSizeF()
        app.setProperty(_BASE_POINT_SIZE, base)
    font = QFont(app.font())
    font.setPointSizeF(float(base) * scale)
    app.setFont(font)
    # Qt tells widgets only while its event loop runs (not yet at start-up, nor under test):
    # tell them here too, so that every widget, headings included, follows at once.
    for widget in app.allWidgets():
        QApplication.sendEvent(widget, QEvent(QEvent.Type.ApplicationFontChange))
