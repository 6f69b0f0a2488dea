"""Home: start an assessment, resume a draft, find a past assessment.

This page is the first thing on screen, so it imports nothing heavy: the workspace arrives
(``set_workspace``) once the background start-up has opened the database.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QEvent, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...settings import FONT_SCALES
from ...wording import SETTING_NAMES
from ..models.assessment_table import (
    DRAFT_COLUMNS,
    SEARCH_COLUMNS,
    AssessmentTableModel,
)
from ..theme import set_primary
from ..widgets import Banner, DateField, DropDown, PlainLabel, heading

ANY_DATE = QDate(2000, 1, 1)


class ReferenceFirstTable(QTableView):
    """A list of assessments whose first column, the reference, keeps its whole text: it
    takes the width its longest reference needs and the other columns share the rest (and
    are elided first). Only a reference too long for any layout (wider than
    ``REFERENCE_SHARE`` of the view) is elided, in the middle, where references differ
    least (issue 13.3; DEMO-SCHOOL-NURSE-0412 and -0413 stay distinct)."""

    REFERENCE_SHARE = 0.6

    def fit_reference(self, *_: object, force: bool = False) -> None:
        model = self.model()
        if model is None or model.columnCount() == 0:
            return
        if not (force or self.isVisible()):
            return  # fitted when shown: polishing a hidden table cost start-up ~20 ms
        self.ensurePolished()
        needed = max(self.sizeHintForColumn(0), self.horizontalHeader().sectionSizeHint(0))
        header = self.horizontalHeader()
        # The header spans the viewport. Not viewport(): PySide then builds its type objects
        # for every widget class (the viewport is a plain QWidget made by Qt), ~4% of start-up.
        room = int(header.width() * self.REFERENCE_SHARE)
        header.resizeSection(0, max(1, min(needed, room)))

    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802 (Qt's name)
        super().resizeEvent(event)
        self.fit_reference(force=True)

    def showEvent(self, event) -> None:  # noqa: ANN001, N802 (Qt's name)
        super().showEvent(event)
        self.fit_reference(force=True)  # the rows may have changed while it was hidden

    def changeEvent(self, event) -> None:  # noqa: ANN001, N802 (Qt's name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.fit_reference()


def _table(model: AssessmentTableModel, name: str, parent: QWidget) -> QTableView:
    view = ReferenceFirstTable(parent)
    view.setModel(model)  # first: the header's sections exist from here
    # (not an override of setModel: a Python override of it cost start-up ~10 ms a table)
    for signal in (model.modelReset, model.rowsInserted, model.dataChanged,
                   model.layoutChanged):
        signal.connect(view.fit_reference)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setTabKeyNavigation(False)
    view.verticalHeader().hide()
    view.horizontalHeader().setAccessibleName(f"{name}: columns")
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    for column in range(model.columnCount()):
        if model.headerData(column, Qt.Orientation.Horizontal) in ("Age", "Status"):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)  # fit_reference
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    view.fit_reference()
    return view


def _date_filter(name: str, parent: QWidget) -> QDateEdit:
    edit = DateField(parent)
    edit.setAccessibleName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setMinimumDate(ANY_DATE)
    edit.setMaximumDate(QDate.currentDate().addDays(1))
    edit.setSpecialValueText("Any date")
    edit.setDate(ANY_DATE)
    return edit


def _date_value(edit: QDateEdit) -> dt.date | None:
    date = edit.date()
    return None if date == ANY_DATE else dt.date(date.year(), date.month(), date.day())


if TYPE_CHECKING:
    from ...app import Workspace

class HomePage(QWidget):
    start_requested = Signal()
    open_requested = Signal(str)
    font_scale_changed = Signal(float)

    def __init__(self, font_scale: float = 1.0, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("home")
        self.ws: Workspace | None = None
        layout = QVBoxLayout(self)

        top = QHBoxLayout()
        top.addWidget(heading("Heard", 1, self), 1)
        size_label = PlainLabel("Text size", self, wrap=False)
        self.text_size = DropDown(self)
        self.text_size.setAccessibleName("Text size")
        for scale in FONT_SCALES:
            self.text_size.addItem(f"{scale:.0%}", scale)
        closest = min(range(len(FONT_SCALES)), key=lambda n: abs(FONT_SCALES[n] - font_scale))
        self.text_size.setCurrentIndex(closest)
        self.text_size.currentIndexChanged.connect(
            lambda n: self.font_scale_changed.emit(float(self.text_size.itemData(n))))
        size_label.setBuddy(self.text_size)
        top.addWidget(size_label)
        top.addWidget(self.text_size)
        layout.addLayout(top)
        layout.addWidget(PlainLabel(
            "A few minutes to look beyond the presenting issue: emotional wellbeing, "
            "communication needs and the child's own words.", self))

        self.banner = Banner(self)
        layout.addWidget(self.banner)

        self.start_button = QPushButton("&Start a new assessment", self)
        self.start_button.setAccessibleName("Start a new assessment")
        self.start_button.setAutoDefault(True)
        set_primary(self.start_button)
        self._size_start_button()
        self.start_button.clicked.connect(self.start_requested)
        layout.addWidget(self.start_button)

        self.drafts_title = heading("Drafts to finish", 2, self)
        layout.addWidget(self.drafts_title)
        self.drafts_note = PlainLabel("Loading…", self)
        layout.addWidget(self.drafts_note)
        self.drafts = AssessmentTableModel(DRAFT_COLUMNS, self)
        self.drafts_view = _table(self.drafts, "Drafts to finish", self)
        self.drafts_view.activated.connect(self._open_draft)
        self.drafts_view.doubleClicked.connect(self._open_draft)
        layout.addWidget(self.drafts_view, 2)
        self.resume_button = QPushButton("&Resume selected draft", self)
        self.resume_button.setAutoDefault(True)
        self.resume_button.clicked.connect(
            lambda: self._open_draft(self.drafts_view.currentIndex()))
        layout.addWidget(self.resume_button)

        layout.addWidget(heading("Find a past assessment", 2, self))
        grid = QGridLayout()
        self.reference = QLineEdit(self)
        self.reference.setAccessibleName("Reference starts with")
        self.reference.setMaxLength(100)
        self.reference.returnPressed.connect(self.search)
        self.setting = DropDown(self)
        self.setting.setAccessibleName("Setting")
        self.setting.addItem("Any setting", None)
        for code, name in SETTING_NAMES.items():
            self.setting.addItem(name, code)
        self.on_or_after = _date_filter("Started on or after", self)
        self.before = _date_filter("Started before", self)
        for column, (text, field) in enumerate((
                ("Reference", self.reference), ("Setting", self.setting),
                ("Started on or after", self.on_or_after), ("Started before", self.before))):
            label = PlainLabel(text, self, wrap=False)
            label.setBuddy(field)
            grid.addWidget(label, 0, column)
            grid.addWidget(field, 1, column)
        self.search_button = QPushButton("Sear&ch", self)
        self.search_button.setAccessibleName("Search past assessments")
        self.search_button.setAutoDefault(True)
        self.search_button.clicked.connect(self.search)
        grid.addWidget(self.search_button, 1, 4)
        layout.addLayout(grid)
        self.results_note = PlainLabel("", self)
        layout.addWidget(self.results_note)
        self.results = AssessmentTableModel(SEARCH_COLUMNS, self)
        self.results_view = _table(self.results, "Search results", self)
        self.results_view.activated.connect(self._open_result)
        self.results_view.doubleClicked.connect(self._open_result)
        layout.addWidget(self.results_view, 2)
        self.open_button = QPushButton("&Open selected assessment", self)
        self.open_button.setAutoDefault(True)
        self.open_button.clicked.connect(
            lambda: self._open_result(self.results_view.currentIndex()))
        layout.addWidget(self.open_button)
        self._enable(False)

    def _size_start_button(self) -> None:
        """Over twice the text's height, from the text size now, so that it grows with the
        text and going back from 200% to 100% text shrinks it again (walk finding)."""
        self.start_button.setMinimumHeight(
            round(self.start_button.fontMetrics().height() * 2.2))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange):
            self._size_start_button()

    def _enable(self, ready: bool) -> None:
        for w in (self.start_button, self.resume_button, self.search_button, self.open_button):
            w.setEnabled(ready)

    # -- data -------------------------------------------------------------------------------
    def set_workspace(self, ws: Workspace) -> None:
        self.ws = ws
        self._enable(True)
        self.refresh()
        self.search()  # no filters: the most recently saved assessments

    def show_problem(self, message: str) -> None:
        self.drafts_note.setText("")
        self.banner.show_message(message)

    def refresh(self) -> None:
        if self.ws is None:
            return
        from ...app import StoreError

        try:
            rows = self.ws.list_drafts()
        except StoreError as exc:
            self.show_problem(str(exc))
            return
        self.drafts.set_rows(rows)
        self.drafts_title.setText(f"Drafts to finish ({len(rows)})" if rows
                                  else "Drafts to finish")
        # Only the drafts this user may see (their team's): never "every assessment here is
        # complete", which another team's draft would make untrue (walk finding).
        team = self.ws.team
        self.drafts_note.setText("" if rows else f"No drafts to finish in {team}." if team
                                 else "No drafts to finish.")
        self.drafts_note.setVisible(not rows)
        self.resume_button.setEnabled(bool(rows))
        if rows:
            self.drafts_view.selectRow(0)

    def search(self) -> None:
        if self.ws is None:
            return
        from ...app import StoreError

        try:
            rows = self.ws.search(reference=self.reference.text().strip() or None,
                                     setting=self.setting.currentData(),
                                     on_or_after=_date_value(self.on_or_after),
                                     before=_date_value(self.before))
        except StoreError as exc:
            self.show_problem(str(exc))
            return
        self.results.set_rows(rows)
        self.results_note.setText(f"{len(rows)} found" if rows else "Nothing found.")
        if rows:
            self.results_view.selectRow(0)

    def _open_draft(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(self.drafts.row_at(index.row()).id)

    def _open_result(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(self.results.row_at(index.row()).id)

    def focus_start(self) -> None:
        self.start_button.setFocus()
