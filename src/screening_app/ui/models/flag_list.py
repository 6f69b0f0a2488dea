"""The live flags panel: each raised flag with its level, in the engine's order."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from ...wording import LEVEL_NAMES
from ..theme import is_dark, level_colour

if TYPE_CHECKING:
    from ...engine.results import RaisedFlag

FlagRole = Qt.ItemDataRole.UserRole
AcknowledgedRole = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex


class FlagListModel(QAbstractListModel):
    def __init__(self, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self._flags: list[RaisedFlag] = []
        self._acknowledged: set[str] = set()
        self._colours: dict = {}

    def set_flags(self, flags: Iterable[RaisedFlag], acknowledged: Iterable[str] = ()) -> None:
        """Update row by row (inserts and removals) so that views keep their current row
        and lay out only what changed; a reorder falls back to a reset."""
        new = list(flags)
        acks = set(acknowledged)
        self._colours = {}
        old_ids = [f.id for f in self._flags]
        new_ids = [f.id for f in new]
        if [i for i in old_ids if i in new_ids] != [i for i in new_ids if i in old_ids]:
            self.beginResetModel()
            self._flags, self._acknowledged = new, acks
            self.endResetModel()
            return
        for row in reversed(range(len(self._flags))):
            if self._flags[row].id not in new_ids:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._flags[row]
                self.endRemoveRows()
        for row, flag in enumerate(new):
            if row >= len(self._flags) or self._flags[row].id != flag.id:
                self.beginInsertRows(QModelIndex(), row, row)
                self._flags.insert(row, flag)
                self.endInsertRows()
        changed = [row for row, flag in enumerate(new)
                   if (flag.id in acks) != (flag.id in self._acknowledged)
                   or flag != self._flags[row]]
        self._flags, self._acknowledged = new, acks
        for row in changed:
            index = self.index(row)
            self.dataChanged.emit(index, index)

    def flag_at(self, row: int) -> RaisedFlag:
        return self._flags[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._flags)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._flags):
            return None
        flag = self._flags[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            done = " (acknowledged)" if flag.id in self._acknowledged else ""
            return f"{LEVEL_NAMES.get(flag.level, flag.level)}: {flag.title}{done}"
        if role == Qt.ItemDataRole.ForegroundRole:
            # Per scheme: a live switch to dark must not keep light-scheme red (walk finding).
            key = (flag.level, is_dark())
            if key not in self._colours:
                self._colours[key] = level_colour(flag.level)
            return self._colours[key]
        if role == FlagRole:
            return flag
        if role == AcknowledgedRole:
            return flag.id in self._acknowledged
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
