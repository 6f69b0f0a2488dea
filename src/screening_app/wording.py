"""Plain words for codes (settings, levels, statuses, decisions), answers and times: one
wording for the review, the terminal and the PDF. No Qt, cheap to import."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the home page uses these words before the content layer has loaded
    from .content.models import Item

SETTING_NAMES = {
    "ed": "Emergency department",
    "custody": "Police custody",
    "gp": "General practice",
    "school-nurse": "School nursing",
}
LEVEL_NAMES = {"act-now": "Act now", "refer": "Refer", "consider": "Consider"}
STATUS_NAMES = {"draft": "Draft", "complete": "Completed"}
DECISION_NAMES = {"accept": "Accepted", "edit": "Edited", "override": "Overridden",
                  "error": "Marked raised in error"}
STATUS_NAMES["discarded"] = "Discarded"


def answer_text(item: Item, value: Any) -> str:
    """An answer as the practitioner would say it: option labels, numbers with their unit
    or the scale's ends, dates as dates, text as given."""
    from .content.models import DECLINED, ItemType

    if value is None:
        return "Not answered"
    if value == DECLINED:
        return "Declined to answer"
    if item.type in (ItemType.YES_NO, ItemType.SINGLE_CHOICE):
        return item.label_for(str(value))
    if item.type == ItemType.MULTI_CHOICE:
        labels = [item.label_for(str(c)) for c in value] if isinstance(value, list) else []
        return "; ".join(labels) or "None of these"
    if item.type == ItemType.SCALE:
        ends = ""
        if item.min_label or item.max_label:
            low = f"{item.min:g}" + (f" {item.min_label}" if item.min_label else "")
            high = f"{item.max:g}" + (f" {item.max_label}" if item.max_label else "")
            ends = f" (on a scale from {low} to {high})"
        return f"{_number(value)}{ends}"
    if item.type == ItemType.NUMBER:
        return f"{_number(value)} {item.unit}" if item.unit else _number(value)
    if item.type == ItemType.DATE:
        try:
            return dt.date.fromisoformat(value).strftime("%d %b %Y")
        except (TypeError, ValueError):
            return str(value)
    return str(value)


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)

# Unicode isolates: user text inside a sentence cannot reorder the words around it.
FSI, PDI = "\u2068", "\u2069"


def isolate(text: str) -> str:
    return f"{FSI}{text}{PDI}"


def setting_name(setting: str) -> str:
    return SETTING_NAMES.get(setting, setting)


def when_text(moment: dt.datetime, now: dt.datetime | None = None) -> str:
    """A stored UTC time in local time: 'Today 14:02', or '3 Mar 2026 14:02'."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    local = moment.astimezone()
    today = (now or dt.datetime.now().astimezone()).date()
    if local.date() == today:
        return f"Today {local:%H:%M}"
    if local.date() == today - dt.timedelta(days=1):
        return f"Yesterday {local:%H:%M}"
    return f"{local.day} {local:%b %Y %H:%M}"


_LONG_RUN = re.compile(r"(\S{30})(?=\S)")


def breakable(text: str) -> str:
    """User text for display: a zero-width space inside every 30-character unbroken run, so
    that a 20,000-letter 'word' wraps instead of widening the window. Display only."""
    return _LONG_RUN.sub("\\1\u200b", text)
