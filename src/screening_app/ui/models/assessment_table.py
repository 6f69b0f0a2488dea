"""Assessments listed on the home screen (drafts to resume, search results).

The model is fed rows by the page (``set_rows``) and never reads the database itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ...wording import STATUS_NAMES, setting_name, when_text

SortRole = Qt.ItemDataRole.UserRole
IdRole = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    header: str
    display: Callable[[Any], str]
    sort: Callable[[Any], Any]


COLUMNS = {
    "reference": Column("Reference", lambda r: r.reference or "(none)",
                        lambda r: r.reference or ""),
    "setting": Column("Setting", lambda r: setting_name(r.setting), lambda r: r.setting),
    "age": Column("Age", lambda r: str(r.age), lambda r: r.age),
    "status": Column("Status", lambda r: STATUS_NAMES.get(r.status, r.status)
                     + (f" (v{r.version})" if r.version > 1 else ""), lambda r: r.status),
    "created_by": Column("Started by", lambda r: r.created_by, lambda r: r.created_by),
    "created_at": Column("Started", lambda r: when_text(r.created_at), lambda r: r.created_at),
    "updated_at": Column("Last saved", lambda r: when_text(r.updated_at), lambda r: r.updated_at),
}
DRAFT_COLUMNS = ("reference", "setting", "age", "created_by", "updated_at")
SEARCH_COLUMNS = ("reference", "setting", "age", "status", "created_at", "updated_at")


class AssessmentTableModel(QAbstractTableModel):
    def __init__(self, columns: Sequence[str] = DRAFT_COLUMNS, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self._columns = [COLUMNS[c] for c in columns]
        self._rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self._columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.display(row)
        if role == SortRole:
            return column.sort(row)
        if role == IdRole:
            return row.id
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            return self._columns[section].header
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
