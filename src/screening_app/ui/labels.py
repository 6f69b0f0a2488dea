"""Plain words for codes (settings, levels, statuses) and times. No Qt, cheap to import."""

from __future__ import annotations

import datetime as dt
import re

SETTING_NAMES = {
    "ed": "Emergency department",
    "custody": "Police custody",
    "gp": "General practice",
    "school-nurse": "School nursing",
}
LEVEL_NAMES = {"act-now": "Act now", "refer": "Refer", "consider": "Consider"}
STATUS_NAMES = {"draft": "Draft", "complete": "Completed"}
DECISION_NAMES = {"accept": "Accepted", "edit": "Edited", "override": "Overridden"}

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
