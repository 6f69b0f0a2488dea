"""Defect 19 on screen: an option offered only in some settings ("The appropriate adult",
"The solicitor") is shown only there; a section's intro is the setting's own."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QLabel

from screening_app.app import load_content
from screening_app.engine import AssessmentSession
from screening_app.ui.items import create_item_widget
from screening_app.ui.pages.section_view import SectionView
from screening_app.ui.plan import pages


def test_custody_only_options_are_shown_only_in_custody(qtbot):
    item = load_content().module("consent").item("present")
    for setting, expected in (("ed", False), ("gp", False), ("custody", True)):
        widget = create_item_widget(item, setting)
        qtbot.addWidget(widget)
        labels = {b.text() for b in widget.findChildren(QAbstractButton)}
        assert ("The appropriate adult" in labels) is expected, setting
        assert ("The solicitor" in labels) is expected, setting


def test_the_communication_intro_is_the_settings_own(qtbot):
    catalog = load_content()
    for setting, justice in (("ed", False), ("custody", True)):
        session = AssessmentSession(catalog, setting, 15)
        page = next(p for p in pages(session) if p.module.id == "slcn")
        view = SectionView(page, session)
        qtbot.addWidget(view)
        text = " ".join(w.text() for w in view.findChildren(QLabel))
        assert ("justice settings" in text) is justice, setting
