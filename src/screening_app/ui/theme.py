"""Colour scheme, text size and the design system (the one place the app's look is set).

The app follows the system's light or dark scheme (``QStyleHints.colorScheme``) and reacts
when it changes. Colours come from palette roles; the only colours of our own are the flag
levels, the banner and the design system's accent (selected answers, the primary action) and
focus ring, chosen per scheme for contrast. The design system is Fusion (one look on every
platform) with our answer indicators (filled, with a tick), plus one style sheet: a card per
question, one primary button per screen, a focus ring on every control; all its sizes come
from the text size, so spacing scales with it. A practitioner may force light or
dark, and scale all text (the setting is stored per workstation).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleFactory, QWidget

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
            palette = dark_palette()
        elif scheme == Qt.ColorScheme.Light and platform_is_dark:
            palette = QStyleFactory.create("Fusion").standardPalette()
        else:
            palette = self._platform_palette
        apply_design(self.app, palette)


def apply_font_scale(app: QApplication, scale: float) -> None:
    """Scale every font from the platform's default size; headings follow (PlainLabel)."""
    base = app.property(_BASE_POINT_SIZE)
    if base is None:
        base = app.font().pointSizeF()
        app.setProperty(_BASE_POINT_SIZE, base)
    font = QFont(app.font())
    font.setPointSizeF(float(base) * scale)
    app.setFont(font)
    # The style sheet first: re-polishing restores the fonts widgets had before it.
    apply_design(app)  # spacing, borders and indicators follow the text size
    # Qt tells widgets only while its event loop runs (not yet at start-up, nor under test):
    # tell them here too, so that every widget, headings included, follows at once.
    for widget in app.allWidgets():
        QApplication.sendEvent(widget, QEvent(QEvent.Type.ApplicationFontChange))


# -- the design system ------------------------------------------------------------------------
# One accent for "selected" and "the primary action", one focus colour that is never a fill
# (so a focused answer never looks chosen), per scheme. Contrast: accent text on accent fill
# and focus ring against the window at least 4.5:1 / 3:1 (WCAG 1.4.3, 1.4.11).
_DESIGN = {
    #         accent     on-accent  focus      border     card
    "light": ("#0b57d0", "#ffffff", "#b45309", "#8c9199", "#ffffff"),
    "dark": ("#a8c7fa", "#062e6f", "#fbbf24", "#8e918f", "#2a2b2e"),
}
TICK = "\u2713"  # shown on a selected child's answer button, beside the fill


def design_colours(palette: QPalette | None = None) -> dict[str, QColor]:
    accent, on_accent, focus, border, card = _DESIGN["dark" if is_dark(palette) else "light"]
    return {"accent": QColor(accent), "on_accent": QColor(on_accent), "focus": QColor(focus),
            "border": QColor(border), "card": QColor(card)}


def spacing(font_height: int | None = None) -> int:
    """The spacing unit: half a line of the current text, so layouts grow with the text."""
    height = font_height or QFontMetrics(QApplication.font()).height()
    return max(4, round(height * 0.5))


def stylesheet(palette: QPalette, font_height: int) -> str:
    """The whole design system as one style sheet; every size comes from the text size."""
    c = {k: v.name() for k, v in design_colours(palette).items()}
    text = palette.color(QPalette.ColorRole.Text).name()
    disabled = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text).name()
    button = palette.color(QPalette.ColorRole.Button).name()
    base = palette.color(QPalette.ColorRole.Base).name()
    unit = spacing(font_height)
    ring = max(2, round(font_height / 8))
    radius = max(3, round(font_height * 0.3))
    return f"""
QFrame[card="true"] {{ background-color: {c['card']}; border: 1px solid {c['border']};
    border-radius: {radius}px; padding: {unit // 2}px {unit}px; }}
QFrame[card="true"][current="true"] {{ border: {ring}px solid {c['accent']}; }}
QPushButton {{ background-color: {button}; color: {text}; border: 1px solid {c['border']};
    border-radius: {radius}px; padding: {unit // 2}px {unit}px; }}
QPushButton:hover {{ border-color: {c['accent']}; }}
QPushButton:disabled {{ color: {disabled}; }}
QPushButton[primary="true"] {{ background-color: {c['accent']}; color: {c['on_accent']};
    border: 1px solid {c['accent']}; font-weight: bold; }}
QPushButton[primary="true"]:disabled {{ background-color: {button}; color: {disabled};
    border-color: {c['border']}; }}
QPushButton:checked {{ background-color: {c['accent']}; color: {c['on_accent']};
    border: {ring}px solid {c['accent']}; font-weight: bold; }}
QPushButton:focus, QPushButton[primary="true"]:focus, QPushButton:checked:focus,
QToolButton:focus {{ border: {ring}px solid {c['focus']}; }}
QRadioButton, QCheckBox {{ spacing: {unit}px; padding: 2px {unit // 2}px;
    border: {ring}px solid transparent; border-radius: {radius}px; }}
QRadioButton:focus, QCheckBox:focus {{ border-color: {c['focus']}; }}
QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus, QComboBox:focus,
QAbstractSpinBox:focus, QListView:focus, QTableView:focus, QTreeView:focus {{
    border: {ring}px solid {c['focus']}; }}
QLineEdit, QPlainTextEdit, QTextEdit {{ background-color: {base}; }}
"""


