"""ORUK 3.0 JSON in and out: one service, a list, or a paged API answer.

Every record is checked against the shipped ORUK schema (``resources/oruk``, with formats
such as ``uuid`` and ``date-time`` enforced) and Heard's own rules: ages that make sense,
unique ids, attributes that name a taxonomy term, and Heard's attributes holding known
values. :func:`check_records` collects every problem before anything is kept, so an import
is all or nothing.

Heard's local additions travel as ORUK ``attributes`` in Heard's own taxonomies
(:data:`HEARD_TAXONOMIES`); on import they are taken out of the record again, so import ->
export -> import gives back the same entries.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path

import fastjsonschema
from jsonschema import Draft202012Validator, FormatChecker
from pydantic import ValidationError

from ..files import ReadError, read_limited
from ..paths import resources_dir
from .errors import ImportProblem, ImportRefused
from .model import ACCESS_ROUTES, SECTORS, DirectoryEntry, LocalAdditions

ACCESS_ROUTE = "heard:access-route"
SECTOR = "heard:sector"
TYPICAL_WAIT = "heard:typical-wait-days"
LOCAL_NOTES = "heard:local-notes"
HEARD_TAXONOMIES = (ACCESS_ROUTE, SECTOR, TYPICAL_WAIT, LOCAL_NOTES)
# Fixed namespace: the ids of Heard's attributes are the same on every export.
HEARD_NAMESPACE = uuid.UUID("6b1f3c2e-4d55-4c1e-9a51-6f1d2a0c7e11")
MAX_AGE = 120
# A council's whole directory as JSON is a few tens of MB (10,000 services: 24 MB); a file
# past this is not a directory, and is refused before it is read whole.
MAX_DIRECTORY_BYTES = 256 * 1024 * 1024


def read_directory_file(path: Path) -> bytes:
    """A directory file's bytes: an ordinary file only (never a FIFO or a device), capped."""
    return read_limited(path, MAX_DIRECTORY_BYTES, "directory file")


@dataclass
class ReadFile:
    """Records read from a file, each with the label its problems are reported under."""

    source: str
    records: list[tuple[str, object]]
    notes: list[str] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)


@cache
def service_schema() -> dict:
    return json.loads((resources_dir() / "oruk" / "schema-service.json").read_text("utf-8"))


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(service_schema(), format_checker=FormatChecker())


@cache
def _fast_check() -> Callable[[object], object]:
    """The same schema compiled to Python (fastjsonschema): about seven times faster than
    ``jsonschema``, so a council's 10,000-service file is checked in seconds. Its formats are
    ``jsonschema``'s own checks, so it accepts exactly what they accept; it stops at the first
    problem, so a record it refuses is checked again by ``jsonschema``, which names them all
    (and has the last word)."""
    checker = FormatChecker()
    named: set[str] = set()

    def collect(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("format"), str):
                named.add(node["format"])
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(service_schema())
    formats = {name: partial(_conforms, checker, name) for name in named}
    return fastjsonschema.compile(service_schema(), formats=formats)


def _conforms(checker: FormatChecker, name: str, value: object) -> bool:
    return checker.conforms(value, name)


def schema_problems(label: str, record: object) -> list[ImportProblem]:
    """Where ``record`` breaks the ORUK service schema."""
    try:
        _fast_check()(record)
        return []
    except fastjsonschema.JsonSchemaException:
        pass  # let jsonschema name every problem (or find none)
    found = []
    for error in sorted(_validator().iter_errors(record), key=lambda e: list(e.absolute_path)):
        where = _dotted(error.absolute_path) or "-"
        found.append(ImportProblem(label, where, _short(error.message)))
    return found


def _dotted(path: Iterable) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _short(message: str, limit: int = 160) -> str:
    line = " ".join(message.split())
    return line if len(line) <= limit else line[: limit - 3] + "..."


