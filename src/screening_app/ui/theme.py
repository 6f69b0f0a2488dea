"""Colour scheme, text size and the design system (the one place the app's look is set).

The app follows the system's light or dark scheme (``QStyleHints.colorScheme``) and reacts
when it changes. Colours come from palette roles; the only colours of our own are the flag
levels, the banner and the design system's accent (selected answers, the primary action) and
focus ring, chosen per scheme for contrast. The style is Qt's own Fusion (one look on every
platform); the design is painted by our own widgets on top of it: a card per question
(``Card``), one primary action per screen filled with the accent (``set_primary``), answers
filled with the accent and a tick, and one focus ring that follows the keyboard focus to
every control, dialogs included (``FocusRing``). All sizes come from the text size, so
spacing scales with it. There is neither a style sheet nor a Python ``QStyle``: each made
start-up much slower (issue 15, docs/design.md). A practitioner may force light or dark, and
scale all text (the setting is stored per workstation).
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
from PySide6.QtWidgets import QAbstractButton, QApplication, QFrame, QStyleFactory, QWidget
from shiboken6 import isValid

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
    apply_design(app)  # spacing, borders and indicators follow the text size
    # Qt tells widgets only while its event loop runs (not yet at start-up, nor under test):
    # tell them here too, so that every widget, headings included, follows at once.
    for widget in app.allWidgets():
        QApplication.sendEvent(widget, QEvent(QEvent.Type.ApplicationFontChange))
        if isinstance(widget, Card):
            widget.fit_padding()  # a card's padding follows the text too


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
FUSION = "_heard_fusion"  # set on the application once its style is Fusion
FUSION_ARGS = ["-style", "fusion"]  # for QApplication: Fusion without building PySide's QStyle


def design_colours(palette: QPalette | None = None) -> dict[str, QColor]:
    accent, on_accent, focus, border, card = _DESIGN["dark" if is_dark(palette) else "light"]
    return {"accent": QColor(accent), "on_accent": QColor(on_accent), "focus": QColor(focus),
            "border": QColor(border), "card": QColor(card)}


def spacing(font_height: int | None = None) -> int:
    """The spacing unit: half a line of the current text, so layouts grow with the text."""
    height = font_height or QFontMetrics(QApplication.font()).height()
    return max(4, round(height * 0.5))


class Sizes:
    """Every size of the design, from the application's text height."""

    def __init__(self, font_height: int):
        self.unit = spacing(font_height)
        self.ring = max(2, round(font_height / 8))  # focus ring, current card
        self.radius = max(3, round(font_height * 0.3))


_sizes: list[Sizes] = []  # the current sizes (apply_design), one entry


def sizes() -> Sizes:
    if not _sizes:
        _sizes.append(Sizes(QFontMetrics(QApplication.font()).height()))
    return _sizes[0]


def _painter(widget: QWidget) -> QPainter:
    painter = QPainter(widget)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    return painter


def _rounded(painter: QPainter, rect: QRectF, pen: QPen | None, brush: QColor | None) -> None:
    """A rounded rectangle whose stroke lies inside ``rect``."""
    half = pen.widthF() / 2 if pen is not None else 0
    painter.setPen(pen if pen is not None else Qt.PenStyle.NoPen)
    painter.setBrush(brush if brush is not None else Qt.BrushStyle.NoBrush)
    radius = sizes().radius
    painter.drawRoundedRect(rect.adjusted(half, half, -half, -half), radius, radius)


