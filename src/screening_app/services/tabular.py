"""The tabular form of ORUK: CSV files described by a Frictionless ``datapackage.json``.

Reading builds the same nested service records as the JSON API gives (organization,
service areas, languages and attributes with their taxonomy terms), then the same checks
apply (:func:`screening_app.services.oruk.check_records`). A cell that a spreadsheet would
run as a formula is refused on import and neutralised on export.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from ..files import ReadError
from .errors import ImportProblem
from .model import DirectoryEntry
from .oruk import ReadFile, read_directory_file, service_schema, to_oruk

DATAPACKAGE = "datapackage.json"
# Resource name -> the file name Heard writes. Names follow the ORUK schema's resources.
RESOURCES = {
    "service": "services.csv",
    "organization": "organizations.csv",
    "service_area": "service_areas.csv",
    "language": "languages.csv",
    "taxonomy_term": "taxonomy_terms.csv",
    "attribute": "attributes.csv",
}
# Cells starting with these are run by spreadsheets (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER_FIELDS = frozenset({"minimum_age", "maximum_age"})


def is_formula_like(cell: str) -> bool:
    if not cell.startswith(FORMULA_STARTS):
        return False
    try:  # a signed number ("-1") is data, not a formula; the field checks judge it
        float(cell)
    except ValueError:
        return True
    return False


def neutralise(cell: object) -> str:
    """A cell a spreadsheet shows as text: a leading ' before = + - @ tab or CR."""
    text = "" if cell is None else str(cell)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _service_columns() -> list[str]:
    schema = service_schema()
    return [k for k, v in schema["properties"].items() if v.get("type") in
            ("string", "number", "integer", "boolean")]


def read_tabular(path: Path) -> ReadFile:
    """``path`` is a ``datapackage.json`` or the folder holding one."""
    package = path / DATAPACKAGE if path.is_dir() else path
    source = package.parent.name + "/" + package.name
    read = ReadFile(source, [])
    try:
        descriptor = json.loads(read_directory_file(package).decode("utf-8-sig"))
    except ReadError as exc:
        read.problems.append(ImportProblem(source, "-", str(exc)))
        return read
    except (UnicodeDecodeError, json.JSONDecodeError, ValueError) as exc:
        read.problems.append(ImportProblem(source, "-", f"not a readable datapackage.json: "
                                                        f"{exc}"))
        return read
    tables: dict[str, list[tuple[str, dict]]] = {}
    for i, resource in enumerate(descriptor.get("resources") or []):
        name, rel = (resource.get("name"), resource.get("path")) if isinstance(resource, dict) \
            else (None, None)
        if name not in RESOURCES:
            continue  # schedules, locations ...: kept only in the JSON form
        if not isinstance(rel, str) or Path(rel).is_absolute() or ".." in Path(rel).parts:
            read.problems.append(ImportProblem(source, f"resources[{i}].path",
                                               "must be a file beside datapackage.json"))
            continue
        tables[name] = _read_csv(package.parent / rel, rel, read.problems)
    if "service" not in tables:
        read.problems.append(ImportProblem(source, "resources", "no 'service' resource "
                                                                "(services.csv)"))
        return read
    read.records = _nest(tables, read.problems)
    return read


def _read_csv(path: Path, name: str, problems: list[ImportProblem]) -> list[tuple[str, dict]]:
    try:  # newline="": a CR inside a quoted cell stays a CR (and is judged)
        text = read_directory_file(path).decode("utf-8-sig")
    except ReadError as exc:
        problems.append(ImportProblem(name, "-", str(exc)))
        return []
    except UnicodeDecodeError as exc:
        problems.append(ImportProblem(name, "-", f"cannot read: {exc}"))
        return []
    rows = []
    for number, row in enumerate(csv.DictReader(io.StringIO(text, newline="")), start=2):
        label = f"{name} row {number}"
        clean = {}
        for column, cell in row.items():
            if column is None or cell is None:
                problems.append(ImportProblem(label, "-", "has more or fewer cells than the "
                                                          "header"))
                continue
            if is_formula_like(cell):
                problems.append(ImportProblem(label, column, "cell starts like a spreadsheet "
                                                             "formula (= + - @ tab or CR)"))
            if cell != "":
                clean[column] = cell
        rows.append((label, clean))
    return rows