class DesignStyle(QProxyStyle):
    """Fusion with answer indicators that scale with the text and, when selected, are
    filled with the accent and carry a tick (not a small dot), in light and dark alike."""

    def pixelMetric(self, metric, option=None, widget=None):  # noqa: ANN001, ANN201, N802
        if metric in (QStyle.PixelMetric.PM_ExclusiveIndicatorWidth,
                      QStyle.PixelMetric.PM_ExclusiveIndicatorHeight,
                      QStyle.PixelMetric.PM_IndicatorWidth,
                      QStyle.PixelMetric.PM_IndicatorHeight):
            metrics = widget.fontMetrics() if widget is not None else QFontMetrics(
                QApplication.font())
            return max(14, round(metrics.height() * 1.05))
        return super().pixelMetric(metric, option, widget)

    def styleHint(self, hint, option=None, widget=None, data=None):  # noqa: ANN001, ANN201, N802
        # A combo box's list opens below it, not centred on the remembered choice, where an
        # ordinary click picked the wrong setting (defect 27).
        if hint == QStyle.StyleHint.SH_ComboBox_Popup:
            return 0
        return super().styleHint(hint, option, widget, data)

    def drawPrimitive(self, element, option, painter, widget=None):  # noqa: ANN001, N802
        round_ = element == QStyle.PrimitiveElement.PE_IndicatorRadioButton
        if not (round_ or element == QStyle.PrimitiveElement.PE_IndicatorCheckBox):
            super().drawPrimitive(element, option, painter, widget)
            return
        colours = design_colours(option.palette)
        state = option.state
        checked = bool(state & QStyle.StateFlag.State_On)
        enabled = bool(state & QStyle.StateFlag.State_Enabled)
        rect = QRectF(option.rect).adjusted(1, 1, -1, -1)
        side = min(rect.width(), rect.height())
        rect = QRectF(rect.center().x() - side / 2, rect.center().y() - side / 2, side, side)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        edge = colours["accent"] if checked else option.palette.color(QPalette.ColorRole.Text)
        if not enabled:
            edge = option.palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        painter.setPen(QPen(edge, max(1.5, side / 9)))
        painter.setBrush(edge if checked else option.palette.color(QPalette.ColorRole.Base))
        if round_:
            painter.drawEllipse(rect)
        else:
            painter.drawRoundedRect(rect, side / 5, side / 5)
        if checked:
            tick = QPainterPath()
            tick.moveTo(rect.left() + side * 0.25, rect.top() + side * 0.52)
            tick.lineTo(rect.left() + side * 0.43, rect.top() + side * 0.70)
            tick.lineTo(rect.left() + side * 0.76, rect.top() + side * 0.32)
            painter.setPen(QPen(colours["on_accent"], max(2.0, side / 7),
                                Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                                Qt.PenJoinStyle.RoundJoin))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(tick)
        painter.restore()


def apply_design(app: QApplication, palette: QPalette | None = None) -> None:
    """Put the design system on the app (again after a scheme or text-size change); the
    style sheet's colours follow ``palette`` (default: the app's current one)."""
    palette = QPalette(palette or app.palette())
    if not isinstance(app.style(), DesignStyle):
        app.setStyle(DesignStyle(QStyleFactory.create("Fusion")))
    app.setPalette(palette)
    app.setStyleSheet(stylesheet(app.palette(), QFontMetrics(app.font()).height()))


def ensure_design(app: QApplication) -> None:
    """The design system, once (a window made without a Theme, e.g. under test)."""
    if not isinstance(app.style(), DesignStyle):
        apply_design(app)


def set_card(widget: QWidget, *, current: bool | None = None) -> None:
    """Make ``widget`` a card (or mark it the current card) and restyle it."""
    widget.setProperty("card", True)
    if current is not None:
        if bool(widget.property("current")) == current:
            return
        widget.setProperty("current", current)
    repolish(widget)


def set_primary(button: QWidget) -> None:
    """The one primary action of a screen: filled with the accent."""
    button.setProperty("primary", True)
    repolish(button)


def repolish(widget: QWidget) -> None:
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()
