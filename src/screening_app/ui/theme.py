"""Colour scheme, text size and the design system (the one place the app's look is set).

The app follows the system's light or dark scheme (``QStyleHints.colorScheme``) and reacts
when it changes. Colours come from palette roles; the only colours of our own are the flag
levels, the banner and the design system's accent (selected answers, the primary action) and
focus ring, chosen per scheme for contrast. The design system is one style class,
``DesignStyle`` (Fusion, so one look on every platform), that paints a card per question,
one primary button per screen, filled answers with a tick and a focus ring on every
control; all its sizes come from the text size, so spacing scales with it. There is no
style sheet: one made start-up slower (issue 15, docs/design.md). A practitioner
may force light or dark, and scale all text (the setting is stored per workstation).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QRectF, QSize, Qt
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
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QLineEdit,
    QProxyStyle,
    QPushButton,
    QStyle,
    QStyleFactory,
    QStyleOptionButton,
    QWidget,
)

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
        if widget.property("card") or isinstance(widget, _FIELDS):
            repolish(widget)  # a card's padding and a field's frame follow the text too


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


class _Sizes:
    """Every size of the design, from the application's text height."""

    def __init__(self, font_height: int):
        self.unit = spacing(font_height)
        self.ring = max(2, round(font_height / 8))  # focus ring, current card, checked edge
        self.radius = max(3, round(font_height * 0.3))


_PE = QStyle.PrimitiveElement
_CE = QStyle.ControlElement
_CC = QStyle.ComplexControl
_CT = QStyle.ContentsType
_SE = QStyle.SubElement
_PM = QStyle.PixelMetric
_ON = QStyle.StateFlag.State_On
_FOCUS = QStyle.StateFlag.State_HasFocus
_ENABLED = QStyle.StateFlag.State_Enabled
_HOVER = QStyle.StateFlag.State_MouseOver
_SUNKEN = QStyle.StateFlag.State_Sunken
_INDICATORS = {_PM.PM_ExclusiveIndicatorWidth, _PM.PM_ExclusiveIndicatorHeight,
               _PM.PM_IndicatorWidth, _PM.PM_IndicatorHeight}
_LABEL_SPACING = {_PM.PM_RadioButtonLabelSpacing, _PM.PM_CheckBoxLabelSpacing}
# Radio buttons and check boxes sit inside a padded box that carries their focus ring.
_TOGGLE_RECTS = {
    _SE.SE_RadioButtonIndicator, _SE.SE_RadioButtonContents, _SE.SE_RadioButtonFocusRect,
    _SE.SE_RadioButtonClickRect, _SE.SE_CheckBoxIndicator, _SE.SE_CheckBoxContents,
    _SE.SE_CheckBoxFocusRect, _SE.SE_CheckBoxClickRect,
}
_RINGED_COMPLEX = {_CC.CC_ComboBox, _CC.CC_SpinBox, _CC.CC_ToolButton}
_PADDED = "_heard_card_padding"
# Fields, text areas and lists (a page's own scroll area has no frame). Not the classes
# themselves: importing QPlainTextEdit here alone cost 9 ms of start-up.
_FIELDS = (QLineEdit, QAbstractScrollArea)