def read_json(path: Path) -> ReadFile:
    """The records in an ORUK JSON file: a service, a list of them, or a paged answer."""
    source = path.name
    try:
        data = json.loads(read_directory_file(path).decode("utf-8-sig"))
    except ReadError as exc:
        return ReadFile(source, [], problems=[ImportProblem(source, "-", str(exc))])
    except (UnicodeDecodeError, json.JSONDecodeError, ValueError) as exc:
        problem = ImportProblem(source, "-", f"not readable JSON: {_short(str(exc))}")
        return ReadFile(source, [], problems=[problem])
    read = ReadFile(source, [])
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        items = data["contents"]
        pages, page = data.get("total_pages"), data.get("page_number")
        if isinstance(pages, int) and pages > 1:
            read.notes.append(f"{source} is page {page} of {pages} of a paged answer: only "
                              f"this page's {len(items)} service(s) were in the file")
    elif isinstance(data, list):
        items = data
    elif isinstance(data, dict) and "id" in data:
        items = [data]
    else:
        read.problems.append(ImportProblem(source, "-", "not an ORUK service, list of services "
                                                        "or paged answer (no 'contents')"))
        return read
    read.records = [(_label(i, item), item) for i, item in enumerate(items, start=1)]
    return read


def _label(index: int, item: object) -> str:
    rid = item.get("id") if isinstance(item, dict) else None
    return f"record {index} (id {rid})" if isinstance(rid, str) else f"record {index}"


def check_records(read: ReadFile) -> list[DirectoryEntry]:
    """The entries, or :class:`ImportRefused` naming every problem (nothing is kept)."""
    problems = list(read.problems)
    entries: list[DirectoryEntry] = []
    first_seen: dict[str, str] = {}
    for label, record in read.records:
        found = record_problems(label, record)
        if not isinstance(record, dict):
            problems.extend(found)
            continue
        rid = record.get("id")
        if isinstance(rid, str):
            if rid in first_seen:
                found.append(ImportProblem(label, "id", f"duplicate id, already used by "
                                                        f"{first_seen[rid]}"))
            else:
                first_seen[rid] = label
        entry, more = _split_local(label, record)
        found.extend(more)
        if not found and entry is not None:
            try:
                entry.service  # noqa: B018 - the typed view must build
            except ValidationError as exc:
                for err in exc.errors():
                    found.append(ImportProblem(label, _dotted(err["loc"]) or "-",
                                               _short(err["msg"])))
        problems.extend(found)
        if not found and entry is not None:
            entries.append(entry)
    if problems:
        raise ImportRefused(read.source, problems)
    return entries


# C0 and C1 controls (tab, LF and CR allowed) and the bidi embeddings, overrides and
# isolates: they would rewrite a terminal line, reorder what a reader sees, or (NUL) not fit
# in a PostgreSQL text at all. Plain LRM/RLM marks are kept: right-to-left text needs them.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e"
                        "\u2066-\u2069\ud800-\udfff]")


def has_control_characters(text: str) -> bool:
    return _FORBIDDEN.search(text) is not None


