"""Defect 16: why the child is seen is asked once, on page 1, in the setting's own words
(the content's reason question); the Start page no longer asks for a "presenting issue",
and the review's summary gives the answer under the setting's own label."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QLineEdit

from .helpers import click, start_assessment

REASON = {"ed": ("ed-triage", "reason"), "gp": ("gp-consult", "reason"),
          "school-nurse": ("school-health", "reason"),
          "custody": ("custody-booking", "reason")}


def visible_texts(widget) -> str:  # noqa: ANN001
    labels = [w.text() for w in widget.findChildren(QLabel) if w.isVisible()]
    fields = [w.placeholderText() + w.accessibleName()
              for w in widget.findChildren(QLineEdit) if w.isVisible()]
    return " ".join(labels + fields)


@pytest.mark.parametrize("setting", sorted(REASON))
def test_the_reason_is_asked_once_in_the_settings_words(window, qtbot, ctx, setting):
    click(qtbot, window.home.start_button)
    page = window.start_page
    page.setting.setCurrentIndex(page.setting.findData(setting))
    start_text = visible_texts(page)
    assert "Presenting issue" not in start_text
    assert "Why the child is here" not in start_text
    click(qtbot, window.start_page.cancel_button)
    age = 15
    opened = start_assessment(window, qtbot, setting, age=age, reference=f"ONCE-{setting}")
    module, item_id = REASON[setting]
    item = ctx.catalog.module(module).item(item_id)
    widget = window.walkthrough.view.widget_for(item_id)
    assert widget is not None, "the reason question is on page 1"
    assert widget.prompt_label.text() == item.prompt_for(setting)
    walk_text = visible_texts(window.walkthrough)
    assert "Presenting issue" not in walk_text
    first = next(v for v in widget.values if v != "declined")
    click(qtbot, widget.buttons[widget.values.index(first)])
    window.show_review(window.assessment)
    summary = window.review.findChild(QLabel, "review-summary").text()
    label = ctx.catalog.pathway(setting).reason_label
    assert f"{label}: {item.label_for(first)}" in summary
    assert "Presenting issue" not in summary
    assert opened.record.presenting_issue is None
