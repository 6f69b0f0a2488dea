"""Load module and pathway files into models, collecting every problem as ``file:line``."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .models import Module, Pathway
from .yaml_source import ContentError, Problem, SourceDoc, read_yaml

CONTENT_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Loaded:
    """A validated model with the document it came from and the hash of its bytes."""

    model: Module | Pathway
    doc: SourceDoc

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.doc.raw).hexdigest()


@dataclass
class Catalog:
    """All content in force: modules by id and pathways by setting."""

    modules: dict[str, Loaded] = field(default_factory=dict)
    pathways: dict[str, Loaded] = field(default_factory=dict)

    def module(self, module_id: str) -> Module:
        return self.modules[module_id].model  # type: ignore[return-value]

    def pathway(self, setting: str) -> Pathway:
        return self.pathways[setting].model  # type: ignore[return-value]

    def pin(self, module_id: str) -> dict[str, str]:
        loaded = self.modules[module_id]
        return {"version": loaded.model.version, "sha256": loaded.sha256}


def content_files(paths: Iterable[Path]) -> list[Path]:
    """Files named by ``paths``: each file as given, each folder searched recursively."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in CONTENT_SUFFIXES))
        else:
            files.append(path)
    return files


def parse_file(path: Path) -> tuple[Loaded | None, list[Problem]]:
    """One file to a model, or the problems that stop it being one."""
    try:
        doc = read_yaml(path)
    except ContentError as exc:
        return None, exc.problems
    if not isinstance(doc.data, dict):
        return None, [doc.problem((), "expected a mapping of keys at the top of the file")]
    model_type: type[BaseModel] = Pathway if "steps" in doc.data else Module
    try:
        model = model_type.model_validate(doc.data)
    except ValidationError as exc:
        return None, [_problem_from(doc, err) for err in exc.errors()]
    return Loaded(model=model, doc=doc), []  # type: ignore[arg-type]


def _problem_from(doc: SourceDoc, err: Any) -> Problem:
    loc = _data_path(doc.data, tuple(err["loc"]))
    where = _describe(loc)
    kind = err["type"]
    if kind == "extra_forbidden":
        message = f"unknown key '{loc[-1]}'" + (f" in {_describe(loc[:-1])}" if loc[:-1] else "")
    elif kind == "missing":
        message = f"missing required key '{loc[-1]}'" + (
            f" in {_describe(loc[:-1])}" if loc[:-1] else "")
    elif kind == "enum" and loc and loc[-1] == "type":
        expected = err.get("ctx", {}).get("expected", "")
        message = f"unknown item type {err['input']!r} at {where} (expected {expected})"
    else:
        msg = err["msg"].removeprefix("Value error, ")
        message = f"{where}: {msg}" if where else msg
    return doc.problem(loc, message)


def _data_path(data: Any, loc: tuple) -> tuple:
    """The part of a pydantic error location that names real keys and indexes in the file.

    Union and validator names that pydantic adds (``str``, ``function-after[...]``) are dropped;
    a final missing key is kept so the message can name it.
    """
    out: list[str | int] = []
    node = data
    for i, part in enumerate(loc):
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            out.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            out.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and i == len(loc) - 1:
            out.append(part)
    return tuple(out)


def _describe(loc: tuple) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def load_catalog(paths: Iterable[Path],
                 base: Catalog | None = None) -> tuple[Catalog, list[Problem]]:
    """Parse and cross-check every content file under ``paths``.

    Returns the catalog of everything that parsed and the list of all problems found;
    callers that need valid content use :func:`load_valid_catalog`. With ``base``, the files
    are checked as if installed beside that content: they may refer to its modules and
    replace entries with the same id, and only problems in the files themselves are reported.
    """
    from .validator import check_catalog  # the validator needs the catalog type

    catalog = Catalog()
    problems: list[Problem] = []
    files = content_files(paths)
    for path in files:
        loaded, found = parse_file(path)
        problems.extend(found)
        if loaded is None:
            continue
        model = loaded.model
        table = catalog.pathways if isinstance(model, Pathway) else catalog.modules
        key = model.setting if isinstance(model, Pathway) else model.id
        if key in table:
            what = "pathway for setting" if isinstance(model, Pathway) else "module id"
            problems.append(loaded.doc.problem(("id",), f"duplicate {what} '{key}' (also in "
                                                        f"{table[key].doc.name})"))
            continue
        table[key] = loaded
    if base is not None:
        catalog.modules = {**base.modules, **catalog.modules}
        catalog.pathways = {**base.pathways, **catalog.pathways}
    found = check_catalog(catalog)
    if base is not None:
        names = {str(f) for f in files}
        found = [p for p in found if p.file in names]
    problems.extend(found)
    return catalog, problems


def load_valid_catalog(paths: Iterable[Path]) -> Catalog:
    catalog, problems = load_catalog(paths)
    if problems:
        raise ContentError(problems)
    return catalog
