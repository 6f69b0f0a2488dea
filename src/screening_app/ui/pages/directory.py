"""The directory of services (administrators edit Heard's local additions here) and the
panel of suggested services for the review page.

``DirectoryPage(directory, user=..., editable=...)`` takes a
:class:`~screening_app.store.directory.Directory` (``editable`` for administrators: import,
local additions, the ORUK alert); ``NeedMappingEditor(directory, user=...)`` edits the need
mapping; ``SuggestedServicesPanel()`` shows a list of
:class:`~screening_app.services.matching.Suggestion` given to ``set_suggestions``. Every
text is plain (never markup); every failure is a one-line banner, never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...app import StoreError
from ...services.errors import DirectoryError, ImportRefused
from ...services.files import read_directory
from ...services.matching import Suggestion
from ...services.model import ACCESS_ROUTES, SECTORS, DirectoryEntry, LocalAdditions
from ..widgets import (
    Banner,
    DropDown,
    NumberField,
    PlainLabel,
    button_text,
    form_row,
    heading,
    hint,
    name_headers,
)

if TYPE_CHECKING:
    from ...app import Directory

COLUMNS = ("Service", "Ages", "How to get in", "Typical wait", "Sector", "Assured", "Status")
NO_WAIT = -1  # the spin box's "not recorded"


def _ages(entry: DirectoryEntry) -> str:
    low, high = entry.record.get("minimum_age"), entry.record.get("maximum_age")
    if low is None and high is None:
        return "any age"
    return f"{low if low is not None else 0} to {high if high is not None else 'any'}"


def _wait(days: int | None) -> str:
    if days is None:
        return "not recorded"
    return "same day" if days == 0 else f"{days} days"


def _cell(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
    return item


class LocalAdditionsEditor(QWidget):
    """Heard's additions to one ORUK entry: access routes, typical wait, sector, notes."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        form = QFormLayout(self)
        routes = QWidget(self)
        row = QHBoxLayout(routes)
        row.setContentsMargins(0, 0, 0, 0)
        self.routes: dict[str, QCheckBox] = {}
        for route in ACCESS_ROUTES:
            box = QCheckBox(button_text(route.replace("-", " ")), routes)
            box.setAccessibleName(f"Access route: {route.replace('-', ' ')}")
            self.routes[route] = box
            row.addWidget(box)
        form_row(form, "How to get in", routes)
        self.wait = NumberField(self)
        self.wait.setRange(NO_WAIT, 3650)
        self.wait.setSpecialValueText("not recorded")
        self.wait.setSuffix(" days")
        self.wait.setAccessibleName("Typical wait in days")
        form_row(form, "Typical wait", self.wait)
        self.sector = DropDown(self)
        self.sector.addItem("not recorded", None)
        for sector in SECTORS:
            self.sector.addItem(sector.replace("-", " "), sector)
        self.sector.setAccessibleName("Sector")
        form_row(form, "Sector", self.sector)
        self.notes = QPlainTextEdit(self)
        self.notes.setAccessibleName("Local notes")
        self.notes.setMaximumHeight(70)
        form_row(form, "Local notes", self.notes)
        self.alert = QLineEdit(self)
        self.alert.setAccessibleName("Alert (a temporary change, shown with every suggestion)")
        self.alert.setPlaceholderText("A temporary change, e.g. closed until 4 January")
        form_row(form, "Alert (ORUK)", self.alert)

    def set_local(self, local: LocalAdditions) -> None:
        for route, box in self.routes.items():
            box.setChecked(route in local.access_routes)
        self.wait.setValue(NO_WAIT if local.typical_wait_days is None
                           else local.typical_wait_days)
        self.sector.setCurrentIndex(max(self.sector.findData(local.sector), 0))
        self.notes.setPlainText(local.local_notes or "")

    def local(self) -> LocalAdditions:
        wait = self.wait.value()
        return LocalAdditions(
            access_routes=tuple(r for r, box in self.routes.items() if box.isChecked()),
            typical_wait_days=None if wait == NO_WAIT else wait,
            sector=self.sector.currentData(),
            local_notes=self.notes.toPlainText().strip() or None)