def text_problems(label: str, value: object, where: str = "") -> list[ImportProblem]:
    """Strings anywhere in the record holding control or text-direction characters."""
    if isinstance(value, str):
        if _FORBIDDEN.search(value):
            return [ImportProblem(label, where or "-", "contains control or text-direction "
                                                       "characters")]
        return []
    found: list[ImportProblem] = []
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(text_problems(label, item, f"{where}.{key}" if where else str(key)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found.extend(text_problems(label, item, f"{where}[{i}]"))
    return found


def record_problems(label: str, record: object) -> list[ImportProblem]:
    """Everything wrong with one record on its own (not counting duplicates)."""
    found = schema_problems(label, record)
    if isinstance(record, dict):
        found.extend(_age_problems(label, record))
        found.extend(text_problems(label, record))
    return found


def _age_problems(label: str, record: dict) -> list[ImportProblem]:
    found = []
    ages = {}
    for key in ("minimum_age", "maximum_age"):
        value = record.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            continue  # the schema check has named it
        if not 0 <= value <= MAX_AGE:
            found.append(ImportProblem(label, key, f"{value} is not an age (0 to {MAX_AGE})"))
        else:
            ages[key] = value
    low, high = ages.get("minimum_age"), ages.get("maximum_age")
    if low is not None and high is not None and low > high:
        found.append(ImportProblem(label, "minimum_age",
                                   f"{low} is above maximum_age {high}"))
    return found


def _split_local(label: str, record: dict) -> tuple[DirectoryEntry | None, list[ImportProblem]]:
    """Take Heard's attributes out of the record into :class:`LocalAdditions`."""
    attributes = record.get("attributes")
    if not isinstance(attributes, list):
        return DirectoryEntry(record=record), []
    kept, found = [], []
    routes: list[str] = []
    local: dict = {}
    for i, attribute in enumerate(attributes):
        where = f"attributes[{i}]"
        if not isinstance(attribute, dict):
            continue  # the schema check has named it
        term = attribute.get("taxonomy_term")
        if not isinstance(term, dict):
            if not attribute.get("taxonomy_term_id"):
                found.append(ImportProblem(label, where, "names no taxonomy term"))
            kept.append(attribute)
            continue
        taxonomy, value = term.get("taxonomy"), term.get("term")
        if taxonomy not in HEARD_TAXONOMIES:
            kept.append(attribute)
            continue
        where += ".taxonomy_term.term"
        if taxonomy == ACCESS_ROUTE:
            if value not in ACCESS_ROUTES:
                found.append(ImportProblem(label, where, f"unknown access route {value!r} "
                                                         f"({', '.join(ACCESS_ROUTES)})"))
            elif value not in routes:
                routes.append(value)
        elif taxonomy == SECTOR:
            if value not in SECTORS:
                found.append(ImportProblem(label, where, f"unknown sector {value!r} "
                                                         f"({', '.join(SECTORS)})"))
            local["sector"] = value
        elif taxonomy == TYPICAL_WAIT:
            if not (isinstance(value, str) and value.isdigit() and int(value) <= 3650):
                found.append(ImportProblem(label, where, f"typical wait {value!r} is not a "
                                                         f"number of days"))
            else:
                local["typical_wait_days"] = int(value)
        elif taxonomy == LOCAL_NOTES:
            local["local_notes"] = term.get("description") or None
    if found:
        return None, found
    cleaned = {k: v for k, v in record.items() if k != "attributes"}
    if kept:
        cleaned["attributes"] = kept
    ordered_routes = tuple(r for r in ACCESS_ROUTES if r in routes)
    return DirectoryEntry(record=cleaned, local=LocalAdditions(access_routes=ordered_routes,
                                                               **local)), []


def heard_attributes(entry: DirectoryEntry) -> list[dict]:
    """Heard's additions as ORUK attributes (stable ids, fixed order)."""
    local = entry.local
    terms: list[tuple[str, str, str, str]] = []
    for route in local.access_routes:
        terms.append((ACCESS_ROUTE, route, f"Access route: {route}",
                      "How a child or family gets into this service (Heard local addition)"))
    if local.typical_wait_days is not None:
        days = local.typical_wait_days
        terms.append((TYPICAL_WAIT, str(days), f"Typical wait: {days} day(s)",
                      "Typical wait from referral to first contact (Heard local addition)"))
    if local.sector:
        terms.append((SECTOR, local.sector, f"Sector: {local.sector}",
                      "Who runs the service (Heard local addition)"))
    if local.local_notes:
        terms.append((LOCAL_NOTES, "notes", "Local notes", local.local_notes))
    attributes = []
    for taxonomy, term, name, description in terms:
        term_id = str(uuid.uuid5(HEARD_NAMESPACE, f"{taxonomy}/{term}"))
        if taxonomy == LOCAL_NOTES:
            term_id = str(uuid.uuid5(HEARD_NAMESPACE, f"{entry.id}/{taxonomy}"))
        attributes.append({
            "id": str(uuid.uuid5(HEARD_NAMESPACE, f"{entry.id}/{taxonomy}/{term}")),
            "taxonomy_term_id": term_id,
            "taxonomy_term": {"id": term_id, "name": name, "description": description,
                              "taxonomy": taxonomy, "term": term},
        })
    return attributes


def to_oruk(entry: DirectoryEntry) -> dict:
    """The ORUK service record with Heard's additions as attributes."""
    record = dict(entry.record)
    extra = heard_attributes(entry)
    if extra:
        record["attributes"] = [*record.get("attributes", []), *extra]
    return record


def paged_answer(entries: list[DirectoryEntry]) -> dict:
    """The whole directory as one page of an ORUK ``/services`` answer."""
    contents = [to_oruk(e) for e in entries]
    return {"total_items": len(contents), "total_pages": 1, "page_number": 1,
            "size": len(contents), "first_page": True, "last_page": True,
            "empty": not contents, "contents": contents}


def export_problems(entries: list[DirectoryEntry]) -> list[ImportProblem]:
    """An export is checked against the schema before it is written."""
    found = []
    for i, entry in enumerate(entries, start=1):
        found.extend(record_problems(_label(i, entry.record), to_oruk(entry)))
    return found
