"""Reading the answers file of ``assess`` strictly: no duplicate keys, no NaN, no surprises."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError

from ..content.models import Setting
from ..files import ReadError, read_limited
from .common import CommandError

MAX_ANSWERS_BYTES = 20 * 1024 * 1024


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Child(_Strict):
    age: StrictInt | None = Field(default=None, ge=0, le=25)
    date_of_birth: dt.date | None = None


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
            raise ValueError(f"duplicate key '{key}'")
        out[key] = value
    return out


def _no_constants(name: str) -> None:
    raise ValueError(f"'{name}' is not a number JSON allows")


def read_answers(path: Path) -> AnswersFile:
    try:
        raw = read_limited(path, MAX_ANSWERS_BYTES, "answers file")
    except ReadError as exc:
        raise CommandError(str(exc)) from None
    try:
        data = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicates,
                          parse_constant=_no_constants)
    except UnicodeDecodeError:
        raise CommandError(f"{path}: answers file is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise CommandError(f"{path}:{exc.lineno}: not valid JSON: {exc.msg}") from None
    except (ValueError, RecursionError) as exc:
        raise CommandError(f"{path}: not valid JSON: {exc}") from None
    try:
        parsed = AnswersFile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        msg = err["msg"] if err["type"] != "extra_forbidden" else "unknown key"
        raise CommandError(f"{path}: {where}: {msg}") from None
    if (parsed.child.age is None) == (parsed.child.date_of_birth is None):
        raise CommandError(f"{path}: child: give exactly one of age or date_of_birth")
    return parsed