def _number(label: str, column: str, cell: str, problems: list[ImportProblem]) -> object:
    try:
        value = float(cell)
    except ValueError:
        problems.append(ImportProblem(label, column, f"{cell!r} is not a number"))
        return cell
    return int(value) if value.is_integer() else value


def _nest(tables: dict[str, list[tuple[str, dict]]],
          problems: list[ImportProblem]) -> list[tuple[str, object]]:
    organizations = {row.get("id"): row for _, row in tables.get("organization", [])}
    terms = {row.get("id"): row for _, row in tables.get("taxonomy_term", [])}
    by_service: dict[str, dict[str, list]] = {}
    for kind, key in (("service_area", "service_areas"), ("language", "languages")):
        for _, row in tables.get(kind, []):
            by_service.setdefault(row.get("service_id"), {}).setdefault(key, []).append(row)
    service_ids = {row.get("id") for _, row in tables["service"]}
    for label, row in tables.get("attribute", []):
        link = row.get("link_id")
        if link not in service_ids:
            continue  # an attribute of an organization or a location
        attribute = dict(row)
        term_id = row.get("taxonomy_term_id")
        if term_id not in terms:
            problems.append(ImportProblem(label, "taxonomy_term_id",
                                          f"unknown taxonomy term {term_id!r} (not in "
                                          f"taxonomy_terms.csv)"))
            continue
        attribute["taxonomy_term"] = dict(terms[term_id])
        by_service.setdefault(link, {}).setdefault("attributes", []).append(attribute)
    records: list[tuple[str, object]] = []
    for label, row in tables["service"]:
        record: dict = {}
        for column, cell in row.items():
            record[column] = _number(label, column, cell, problems) \
                if column in NUMBER_FIELDS else cell
        org = organizations.get(record.get("organization_id"))
        if org is not None:
            record["organization"] = {"description": "", **org}
        record.update(by_service.get(record.get("id"), {}))
        rid = record.get("id", "?")
        records.append((f"{label} (id {rid})", record))
    return records


def write_tabular(entries: list[DirectoryEntry]) -> dict[str, bytes]:
    """The files of the tabular form (name -> bytes), every cell neutralised."""
    columns = _service_columns()
    rows: dict[str, list[dict]] = {name: [] for name in RESOURCES}
    seen_orgs: set[str] = set()
    seen_terms: set[str] = set()
    for entry in entries:
        record = to_oruk(entry)
        rows["service"].append({c: record.get(c) for c in columns if c in record})
        org = record.get("organization")
        if isinstance(org, dict) and org.get("id") not in seen_orgs:
            seen_orgs.add(org["id"])
            rows["organization"].append({k: v for k, v in org.items()
                                         if not isinstance(v, (list, dict))})
        for key, kind in (("service_areas", "service_area"), ("languages", "language")):
            for item in record.get(key, []):
                rows[kind].append({"service_id": entry.id, **{
                    k: v for k, v in item.items() if not isinstance(v, (list, dict))}})
        for attribute in record.get("attributes", []):
            term = attribute.get("taxonomy_term") or {}
            term_id = attribute.get("taxonomy_term_id") or term.get("id")
            rows["attribute"].append({"id": attribute["id"], "link_id": entry.id,
                                      "taxonomy_term_id": term_id,
                                      "link_type": attribute.get("link_type")})
            if term and term_id not in seen_terms:
                seen_terms.add(term_id)
                rows["taxonomy_term"].append({k: v for k, v in term.items()
                                              if not isinstance(v, (list, dict))})
    files: dict[str, bytes] = {}
    resources = []
    for name, filename in RESOURCES.items():
        files[filename] = _csv_bytes(rows[name])
        resources.append({"name": name, "path": filename, "format": "csv",
                          "mediatype": "text/csv", "profile": "tabular-data-resource"})
    descriptor = {"profile": "tabular-data-package", "name": "heard-directory",
                  "resources": resources}
    files[DATAPACKAGE] = (json.dumps(descriptor, indent=2) + "\n").encode()
    return files


def _csv_bytes(rows: list[dict]) -> bytes:
    header: list[str] = []
    for row in rows:
        header.extend(k for k in row if k not in header)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(row.get(h)) for h in header])
    return out.getvalue().encode("utf-8")