class DirectoryPage(QWidget):
    """The local directory: find a service, see its entry, import a file, and (for
    administrators) edit Heard's local additions."""

    changed = Signal()

    def __init__(self, directory: Directory, parent: QWidget | None = None, *,
                 user: str = "unknown", editable: bool = True):
        super().__init__(parent)
        self.setObjectName("directory-page")
        self.directory, self.user, self.editable = directory, user, editable
        self.entries: list[DirectoryEntry] = []
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Directory of services", 1, self))
        layout.addWidget(hint("Local services in the Open Referral UK format. Check an "
                              "entry's date before referring: services change.", self))
        self.banner = Banner(self)
        layout.addWidget(self.banner)
        bar = QHBoxLayout()
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Find a service by name")
        self.filter.setAccessibleName("Find a service")
        self.filter.textChanged.connect(self._fill)
        bar.addWidget(self.filter, 1)
        self.import_button = QPushButton("Import ORUK file...", self)
        self.import_button.clicked.connect(self._choose_file)
        bar.addWidget(self.import_button)
        layout.addLayout(bar)
        self.table = QTableWidget(0, len(COLUMNS), self)
        name_headers(self.table, "Services")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("Services")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._show_selected)
        layout.addWidget(self.table, 2)
        self.detail = PlainLabel("", self)
        self.detail.setObjectName("service-detail")
        layout.addWidget(self.detail)
        self.problems = QListWidget(self)
        self.problems.setAccessibleName("Problems in the file")
        self.problems.hide()
        layout.addWidget(self.problems, 1)
        self.editor = LocalAdditionsEditor(self)
        layout.addWidget(self.editor)
        self.save_button = QPushButton("Save changes", self)
        self.save_button.clicked.connect(self._save)
        layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignRight)
        # Only administrators change the directory (the store refuses anyone else too).
        for widget in (self.editor, self.save_button, self.import_button):
            widget.setVisible(editable)
        self.refresh()

    # -- data -------------------------------------------------------------------------------
    def refresh(self) -> None:
        try:
            self.entries = self.directory.entries()
        except StoreError as exc:
            self.banner.show_message(str(exc))
            self.entries = []
        self._fill()

    def _visible(self) -> list[DirectoryEntry]:
        wanted = self.filter.text().strip().casefold()
        return [e for e in self.entries if wanted in e.name.casefold()]

    def _fill(self) -> None:
        shown = self._visible()
        self.table.setRowCount(len(shown))
        for row, e in enumerate(shown):
            routes = ", ".join(r.replace("-", " ") for r in e.local.access_routes)
            values = (e.name, _ages(e), routes or "not recorded",
                      _wait(e.local.typical_wait_days), (e.local.sector or "").replace("-", " "),
                      str(e.record.get("assured_date") or "never"), str(e.record["status"]))
            for column, text in enumerate(values):
                self.table.setItem(row, column, _cell(text))
        if shown:
            self.table.selectRow(0)
        self._show_selected()

    def selected(self) -> DirectoryEntry | None:
        rows = self.table.selectionModel().selectedRows()
        shown = self._visible()
        return shown[rows[0].row()] if rows and rows[0].row() < len(shown) else None

    def _show_selected(self) -> None:
        entry = self.selected()
        self.editor.setEnabled(entry is not None)
        self.save_button.setEnabled(entry is not None)
        if entry is None:
            self.detail.setText("No service chosen." if self.entries else
                                "The directory is empty: import your area's ORUK file.")
            return
        service = entry.service
        lines = [service.description or "(no description)"]
        if service.organization:
            lines.append(f"Run by {service.organization.name}")
        contact = " / ".join(x for x in (service.url, service.email) if x)
        if contact:
            lines.append(f"Contact: {contact}")
        if service.alert:
            lines.append(f"Alert: {service.alert}")
        lines.append(f"Entry assured {service.assured_date or 'never'}; last changed "
                     f"{service.last_modified or 'unknown'}")
        self.detail.setText("\n".join(lines))
        self.editor.set_local(entry.local)
        self.editor.alert.setText(str(entry.record.get("alert") or ""))

    # -- actions ----------------------------------------------------------------------------
    def _choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Import an ORUK file", "",
                                              "ORUK JSON or datapackage (*.json)")
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> bool:
        """Import ``path`` whole, or show every problem and import nothing."""
        self.problems.clear()
        self.problems.hide()
        try:
            read = read_directory(path)
            summary = self.directory.import_entries(read.entries, by=self.user,
                                                    source=read.source)
        except ImportRefused as refused:
            for problem in refused.problems:
                QListWidgetItem(str(problem), self.problems)
            self.problems.show()
            self.banner.show_message(f"{refused.source}: nothing imported, "
                                     f"{len(refused.problems)} problem(s) listed below")
            return False
        except (DirectoryError, StoreError) as exc:
            self.banner.show_message(str(exc))
            return False
        note = f" ({read.notes[0]})" if read.notes else ""
        self.banner.show_message(f"Imported {len(read.entries)} service(s) from {read.source}: "
                                 f"{summary.added} new, {summary.updated} updated{note}",
                                 error=False)
        self.refresh()
        self.changed.emit()
        return True

    def _save(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        try:
            local = self.editor.local()
            record = {k: v for k, v in entry.record.items() if k != "alert"}
            alert = self.editor.alert.text().strip()
            if alert:
                record["alert"] = alert
            self.directory.save_entry(DirectoryEntry(record, local), by=self.user)
        except (DirectoryError, StoreError, ValueError) as exc:
            self.banner.show_message(str(exc).splitlines()[0])
            return
        self.banner.show_message(f"Saved {entry.name}", error=False)
        chosen = entry.id
        self.refresh()
        for row, e in enumerate(self._visible()):
            if e.id == chosen:
                self.table.selectRow(row)
        self.changed.emit()


class SuggestedServicesPanel(QWidget):
    """Suggested services for the review page: best first, each with why, its freshness and
    any alert. ``chosen`` gives the service id to refer to."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("suggested-services")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = heading("Suggested services", 2, self)
        layout.addWidget(self.title)
        self.empty = PlainLabel("No service in the directory fits these needs.", self)
        layout.addWidget(self.empty)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Suggested services")
        self.list.setWordWrap(True)
        self.list.currentRowChanged.connect(self._show)
        self.list.setMaximumHeight(self.list.fontMetrics().lineSpacing() * 8 + 8)
        layout.addWidget(self.list)
        self.detail = PlainLabel("", self)
        self.detail.setObjectName("suggestion-detail")
        layout.addWidget(self.detail)
        self.refer = QPushButton("Refer to this service", self)
        self.refer.clicked.connect(self._refer)
        layout.addWidget(self.refer, 0, Qt.AlignmentFlag.AlignRight)
        layout.addStretch(1)
        self.suggestions: list[Suggestion] = []
        self.set_suggestions([])

    def set_suggestions(self, suggestions: list[Suggestion]) -> None:
        self.suggestions = list(suggestions)
        self.list.clear()
        for s in self.suggestions:
            marks = []
            if s.level == "act-now":
                marks.append("act now")
            if s.alert:
                marks.append("alert")
            if s.stale:
                marks.append("check entry")
            suffix = f"  [{', '.join(marks)}]" if marks else ""
            QListWidgetItem(f"{s.name}: {', '.join(t.replace('-', ' ') for t in s.needs_met)}"
                            f"{suffix}", self.list)
        self.empty.setVisible(not self.suggestions)
        self.list.setVisible(bool(self.suggestions))
        self.refer.setVisible(bool(self.suggestions))
        self.title.setText(f"Suggested services ({len(self.suggestions)})"
                           if self.suggestions else "Suggested services")
        if self.suggestions:
            self.list.setCurrentRow(0)
        self._show(self.list.currentRow())

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self.suggestions):
            self.detail.setText("")
            return
        s = self.suggestions[row]
        lines = [f"Why: {reason}" for reason in s.why]
        if s.alert:
            lines.append(f"Alert: {s.alert}")
        contact = " / ".join(x for x in (s.url, s.email) if x)
        if contact:
            lines.append(f"Contact: {contact}")
        lines.append(f"Entry assured {s.assured_date or 'never'}; last changed "
                     f"{s.last_modified or 'unknown'}")
        self.detail.setText("\n".join(lines))

    def _refer(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.suggestions):
            self.chosen.emit(self.suggestions[row].service_id)


class NeedMappingEditor(QWidget):
    """Administrators: which taxonomy terms of the local feed answer each need tag.
    ``NeedMappingEditor(directory)``; terms are written ``taxonomy:term``, separated by ';'."""

    changed = Signal()

    def __init__(self, directory: Directory, parent: QWidget | None = None, *,
                 user: str = "unknown"):
        super().__init__(parent)
        self.setObjectName("need-mapping")
        self.directory, self.user = directory, user
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Need tags and taxonomy terms", 2, self))
        layout.addWidget(hint("Map each need Heard raises to the terms your directory uses "
                              "(for example esdNeeds). Empty: the need maps to nothing.", self))
        self.banner = Banner(self)
        layout.addWidget(self.banner)
        self.table = QTableWidget(0, 2, self)
        name_headers(self.table, "Need mapping")
        self.table.setHorizontalHeaderLabels(("Need tag", "Taxonomy terms (taxonomy:term; ...)"))
        self.table.setAccessibleName("Need mapping")
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.save_button = QPushButton("Save the chosen row", self)
        self.save_button.clicked.connect(self._save)
        layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignRight)
        self.refresh()

    def refresh(self) -> None:
        try:
            terms = self.directory.need_map().terms
        except StoreError as exc:
            self.banner.show_message(str(exc))
            return
        self.table.setRowCount(len(terms))
        for row, (tag, pairs) in enumerate(sorted(terms.items())):
            self.table.setItem(row, 0, _cell(tag))
            item = QTableWidgetItem("; ".join(f"{t}:{v}" for t, v in pairs))
            item.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
                          | Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, 1, item)

    def _save(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            self.banner.show_message("Choose a row first")
            return
        tag = self.table.item(row, 0).text()
        pairs = []
        for part in (p.strip() for p in self.table.item(row, 1).text().split(";")):
            if not part:
                continue
            taxonomy, sep, term = part.partition(":")
            if not sep or not taxonomy.strip() or not term.strip():
                self.banner.show_message(f"{part!r}: write each term as taxonomy:term")
                return
            pairs.append((taxonomy.strip(), term.strip()))
        try:
            self.directory.set_mapping(tag, pairs, by=self.user)
        except StoreError as exc:
            self.banner.show_message(str(exc))
            return
        self.banner.show_message(f"Saved the terms for {tag}", error=False)
        self.refresh()
        self.changed.emit()
