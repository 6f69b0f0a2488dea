"""Directory files: read any ORUK form, write ORUK JSON or the tabular form."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DirectoryError
from .model import DirectoryEntry
from .oruk import check_records, export_problems, paged_answer, read_json
from .tabular import DATAPACKAGE, read_tabular, write_tabular


@dataclass(frozen=True)
class DirectoryRead:
    source: str
    entries: list[DirectoryEntry]
    notes: list[str] = field(default_factory=list)


def is_tabular(path: Path) -> bool:
    return path.is_dir() or path.name == DATAPACKAGE


def read_directory(path: Path) -> DirectoryRead:
    """Every entry of an ORUK file (JSON, or a datapackage.json or its folder), or
    :class:`~.errors.ImportRefused` naming every problem."""
    path = Path(path)
    if not path.exists():
        raise DirectoryError(f"{path}: no such file or folder")
    read = read_tabular(path) if is_tabular(path) else read_json(path)
    return DirectoryRead(read.source, check_records(read), list(read.notes))


def export_directory(path: Path, entries: list[DirectoryEntry]) -> dict[str, bytes]:
    """The files to write (name -> bytes): ``*.json`` gets one ORUK paged answer, anything
    else (a folder) the tabular form. Checked against the ORUK schema first."""
    problems = export_problems(entries)
    if problems:
        raise DirectoryError(f"the directory does not validate against the ORUK schema, "
                             f"nothing written: {problems[0]}")
    path = Path(path)
    if path.suffix.lower() == ".json" and path.name != DATAPACKAGE:
        text = json.dumps(paged_answer(entries), indent=2, ensure_ascii=False) + "\n"
        return {path.name: text.encode("utf-8")}
    return write_tabular(entries)