class DesignStyle(QProxyStyle):
    """The whole design system, painted (no style sheet: one made start-up slower, issue 15).
    Fusion, plus:

    - a card (card colour, border, rounded corners; the current one outlined in the accent)
      for a QFrame with the ``card`` property (``set_card``);
    - push buttons with rounded borders and padding from the text size; the ``primary``
      one (``set_primary``) and checked ones filled with the accent, in bold;
    - answer indicators that scale with the text and, when selected, are filled with the
      accent and carry a tick (not a small dot), in light and dark alike;
    - an amber focus ring, never a fill, on every focusable control.
    """

    def __init__(self, base: QStyle | None = None):
        super().__init__(base or QStyleFactory.create("Fusion"))
        self.sizes = _Sizes(QFontMetrics(QApplication.font()).height())

    def follow_text_size(self, font_height: int) -> None:
        self.sizes = _Sizes(font_height)

    # -- sizes ----------------------------------------------------------------------------
    def pixelMetric(self, metric, option=None, widget=None):  # noqa: ANN001, ANN201, N802
        if metric in _INDICATORS:
            metrics = widget.fontMetrics() if widget is not None else QFontMetrics(
                QApplication.font())
            return max(14, round(metrics.height() * 1.05))
        if metric in _LABEL_SPACING:
            return self.sizes.unit
        if metric == _PM.PM_DefaultFrameWidth and isinstance(widget, _FIELDS):
            return self.sizes.ring  # room for the focus ring inside the field's frame
        return super().pixelMetric(metric, option, widget)

    def _toggle_padding(self) -> tuple[int, int]:
        ring = self.sizes.ring
        return self.sizes.unit // 2 + ring, 2 + ring

    def sizeFromContents(self, kind, option, size, widget=None):  # noqa: ANN001, ANN201, N802
        if kind == _CT.CT_PushButton:
            unit = self.sizes.unit
            out = QSize(size.width() + 2 * unit + 2, size.height() + 2 * (unit // 2) + 2)
            if isinstance(widget, QPushButton) and widget.property("primary"):
                out.setWidth(out.width() + _bold_extra(widget))
            return out
        if kind in (_CT.CT_RadioButton, _CT.CT_CheckBox):
            # The indicator, the gap and the text, inside the padded box with the ring.
            across, down = self._toggle_padding()
            indicator = self.proxy().pixelMetric(
                _PM.PM_ExclusiveIndicatorWidth if kind == _CT.CT_RadioButton
                else _PM.PM_IndicatorWidth, option, widget)
            gap = self.sizes.unit if size.width() else 0
            return QSize(size.width() + indicator + gap + 2 * across,
                         max(size.height(), indicator) + 2 * down)
        return super().sizeFromContents(kind, option, size, widget)

    def _inset(self, option):  # noqa: ANN001, ANN202
        across, down = self._toggle_padding()
        inner = type(option)(option)
        inner.rect = option.rect.adjusted(across, down, -across, -down)
        return inner

    def subElementRect(self, element, option, widget=None):  # noqa: ANN001, ANN201, N802
        if element in _TOGGLE_RECTS:
            return super().subElementRect(element, self._inset(option), widget)
        return super().subElementRect(element, option, widget)

    def polish(self, target):  # noqa: ANN001, ANN201
        # QProxyStyle.polish is overloaded (widget, palette, application): pass others on.
        result = super().polish(target)
        if isinstance(target, QWidget):
            if target.property("card"):
                unit = self.sizes.unit  # 1 px border plus padding, as for a button
                target.setContentsMargins(1 + unit, 1 + unit // 2, 1 + unit, 1 + unit // 2)
                target.setProperty(_PADDED, True)
            elif target.property(_PADDED):  # no longer a card (an information item)
                target.setContentsMargins(0, 0, 0, 0)
                target.setProperty(_PADDED, None)
        return result

    def styleHint(self, hint, option=None, widget=None, data=None):  # noqa: ANN001, ANN201, N802
        # A combo box's list opens below it, not centred on the remembered choice, where an
        # ordinary click picked the wrong setting (defect 27).
        if hint == QStyle.StyleHint.SH_ComboBox_Popup:
            return 0
        return super().styleHint(hint, option, widget, data)

    # -- painting -------------------------------------------------------------------------
    def drawPrimitive(self, element, option, painter, widget=None):  # noqa: ANN001, N802
        if element in (_PE.PE_IndicatorRadioButton, _PE.PE_IndicatorCheckBox):
            self._indicator(element == _PE.PE_IndicatorRadioButton, option, painter)
            return
        if element == _PE.PE_FrameFocusRect and isinstance(widget, QAbstractButton):
            return  # the button's own ring shows focus (Fusion's box only after a key)
        super().drawPrimitive(element, option, painter, widget)
        if element == _PE.PE_FrameLineEdit and option.state & _FOCUS:
            self._ring(painter, option.rect, design_colours(option.palette)["focus"])

    def drawControl(self, element, option, painter, widget=None):  # noqa: ANN001, N802
        if element == _CE.CE_PushButtonBevel:
            self._button_panel(option, painter, widget)
            return
        if element == _CE.CE_PushButtonLabel and _filled(option, widget):
            self._filled_label(option, painter, widget)
            return
        if element in (_CE.CE_RadioButton, _CE.CE_CheckBox):
            radio = element == _CE.CE_RadioButton
            part = QStyleOptionButton(option)
            part.rect = self.subElementRect(
                _SE.SE_RadioButtonIndicator if radio else _SE.SE_CheckBoxIndicator, option, widget)
            self._indicator(radio, part, painter)
            part.rect = self.subElementRect(
                _SE.SE_RadioButtonContents if radio else _SE.SE_CheckBoxContents, option, widget)
            super().drawControl(_CE.CE_RadioButtonLabel if radio else _CE.CE_CheckBoxLabel,
                                part, painter, widget)
            if option.state & _FOCUS:
                self._ring(painter, option.rect, design_colours(option.palette)["focus"])
            return
        if element == _CE.CE_ShapedFrame and widget is not None and widget.property("card"):
            # The whole widget: a QFrame's own frame rectangle leaves out our padding.
            self._card(widget.rect(), option.palette, painter, bool(widget.property("current")))
            return
        super().drawControl(element, option, painter, widget)
        if element == _CE.CE_ShapedFrame and option.state & _FOCUS \
                and isinstance(widget, _FIELDS):
            self._ring(painter, option.rect, design_colours(option.palette)["focus"])

    def drawComplexControl(self, control, option, painter, widget=None):  # noqa: ANN001, N802
        super().drawComplexControl(control, option, painter, widget)
        if control in _RINGED_COMPLEX and option.state & _FOCUS:
            self._ring(painter, option.rect, design_colours(option.palette)["focus"])

    def _ring(self, painter: QPainter, rect: QRect, colour: QColor,
              width: int | None = None) -> None:
        width = width or self.sizes.ring
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(colour, width))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        half = width / 2
        painter.drawRoundedRect(QRectF(rect).adjusted(half, half, -half, -half),
                                self.sizes.radius, self.sizes.radius)
        painter.restore()

    def _card(self, rect: QRect, palette: QPalette, painter: QPainter, current: bool) -> None:
        colours = design_colours(palette)
        width = self.sizes.ring if current else 1
        half = width / 2
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(colours["accent"] if current else colours["border"], width))
        painter.setBrush(colours["card"])
        painter.drawRoundedRect(QRectF(rect).adjusted(half, half, -half, -half),
                                self.sizes.radius, self.sizes.radius)
        painter.restore()

    def _button_panel(self, option, painter: QPainter, widget) -> None:  # noqa: ANN001
        colours = design_colours(option.palette)
        state = option.state
        enabled = bool(state & _ENABLED)
        checked = bool(state & _ON)
        filled = enabled and (checked or _is_primary(widget))
        fill = colours["accent"] if filled else option.palette.color(QPalette.ColorRole.Button)
        edge = colours["accent"] if filled or (enabled and state & _HOVER) else colours["border"]
        width = self.sizes.ring if checked and enabled else 1
        if state & _FOCUS:
            edge, width = colours["focus"], self.sizes.ring
        if state & _SUNKEN:
            fill = fill.darker(115)
        half = width / 2
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(edge, width))
        painter.setBrush(fill)
        painter.drawRoundedRect(QRectF(option.rect).adjusted(half, half, -half, -half),
                                self.sizes.radius, self.sizes.radius)
        painter.restore()
        if option.features & QStyleOptionButton.ButtonFeature.HasMenu:
            arrow = QStyleOptionButton(option)
            side = self.sizes.unit
            arrow.rect = QRect(option.rect.right() - side * 2, option.rect.center().y()
                               - side // 2, side, side)
            self.proxy().drawPrimitive(_PE.PE_IndicatorArrowDown, arrow, painter, widget)

    def _filled_label(self, option, painter: QPainter, widget) -> None:  # noqa: ANN001
        label = QStyleOptionButton(option)
        palette = QPalette(option.palette)
        palette.setColor(QPalette.ColorRole.ButtonText, design_colours(palette)["on_accent"])
        label.palette = palette
        painter.save()
        font = QFont(painter.font())
        font.setBold(True)
        painter.setFont(font)
        super().drawControl(_CE.CE_PushButtonLabel, label, painter, widget)
        painter.restore()

    def _indicator(self, round_: bool, option, painter: QPainter) -> None:  # noqa: ANN001
        colours = design_colours(option.palette)
        state = option.state
        checked = bool(state & _ON)
        enabled = bool(state & _ENABLED)
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


def _is_primary(widget: QWidget | None) -> bool:
    return widget is not None and bool(widget.property("primary"))


def _filled(option, widget: QWidget | None) -> bool:  # noqa: ANN001
    """A push button drawn filled with the accent: the primary action, or checked."""
    return bool(option.state & _ENABLED) and (bool(option.state & _ON) or _is_primary(widget))


def _bold_extra(button: QPushButton) -> int:
    """How much wider the button's text is in bold (the primary action's text is bold)."""
    text = button.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
    bold = QFont(button.font())
    bold.setBold(True)
    return max(0, QFontMetrics(bold).horizontalAdvance(text)
               - button.fontMetrics().horizontalAdvance(text))


def apply_design(app: QApplication, palette: QPalette | None = None) -> None:
    """Put the design system on the app (again after a scheme or text-size change); its
    colours follow ``palette`` (default: the app's current one)."""
    palette = QPalette(palette or app.palette())
    style = app.style()
    if not isinstance(style, DesignStyle):
        style = DesignStyle()
        app.setStyle(style)
    style.follow_text_size(QFontMetrics(app.font()).height())
    app.setPalette(palette)


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
    # Cached sizes (a button's size hint, a frame's width) are worked out again.
    QApplication.sendEvent(widget, QEvent(QEvent.Type.StyleChange))
