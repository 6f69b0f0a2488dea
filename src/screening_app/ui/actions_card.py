"""The action card of one assessment: its actions (owner, due date, status, service,
outcome), adding one from a flag or recommendation, check-ins that repeat, did-not-attend,
and escalations with their outcomes.

``EscalationForm(actions, assessment_id, user=..., suggested_to=...)`` is the escalation
part on its own (for the act-now card). ``ActionsCard(actions, assessment_id, result,
user=...)`` takes an
:class:`~screening_app.store.actions.Actions`, the assessment id and its result (the result
format: ``flags`` and ``recommendations``). ``set_service(service_id)`` fills in the service
of a referral (wire it to ``SuggestedServicesPanel.chosen``). The rules live in the store;
this card only shows and asks.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..app import StoreError
from .widgets import (
    Banner,
    DateField,
    DropDown,
    NumberField,
    form_row,
    heading,
    name_headers,
)

if TYPE_CHECKING:
    from ..app import Actions, ActionView

COLUMNS = ("#", "What", "Kind", "Owner", "Due", "Status", "Service", "Outcome")
MANUAL = "manual"


def _cell(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
    return item


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _run_and_report(widget: ActionsCard | EscalationForm, call, ok: str) -> bool:  # noqa: ANN001
    """Make one store call; say what happened on the widget's banner, then show the new
    state and tell whoever listens that something changed."""
    try:
        call()
    except StoreError as exc:
        widget.banner.show_message(str(exc))
        return False
    widget.banner.show_message(ok, error=False)
    widget.refresh()
    widget.changed.emit()
    return True


class ActionsCard(QWidget):
    changed = Signal()

    def __init__(self, actions: Actions, assessment_id: str, result: dict, *,
                 user: str = "unknown", today: dt.date | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("actions-card")
        self.actions, self.assessment_id, self.result = actions, assessment_id, result
        self.user = user
        self.today = today or dt.datetime.now(dt.UTC).date()
        self.rows: list[ActionView] = []
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Actions", 2, self))
        self.banner = Banner(self)
        layout.addWidget(self.banner)
        self.table = QTableWidget(0, len(COLUMNS), self)
        name_headers(self.table, "Actions")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("Actions for this assessment")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        # Long service names and outcomes wrap in a fixed width instead of starving "What".
        for column, width in ((6, 220), (7, 200)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(column, width)
        # Wrapped rows follow the column widths (which settle only once the card is laid out).
        header.sectionResized.connect(lambda *_: self.table.resizeRowsToContents())
        layout.addWidget(self.table, 1)
        change = QHBoxLayout()
        self.outcome = QLineEdit(self)
        self.outcome.setPlaceholderText("Outcome (what happened)")
        self.outcome.setAccessibleName("Outcome")
        change.addWidget(self.outcome, 1)
        self.done_button = QPushButton("Done", self)
        self.done_button.clicked.connect(lambda: self._update("done"))
        self.dna_button = QPushButton("Did not attend", self)
        self.dna_button.clicked.connect(lambda: self._update("did-not-attend"))
        self.outcome_button = QPushButton("Record outcome", self)
        self.outcome_button.clicked.connect(lambda: self._update(None))
        for button in (self.done_button, self.dna_button, self.outcome_button):
            change.addWidget(button)
        layout.addLayout(change)
        layout.addWidget(self._add_box())
        self.escalation = EscalationForm(actions, assessment_id, user=user, parent=self)
        self.escalation.changed.connect(self.changed)
        layout.addWidget(self.escalation)
        self.refresh()

    # -- building ---------------------------------------------------------------------------
    def _add_box(self) -> QGroupBox:
        box = QGroupBox("Add an action", self)
        form = QFormLayout(box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.source = DropDown(box)
        self.source.setAccessibleName("From flag or recommendation")
        # Long flag titles must not widen the card past the window (elided in the box).
        self.source.setSizeAdjustPolicy(DropDown.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.source.setMinimumContentsLength(16)
        for flag in self.result.get("flags") or []:
            self.source.addItem(f"{flag.get('level')}: {flag.get('title')}",
                                f"flag:{flag.get('id')}")
        for rec in self.result.get("recommendations") or []:
            self.source.addItem(f"recommendation: {rec.get('text')}",
                                f"recommendation:{rec.get('id')}")
        self.source.addItem("something else (write it below)", MANUAL)
        form_row(form, "From", self.source)
        self.title = QLineEdit(box)
        self.title.setPlaceholderText("What is to be done (default: the flag's action)")
        self.title.setAccessibleName("What is to be done")
        form_row(form, "What", self.title)
        self.owner = QLineEdit(box)
        self.owner.setAccessibleName("Owner")
        self.owner.setText(self.user)
        form_row(form, "Owner", self.owner)
        self.due = DateField(box)
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        self.due.setDate(_qdate(self.today))
        self.due.setAccessibleName("Due date")
        form_row(form, "Due", self.due)
        self.kind = DropDown(box)
        self.kind.setAccessibleName("Kind")
        for kind in ("action", "referral", "check-in"):
            self.kind.addItem(kind, kind)
        form_row(form, "Kind", self.kind)
        self.service = QLineEdit(box)
        self.service.setPlaceholderText("Service id (choose one from the suggestions)")
        self.service.setAccessibleName("Service referred to")
        form_row(form, "Service", self.service)
        self.every = NumberField(box)
        self.every.setRange(0, 365)
        self.every.setSpecialValueText("does not repeat")
        self.every.setSuffix(" days")
        self.every.setAccessibleName("Check-in repeats every")
        form_row(form, "Repeats every", self.every)
        self.add_button = QPushButton("Add action", box)
        self.add_button.clicked.connect(self._add)
        form.addRow(self.add_button)
        return box

    # -- data -------------------------------------------------------------------------------
    def refresh(self) -> None:
        try:
            self.rows = self.actions.list(assessment_id=self.assessment_id,
                                          include_closed=True, today=self.today)
        except StoreError as exc:
            self.banner.show_message(str(exc))
            return
        self.table.setRowCount(len(self.rows))
        for row, a in enumerate(self.rows):
            status = a.status + (" (overdue)" if a.overdue(self.today) else "")
            kind = a.kind + (f", every {a.repeat_days} days" if a.repeat_days else "")
            values = (str(a.id), a.title, kind, a.owner, f"{a.due_on:%Y-%m-%d}", status,
                      a.service_name or "", a.outcome or "")
            for column, text in enumerate(values):
                self.table.setItem(row, column, _cell(text))
        self.table.resizeRowsToContents()

    def set_service(self, service_id: str) -> None:
        """A referral to this service (from the suggested services)."""
        self.service.setText(service_id)
        self.kind.setCurrentIndex(self.kind.findData("referral"))

    def selected(self) -> ActionView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows and rows[0].row() < len(self.rows) else None

    def _run(self, call, ok: str) -> bool:  # noqa: ANN001
        return _run_and_report(self, call, ok)

    def _add(self) -> None:
        qdate = self.due.date()
        due = dt.date(qdate.year(), qdate.month(), qdate.day())
        kind = self.kind.currentData()
        every = self.every.value() or None

        def add() -> None:
            self.actions.add(self.assessment_id, source=self.source.currentData(),
                             owner=self.owner.text(), due_on=due,
                             title=self.title.text().strip() or None, kind=kind,
                             service_id=self.service.text().strip() or None,
                             repeat_days=every, by=self.user, result=self.result)

        if self._run(add, "Action added"):
            self.title.clear()
            self.service.clear()
            self.every.setValue(0)

    def _update(self, status: str | None) -> None:
        action = self.selected()
        if action is None:
            self.banner.show_message("Choose an action in the list first")
            return
        outcome = self.outcome.text().strip() or None
        if status is None and outcome is None:
            self.banner.show_message("Write the outcome first")
            return

        def update() -> None:
            self.actions.update(action.id, status=status, outcome=outcome, by=self.user,
                                today=self.today)

        said = {"done": "Marked done", "did-not-attend": "Did not attend recorded; follow-up "
                "added", None: "Outcome recorded"}[status]
        if self._run(update, said):
            self.outcome.clear()


class EscalationForm(QGroupBox):
    """Escalate an assessment (to whom, why) and record what came of it. On its own for the
    act-now card (e.g. custody: to the duty inspector when a needed mental health assessment
    has not happened), and inside :class:`ActionsCard`."""

    changed = Signal()

    def __init__(self, actions: Actions, assessment_id: str, *, user: str = "unknown",
                 suggested_to: str = "", parent: QWidget | None = None):
        super().__init__("Escalation", parent)
        self.actions, self.assessment_id, self.user = actions, assessment_id, user
        self.waiting_escalation: int | None = None
        form = QFormLayout(self)
        self.banner = Banner(self)
        form.addRow(self.banner)
        self.escalate_to = QLineEdit(self)
        self.escalate_to.setPlaceholderText("e.g. duty inspector, safeguarding lead")
        self.escalate_to.setAccessibleName("Escalate to")
        self.escalate_to.setText(suggested_to)
        form_row(form, "To", self.escalate_to)
        self.escalate_reason = QLineEdit(self)
        self.escalate_reason.setAccessibleName("Reason for escalating")
        form_row(form, "Reason", self.escalate_reason)
        self.escalate_button = QPushButton("Record escalation", self)
        self.escalate_button.clicked.connect(self._escalate)
        form.addRow(self.escalate_button)
        self.escalations = QListWidget(self)
        self.escalations.setAccessibleName("Escalations")
        self.escalations.setMaximumHeight(90)
        form.addRow(self.escalations)
        outcome = QHBoxLayout()
        self.escalation_outcome = QLineEdit(self)
        self.escalation_outcome.setAccessibleName("Escalation outcome")
        self.escalation_outcome.setPlaceholderText("What came of the latest escalation")
        outcome.addWidget(self.escalation_outcome, 1)
        self.escalation_outcome_button = QPushButton("Record outcome", self)
        self.escalation_outcome_button.clicked.connect(self._escalation_outcome)
        outcome.addWidget(self.escalation_outcome_button)
        form.addRow(outcome)
        self.refresh()

    def refresh(self) -> None:
        try:
            escalations = self.actions.escalations(self.assessment_id)
        except StoreError as exc:
            self.banner.show_message(str(exc))
            return
        self.escalations.clear()
        self.waiting_escalation = None
        for e in escalations:
            outcome = f"; outcome: {e.outcome}" if e.outcome else "; outcome not recorded yet"
            QListWidgetItem(f"{e.raised_at:%Y-%m-%d %H:%M} to {e.to_role}: {e.reason}{outcome}",
                            self.escalations)
            if e.outcome is None:
                self.waiting_escalation = e.id
        self.escalation_outcome_button.setEnabled(self.waiting_escalation is not None)

    def _run(self, call, ok: str) -> bool:  # noqa: ANN001
        return _run_and_report(self, call, ok)

    def _escalate(self) -> None:
        def escalate() -> None:
            self.actions.escalate(self.assessment_id, to_role=self.escalate_to.text(),
                                  reason=self.escalate_reason.text(), by=self.user)

        if self._run(escalate, "Escalation recorded"):
            self.escalate_to.clear()
            self.escalate_reason.clear()

    def _escalation_outcome(self) -> None:
        number = self.waiting_escalation
        if number is None:
            return

        def record() -> None:
            self.actions.record_outcome(number, outcome=self.escalation_outcome.text(),
                                        by=self.user)

        if self._run(record, "Escalation outcome recorded"):
            self.escalation_outcome.clear()
