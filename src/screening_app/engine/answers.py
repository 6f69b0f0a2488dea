"""What an answer may be: the one strict reading of every value, for every door.

The desktop app's entry fields, the answers file of ``assess`` and saved answers all come
through here (red-team findings 12, 19). Numbers are ASCII decimals in a bounded range
(no ``1_0``, full-width or Arabic-Indic digits, exponents, NaN or infinities); dates are ISO
calendar dates (``YYYY-MM-DD``, ASCII digits) from 1900 to 2100; text holds no NUL and no
unpaired surrogate (neither can be stored or printed).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from ..content.models import DECLINED, Item, ItemType

MAX_NUMBER = 10**12  # the content loader's bound on numbers in content too
EARLIEST_DATE, LATEST_DATE = dt.date(1900, 1, 1), dt.date(2100, 12, 31)

# [0-9], never \d: \d matches every script's digits, and float() and int() accept them.
_NUMBER = re.compile(r"[+-]?[0-9]{1,40}(\.[0-9]{1,40})?")
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(,[0-9]{3}){1,13}(\.[0-9]{1,40})?")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Day first (as written in the UK), or ISO; month names in English.
TYPED_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %b %Y", "%d %B %Y")


class AnswerError(ValueError):
    """An answer the content cannot take; the message names the module and item."""


def number_from_text(text: str, *, grouping: bool = False) -> int | float:
    """A typed number (``12``, ``-3.5``; with ``grouping``, ``1,250`` too), or ValueError
    with a message for the person typing."""
    cleaned = text.strip()
    if cleaned.lstrip("+-").lower() in ("nan", "inf", "infinity"):
        raise ValueError("not a finite number")
    if _NUMBER.fullmatch(cleaned) is None and not (grouping and _GROUPED.fullmatch(cleaned)):
        raise ValueError("not a number written in digits 0-9, for example 12 or 3.5")
    return number_in_range(float(cleaned.replace(",", "")) if "." in cleaned
                           else int(cleaned.replace(",", "")))


def number_in_range(value: int | float) -> int | float:
    """A finite number no larger than MAX_NUMBER either way, as int when whole."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError("expected a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("not a finite number")
    if abs(value) > MAX_NUMBER:  # an int of any size compares without converting
        raise ValueError(f"too large (the limit is {MAX_NUMBER:,} either way)")
    return int(value) if float(value).is_integer() else value


def date_from_iso(text: str) -> dt.date:
    """An ISO calendar date ``YYYY-MM-DD`` in the sane range, or ValueError."""
    cleaned = text.strip()
    if _ISO_DATE.fullmatch(cleaned) is None:
        raise ValueError("not a date written YYYY-MM-DD in digits 0-9")
    try:
        date = dt.date.fromisoformat(cleaned)
    except ValueError:
        raise ValueError("no such day in the calendar") from None
    return date_in_range(date)


def date_from_typed(text: str) -> dt.date:
    """A date as typed into the desktop app (``31/01/2026``, ``31 Jan 2026``, ISO), or
    ValueError with a message for the person typing."""
    cleaned = " ".join(text.split())
    if not cleaned.isascii():  # strptime would read other scripts' digits as 0-9
        raise ValueError("enter the date in digits 0-9, for example 31/01/2026")
    for fmt in TYPED_DATE_FORMATS:
        try:
            date = dt.datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
        return date_in_range(date)
    raise ValueError("enter a real date as day/month/year, for example 31/01/2026")


def date_in_range(date: dt.date) -> dt.date:
    if not EARLIEST_DATE <= date <= LATEST_DATE:
        raise ValueError(f"{date.isoformat()} is outside the years "
                         f"{EARLIEST_DATE.year} to {LATEST_DATE.year}")
    return date


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be kept, or None."""
    if "\x00" in text:
        return "text contains a NUL character, which cannot be stored"
    found = _SURROGATE.search(text)
    if found:
        return (f"text contains an unpaired surrogate (U+{ord(found.group()):04X}), "
                f"which is not a character")
    return None


def normalise_value(item: Item, value: Any, where: str) -> Any:
    """Check a value against its item's type and return it in the one stored form."""
    if value == DECLINED:
        if not item.declinable:
            raise AnswerError(f"{where}: this item cannot be declined")
        return DECLINED
    t = item.type
    if t == ItemType.INFO:
        raise AnswerError(f"{where}: information items take no answer")
    if t in (ItemType.YES_NO, ItemType.SINGLE_CHOICE):
        code = _code(value)
        if code not in item.codes():
            raise AnswerError(f"{where}: unknown answer code {_show(value)} (expected one of "
                              f"{', '.join(item.codes())}, or declined)")
        return code
    if t == ItemType.MULTI_CHOICE:
        if not isinstance(value, list):
            raise AnswerError(f"{where}: expected a list of option codes")
        codes = [_code(v) for v in value]
        unknown = [c for c in codes if c not in item.codes()]
        if unknown:
            raise AnswerError(f"{where}: unknown answer code {_show(unknown[0])} (expected any of "
                              f"{', '.join(item.codes())})")
        return [c for c in item.codes() if c in codes]  # content order, no repeats
    if t in (ItemType.SCALE, ItemType.NUMBER):
        number = _number(value, where)
        if t == ItemType.SCALE and not float(number).is_integer():
            raise AnswerError(f"{where}: a scale answer is a whole number")
        if (item.min is not None and number < item.min) or (item.max is not None and
                                                            number > item.max):
            raise AnswerError(f"{where}: {number:g} is outside {_range(item)}")
        return number
    if t == ItemType.DATE:
        if not isinstance(value, str):
            raise AnswerError(f"{where}: expected a date as YYYY-MM-DD")
        try:
            return date_from_iso(value).isoformat()
        except ValueError as exc:
            raise AnswerError(f"{where}: {_show(value)} is not a date ({exc})") from None
    if not isinstance(value, str):
        raise AnswerError(f"{where}: expected text")
    problem = text_problem(value)
    if problem:
        raise AnswerError(f"{where}: {problem}")
    if len(value) > item.max_length:
        raise AnswerError(f"{where}: text is {len(value):,} characters; the limit is "
                          f"{item.max_length:,}")
    return value


def _code(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value) if isinstance(value, (str, int)) else repr(value)


def _number(value: Any, where: str) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise AnswerError(f"{where}: expected a number")
    try:
        return number_from_text(value) if isinstance(value, str) else number_in_range(value)
    except ValueError as exc:
        raise AnswerError(f"{where}: {_show(value)}: {exc}") from None


def _range(item: Item) -> str:
    low = "any" if item.min is None else f"{item.min:g}"
    high = "any" if item.max is None else f"{item.max:g}"
    return f"the allowed range {low} to {high}"


def _show(value: Any) -> str:
    """A value quoted for a message: escaped (repr), and short even for a huge number."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_NUMBER:
        # str() of an int past 4,300 digits raises, and the number itself helps nobody
        return f"a number of about {round(value.bit_length() * math.log10(2)):,} digits"
    text = ascii(value) if isinstance(value, str) and _SURROGATE.search(value) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
