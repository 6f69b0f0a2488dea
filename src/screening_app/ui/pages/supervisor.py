"""The supervisor's list: assessments with act-now or refer flags whose actions are not
done (or none recorded), oldest first. ``SupervisorPage(actions)`` takes an
:class:`~screening_app.store.actions.Actions`; ``open_assessment`` gives the id chosen."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...app import StoreError
from ...wording import SETTING_NAMES
from ..widgets import Banner, PlainLabel, heading, hint, name_headers

if TYPE_CHECKING:
    from ...app import Actions, OversightRow

COLUMNS = ("Completed", "Reference", "Setting", "Flags", "Why it is here", "Open", "Overdue",
           "Oldest due", "Escalations")


def _cell(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
    return item


class SupervisorPage(QWidget):
    open_assessment = Signal(str)

    def __init__(self, actions: Actions, parent: QWidget | None = None, *,
                 today: dt.date | None = None):
        super().__init__(parent)
        self.setObjectName("supervisor-page")
        self.actions, self.today = actions, today
        self.rows: list[OversightRow] = []
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Waiting for action", 1, self))
        layout.addWidget(hint("Assessments with act-now or refer flags whose actions are not "
                              "done, oldest first. Challenge drift: escalate from the "
                              "assessment's action card.", self))
        self.banner = Banner(self)
        layout.addWidget(self.banner)
        self.empty = PlainLabel("Nothing waiting: every act-now and refer flag has its "
                                "actions done.", self)
        layout.addWidget(self.empty)
        self.table = QTableWidget(0, len(COLUMNS), self)
        name_headers(self.table, "Waiting for action")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("Assessments waiting for action")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self._open())
        layout.addWidget(self.table, 1)
        bar = QHBoxLayout()
        bar.addStretch(1)
        self.refresh_button = QPushButton("Refresh", self)
        self.refresh_button.clicked.connect(self.refresh)
        bar.addWidget(self.refresh_button)
        self.open_button = QPushButton("Open assessment", self)
        self.open_button.clicked.connect(self._open)
        bar.addWidget(self.open_button)
        layout.addLayout(bar)
        self.refresh()

    def refresh(self) -> None:
        try:
            self.rows = self.actions.oversight(today=self.today)
        except StoreError as exc:
            self.banner.show_message(str(exc))
            self.rows = []
        self.table.setRowCount(len(self.rows))
        for row, r in enumerate(self.rows):
            values = (f"{r.completed_at:%Y-%m-%d}" if r.completed_at else "draft",
                      r.reference or "(none)", SETTING_NAMES.get(r.setting, r.setting),
                      ", ".join(f"{f} ({lvl})" for f, lvl in r.flags), r.why,
                      str(r.open_actions), str(r.overdue_actions),
                      f"{r.oldest_due:%Y-%m-%d}" if r.oldest_due else "-", str(r.escalations))
            for column, text in enumerate(values):
                self.table.setItem(row, column, _cell(text))
        self.empty.setVisible(not self.rows)
        self.table.setVisible(bool(self.rows))
        self.open_button.setEnabled(bool(self.rows))
        if self.rows:
            self.table.selectRow(0)

    def _open(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows and rows[0].row() < len(self.rows):
            self.open_assessment.emit(self.rows[rows[0].row()].assessment_id)
