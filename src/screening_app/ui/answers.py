"""Answers in plain words, for the review and the flags panel. No Qt here."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..content.models import DECLINED, Item, ItemType


def answer_text(item: Item, value: Any) -> str:
    """An answer as the practitioner would say it."""
    if value is None:
        return "Not answered"
    if value == DECLINED:
        return "Declined to answer"
    if item.type in (ItemType.YES_NO, ItemType.SINGLE_CHOICE):
        return item.label_for(str(value))
    if item.type == ItemType.MULTI_CHOICE:
        return "; ".join(item.label_for(c) for c in value) or "None of these"
    if item.type in (ItemType.SCALE, ItemType.NUMBER):
        unit = f" {item.unit}" if item.unit else ""
        return f"{value:g}{unit}" if isinstance(value, float) else f"{value}{unit}"
    if item.type == ItemType.DATE:
        try:
            return dt.date.fromisoformat(value).strftime("%d %b %Y")
        except (TypeError, ValueError):
            return str(value)
    return str(value)
