"""Defect 18 on screen: an item that is not declinable shows no "Declined to answer" (nor
"I'd rather not say") control, whatever its type; one asked of the child still does."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QAbstractButton

from screening_app.app import load_content
from screening_app.content.models import Item
from screening_app.ui.items import create_item_widget

DECLINED_WORDS = ("Declined to answer", "I'd rather not say")
OPTIONS = [{"code": "a", "label": "One"}, {"code": "b", "label": "Two"}]
TYPES = [
    {"type": "yes_no"},
    {"type": "single_choice", "options": OPTIONS},
    {"type": "multi_choice", "options": OPTIONS},
    {"type": "scale", "min": 1, "max": 5},
    {"type": "scale", "min": 0, "max": 100},
    {"type": "number", "min": 0, "max": 40},
    {"type": "date"},
    {"type": "text", "max_length": 200},
    {"type": "text"},
    {"type": "child_words"},
]


def declined_controls(widget) -> list[str]:  # noqa: ANN001
    return [b.text() for b in widget.findChildren(QAbstractButton)
            if any(w in b.text() for w in DECLINED_WORDS)]


@pytest.mark.parametrize("fields", TYPES, ids=lambda f: f"{f['type']}-{f.get('max', '')}")
@pytest.mark.parametrize("child", [False, True], ids=["staff", "child"])
def test_every_item_type_honours_declinable(qtbot, fields, child):
    for declinable in (True, False):
        it = Item.model_validate({"id": "q", "prompt": "Wording?", "declinable": declinable,
                                  **fields})
        widget = create_item_widget(it, "ed", child=child)
        qtbot.addWidget(widget)
        assert bool(declined_controls(widget)) == declinable, (fields, declinable)


def test_staff_answered_content_items_show_no_declined_option(qtbot):
    catalog = load_content()
    checked = 0
    for loaded in catalog.modules.values():
        for section in loaded.model.sections:
            for it in section.items:
                if not it.answerable or it.declinable:
                    continue
                for setting in ("ed", "custody", "gp", "school-nurse"):
                    widget = create_item_widget(it, setting)
                    qtbot.addWidget(widget)
                    assert declined_controls(widget) == [], f"{loaded.model.id}.{it.id}"
                checked += 1
    assert checked >= 40