# -- cards --------------------------------------------------------------------------------------
class Card(QFrame):
    """A question's (or a review entry's) card: the card colour, a border and rounded corners,
    the current one outlined in the accent, padding from the text size (``set_card``)."""

    def fit_padding(self) -> None:
        if not self.property("card"):
            self.setContentsMargins(0, 0, 0, 0)
            return
        unit = sizes().unit  # 1 px border plus padding
        self.setContentsMargins(1 + unit, 1 + unit // 2, 1 + unit, 1 + unit // 2)

    def paintEvent(self, event) -> None:  # noqa: ANN001, N802 (Qt's name)
        if not self.property("card"):
            super().paintEvent(event)
            return
        colours = design_colours(self.palette())
        current = bool(self.property("current"))
        pen = QPen(colours["accent"] if current else colours["border"],
                   sizes().ring if current else 1)
        painter = _painter(self)
        _rounded(painter, QRectF(self.rect()), pen, colours["card"])
        painter.end()


def set_card(widget: Card, *, current: bool | None = None, card: bool = True) -> None:
    """Make ``widget`` a card (``card=False``: plain again), or mark it (not) the current
    card."""
    if current is not None:
        widget.setProperty("current", current)
    else:
        widget.setProperty("card", card)
        widget.fit_padding()
    widget.update()


# -- buttons filled with the accent -----------------------------------------------------------
def _filled(button: QAbstractButton) -> bool:
    """The primary action, or a checked answer button, while enabled."""
    return button.isEnabled() and (bool(button.property("primary")) or button.isChecked())


class _FilledButtonPainter(QObject):
    """Paints a filled button (the accent, rounded, its label in the on-accent colour); any
    other state of the button is left to Fusion. An event filter, so any Qt button can be
    one without a class of its own, and a Python style is never needed."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if not isinstance(watched, QAbstractButton):
            return False
        if event.type() == QEvent.Type.Paint and _filled(watched):
            _paint_filled(watched)
            return True
        if event.type() == QEvent.Type.FontChange and watched.property("primary"):
            _pad_primary(watched)
        return False


def _pad_primary(button: QAbstractButton) -> None:
    """Room beside the primary action's label that grows with the text (Fusion's is fixed)."""
    unit = sizes().unit
    metrics = button.fontMetrics()
    text = button.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
    button.setMinimumWidth(metrics.horizontalAdvance(text) + 4 * unit)


def _paint_filled(button: QAbstractButton) -> None:
    colours = design_colours(button.palette())
    fill = colours["accent"].darker(115) if button.isDown() else colours["accent"]
    painter = _painter(button)
    _rounded(painter, QRectF(button.rect()), None, fill)
    painter.setPen(colours["on_accent"])
    painter.setFont(button.font())
    painter.drawText(button.rect(), int(Qt.AlignmentFlag.AlignCenter
                                        | Qt.TextFlag.TextShowMnemonic), button.text())
    painter.end()


_button_painter: list[_FilledButtonPainter] = []


def _paint_filled_when_due(button: QAbstractButton) -> None:
    if not _button_painter:
        _button_painter.append(_FilledButtonPainter(QApplication.instance()))
    button.removeEventFilter(_button_painter[0])  # once, however often it is asked
    button.installEventFilter(_button_painter[0])
    button.update()


def set_primary(button: QAbstractButton) -> None:
    """The one primary action of a screen: filled with the accent, its label bold."""
    button.setProperty("primary", True)
    font = QFont(button.font())
    font.setBold(True)
    button.setFont(font)  # the size hint then allows for the bold label
    _pad_primary(button)
    _paint_filled_when_due(button)


def fill_when_checked(button: QAbstractButton) -> None:
    """An answer button: filled with the accent while it is checked."""
    _paint_filled_when_due(button)


# -- answer indicators ------------------------------------------------------------------------
def indicator_side(font_height: int) -> int:
    """An answer's radio circle or check box: as tall as the text, so it scales with it."""
    return max(14, round(font_height * 1.05))


