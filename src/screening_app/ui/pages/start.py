"""Start: the setting, the child's age or date of birth, a reference.

Why the child is seen is asked once, on page 1, by the setting's own reason question (in
its words, from the content), not here as well (walkthrough defect 16)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QEvent, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...app import OpenAssessment, RuleRefused, SessionError, StoreError, Workspace, age_on
from ...content.models import SETTINGS
from ...wording import setting_name
from ..items.wrapping import WrappingRadioButton
from ..theme import set_primary
from ..widgets import DateField, DropDown, NumberField, PlainLabel, heading, hint

NO_DATE = QDate(1900, 1, 1)


MAX_TYPED_AGE = 25


class StartPage(QWidget):
    started = Signal(object)  # OpenAssessment
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("start")
        self.ws: Workspace | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Start a new assessment", 1, self))
        layout.addWidget(PlainLabel(
            "Only what this setting needs. A pseudonymous reference is fine: do not type the "
            "child's name.", self))
        form = QFormLayout()

        self.setting = DropDown(self)
        self.setting.setAccessibleName("Setting")
        self.setting.currentIndexChanged.connect(self._setting_changed)
        self._row(form, "&Setting", self.setting)
        self.pathway_note = hint("", self)
        form.addRow(self.pathway_note)

        # The design's indicator (filled, with a tick) and no Fusion focus fill (walk finding)
        self.by_age = WrappingRadioButton("Age in &years", self)
        self.by_dob = WrappingRadioButton("Date of &birth", self)
        self.by_age.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.by_age)
        group.addButton(self.by_dob)
        self.age = NumberField(self)
        self.age.setAccessibleName("Age in years")
        self.age.setSpecialValueText("Choose")
        self.dob = DateField(self)
        self.dob.setAccessibleName("Date of birth")
        self.dob.setDisplayFormat("dd/MM/yyyy")
        self.dob.setCalendarPopup(True)
        self.dob.setMinimumDate(NO_DATE)
        self.dob.setMaximumDate(QDate.currentDate())
        self.dob.setSpecialValueText("Choose")
        self.dob.setDate(NO_DATE)
        self.dob.setEnabled(False)
        self.by_age.toggled.connect(self._age_mode)
        age_row = QHBoxLayout()
        age_row.addWidget(self.by_age)
        age_row.addWidget(self.age)
        age_row.addSpacing(24)
        age_row.addWidget(self.by_dob)
        age_row.addWidget(self.dob)
        age_row.addStretch(1)
        form.addRow(PlainLabel("Child's age", self, wrap=False), age_row)

        self.reference = QLineEdit(self)
        self.reference.setMaxLength(100)
        self.reference.setAccessibleName("Reference (pseudonymous)")
        self.reference.setPlaceholderText("e.g. ED-2291 or custody record number")
        self._row(form, "&Reference", self.reference)
        layout.addLayout(form)

        self.problem = PlainLabel("", self)
        self.problem.setObjectName("start-problem")
        keep = self.problem.sizePolicy()  # its line stays reserved: Start never moves away
        keep.setRetainSizeWhenHidden(True)  # from under the pointer (walk finding)
        self.problem.setSizePolicy(keep)
        self.problem.hide()
        layout.addWidget(self.problem)
        buttons = QHBoxLayout()
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setAutoDefault(True)
        self.cancel_button.clicked.connect(self.cancelled)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        self.start_button = QPushButton("Start &assessment", self)
        self.start_button.setAutoDefault(True)
        set_primary(self.start_button)
        self.start_button.clicked.connect(self.start)
        buttons.addWidget(self.start_button)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self._fit_width()
        self.reference.returnPressed.connect(self.start)
        order = [self.setting, self.by_age, self.age, self.by_dob, self.dob, self.reference,
                 self.start_button, self.cancel_button]
        for before, after in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(before, after)

    def _fit_width(self) -> None:
        self.setMaximumWidth(self.fontMetrics().averageCharWidth() * 110)

    def event(self, event: QEvent) -> bool:
        # A live text-size change re-lays the form out (its width limit follows the text).
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange):
            self._fit_width()
        return super().event(event)

    def _row(self, form: QFormLayout, text: str, field: QWidget) -> None:
        label = PlainLabel(text.replace("&", ""), self, wrap=False)
        label.setBuddy(field)
        form.addRow(label, field)

    def prepare(self, ws: Workspace, last_setting: str | None) -> None:
        """Fresh fields, the installed pathways, the setting used last here preselected."""
        self.ws = ws
        self.setting.blockSignals(True)
        self.setting.clear()
        for code in SETTINGS:
            if code in ws.catalog.pathways:
                self.setting.addItem(ws.catalog.pathway(code).title or setting_name(code), code)
        preferred = last_setting or ws.default_setting()
        index = self.setting.findData(preferred) if preferred else -1
        self.setting.setCurrentIndex(max(index, 0))
        self.setting.blockSignals(False)
        self._setting_changed()
        self.by_age.setChecked(True)
        self.age.setValue(self.age.minimum())
        self.dob.setDate(NO_DATE)
        self.reference.clear()
        self.problem.hide()
        self.setting.setFocus()

    def _pathway(self):  # noqa: ANN202
        code = self.setting.currentData()
        return self.ws.catalog.pathway(code) if self.ws and code else None

    def _setting_changed(self) -> None:
        pathway = self._pathway()
        if pathway is None:
            self.pathway_note.setText("No pathways are installed.")
            self.start_button.setEnabled(False)
            return
        low = pathway.ages.min if pathway.ages.min is not None else 0
        high = pathway.ages.max if pathway.ages.max is not None else 25
        unset = self.age.value() == self.age.minimum()
        # Any age can be typed (the lowest value shows "Choose"): one outside the pathway
        # is refused by the core with its range, not silently cleared (walk finding).
        self.age.setRange(-1, max(high, MAX_TYPED_AGE))
        if unset:
            self.age.setValue(self.age.minimum())
        note = f"For children aged {low} to {high}."
        if pathway.description:
            note = f"{pathway.description.strip()} {note}"
        self.pathway_note.setText(note)
        self.start_button.setEnabled(True)

    def _age_mode(self, by_age: bool) -> None:
        self.age.setEnabled(by_age)
        self.dob.setEnabled(not by_age)

    def _fail(self, message: str) -> None:
        self.problem.setText(message)
        self.problem.show()

    def child_age(self) -> tuple[int | None, dt.date | None]:
        if self.by_age.isChecked():
            value = self.age.value()
            return (None if value == self.age.minimum() else value), None
        date = self.dob.date()
        if date == NO_DATE:
            return None, None
        born = dt.date(date.year(), date.month(), date.day())
        return age_on(born), born

    def start(self) -> None:
        if self.ws is None:
            return
        pathway = self._pathway()
        if pathway is None:
            return
        age, born = self.child_age()
        if age is None:
            self._fail("Give the child's age or date of birth.")
            (self.age if self.by_age.isChecked() else self.dob).setFocus()
            return
        try:  # the age rule is the workspace's: the command line keeps the same one
            opened: OpenAssessment = self.ws.start(
                setting=self.setting.currentData(), age=age,
                reference=self.reference.text().strip() or None, date_of_birth=born)
        except (SessionError, StoreError, RuleRefused) as exc:
            self._fail(str(exc)[:1].upper() + str(exc)[1:] + ".")
            return
        self.problem.hide()
        self.started.emit(opened)
