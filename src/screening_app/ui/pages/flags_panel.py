"""Always-visible panel of the flags raised so far, with the selected flag's action."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QListView,
    QScrollArea,
    QStyledItemDelegate,
    QVBoxLayout,
    QWidget,
)

from ...engine.results import RaisedFlag
from ..models.flag_list import FlagListModel
from ..theme import design_colours
from ..widgets import PlainLabel, heading


class LevelKeepingDelegate(QStyledItemDelegate):
    """A selected flag keeps its level's colour (an act-now row stays red): the selection
    is a pale tint of the accent, not the palette's solid highlight (defect 31)."""

    def initStyleOption(self, option, index) -> None:  # noqa: ANN001, N802
        super().initStyleOption(option, index)
        brush = index.data(Qt.ItemDataRole.ForegroundRole)
        if brush is None:
            return
        colour = brush.color() if isinstance(brush, QBrush) else QColor(brush)
        tint = QColor(design_colours(option.palette)["accent"])
        tint.setAlpha(45)
        option.palette.setColor(QPalette.ColorRole.HighlightedText, colour)
        option.palette.setColor(QPalette.ColorRole.Highlight, tint)


class FlagsPanel(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("flags-panel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = heading("Flags", 2, self)
        layout.addWidget(self.title)
        self.empty = PlainLabel("No flags raised so far.", self)
        layout.addWidget(self.empty)
        self.model = FlagListModel(self)
        self.view = QListView(self)
        self.view.setModel(self.model)
        self.view.setItemDelegate(LevelKeepingDelegate(self.view))
        self.view.setAccessibleName("Flags raised")
        self.view.setWordWrap(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.set_compact(False)
        self.view.selectionModel().selectionChanged.connect(self._selected)
        layout.addWidget(self.view)
        self.detail = PlainLabel("", self)
        self.detail.setObjectName("flag-action")
        layout.addWidget(self.detail)
        # How to talk with this child, while talking with them (not only at review).
        self.talk_title = heading("How to talk with this child", 3, self)
        self.talk = PlainLabel("", self)
        self.talk.setObjectName("communication-profile")
        self.talk.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.talk_scroll = QScrollArea(self)  # a long profile scrolls, never cut off
        self.talk_scroll.setWidgetResizable(True)
        self.talk_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.talk_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.talk_scroll.setWidget(self.talk)
        self.talk_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # text only: not a Tab stop
        layout.addWidget(self.talk_title)
        layout.addWidget(self.talk_scroll, 1)
        self.set_communication([])
        self.set_flags([], ())

    def set_communication(self, profile: Iterable) -> None:
        """The communication profile's needs and their most important adjustments."""
        lines: list[str] = []
        for need in profile:
            lines.append(need.need)
            lines += [f"• {adjustment}" for adjustment in need.adjustments[:2]]
        text = "\n".join(lines)
        self.talk_title.setVisible(bool(lines))
        self.talk_scroll.setVisible(bool(lines))
        if text != self.talk.text():
            self.talk.setText(text)

    def set_compact(self, compact: bool) -> None:
        """Fewer rows when the panel sits under the questions on a narrow window."""
        rows = 3 if compact else 8
        self.view.setMaximumHeight(self.view.fontMetrics().lineSpacing() * rows + 8)

    def set_flags(self, flags: Iterable[RaisedFlag], acknowledged: Iterable[str]) -> None:
        current = self._current_id()
        flags = list(flags)
        before = {self.model.flag_at(r).id for r in range(self.model.rowCount())}
        self.model.set_flags(flags, acknowledged)
        raised = [n for n, f in enumerate(flags) if f.id not in before]
        if raised and before:  # show the newest (most urgent first) flag's action
            self.view.setCurrentIndex(self.model.index(raised[0]))
        self.empty.setVisible(not flags)
        self.view.setVisible(bool(flags))
        self.title.setText(f"Flags ({len(flags)})" if flags else "Flags")
        if flags and not self.view.currentIndex().isValid():
            ids = [f.id for f in flags]
            row = ids.index(current) if current in ids else 0
            self.view.setCurrentIndex(self.model.index(row))
        self._show_detail()

    def _current_id(self) -> str | None:
        index = self.view.currentIndex()
        return self.model.flag_at(index.row()).id if index.isValid() else None

    def _selected(self, _new: QItemSelection, _old: QItemSelection) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        index = self.view.currentIndex()
        if not index.isValid() or self.model.rowCount() == 0:
            self.detail.setText("")
            return
        flag = self.model.flag_at(index.row())
        self.detail.setText(f"What to do: {flag.action}")