def paint_indicator(painter: QPainter, rect: QRectF, palette: QPalette, *, round_: bool,
                    checked: bool, enabled: bool) -> None:
    """A radio circle or check box; checked, it is filled with the accent and carries a tick
    (not a small dot), in light and dark alike."""
    colours = design_colours(palette)
    side = min(rect.width(), rect.height())
    rect = QRectF(rect.center().x() - side / 2, rect.center().y() - side / 2, side, side)
    edge = colours["accent"] if checked else palette.color(QPalette.ColorRole.Text)
    if not enabled:
        edge = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(edge, max(1.5, side / 9)))
    painter.setBrush(edge if checked else palette.color(QPalette.ColorRole.Base))
    if round_:
        painter.drawEllipse(rect)
    else:
        painter.drawRoundedRect(rect, side / 5, side / 5)
    if checked:
        tick = QPainterPath()
        tick.moveTo(rect.left() + side * 0.25, rect.top() + side * 0.52)
        tick.lineTo(rect.left() + side * 0.43, rect.top() + side * 0.70)
        tick.lineTo(rect.left() + side * 0.76, rect.top() + side * 0.32)
        painter.setPen(QPen(colours["on_accent"], max(2.0, side / 7), Qt.PenStyle.SolidLine,
                            Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(tick)
    painter.restore()


# -- the focus ring ---------------------------------------------------------------------------
class FocusRing(QWidget):
    """An outline in the focus colour around the control that has the keyboard focus, never a
    fill (so a focused answer never looks chosen). There is one, and it follows the focus
    (Qt's QFocusFrame idea), so every control, ours and Qt's own, in every dialog, shows
    focus the same way. Half of it lies outside the control; clicks pass through it."""

    def __init__(self, parent: QWidget | None):
        super().__init__(parent)
        self.setObjectName("focus-ring")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def paintEvent(self, _event) -> None:  # noqa: ANN001, N802 (Qt's name)
        painter = _painter(self)
        _rounded(painter, QRectF(self.rect()),
                 QPen(design_colours(self.palette())["focus"], sizes().ring), None)
        painter.end()


_FOLLOWED = {QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.Hide,
             QEvent.Type.ParentChange, QEvent.Type.ZOrderChange}


def _ring_target(widget: QWidget | None) -> QWidget | None:
    """The control to ring: a spin box or an editable combo box, not the editor inside it
    that holds the focus for it; nothing for a window itself."""
    if widget is None or widget.isWindow():
        return None
    parent = widget.parentWidget()
    while parent is not None and not parent.isWindow() and parent.focusProxy() is widget:
        widget, parent = parent, parent.parentWidget()
    return widget


class _FocusFollower(QObject):
    """Moves the one ``FocusRing`` to whichever control gets the focus, and with it."""

    def __init__(self, app: QApplication):
        super().__init__(app)
        self.ring: FocusRing | None = None
        self.target: QWidget | None = None
        app.focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old: QWidget | None, now: QWidget | None) -> None:
        if self.target is not None and isValid(self.target):
            self.target.removeEventFilter(self)
        self.target = _ring_target(now)
        if self.target is not None:
            self.target.installEventFilter(self)
        self.place()

    def place(self) -> None:
        target = self.target
        ring = self.ring if self.ring is not None and isValid(self.ring) else None
        if target is None or not isValid(target) or not target.isVisible():
            if ring is not None:
                ring.hide()
            return
        parent = target.parentWidget()
        if ring is None:
            ring = self.ring = FocusRing(parent)
        elif ring.parentWidget() is not parent:
            ring.setParent(parent)
        out = sizes().ring // 2 + 1
        # Within the parent, so that no side is ever cut off (it then lies over the edge).
        ring.setGeometry(target.geometry().adjusted(-out, -out, out, out) & parent.rect())
        ring.show()
        ring.raise_()
        ring.update()

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in _FOLLOWED:
            self.place()
        return False


_follower: list[_FocusFollower] = []


def focus_ring() -> FocusRing | None:
    """The focus ring, once some control has had the focus (for tests and screenshots)."""
    ring = _follower[0].ring if _follower else None
    return ring if ring is not None and isValid(ring) else None


# -- putting it on the app --------------------------------------------------------------------
def apply_design(app: QApplication, palette: QPalette | None = None) -> None:
    """Put the design system on the app (again after a scheme or text-size change); its
    colours follow ``palette`` (default: the app's current one)."""
    palette = QPalette(palette or app.palette())
    if not app.property(FUSION):
        app.setStyle("Fusion")  # an app not made by create_app (a test's)
        app.setProperty(FUSION, True)
    _sizes[:] = [Sizes(QFontMetrics(app.font()).height())]
    app.setPalette(palette)
    if not _follower:
        _follower.append(_FocusFollower(app))
    _follower[0].place()  # the ring's width follows the text size


def ensure_design(app: QApplication) -> None:
    """The design system, once (a window made without a Theme, e.g. under test)."""
    if not _follower:
        apply_design(app)
