"""Reading the answers file of ``assess`` strictly: no duplicate keys, no NaN, no surprises.

Every value is checked before anything is saved: lone surrogates, NUL, numbers past the
core's bound (a 10,000-digit integer, ``1e999``, ``NaN``) anywhere in the file, then each
answer against its item's type with the core's own rule (``engine.answers``).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
)

from ..content.loader import Catalog
from ..content.models import Setting
from ..engine.answers import AnswerError, date_from_iso, normalise_value, text_problem
from ..files import ReadError, read_limited
from .common import CommandError

MAX_ANSWERS_BYTES = 20 * 1024 * 1024


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Child(_Strict):
    age: StrictInt | None = Field(default=None, ge=0, le=25)
    date_of_birth: dt.date | None = None

    @field_validator("date_of_birth", mode="before")
    @classmethod
    def _iso_date(cls, value: Any) -> Any:
        """The core's date rule, not pydantic's (which takes a number of seconds too)."""
        if value is None:
            return None
        if not isinstance(value, str):
            raise ValueError("expected a date as YYYY-MM-DD")
        return date_from_iso(value)


class AnswerEntry(_Strict):
    module: StrictStr
    item: StrictStr
    value: StrictStr | StrictInt | float | bool | list[StrictStr | StrictInt]
    # Why an answer that raised an act-now flag was changed (the flag stays on the record).
    reason: StrictStr | None = Field(default=None, max_length=2000)


class DecisionEntry(_Strict):
    """A decision on a flag or recommendation, as the review records it: accept, edit (with
    ``text``), override, or ``error`` (a flag raised in error); all but accept need a
    reason. The application layer checks them."""

    target: StrictStr  # "flag:ID" or "recommendation:ID"
    decision: StrictStr
    text: StrictStr | None = Field(default=None, max_length=2000)
    reason: StrictStr | None = Field(default=None, max_length=2000)


class AnswersFile(_Strict):
    setting: Setting
    child: Child
    reference: StrictStr | None = Field(default=None, max_length=100)
    presenting_issue: StrictStr | None = Field(default=None, max_length=2000)
    modules: list[StrictStr] = Field(default_factory=list)
    answers: list[AnswerEntry] = Field(default_factory=list)
    decisions: list[DecisionEntry] = Field(default_factory=list)  # after the answers


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict:
    out: dict = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key '{key}'" if key.isprintable()
                             else f"duplicate key {_part(key)}")
        out[key] = value
    return out


class _Unreadable:
    """A number JSON can write but no answer can be (kept as text to name it in context)."""

    def __init__(self, text: str):
        self.text = text

    def __str__(self) -> str:
        if len(self.text) > 30:
            return f"a number of {len(self.text):,} characters is too large"
        return f"{self.text!r} is not a finite number of a sane size"


def _json_int(text: str) -> int | _Unreadable:
    return int(text) if len(text) <= 20 else _Unreadable(text)


def _json_float(text: str) -> float | _Unreadable:
    value = float(text)
    return value if math.isfinite(value) and len(text) <= 40 else _Unreadable(text)


def _first_problem(node: Any, loc: tuple) -> tuple[tuple, str] | None:
    """The first bad value anywhere in the parsed file, with where it is."""
    if isinstance(node, _Unreadable):
        return loc, str(node)
    if isinstance(node, str):
        problem = text_problem(node)
        return (loc, problem) if problem else None
    if isinstance(node, dict):
        for key, value in node.items():
            problem = text_problem(key)
            found = (((*loc, ascii(key)), f"key {problem}") if problem
                     else _first_problem(value, (*loc, key)))
            if found:
                return found
    if isinstance(node, list):
        for i, value in enumerate(node):
            found = _first_problem(value, (*loc, i))
            if found:
                return found
    return None


def _part(name: object) -> str:
    """A key or index as shown in a message: a key with a line break or other control
    character in it is shown escaped, so the message stays one line (hypothesis found it)."""
    text = str(name)
    return text if text.isprintable() else ascii(text)


def _describe(data: Any, loc: tuple) -> str:
    """``answer 3 (module.item) value`` for an answer, else the dotted path."""
    if len(loc) >= 2 and loc[0] == "answers" and isinstance(loc[1], int):
        entry = data["answers"][loc[1]]
        named = ""
        if isinstance(entry, dict) and all(isinstance(entry.get(k), str) and
                                           not text_problem(entry[k]) for k in ("module", "item")):
            named = f" ({_part(entry['module'])}.{_part(entry['item'])})"
        rest = ".".join(_part(p) for p in loc[2:])
        return f"answer {loc[1] + 1}{named}" + (f" {rest}" if rest else "")
    return ".".join(_part(p) for p in loc) or "the file"


def read_answers(path: Path) -> AnswersFile:
    try:
        raw = read_limited(path, MAX_ANSWERS_BYTES, "answers file")
    except ReadError as exc:
        raise CommandError(str(exc)) from None
    try:
        # utf-8-sig: a byte-order mark (Notepad's default) is not part of the JSON
        data = json.loads(raw.decode("utf-8-sig"), object_pairs_hook=_no_duplicates,
                          parse_int=_json_int, parse_float=_json_float,
                          parse_constant=_Unreadable)
    except UnicodeDecodeError:
        raise CommandError(f"{path}: answers file is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise CommandError(f"{path}:{exc.lineno}: not valid JSON: {exc.msg}") from None
    except (ValueError, RecursionError) as exc:
        raise CommandError(f"{path}: not valid JSON: {exc}") from None
    found = _first_problem(data, ())
    if found:
        raise CommandError(f"{path}: {_describe(data, found[0])}: {found[1]}")
    try:
        parsed = AnswersFile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(_part(p) for p in err["loc"])
        msg = err["msg"] if err["type"] != "extra_forbidden" else "unknown key"
        raise CommandError(f"{path}: {where}: {msg}") from None
    if (parsed.child.age is None) == (parsed.child.date_of_birth is None):
        raise CommandError(f"{path}: child: give exactly one of age or date_of_birth")
    return parsed


def check_values(path: Path, answers: AnswersFile, catalog: Catalog) -> None:
    """Every answer's value against its item's type, before the first is saved (whether an
    item is shown is the session's to say, answer by answer)."""
    for n, entry in enumerate(answers.answers, start=1):
        module = catalog.module(entry.module) if entry.module in catalog.modules else None
        item = module.item(entry.item) if module else None
        if item is None:
            continue  # unknown: the session names it, still before anything after it is saved
        try:
            normalise_value(item, entry.value, f"{entry.module}.{entry.item}")
        except AnswerError as exc:
            raise CommandError(f"{path}: answer {n}: {exc} (nothing was saved)") from None
